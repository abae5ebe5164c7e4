"""`/metrics`: the operator's figures in Prometheus text format, scraped and parsed."""

from __future__ import annotations

from typing import Any

import httpx
from prometheus_client.parser import text_string_to_metric_families

from parceltrace.clock import FixedClock
from parceltrace.runtime.server import create_app
from parceltrace.service.context import Services
from tests.conftest import Api, NewKey, Poll, app_client


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(found: dict[Any, float], name: str, **labels: str) -> float:
    return found.get((name, tuple(sorted(labels.items()))), 0.0)


async def test_requests_polls_refusals_and_backlog_are_exposed(
    services: Services, clock: FixedClock, new_key: NewKey, poll: Poll
) -> None:
    async with app_client(create_app(services)) as http:
        shop = Api(http, await new_key("shop", quota_total=1))
        slow = Api(http, await new_key("slow", rate_limit=1))
        await shop.call(
            "register", [{"number": "SANDBOX-Delivered-Other-1"}, {"number": "SANDBOX-Delivered-Other-2"}]
        )
        await shop.call("getquota", [])
        await slow.raw("getquota", [])
        limited = await slow.raw("getquota", [])
        assert limited.status_code == 429
        await poll()
        scraped = await http.get("/metrics")
    assert scraped.status_code == 200
    assert scraped.headers["content-type"].startswith("text/plain; version=0.0.4")
    found = samples(scraped.text)
    assert value(found, "parceltrace_http_requests_total", route="/track/v2.2/register", status="200") == 1
    assert value(found, "parceltrace_http_requests_total", route="/track/v2.2/getquota", status="429") == 1
    assert value(found, "parceltrace_http_request_duration_seconds_count", route="/track/v2.2/getquota") == 3
    assert value(found, "parceltrace_rate_limited_requests_total", kind="api") == 1
    assert value(found, "parceltrace_quota_refused_items_total") == 1
    assert value(found, "parceltrace_polls_total", result="success") == 1
    assert value(found, "parceltrace_trackings", tracking="Tracking", package="InfoReceived") == 1
    assert value(found, "parceltrace_poll_lag_seconds") == 0
    assert value(found, "parceltrace_outbox_pending") == 0


async def test_poll_lag_is_the_age_of_the_oldest_due_poll(
    services: Services, clock: FixedClock, api: Api
) -> None:
    from datetime import timedelta

    await api.call("register", [{"number": "SANDBOX-Delivered-Other-1"}])
    clock.advance_to(clock.now() + timedelta(seconds=90))
    found = samples((await api.client.get("/metrics")).text)
    assert value(found, "parceltrace_poll_lag_seconds") == 90


async def test_a_token_guards_the_metrics_when_set(services: Services) -> None:
    async with app_client(create_app(services, metrics_token="s3cret")) as http:
        assert (await http.get("/metrics")).status_code == 401
        assert (await http.get("/metrics", headers={"Authorization": "Bearer wrong"})).status_code == 401
        assert (await http.get("/metrics", headers={"Authorization": "Bearer s3cret"})).status_code == 200


async def test_routes_are_bounded_labels(client: httpx.AsyncClient, key: str) -> None:
    for path in ("/track/v2.2/nosuchop", "/track/v2.2/NoSuchOp2", "/random/x", "/dashboard/trackings/123"):
        await client.post(path, headers={"17token": key})
    routes = {
        labels[0][1]
        for name, labels in samples((await client.get("/metrics")).text)
        if name == "parceltrace_http_requests_total"
        for labels in [labels]
    }
    assert routes <= {"/track/v2.2/other", "unmatched", "/dashboard/trackings/{tracking_id:int}"}


def series(text: str) -> int:
    return sum(len(family.samples) for family in text_string_to_metric_families(text))


async def test_unknown_paths_add_no_series(client: httpx.AsyncClient, key: str) -> None:
    """Labels come from the route table: 10,000 distinct unknown paths (anonymous, under
    every area a path can start with) leave the number of series as it was."""
    prefixes = ("/sandbox", "/hooks", "/track/v2.2", "/dashboard", "/p", "/static", "/asset", "/x")
    for prefix in prefixes:
        await client.get(f"{prefix}/warm/up")
    await client.get("/metrics")
    before = series((await client.get("/metrics")).text)
    for n in range(10_000):
        await client.get(f"{prefixes[n % len(prefixes)]}/{n}/z")
    after = (await client.get("/metrics")).text
    assert series(after) == before
    routes = {labels[0][1] for name, labels in samples(after) if name == "parceltrace_http_requests_total"}
    assert not any(str(n) in route for route in routes for n in (1, 2, 3, 9999))


async def test_unknown_carrier_codes_are_counted_per_connector(services: Services, clock: FixedClock) -> None:
    """What the workers saved of codes no status table knows, summed per connector."""
    from parceltrace.store import connectors

    now = clock.now()
    await connectors.record_unmapped(
        services.store,
        [
            connectors.Unmapped("usps", "TL", "In Transit to Next Facility", 2, now, now),
            connectors.Unmapped("usps", "TL", "In Transit to Next Facility", 1, now, now),
            connectors.Unmapped("usps", "ZZ", "Something new", 4, now, now),
            connectors.Unmapped("fedex", "AO", "Shipment arriving On-Time", 1, now, now),
        ],
    )
    async with app_client(create_app(services)) as http:
        found = samples((await http.get("/metrics")).text)
    assert value(found, "parceltrace_connector_unmapped_codes_total", connector="usps") == 7
    assert value(found, "parceltrace_connector_unmapped_codes_total", connector="fedex") == 1
    [listed] = [u for u in await connectors.unmapped(services.store, "usps") if u.code == "TL"]
    assert listed.seen == 3
