"""Auth, limits and HTTP-level failures: every one answered with a JSON body, never a 5xx."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from parceltrace.protocol.errors import ErrorCode
from parceltrace.service.accounts import AccountSettings, update_account
from parceltrace.service.context import Services
from tests.conftest import Api, NewKey, only_error


async def test_missing_key(client: httpx.AsyncClient) -> None:
    response = await client.post("/track/v2.2/register", json=[{"number": "RR123456789CN"}])
    assert response.status_code == 401
    assert response.json() == {
        "code": -18010002,
        "data": {"errors": [{"code": -18010002, "message": "Invalid security key."}]},
    }


async def test_wrong_key(client: httpx.AsyncClient) -> None:
    response = await client.post("/track/v2.2/getquota", json=[], headers={"17token": "0" * 32})
    assert response.status_code == 401 and only_error(response.json()) == ErrorCode.INVALID_KEY


async def test_disabled_account(client: httpx.AsyncClient, services: Services, new_key: NewKey) -> None:
    key = await new_key("shop")
    await update_account(services, "shop", AccountSettings(enabled=False))
    response = await client.post("/track/v2.2/getquota", json=[], headers={"17token": key})
    assert response.status_code == 401 and only_error(response.json()) == ErrorCode.ACCOUNT_DISABLED


async def test_ip_not_whitelisted(client: httpx.AsyncClient, new_key: NewKey) -> None:
    key = await new_key(ip_whitelist="203.0.113.7")
    response = await client.post("/track/v2.2/getquota", json=[], headers={"17token": key})
    assert response.status_code == 401 and only_error(response.json()) == ErrorCode.IP_NOT_WHITELISTED


async def test_rate_limit_answers_429_with_retry_after(client: httpx.AsyncClient, new_key: NewKey) -> None:
    api = Api(client, await new_key(rate_limit=3))
    statuses = [(await api.raw("getquota")).status_code for _ in range(3)]
    assert statuses == [200, 200, 200]
    limited = await api.raw("getquota")
    assert limited.status_code == 429
    assert int(limited.headers["retry-after"]) >= 1
    assert limited.json()["data"]["errors"][0]["code"] == 429


async def test_rate_limit_zero_is_unlimited(api: Api) -> None:
    for _ in range(20):
        assert (await api.raw("getquota")).status_code == 200


async def test_rate_limit_is_per_key(client: httpx.AsyncClient, new_key: NewKey) -> None:
    first, second = Api(client, await new_key(rate_limit=1)), Api(client, await new_key(rate_limit=1))
    assert (await first.raw("getquota")).status_code == 200
    assert (await first.raw("getquota")).status_code == 429
    assert (await second.raw("getquota")).status_code == 200


@pytest.mark.parametrize("path", ["/nope", "/track/v2.2/nope", "/track/v3/register", "/track/v2.2/"])
async def test_unknown_paths_are_404_json(client: httpx.AsyncClient, path: str) -> None:
    response = await client.post(path, json=[])
    assert response.status_code == 404
    assert response.json()["data"]["errors"][0]["code"] == 404


async def test_get_on_a_post_endpoint(api: Api) -> None:
    response = await api.client.get("/track/v2.2/register", headers={"17token": api.key})
    assert response.status_code == 405 and response.headers["allow"] == "POST"
    assert response.json()["data"]["errors"][0]["code"] == 405


async def test_paths_are_case_insensitive(api: Api) -> None:
    assert (await api.raw("getrealtimetrackinfo", [{"number": "RR123456789CN"}])).status_code == 200
    assert (await api.raw("GetQuota")).status_code == 200


async def test_oversized_body_is_413_json(api: Api) -> None:
    response = await api.raw("register", raw=b"[" + b" " * (1024 * 1024 + 10) + b"]")
    assert response.status_code == 413
    assert response.json()["data"]["errors"][0]["code"] == 413


async def test_deeply_nested_json(api: Api) -> None:
    response = await api.raw("register", raw=b"[" * 5000 + b"]" * 5000)
    assert response.status_code == 200
    assert only_error(response.json()) == ErrorCode.SUBMITTED_DATA_INVALID


async def test_getcarrier_serves_the_carrier_list(client: httpx.AsyncClient) -> None:
    for method in ("GET", "POST"):
        response = await client.request(method, "/track/v2.2/getcarrier")
        carriers = response.json()
        assert len(carriers) == 3037
        assert {"key": 3011, "_name": "China Post", "_country": 301, "_country_iso": "CN",
                "_url": "https://yjcx.ems.com.cn/"} in carriers  # fmt: skip


async def test_healthz_and_openapi(client: httpx.AsyncClient) -> None:
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    document = (await client.get("/openapi.json")).json()
    assert document["openapi"].startswith("3.")
    paths = set(document["paths"])
    assert {p.rsplit("/", 1)[1] for p in paths if p.startswith("/track/v2.2/")} == {
        "register", "changecarrier", "changeinfo", "stoptrack", "retrack", "deletetrack", "push",
        "gettrackinfo", "getRealTimeTrackInfo", "gettracklist", "getquota",
    }  # fmt: skip
    assert {p.rsplit("/", 1)[1] for p in paths if p.startswith("/track/v1/")} == {
        "register", "changecarrier", "changeinfo", "stoptrack", "retrack", "deletetrack", "push",
        "gettrackinfo", "gettracklist",
    }  # fmt: skip
    assert {p.replace("v2.4", "v2.2") for p in paths if p.startswith("/track/v2.4/")} == {
        p for p in paths if p.startswith("/track/v2.2/")
    }
    assert paths - {p for p in paths if p.startswith("/track/")} == {"/hooks/upstream"}
    track = document["components"]["schemas"]["V1Track"]
    assert set(track["properties"]) == {"e", "w1", "w2", "b", "c", "ln1", "ln2", "z0", "z1", "z2"}
    json.dumps(document)


async def test_invalid_utf8_in_a_string_is_not_a_server_error(api: Api) -> None:
    response = await api.raw("register", raw=b'[{"number":"RR123456789CN","tag":"\xff\xfe"}]')
    assert response.status_code == 200
    assert only_error(response.json()) == ErrorCode.SUBMITTED_DATA_INVALID


async def test_api_requests_are_counted_for_the_worker_to_give_way(
    api: Api, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[int] = []
    from parceltrace.api import operations, v24

    real = operations.OPERATIONS["getquota"]

    async def watching(*args: object) -> object:
        seen.append(services.activity.in_flight)
        return await real(*args)  # type: ignore[arg-type]

    monkeypatch.setitem(operations.OPERATIONS, "getquota", watching)
    monkeypatch.setitem(v24.V24_OPERATIONS, "getquota", watching)
    started = services.activity.started
    assert (await api.raw("getquota")).status_code == 200
    assert (await api.raw("nosuchoperation")).status_code == 404
    assert seen == [1]  # in flight while it ran
    assert services.activity.started == started + 1 and services.activity.in_flight == 0
    assert (await api.raw("register", raw=b"[{")).json()["data"]["errors"][0]["code"] == -18010013
    assert services.activity.started == started + 2 and services.activity.in_flight == 0


@pytest.mark.parametrize(
    "path", ["/TRACK/V2.2/GETQUOTA", "/track/V2.2/getQuota", "/Track/v1/GetQuota", "/track/V1/getquota"]
)
async def test_api_paths_match_in_any_case(client: httpx.AsyncClient, key: str, path: str) -> None:
    response = await client.post(path, json=[], headers={"17token": key})
    assert response.status_code == 200, response.text
    assert response.json()["code"] == 0


async def test_the_sandbox_clock_path_matches_in_any_case(
    services: Any, worker: Any, clock: Any, key: str
) -> None:
    from parceltrace.runtime.server import create_app
    from tests.conftest import app_client

    async with app_client(create_app(services, advancer=worker, clock=clock)) as http:
        assert (await http.get("/SANDBOX/CLOCK", headers={"17token": key})).status_code == 200
        moved = await http.post("/Sandbox/Clock/Advance", json={"seconds": 60}, headers={"17token": key})
        assert moved.status_code == 200 and "now" in moved.json()["data"]


async def test_dashboard_paths_keep_their_case(client: httpx.AsyncClient) -> None:
    assert (await client.get("/DASHBOARD/LOGIN")).status_code == 404
