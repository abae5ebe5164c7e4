"""How the connector source behaves around the carrier: calls in a bounded thread pool (the event
loop keeps turning), batches for carriers that take several numbers, the carrier's pace, a pause
after trouble, and both carriers' events for a shipment that changes hands."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime
from typing import Any

import pytest

from parceltrace.sources.base import SourceError, TrackingRef
from parceltrace.sources.connectors.calls import Connection
from parceltrace.sources.connectors.catalog import BY_NAME, Pace
from parceltrace.sources.connectors.source import CarrierConnector, ConnectorSource
from tests.sources.connectors.carriers.dhl_universal import standin as dhl_universal
from tests.sources.connectors.carriers.fedex import standin as fedex
from tests.sources.connectors.carriers.laposte import standin as laposte
from tests.sources.connectors.carriers.usps import standin as usps
from tests.sources.connectors.standin import standing_in

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def ref(number: str, carrier: int, final: int = 0) -> TrackingRef:
    return TrackingRef(number, carrier, final, None, NOW)


async def test_the_event_loop_keeps_turning_while_carriers_answer() -> None:
    """40 fetches against a carrier that answers after 500 ms: the loop's longest stall stays
    below 0.4 of an answer (the calls wait in threads, not in the loop; a call waiting in the
    loop would stall it a whole answer, 500 ms or more). Under a loaded machine's scheduling,
    stalls of 50-125 ms were seen, and once (stop 25) one over 250 ms, hence the margin."""
    with standing_in(dhl_universal.respond, delay=0.5) as stand_in:
        connector = CarrierConnector(
            BY_NAME["dhl_universal"],
            Connection("dhl_universal", dhl_universal.CREDENTIALS, stand_in.url),
            pace=Pace(1000, 1),
            threads=40,
        )
        source = ConnectorSource({7041: connector})
        await source.fetch(
            ref(dhl_universal.NUMBERS["delivered"], 7041), NOW
        )  # karrio loads its plugins once
        stalls: list[float] = []
        running = True

        async def ticker() -> None:
            last = time.perf_counter()
            while running:
                await asyncio.sleep(0.005)
                now = time.perf_counter()
                stalls.append(now - last - 0.005)
                last = now

        tick = asyncio.create_task(ticker())
        started = time.perf_counter()
        results = await asyncio.gather(
            *(source.fetch(ref(dhl_universal.NUMBERS["delivered"], 7041), NOW) for _ in range(40))
        )
        elapsed = time.perf_counter() - started
        running = False
        await tick
        connector.close()
    assert all(r.providers[0].events for r in results)
    assert elapsed < 0.5 * 40 / 4, "the 40 calls ran concurrently"
    assert max(stalls) < 0.4, f"the loop stalled {max(stalls) * 1000:.0f} ms"


async def test_numbers_share_a_call_where_the_carrier_takes_several() -> None:
    with standing_in(fedex.respond) as stand_in:
        connector = CarrierConnector(
            BY_NAME["fedex"], Connection("fedex", fedex.CREDENTIALS, stand_in.url), pace=Pace(1000, 1)
        )
        source = ConnectorSource({100003: connector})
        numbers = [fedex.NUMBERS[s] for s in ("delivered", "in_transit", "exception", "not_found")]
        results = await asyncio.gather(*(source.fetch(ref(n, 100003), NOW) for n in numbers))
        connector.close()
    assert stand_in.paths().count("/track/v1/trackingnumbers") == 1
    assert [len(r.providers[0].events) for r in results] == [17, 13, 3, 0]


async def test_the_carriers_pace_is_kept() -> None:
    """Two calls a second: the third waits for the window, the calls are spread out."""
    with standing_in(dhl_universal.respond) as stand_in:
        connector = CarrierConnector(
            BY_NAME["dhl_universal"],
            Connection("dhl_universal", dhl_universal.CREDENTIALS, stand_in.url),
            pace=Pace(2, 1),
        )
        source = ConnectorSource({7041: connector})
        started = time.perf_counter()
        await asyncio.gather(
            *(source.fetch(ref(dhl_universal.NUMBERS["delivered"], 7041), NOW) for _ in range(3))
        )
        elapsed = time.perf_counter() - started
        connector.close()
    assert len(stand_in.asked) == 3
    assert elapsed >= 0.9


async def test_a_pace_used_up_for_long_fails_fast_and_is_retried_later(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from parceltrace.sources.connectors import source as source_module

    monkeypatch.setattr(source_module, "MAX_PACE_WAIT", 0.2)
    with standing_in(usps.respond) as stand_in:
        connector = CarrierConnector(
            BY_NAME["usps"], Connection("usps", usps.CREDENTIALS, stand_in.url), pace=Pace(1, 3600)
        )
        source = ConnectorSource({21051: connector})
        await source.fetch(ref(usps.NUMBERS["delivered"], 21051), NOW)
        with pytest.raises(SourceError, match=r"rate limit \(1/3600s calls\) is used up"):
            await source.fetch(ref(usps.NUMBERS["in_transit"], 21051), NOW)
        connector.close()
    assert [a.path for a in stand_in.asked].count(f"/tracking/v3/tracking/{usps.NUMBERS['in_transit']}") == 0


async def test_after_a_429_the_carrier_is_left_alone_for_a_while() -> None:
    with standing_in(dhl_universal.respond) as stand_in:
        connector = CarrierConnector(
            BY_NAME["dhl_universal"],
            Connection("dhl_universal", dhl_universal.CREDENTIALS, stand_in.url),
            pace=Pace(1000, 1),
        )
        source = ConnectorSource({7041: connector})
        with pytest.raises(SourceError, match="rate limit was hit"):
            await source.fetch(ref(dhl_universal.NUMBERS["rate_limited"], 7041), NOW)
        asked = len(stand_in.asked)
        with pytest.raises(SourceError, match=r"paused for (2\d|30) s"):
            await source.fetch(ref(dhl_universal.NUMBERS["delivered"], 7041), NOW)
        assert len(stand_in.asked) == asked, "nothing was sent while paused"
        assert connector.health.failures == 1 and "429" in (connector.health.last_error or "")
        connector.close()


async def test_refused_credentials_pause_the_connector_and_say_so() -> None:
    with standing_in(laposte.respond) as stand_in:
        connector = CarrierConnector(
            BY_NAME["laposte"],
            Connection("laposte", laposte.BAD_CREDENTIALS, stand_in.url),
            pace=Pace(1000, 1),
        )
        source = ConnectorSource({6051: connector})
        with pytest.raises(SourceError, match="refused the credentials"):
            await source.fetch(ref(laposte.NUMBERS["delivered"], 6051), NOW)
        with pytest.raises(SourceError, match="paused"):
            await source.fetch(ref(laposte.NUMBERS["delivered"], 6051), NOW)
        connector.close()


async def test_a_carrier_that_does_not_answer_is_a_failure_not_a_hang(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from parceltrace.sources.connectors import transport

    monkeypatch.setattr(transport, "HTTP_TIMEOUT", 0.3)
    with standing_in(dhl_universal.respond, delay=1.0) as stand_in:
        connector = CarrierConnector(
            BY_NAME["dhl_universal"],
            Connection("dhl_universal", dhl_universal.CREDENTIALS, stand_in.url),
            pace=Pace(1000, 1),
        )
        with pytest.raises(SourceError, match="did not answer in time"):
            await ConnectorSource({7041: connector}).fetch(ref(dhl_universal.NUMBERS["delivered"], 7041), NOW)
        connector.close()


async def test_a_carrier_nobody_listens_for_is_unreachable() -> None:
    with standing_in(dhl_universal.respond) as stand_in:
        url = stand_in.url
    connector = CarrierConnector(
        BY_NAME["dhl_universal"],
        Connection("dhl_universal", dhl_universal.CREDENTIALS, url),
        pace=Pace(1000, 1),
    )
    with pytest.raises(SourceError, match="could not be reached"):
        await ConnectorSource({7041: connector}).fetch(ref(dhl_universal.NUMBERS["delivered"], 7041), NOW)
    connector.close()


async def test_a_shipment_that_changes_hands_has_both_carriers_events() -> None:
    """A Colissimo parcel handed to DHL Paket: both connectors answer, the final carrier first."""
    with standing_in(laposte.respond) as origin_api, standing_in(dhl_universal.respond) as final_api:
        origin = CarrierConnector(
            BY_NAME["laposte"], Connection("laposte", laposte.CREDENTIALS, origin_api.url), pace=Pace(1000, 1)
        )
        final = CarrierConnector(
            BY_NAME["dhl_universal"],
            Connection("dhl_universal", dhl_universal.CREDENTIALS, final_api.url),
            pace=Pace(1000, 1),
        )
        source = ConnectorSource({6051: origin, 7041: final})
        number = laposte.NUMBERS["in_transit"]
        dhl_universal.JOURNEYS[number] = dhl_universal.JOURNEYS["delivered"]
        dhl_universal.NUMBERS[number] = number
        try:
            result = await source.fetch(ref(number, 6051, final=7041), NOW)
        finally:
            del dhl_universal.JOURNEYS[number], dhl_universal.NUMBERS[number]
        origin.close()
        final.close()
    assert [p.provider.key for p in result.providers] == [7041, 6051]
    assert [len(p.events) for p in result.providers] == [1, 6]
    assert (result.misc_info.local_key, result.misc_info.local_provider) == (7041, "DHL Paket")


def test_without_karrio_the_server_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins

    from parceltrace.sources.connectors import calls

    real_import = builtins.__import__

    def no_karrio(name: str, *args: object, **kwargs: object) -> object:
        if name.startswith("karrio"):
            raise ImportError(name)
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(builtins, "__import__", no_karrio)
    assert not calls.karrio_installed()
    with pytest.raises(calls.KarrioMissing, match=r"pip install 'parceltrace\[carriers\]'"):
        calls.credential_fields("ups")


async def test_a_long_lived_connector_keeps_no_record_of_past_calls() -> None:
    """karrio's default tracer keeps every request and answer of a gateway for its whole life
    (8.5 MiB per 1,000 DHL polls, measured): a server polling for weeks would grow without end."""
    with standing_in(dhl_universal.respond) as stand_in:
        connector = CarrierConnector(
            BY_NAME["dhl_universal"],
            Connection("dhl_universal", dhl_universal.CREDENTIALS, stand_in.url),
            pace=Pace(1000, 1),
        )
        source = ConnectorSource({7041: connector})
        for _ in range(5):
            await source.fetch(ref(dhl_universal.NUMBERS["delivered"], 7041), NOW)
        tracer = connector._gateway.settings.tracer
        connector.close()
    assert not tracer.inner_recordings
    assert not tracer.records


@pytest.mark.parametrize("drops_idle_connections", [False, True])
async def test_calls_keep_their_connection_to_the_carrier(drops_idle_connections: bool) -> None:
    """One connection for one-by-one calls (a real carrier would otherwise see a TCP and TLS
    handshake per number); a carrier that closes kept connections without saying so is simply
    asked again on a new one."""
    with standing_in(dhl_universal.respond, drop_connections=drops_idle_connections) as stand_in:
        connector = CarrierConnector(
            BY_NAME["dhl_universal"],
            Connection("dhl_universal", dhl_universal.CREDENTIALS, stand_in.url),
            pace=Pace(1000, 1),
        )
        source = ConnectorSource({7041: connector})
        for _ in range(5):
            result = await source.fetch(ref(dhl_universal.NUMBERS["delivered"], 7041), NOW)
            assert result.providers[0].events
        connector.close()
    peers = {asked.peer for asked in stand_in.asked}
    assert len(stand_in.asked) == 5
    assert len(peers) == (5 if drops_idle_connections else 1)


async def test_an_answer_over_the_cap_is_a_failure_not_stored_whole() -> None:
    """A carrier answering 5 MiB (La Poste's documented answer, padded) gets a failure that says
    so; nothing past MAX_ANSWER is read, and the next, normal answer is read as usual."""
    from parceltrace.sources.connectors.transport import MAX_ANSWER
    from tests.sources.connectors.standin import Reply

    def padded(asked: Any) -> Any:
        normal = laposte.respond(asked)
        if laposte.NUMBERS["in_transit"] in asked.path:
            return normal
        body = normal.body if isinstance(normal.body, bytes) else normal.body.encode()
        return Reply(
            200, body[:-1] + b', "padding": "' + b"x" * (MAX_ANSWER + 1024) + b'"}', "application/json"
        )

    with standing_in(padded) as stand_in:
        connector = CarrierConnector(
            BY_NAME["laposte"], Connection("laposte", laposte.CREDENTIALS, stand_in.url), pace=Pace(1000, 1)
        )
        source = ConnectorSource({6051: connector})
        with pytest.raises(SourceError, match="could not be read: the answer is over 4 MiB"):
            await source.fetch(ref(laposte.NUMBERS["delivered"], 6051), NOW)
        result = await source.fetch(ref(laposte.NUMBERS["in_transit"], 6051), NOW)
        assert result.providers
        connector.close()
