"""Every connector against a stand-in of its carrier's API: its journeys (delivered, in transit,
an exception) are the carrier's real answers or derived from them (`derive.Journey`), and its
protocol answers (not found, refused credentials, rate limited, malformed) follow the carrier's
documentation. karrio does the carrier's protocol; these tests check what parceltrace makes of
it."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime
from types import ModuleType

import pytest

from parceltrace.protocol.status import MainStatus
from parceltrace.sources.base import SourceError, TrackingRef
from parceltrace.sources.connectors.calls import Connection
from parceltrace.sources.connectors.catalog import BY_NAME, SPECS, Pace
from parceltrace.sources.connectors.source import CarrierConnector, ConnectorSource
from parceltrace.tracking.derive import derive_track_info
from parceltrace.tracking.model import SourceResult
from tests.sources.connectors.derive import Journey
from tests.sources.connectors.standin import standing_in

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
CARRIERS = [spec.name for spec in SPECS]


def fake(name: str) -> ModuleType:
    return importlib.import_module(f"tests.sources.connectors.carriers.{name}.standin")


async def fetch(name: str, number: str, credentials: dict[str, str] | None = None) -> SourceResult:
    module = fake(name)
    spec = BY_NAME[name]
    with standing_in(module.respond) as stand_in:
        connector = CarrierConnector(
            spec,
            Connection(name, credentials or module.CREDENTIALS, stand_in.url),
            pace=Pace(1000, 1),
            threads=4,
        )
        try:
            return await ConnectorSource({spec.carriers[0]: connector}).fetch(
                TrackingRef(number, spec.carriers[0], 0, None, NOW), NOW
            )
        finally:
            connector.close()


SCENARIOS = ("delivered", "in_transit", "exception")
MAIN_STATUSES = {
    "delivered": {MainStatus.DELIVERED, MainStatus.AVAILABLE_FOR_PICKUP},
    "in_transit": {MainStatus.IN_TRANSIT, MainStatus.INFO_RECEIVED},
    "exception": {MainStatus.EXCEPTION, MainStatus.DELIVERY_FAILURE},
}


def test_every_catalogued_carrier_has_a_stand_in_whose_journeys_are_real() -> None:
    """A stand-in answers a journey only with a real answer (or one derived from it, see
    `derive.Journey`); a state no real answer shows is named as missing, not invented."""
    for name in CARRIERS:
        module = fake(name)
        assert set(module.NUMBERS) == {*SCENARIOS, "not_found", "rate_limited", "malformed"}
        assert set(module.JOURNEYS) | set(module.MISSING) == set(SCENARIOS), name
        assert not set(module.JOURNEYS) & set(module.MISSING), name
        for journey in module.JOURNEYS.values():
            assert isinstance(journey, Journey) and journey.carrier == name and journey.expect


JOURNEYS = [(name, scenario) for name in CARRIERS for scenario in fake(name).JOURNEYS]


@pytest.mark.parametrize(("name", "scenario"), JOURNEYS)
async def test_a_journey_from_a_real_answer(name: str, scenario: str) -> None:
    module = fake(name)
    journey: Journey = module.JOURNEYS[scenario]
    result = await fetch(name, module.NUMBERS[scenario])
    info = derive_track_info(result, NOW, None, None)
    assert info.latest_status.sub_status == journey.expect
    assert info.latest_status.status in MAIN_STATUSES[scenario]
    events = info.tracking.providers[0].events
    assert events
    times = [event.time_utc for event in events]
    assert times == sorted(times, reverse=True), "events are newest first"
    assert all(event.time_iso and event.time_iso[-6] in "+-" for event in events), "every time has an offset"
    assert info.tracking.providers[0].provider.key == BY_NAME[name].carriers[0]
    assert info.tracking.providers[0].latest_sync_status == "Success"


@pytest.mark.parametrize("name", CARRIERS)
async def test_not_found_is_an_answer_not_a_failure(name: str) -> None:
    module = fake(name)
    result = await fetch(name, module.NUMBERS["not_found"])
    info = derive_track_info(result, NOW, None, None)
    assert info.latest_status.status == MainStatus.NOT_FOUND
    [provider] = info.tracking.providers
    assert (provider.provider.key, provider.events, provider.latest_sync_status) == (
        BY_NAME[name].carriers[0],
        [],
        "Success",
    )


@pytest.mark.parametrize("name", CARRIERS)
async def test_refused_credentials(name: str) -> None:
    module = fake(name)
    with pytest.raises(SourceError, match="refused the credentials"):
        await fetch(name, module.NUMBERS["delivered"], module.BAD_CREDENTIALS)


@pytest.mark.parametrize("name", CARRIERS)
async def test_rate_limited(name: str) -> None:
    with pytest.raises(SourceError, match="rate limit"):
        await fetch(name, fake(name).NUMBERS["rate_limited"])


@pytest.mark.parametrize("name", CARRIERS)
async def test_a_malformed_answer(name: str) -> None:
    with pytest.raises(SourceError, match="could not be read"):
        await fetch(name, fake(name).NUMBERS["malformed"])
