"""Connectors as the operator configures them, and live trackings routed to them: credentials
sealed and masked, settings checked against karrio's, a running process following the table,
health saved, and a tracking without a source waiting visibly with its reason."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest

from parceltrace.clock import FixedClock
from parceltrace.protocol.structs import RegisterItem
from parceltrace.service import connectors as service
from parceltrace.service.accounts import AccountSettings, create_account
from parceltrace.service.connectors import ConnectorError, ConnectorSettings, RunningConnectors
from parceltrace.service.context import Services
from parceltrace.service.queries import track_info_item
from parceltrace.service.register import register
from parceltrace.sources.connectors import calls
from parceltrace.store import connectors
from parceltrace.store.engine import Store
from parceltrace.store.records import Tracking
from parceltrace.worker.runner import Worker
from tests import stored
from tests.sources.connectors.carriers.ups import standin as ups
from tests.sources.connectors.standin import StandIn, standing_in

UPS = ConnectorSettings("ups", ups.CREDENTIALS)


@pytest.fixture(autouse=True)
def loopback_only() -> None:
    calls.prepare_karrio(loopback_only=True)


@pytest.fixture
async def live(db_url: str, clock: FixedClock) -> AsyncIterator[Services]:
    store = Store(db_url)
    await store.migrate()
    services = Services(store, clock, sandbox=False)
    yield services
    await services.close()


@pytest.fixture
def ups_api() -> Any:
    with standing_in(ups.respond) as stand_in:
        yield stand_in


@pytest.mark.parametrize(
    ("settings", "says"),
    [
        (ConnectorSettings("fedx", {}), "no connector named 'fedx'; supported: dhl_universal, ups, fedex"),
        (
            ConnectorSettings("ups", {"client_id": "a"}),
            "ups needs client_secret: add --credential client_secret=VALUE",
        ),
        (
            ConnectorSettings("ups", {**ups.CREDENTIALS, "password": "x"}),
            "ups has no credential field password",
        ),
        (ConnectorSettings("fedex", {"api_key": "a"}), "fedex needs track_api_key"),
        (ConnectorSettings("ups", ups.CREDENTIALS, base_url="ftp://x"), "--base-url 'ftp://x' is not usable"),
        (ConnectorSettings("ups", ups.CREDENTIALS, threads=0), "--threads must be 1 to 256"),
    ],
)
async def test_what_is_refused_says_what_to_do(
    live: Services, settings: ConnectorSettings, says: str
) -> None:
    with pytest.raises(ConnectorError, match=says.replace("(", r"\(").replace(")", r"\)")):
        await service.add_connector(live, settings)
    assert (await service.list_connectors(live))[0][1].row is None


async def test_credentials_are_sealed_and_shown_masked(live: Services) -> None:
    assert await service.add_connector(live, UPS) is True
    assert await service.add_connector(live, UPS) is False  # replaced, not added
    [saved] = await connectors.all_connectors(live.store)
    sealed = saved.credentials_sealed
    assert ups.CREDENTIALS["client_secret"] not in sealed and "client_secret" not in sealed
    views, _ = await service.list_connectors(live)
    view = next(v for v in views if v.spec.name == "ups")
    assert view.configured and view.credentials == {"client_id": "ups…", "client_secret": "ups…"}
    await service.remove_connector(live, "ups")
    with pytest.raises(ConnectorError, match="no connector 'ups' is configured"):
        await service.remove_connector(live, "ups")


async def test_a_base_url_is_saved_as_the_client_connects_to_it(live: Services) -> None:
    hidden = ConnectorSettings("ups", ups.CREDENTIALS, base_url="http://127\uff0e0\uff0e0\uff0e1:9/ups")
    await service.add_connector(live, hidden)
    [saved] = await connectors.all_connectors(live.store)
    assert saved.base_url == "http://127.0.0.1:9/ups"


async def _account(services: Services, **settings: Any) -> int:
    account, _ = await create_account(services, "shop", AccountSettings(**settings))
    return account.id


async def _rows(services: Services) -> list[Tracking]:
    return await stored.trackings(services.store)


async def test_a_live_tracking_without_a_source_waits_with_its_reason_then_a_connector_serves_it(
    live: Services, clock: FixedClock, ups_api: StandIn
) -> None:
    account = await _account(live, webhook_url="http://127.0.0.1:9/hook")
    worker = Worker(live, owner="w")
    running = RunningConnectors(live.store, live.sources)
    try:
        await register(live, account, [RegisterItem(number=ups.NUMBERS["in_transit"], carrier=100002)])
        while await worker.run_once():
            pass
        [row] = await _rows(live)
        assert (row.package_status, row.latest_sync_status) == ("NotFound", "Failure")
        assert row.sync_error == (
            "no connector is configured for UPS (100002): add one with "
            "`parceltrace connectors add ups --credential ...`, or serve with --upstream-url"
        )
        views, _ = await service.list_connectors(live)
        ups_view = next(v for v in views if v.spec.name == "ups")
        assert (ups_view.waiting, ups_view.waiting_reason) == (1, row.sync_error)
        # every version's gettrackinfo shows the failure (it looked like "no record" in v2.2)
        shown = track_info_item(row, clock.now()).track_info
        [provider] = shown.tracking.providers
        assert (provider.provider.key, provider.latest_sync_status, provider.events) == (
            100002,
            "Failure",
            [],
        )
        assert provider.provider.name == "UPS"

        await service.add_connector(live, ConnectorSettings("ups", ups.CREDENTIALS, base_url=ups_api.url))
        await running.refresh()
        clock.advance_to(clock.now() + timedelta(hours=1))
        while await worker.run_once():
            pass
        [row] = await _rows(live)
        assert (row.package_status, row.latest_sync_status, row.sync_error) == ("InTransit", "Success", None)
        info = json.loads(row.source_data)
        assert info["providers"][0]["events"][0]["sub_status"] == "InTransit_CustomsReleased"
        assert "TRACKING_UPDATED" in [d.event for d in await stored.deliveries(live.store)]
        await running.save_health()
        [shown] = [r for r in (await service.list_connectors(live))[0] if r.spec.name == "ups"]
        assert shown.row is not None and shown.row.last_success_at is not None and shown.row.calls >= 1
        assert shown.waiting == 0
    finally:
        running.close()
        await worker.close()


async def test_running_processes_follow_the_table(
    live: Services, clock: FixedClock, ups_api: StandIn
) -> None:
    running = RunningConnectors(live.store, live.sources)
    try:
        await running.refresh()
        assert live.sources.connectors.for_carrier(100002) is None
        await service.add_connector(live, ConnectorSettings("ups", ups.CREDENTIALS, base_url=ups_api.url))
        await running.refresh()
        first = live.sources.connectors.for_carrier(100002)
        assert first is not None and live.sources.connectors.for_carrier(100398) is first
        await running.refresh()
        assert live.sources.connectors.for_carrier(100002) is first, "unchanged settings keep the connector"
        await service.add_connector(
            live, ConnectorSettings("ups", ups.CREDENTIALS, base_url=ups_api.url, test_mode=True)
        )
        await running.refresh()
        second = live.sources.connectors.for_carrier(100002)
        assert second is not None and second is not first and second.connection.test_mode
        await service.remove_connector(live, "ups")
        await running.refresh()
        assert live.sources.connectors.for_carrier(100002) is None
    finally:
        running.close()


async def test_a_test_fetch_charges_nothing_and_records_health(
    live: Services, clock: FixedClock, ups_api: StandIn
) -> None:
    await service.add_connector(live, ConnectorSettings("ups", ups.BAD_CREDENTIALS, base_url=ups_api.url))
    failed = await service.test_connector(live, "ups", ups.NUMBERS["in_transit"], None, clock.now())
    assert failed.result is None and "refused the credentials" in (failed.error or "")
    await service.add_connector(live, ConnectorSettings("ups", ups.CREDENTIALS, base_url=ups_api.url))
    found = await service.test_connector(live, "ups", ups.NUMBERS["in_transit"], None, clock.now())
    assert found.result is not None and found.result.providers[0].events
    [view] = [v for v in (await service.list_connectors(live))[0] if v.spec.name == "ups"]
    assert view.row is not None and (view.row.calls, view.row.failures) == (2, 1)
    assert "refused the credentials" in (view.row.last_error or "")
    assert await _rows(live) == []


async def test_real_time_tracking_fetches_through_the_connector(
    live: Services, clock: FixedClock, ups_api: StandIn
) -> None:
    """getRealTimeTrackInfo in live mode: the connector answers, 1 quota; a carrier refusing
    the credentials gives -18019816 and costs nothing."""
    from parceltrace.runtime.server import create_app
    from tests.conftest import Api, app_client

    _, key = await create_account(live, "shop", AccountSettings(rate_limit=0))
    running = RunningConnectors(live.store, live.sources)
    await service.add_connector(live, ConnectorSettings("ups", ups.CREDENTIALS, base_url=ups_api.url))
    await running.refresh()
    try:
        async with app_client(create_app(live)) as http:
            api = Api(http, key)
            answer = await api.call(
                "getRealTimeTrackInfo", [{"number": ups.NUMBERS["in_transit"], "carrier": 100002}]
            )
            [item] = answer["data"]["accepted"]
            assert item["track_info"]["latest_status"]["status"] == "InTransit"
            assert (await api.call("getquota", []))["data"]["quota_used"] == 1
            missing = await api.call(
                "getRealTimeTrackInfo", [{"number": ups.NUMBERS["rate_limited"], "carrier": 100002}]
            )
            assert missing["data"]["rejected"][0]["error"]["code"] == -18019816
            assert (await api.call("getquota", []))["data"]["quota_used"] == 1
    finally:
        running.close()


async def test_live_mode_polls_two_batches_side_by_side_each_row_once(
    live: Services, clock: FixedClock, ups_api: StandIn
) -> None:
    """A live batch waits on the carrier; the worker keeps a second one in flight (its lanes
    claim different rows), and the sandbox, which answers at once, keeps to one."""
    account = await _account(live)
    await service.add_connector(live, ConnectorSettings("ups", ups.CREDENTIALS, base_url=ups_api.url))
    running = RunningConnectors(live.store, live.sources)
    await running.refresh()
    numbers = [ups.NUMBERS[s] for s in ("delivered", "in_transit", "exception", "not_found")]
    try:
        await register(live, account, [RegisterItem(number=n, carrier=100002) for n in numbers])
        worker = Worker(live, owner="w", batch_size=2)
        assert await worker.run_once() == 4  # one step: both lanes' batches
        assert await worker.run_once() == 0
        assert all(row.poll_count == 1 for row in await _rows(live))
        asked = [a.path.rsplit("/", 1)[-1] for a in ups_api.asked if "/details/" in a.path]
        assert sorted(asked) == sorted(numbers)
        assert len(Worker(Services(live.store, clock), owner="s", batch_size=2).pollers) == 1
    finally:
        running.close()
