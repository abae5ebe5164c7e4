"""Webhooks end to end: a real receiver, both signatures, retries on the virtual clock."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta
from typing import Any

from standardwebhooks.webhooks import Webhook

from parceltrace.clock import FixedClock
from parceltrace.service.accounts import webhook_secret
from parceltrace.service.context import Services
from parceltrace.store.records import AttemptLogEntry
from parceltrace.worker.runner import Worker
from tests import stored
from tests.conftest import Api, NewKey, Poll
from tests.webhooks.receiver import receiving

NUMBER = "SANDBOX-Delivered-Other-1"


async def account(client: Any, new_key: NewKey, url: str, name: str = "hooked") -> Api:
    return Api(client, await new_key(name, webhook_url=url))


async def test_first_push_is_signed_both_ways(
    client: Any, new_key: NewKey, services: Services, poll: Poll
) -> None:
    async with receiving() as receiver:
        api = await account(client, new_key, receiver.url)
        await api.call("register", [{"number": NUMBER, "tag": "order-1"}])
        await poll()
        assert len(receiver.received) == 1
    push = receiver.received[0]
    body = json.loads(push.body)
    assert body["event"] == "TRACKING_UPDATED"
    assert list(body["data"]) == ["number", "carrier", "param", "tag", "track_info"]
    assert (body["data"]["number"], body["data"]["carrier"], body["data"]["tag"]) == (
        NUMBER.upper(),
        999001,
        "order-1",
    )
    assert body["data"]["track_info"]["latest_status"]["status"] == "InfoReceived"
    assert push.headers["sign"] == hashlib.sha256(push.body + b"/" + api.key.encode()).hexdigest()
    secret = await webhook_secret(services, "hooked")
    Webhook(secret).verify(push.body, push.headers)  # raises if the signature is wrong
    assert push.headers["webhook-id"].startswith("msg_")
    listing = (await api.call("gettracklist", {}))["data"]["accepted"][0]
    assert (listing["push_status"], listing["push_status_code"]) == ("Success", 200)


async def attempts(services: Services) -> list[AttemptLogEntry]:
    return await stored.attempts(services.store)


async def test_retries_after_600_1800_3600_then_gives_up(
    client: Any, new_key: NewKey, services: Services, worker: Worker, clock: FixedClock, poll: Poll
) -> None:
    async with receiving([500]) as receiver:
        api = await account(client, new_key, receiver.url)
        await api.call("register", [{"number": "SANDBOX-InfoReceived-3"}])
        start = clock.now()
        await poll()
        await worker.advance(clock, start + timedelta(hours=3))
        ids = {r.headers["webhook-id"] for r in receiver.received}
    made = await attempts(services)
    assert [a.attempted_at - start for a in made] == [
        timedelta(0),
        timedelta(seconds=600),
        timedelta(seconds=2400),
        timedelta(seconds=6000),
    ]
    assert len(receiver.received) == 4 and len(ids) == 1  # one message, four attempts
    assert [a.status_code for a in made] == [500] * 4
    assert [d.state for d in await stored.deliveries(services.store)] == ["failed"]
    listing = (await api.call("gettracklist", {"push_status": "Failure"}))["data"]["accepted"]
    assert listing[0]["push_status_code"] == 500


async def test_receiver_down_then_back(
    client: Any, new_key: NewKey, services: Services, worker: Worker, clock: FixedClock, poll: Poll
) -> None:
    async with receiving([503, 503, 200]) as receiver:
        api = await account(client, new_key, receiver.url)
        await api.call("register", [{"number": "SANDBOX-InfoReceived-3"}])
        start = clock.now()
        await poll()
        await worker.advance(clock, start + timedelta(hours=2))
    assert [a.status_code for a in await attempts(services)] == [503, 503, 200]
    bodies = {r.body for r in receiver.received}
    assert len(bodies) == 1  # every attempt sends the very same bytes
    listing = (await api.call("gettracklist", {"push_status": "Success"}))["data"]["accepted"]
    assert listing[0]["push_time"] == (start + timedelta(seconds=2400)).strftime("%Y-%m-%dT%H:%M:%SZ")


async def test_each_change_is_pushed_in_order_and_stop_by_expiry_too(
    client: Any, new_key: NewKey, worker: Worker, clock: FixedClock
) -> None:
    async with receiving() as receiver:
        api = await account(client, new_key, receiver.url)
        await api.call("register", [{"number": NUMBER}])
        await worker.advance(clock, clock.now() + timedelta(days=40))
    events = [json.loads(r.body) for r in receiver.received]
    kinds = [e["event"] for e in events]
    assert kinds[-1] == "TRACKING_STOPPED" and kinds.count("TRACKING_STOPPED") == 1
    statuses = [e["data"]["track_info"]["latest_status"]["sub_status"] for e in events[:-1]]
    assert statuses[0] == "InfoReceived" and statuses[-1] == "Delivered_Other"
    times = [e["data"]["track_info"]["latest_event"]["time_utc"] for e in events[:-1]]
    assert times == sorted(times) and len(set(times)) == len(times)  # one push per change, in order
    assert events[-1]["data"] == {"number": NUMBER.upper(), "carrier": 999001, "param": None, "tag": ""}


async def test_no_stop_push_when_stopped_by_request(client: Any, new_key: NewKey, poll: Poll) -> None:
    async with receiving() as receiver:
        api = await account(client, new_key, receiver.url)
        await api.call("register", [{"number": NUMBER}])
        await poll()
        await api.call("stoptrack", [{"number": NUMBER}])
        await poll()
    assert [json.loads(r.body)["event"] for r in receiver.received] == ["TRACKING_UPDATED"]


async def test_push_endpoint_queues_the_current_info(client: Any, new_key: NewKey, poll: Poll) -> None:
    async with receiving() as receiver:
        api = await account(client, new_key, receiver.url)
        await api.call("register", [{"number": NUMBER}])
        await poll()
        pushed = await api.call("push", [{"number": NUMBER}])
        assert pushed["data"]["accepted"] == [{"number": NUMBER.upper(), "carrier": 999001}]
        await poll()
    assert len(receiver.received) == 2
    first, second = (json.loads(r.body) for r in receiver.received)
    assert first["data"]["track_info"] == second["data"]["track_info"]
    assert receiver.received[0].headers["webhook-id"] != receiver.received[1].headers["webhook-id"]


async def test_a_newer_message_waits_behind_an_older_failing_one(
    client: Any, new_key: NewKey, services: Services, worker: Worker, clock: FixedClock, poll: Poll
) -> None:
    async with receiving([500, 200]) as receiver:
        api = await account(client, new_key, receiver.url)
        await api.call("register", [{"number": NUMBER}])
        start = clock.now()
        await poll()  # message 1 fails
        await api.call("push", [{"number": NUMBER}])
        await poll()  # message 2 must wait behind message 1
        assert len(receiver.received) == 1
        await worker.advance(clock, start + timedelta(seconds=601))
    ids = [r.headers["webhook-id"] for r in receiver.received]
    assert len(ids) == 3 and ids[0] == ids[1] != ids[2]


async def test_redirects_are_not_followed(
    client: Any, new_key: NewKey, services: Services, poll: Poll
) -> None:
    async with receiving([302]) as receiver:
        api = await account(client, new_key, receiver.url)
        await api.call("register", [{"number": NUMBER}])
        await poll()
    assert len(receiver.received) == 1
    [made] = await attempts(services)
    assert made.status_code == 302  # a redirect is an answer other than 200: a failed push
    listing = (await api.call("gettracklist", {}))["data"]["accepted"][0]
    assert (listing["push_status"], listing["push_status_code"]) == ("Failure", 302)
