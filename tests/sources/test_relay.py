"""The relay against a real upstream: a sandbox parceltrace app (its own store, clock and
worker) reached through the SDK over an in-process ASGI transport."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from parceltrace.client.async_client import AsyncClient
from parceltrace.clock import FixedClock
from parceltrace.protocol.errors import ErrorCode
from parceltrace.protocol.structs import NumberItem, RegisterItem
from parceltrace.runtime.server import create_app
from parceltrace.service import manage, queries
from parceltrace.service.accounts import AccountSettings, create_account, get_account
from parceltrace.service.context import Services
from parceltrace.service.register import register
from parceltrace.service.upstream import release_unneeded
from parceltrace.sources.relay import RelaySource, result_from_track_info
from parceltrace.store.engine import Store
from parceltrace.store.upstream import UpstreamRecords
from parceltrace.webhooks.payload import updated_body
from parceltrace.webhooks.signing import sign_17track
from parceltrace.worker.runner import Worker
from tests import stored
from tests.conftest import START, app_client

NUMBER = "RR123456789CN"


class CountingTransport(httpx.ASGITransport):
    def __init__(self, app: Any) -> None:
        super().__init__(app=app, client=("127.0.0.1", 40001))
        self.calls: list[tuple[str, int]] = []
        self.down = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("upstream is down", request=request)
        operation = request.url.path.rsplit("/", 1)[-1]
        body = request.content
        self.calls.append((operation, body.count(b'"number"')))
        return await super().handle_async_request(request)

    def operations(self) -> list[str]:
        return [operation for operation, _ in self.calls]


@dataclass
class Upstream:
    services: Services
    clock: FixedClock
    worker: Worker
    key: str
    transport: CountingTransport
    http: httpx.AsyncClient = field(init=False)

    async def call(self, operation: str, body: Any) -> Any:
        response = await self.http.post(f"/track/v2.2/{operation}", json=body, headers={"17token": self.key})
        return response.json()

    async def play(self, days: int) -> None:
        for _ in range(days * 4):
            self.clock.advance_to(self.clock.now() + timedelta(hours=6))
            while await self.worker.run_once():
                pass

    async def quota_used(self) -> int:
        account = await get_account(self.services, "relay")
        assert account is not None
        return account.quota_used


@pytest.fixture
async def upstream(tmp_path: Path) -> AsyncIterator[Upstream]:
    store = Store(f"sqlite:///{tmp_path / 'upstream.db'}")
    await store.migrate()
    clock = FixedClock(START)
    services = Services(store, clock, sandbox=True)
    _, key = await create_account(services, "relay", AccountSettings(rate_limit=0, quota_total=100))
    app = create_app(services)
    found = Upstream(services, clock, Worker(services, owner="upstream"), key, CountingTransport(app))
    async with app_client(app) as http:
        found.http = http
        yield found
    await found.worker.close()
    await services.close()


@pytest.fixture
async def live(db_url: str, clock: FixedClock, upstream: Upstream) -> AsyncIterator[Services]:
    """A live-mode parceltrace whose source is the relay to `upstream`."""
    store = Store(db_url)
    await store.migrate()
    services = Services(store, clock, sandbox=False)
    client = AsyncClient(
        upstream.key, "http://upstream/track/v2.2", rate_limit=0, transport=upstream.transport
    )
    relay = RelaySource(
        UpstreamRecords(store), "http://upstream/track/v2.2", upstream.key, client=client, window=0.01
    )
    services.sources.relay = relay
    services.sources.default = relay
    yield services
    await services.close()


@pytest.fixture
async def local_worker(live: Services) -> AsyncIterator[Worker]:
    worker = Worker(live, owner="local")
    yield worker
    await worker.close()


async def poll_all(worker: Worker) -> int:
    total = 0
    while done := await worker.poller.poll_batch(worker.services.clock.now()):
        total += len(done)
    return total


async def accounts(live: Services, count: int) -> list[int]:
    ids = []
    for i in range(count):
        created, _ = await create_account(live, f"shop{i}", AccountSettings(rate_limit=0))
        ids.append(created.id)
    return ids


async def info(live: Services, account_id: int, number: str = NUMBER) -> Any:
    result = await queries.get_track_info(live, account_id, [NumberItem(number=number)])
    assert result["accepted"], result
    return result["accepted"][0]


async def listed(live: Services, account_id: int) -> Any:
    _, items = await queries.get_track_list(
        live, account_id, queries.TrackListQuery(), queries.track_list_item
    )
    return items


async def test_one_upstream_registration_serves_every_account(
    live: Services, clock: FixedClock, upstream: Upstream, local_worker: Worker
) -> None:
    shop_a, shop_b = await accounts(live, 2)
    for shop in (shop_a, shop_b):
        await register(live, shop, [RegisterItem(number=NUMBER)])
    assert await poll_all(local_worker) == 2
    assert upstream.transport.operations() == ["register", "gettrackinfo"]
    assert await upstream.quota_used() == 1
    await upstream.play(10)
    clock.advance_to(clock.now() + timedelta(days=1))
    assert await poll_all(local_worker) == 2
    truth = (await upstream.call("gettrackinfo", [{"number": NUMBER}]))["data"]["accepted"][0]
    events = [e for p in truth["track_info"]["tracking"]["providers"] for e in p["events"]]
    assert len(events) > 5
    for shop in (shop_a, shop_b):
        mine = await info(live, shop)
        assert mine.track_info.latest_status.status == truth["track_info"]["latest_status"]["status"]
        assert [e.description for p in mine.track_info.tracking.providers for e in p.events] == [
            e["description"] for e in events
        ]
        assert (await listed(live, shop))[0].track_time is not None
    assert upstream.transport.operations().count("register") == 1
    assert await upstream.quota_used() == 1


async def test_polls_are_batched_forty_numbers_a_call(
    live: Services, upstream: Upstream, local_worker: Worker
) -> None:
    (shop,) = await accounts(live, 1)
    numbers = [f"RR{i:09d}CN" for i in range(100)]
    for start in range(0, 100, 40):
        await register(
            live, shop, [RegisterItem(number=n, carrier=3011) for n in numbers[start : start + 40]]
        )
    assert await poll_all(local_worker) == 100
    assert sorted(upstream.transport.calls) == sorted(
        [
            *[("register", 40), ("register", 40), ("register", 20)],
            *[("gettrackinfo", 40), ("gettrackinfo", 40), ("gettrackinfo", 20)],
        ]
    )


async def test_an_upstream_failure_is_failure_never_a_lost_tracking(
    live: Services, clock: FixedClock, upstream: Upstream, local_worker: Worker
) -> None:
    (shop,) = await accounts(live, 1)
    await register(live, shop, [RegisterItem(number=NUMBER)])
    upstream.transport.down = True
    await poll_all(local_worker)
    row = (await listed(live, shop))[0]
    assert row.number == NUMBER and row.tracking_status == "Tracking"
    assert [t.latest_sync_status for t in await stored.trackings(live.store)] == ["Failure"]
    upstream.transport.down = False
    clock.advance_to(clock.now() + timedelta(hours=2))
    await poll_all(local_worker)  # registered upstream now
    assert [t.latest_sync_status for t in await stored.trackings(live.store)] == ["Success"]
    await upstream.play(3)
    clock.advance_to(clock.now() + timedelta(days=1))
    await poll_all(local_worker)
    assert (await info(live, shop)).track_info.latest_event is not None


async def test_upstream_refusal_is_a_failure(
    live: Services, upstream: Upstream, local_worker: Worker
) -> None:
    (shop,) = await accounts(live, 1)
    await register(live, shop, [RegisterItem(number=NUMBER)])
    async with upstream.services.store.write() as conn:
        from sqlalchemy import update

        from parceltrace.store.tables import accounts as account_table

        await conn.execute(update(account_table).values(quota_total=0))
    await poll_all(local_worker)
    [provider] = (await info(live, shop)).track_info.tracking.providers
    assert (provider.latest_sync_status, provider.events) == ("Failure", [])  # a failure, not "no record"
    assert await stored.upstream(live.store) == []


async def test_a_push_from_upstream_updates_every_account_at_once(
    live: Services, upstream: Upstream, local_worker: Worker
) -> None:
    shop_a, shop_b = await accounts(live, 2)
    for shop in (shop_a, shop_b):
        await register(live, shop, [RegisterItem(number=NUMBER)])
    await poll_all(local_worker)
    await upstream.play(10)
    truth = (await upstream.call("gettrackinfo", [{"number": NUMBER}]))["data"]["accepted"][0]
    body = updated_body(NUMBER, truth["carrier"], None, None, (await _track_info(upstream)))
    calls_before = len(upstream.transport.calls)
    async with app_client(create_app(live)) as http:
        forged = await http.post("/hooks/upstream", content=body, headers={"sign": "0" * 64})
        assert forged.status_code == 401
        assert forged.json()["data"]["errors"][0]["code"] == ErrorCode.INVALID_KEY
        junk = b'{"event": "SOMETHING"}'
        unreadable = await http.post(
            "/hooks/upstream", content=junk, headers={"sign": sign_17track(junk, upstream.key)}
        )
        assert unreadable.status_code == 400
        genuine = await http.post(
            "/hooks/upstream", content=body, headers={"sign": sign_17track(body, upstream.key)}
        )
        assert genuine.status_code == 200
        assert genuine.json() == {"code": 0, "data": {"trackings_due": 2}}
    assert await poll_all(local_worker) == 2  # due at once, without moving the local clock
    assert len(upstream.transport.calls) == calls_before  # served from the pushed result
    for shop in (shop_a, shop_b):
        assert (await info(live, shop)).track_info.latest_status.status == truth["track_info"][
            "latest_status"
        ]["status"]


async def _track_info(upstream: Upstream) -> Any:
    result = await queries.get_track_info(upstream.services, 1, [NumberItem(number=NUMBER)])
    return result["accepted"][0].track_info


async def test_hooks_upstream_is_absent_without_a_relay(services: Services) -> None:
    async with app_client(create_app(services)) as http:
        response = await http.post("/hooks/upstream", content=b"{}", headers={"sign": "x"})
    assert response.status_code == 404


async def test_release_when_no_account_needs_it(
    live: Services, clock: FixedClock, upstream: Upstream, local_worker: Worker
) -> None:
    shop_a, shop_b = await accounts(live, 2)
    for shop in (shop_a, shop_b):
        await register(live, shop, [RegisterItem(number=NUMBER)])
    await poll_all(local_worker)
    relay = live.sources.relay
    assert relay is not None

    async def upstream_status() -> Any:
        payload = await upstream.call("gettracklist", {})
        items = payload["data"]["accepted"]
        return items[0]["tracking_status"] if items else None

    await manage.stop_track(live, shop_a, [NumberItem(number=NUMBER)])
    assert await release_unneeded(live, relay, clock.now()) == (0, 0)  # shop B still tracks it
    assert await upstream_status() == "Tracking"
    await manage.delete_track(live, shop_b, [NumberItem(number=NUMBER)])
    assert await release_unneeded(live, relay, clock.now()) == (1, 0)  # only A's stopped one is left
    assert await upstream_status() == "Stopped"
    await manage.retrack(live, shop_a, [NumberItem(number=NUMBER)])
    await poll_all(local_worker)
    assert await upstream_status() == "Tracking"  # a local retrack retracks upstream
    await manage.delete_track(live, shop_a, [NumberItem(number=NUMBER)])
    assert await release_unneeded(live, relay, clock.now()) == (0, 1)
    assert await upstream_status() is None
    assert await release_unneeded(live, relay, clock.now()) == (0, 0)
    # registered again locally: registered again upstream (and charged there again)
    await register(live, shop_b, [RegisterItem(number=NUMBER)])
    await poll_all(local_worker)
    assert await upstream_status() == "Tracking"
    assert await upstream.quota_used() == 2


async def test_deleted_upstream_behind_our_back_is_registered_again(
    live: Services, clock: FixedClock, upstream: Upstream, local_worker: Worker
) -> None:
    (shop,) = await accounts(live, 1)
    await register(live, shop, [RegisterItem(number=NUMBER)])
    await poll_all(local_worker)
    await upstream.call("deletetrack", [{"number": NUMBER}])
    clock.advance_to(clock.now() + timedelta(hours=12))
    await poll_all(local_worker)
    clock.advance_to(clock.now() + timedelta(hours=12))
    await poll_all(local_worker)
    assert upstream.transport.operations().count("register") == 2
    payload = await upstream.call("gettracklist", {})
    assert [i["number"] for i in payload["data"]["accepted"]] == [NUMBER]


def test_result_from_track_info_keeps_the_carrier_report() -> None:
    import asyncio

    from parceltrace.sources.base import TrackingRef
    from parceltrace.sources.simulator import Simulator
    from parceltrace.tracking.derive import derive_track_info
    from parceltrace.tracking.model import SourceResult

    simulated: SourceResult = asyncio.run(
        Simulator().fetch(TrackingRef(NUMBER, 3011, 0, None, START), START + timedelta(days=9))
    )
    info = derive_track_info(simulated, START + timedelta(days=9), "CN", None, False)
    back = result_from_track_info(info)
    assert back.providers == info.tracking.providers
    assert back.shipping_info == info.shipping_info
    assert derive_track_info(back, START + timedelta(days=9), "CN", None, False) == info
