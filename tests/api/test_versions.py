"""What clients of every API version read: HTTP 200 on every operation, the v2.4 paths and their
additions, and 17TRACK's carrier and country lists where clients fetch them."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from litestar.handlers import HTTPRouteHandler

from parceltrace.api.operations import OPERATIONS
from parceltrace.api.v1 import V1_OPERATIONS
from parceltrace.api.v24 import V24_OPERATIONS
from parceltrace.carriers import registry
from parceltrace.runtime.server import create_app
from parceltrace.service.context import Services
from tests.conftest import Api, Poll

VERSIONS = {"v2.4": V24_OPERATIONS, "v2.2": OPERATIONS, "v1": V1_OPERATIONS}
GET_OPERATIONS = {"getquota", "getcarrier"}


def test_no_route_answers_201_by_default(services: Services) -> None:
    """Litestar answers a POST route 201 unless told otherwise; 17TRACK answers 200."""
    app = create_app(services)
    handlers = [
        h
        for route in app.routes
        for h in getattr(route, "route_handlers", [])
        if isinstance(h, HTTPRouteHandler)
    ]
    assert handlers
    for handler in handlers:
        assert handler.status_code != 201, handler.paths


@pytest.mark.parametrize(
    ("version", "operation", "method"),
    [
        (version, name, method)
        for version, operations in VERSIONS.items()
        for name in [*operations, "getcarrier"]
        for method in (["GET", "POST"] if name in GET_OPERATIONS else ["POST"])
    ],
)
async def test_every_operation_answers_200(
    client: httpx.AsyncClient, key: str, version: str, operation: str, method: str
) -> None:
    body = (
        {}
        if operation == "gettracklist"
        else []
        if operation == "getquota"
        else [{"number": "RR123456789CN"}]
    )
    response = await client.request(
        method,
        f"/track/{version}/{operation}",
        headers={"17token": key},
        content=json.dumps(body) if method == "POST" else None,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/json")


@pytest.mark.parametrize("version", ["v2.4", "v2.2", "v1"])
@pytest.mark.parametrize("method", ["GET", "POST"])
async def test_getcarrier_is_the_published_list(client: httpx.AsyncClient, version: str, method: str) -> None:
    response = await client.request(method, f"/track/{version}/getcarrier")
    assert response.status_code == 200
    assert response.content == registry.carrier_list_json()


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/asset/carrier/info/apicarrier.all.json", registry.carrier_list_json),
        ("/asset/carrier/info/apicountry.all.json", registry.country_list_json),
        ("/ASSET/Carrier/Info/ApiCarrier.All.Json", registry.carrier_list_json),
        ("/en/apicarrier", registry.website_carrier_list_json),
        ("/en/apicountry", registry.country_list_json),
    ],
)
async def test_static_lists_need_no_key(client: httpx.AsyncClient, path: str, body: Any) -> None:
    response = await client.get(path)
    assert response.status_code == 200
    assert response.content == body()
    assert response.headers["content-type"].startswith("application/json")
    assert "max-age" in response.headers["cache-control"]


async def test_carrier_list_values_as_published(client: httpx.AsyncClient) -> None:
    rows = (await client.get("/asset/carrier/info/apicarrier.all.json")).json()
    assert len(rows) == 3037
    assert rows[0] == {
        "key": 1021,
        "_name": "Afghan Post",
        "_country": 102,
        "_country_iso": "AF",
        "_url": "http://afghanpost.gov.af/",
    }
    unknown = [row for row in rows if row["_country"] is None]
    assert unknown and all(row["_country_iso"] == "" for row in unknown)


async def test_v24_serves_every_v22_operation() -> None:
    assert set(V24_OPERATIONS) == set(OPERATIONS)


async def test_v24_track_info_additions(client: httpx.AsyncClient, key: str, poll: Poll) -> None:
    v24, v22 = Api(client, key, "v2.4"), Api(client, key, "v2.2")
    await v22.call(
        "register",
        [
            {"number": "RR123456789CN", "lang": "de", "tag": "a"},
            {"number": "00340434161094042557", "carrier": 7041, "param": "1000 AA"},
        ],
    )
    await poll()
    raw = await v24.raw("gettrackinfo", [{"number": "RR123456789CN"}, {"number": "00340434161094042557"}])
    china, dhl = raw.json()["data"]["accepted"]
    assert china["lang"] == "de"
    assert china["origin_country"] == "CN"
    assert (china["destination_postal_code"], china["ship_date"], china["phone_number_last_4"]) == (None,) * 3
    for unknown in (
        "destination_city",
        "shipper",
        "consignee",
        "phone_number",
        "cpf_or_cnpj",
        "special_tracking_info",
    ):
        assert china[unknown] is None
    assert dhl["destination_postal_code"] == "1000 AA" and dhl["lang"] is None
    providers = china["track_info"]["tracking"]["providers"]
    assert providers and all(p["provider_tips"] is None for p in providers)
    plain = (await v22.raw("gettrackinfo", [{"number": "RR123456789CN"}])).json()["data"]["accepted"][0]
    assert (
        "origin_country" not in plain
        and "provider_tips" not in plain["track_info"]["tracking"]["providers"][0]
    )


async def test_v24_track_list_sync_status(client: httpx.AsyncClient, key: str, poll: Poll) -> None:
    v24 = Api(client, key, "v2.4")
    await v24.call("register", [{"number": "RR123456789CN"}])
    before = (await v24.raw("gettracklist", {})).json()["data"]["accepted"][0]
    await poll()
    after = (await v24.raw("gettracklist", {})).json()["data"]["accepted"][0]
    assert (before["sync_status"], after["sync_status"]) == (False, True)
    plain = (await Api(client, key).raw("gettracklist", {})).json()["data"]["accepted"][0]
    assert "sync_status" not in plain


async def test_v24_realtime_additions(client: httpx.AsyncClient, key: str) -> None:
    raw = await Api(client, key, "v2.4").raw(
        "getRealTimeTrackInfo", [{"number": "RR123456789CN", "cacheLevel": "Standard"}]
    )
    item = raw.json()["data"]["accepted"][0]
    assert item["origin_country"] == "CN" and item["lang"] is None
    assert all(p["provider_tips"] is None for p in item["track_info"]["tracking"]["providers"])


async def test_openapi_lists_v24(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]
    assert {f"/track/v2.4/{name}" for name in ("register", "gettrackinfo", "getRealTimeTrackInfo")} <= set(
        paths
    )
