"""Every connector against a stand-in of its carrier's API (answers written from the carrier's
public documentation): a delivered journey, in transit, an exception, not found, refused
credentials, rate limited, malformed. karrio does the carrier's protocol; these tests check
what parceltrace makes of it."""

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


def test_every_catalogued_carrier_has_a_stand_in() -> None:
    for name in CARRIERS:
        module = fake(name)
        assert set(module.NUMBERS) == {
            "delivered",
            "in_transit",
            "exception",
            "not_found",
            "rate_limited",
            "malformed",
        }
        assert module.EXPECTED["delivered"]


@pytest.mark.parametrize("name", CARRIERS)
async def test_a_delivered_journey(name: str) -> None:
    module = fake(name)
    result = await fetch(name, module.NUMBERS["delivered"])
    info = derive_track_info(result, NOW, None, None)
    expected = module.EXPECTED["delivered"]
    assert info.latest_status.status == MainStatus.DELIVERED
    assert info.latest_status.sub_status == expected["sub_status"]
    events = info.tracking.providers[0].events
    assert len(events) == expected["events"]
    times = [event.time_utc for event in events]
    assert times == sorted(times, reverse=True), "events are newest first"
    assert all(event.time_iso and event.time_iso[-6] in "+-" for event in events), "every time has an offset"
    assert events[0].time_iso == expected["latest_time_iso"]
    assert events[0].time_raw.timezone == expected["latest_timezone"]
    assert [event.sub_status for event in reversed(events)] == expected["sub_statuses"]
    assert result.carrier_codes[0] == expected["codes"]
    for field in ("signed_by",):
        if field in expected:
            assert getattr(result, field) == expected[field]
    if "weight_kg" in expected:
        assert result.misc_info.weight_kg == expected["weight_kg"]
    if "countries" in expected:
        assert (
            result.shipping_info.shipper_address.country,
            result.shipping_info.recipient_address.country,
        ) == expected["countries"]
    assert info.tracking.providers[0].provider.key == BY_NAME[name].carriers[0]
    assert info.tracking.providers[0].latest_sync_status == "Success"


@pytest.mark.parametrize("name", CARRIERS)
async def test_in_transit(name: str) -> None:
    module = fake(name)
    info = derive_track_info(await fetch(name, module.NUMBERS["in_transit"]), NOW, None, None)
    assert info.latest_status.status == MainStatus.IN_TRANSIT
    assert info.latest_status.sub_status == module.EXPECTED["in_transit"]["sub_status"]
    if "events" in module.EXPECTED["in_transit"]:  # steps still to come (DPD) are not events
        assert len(info.tracking.providers[0].events) == module.EXPECTED["in_transit"]["events"]


@pytest.mark.parametrize("name", CARRIERS)
async def test_an_exception(name: str) -> None:
    module = fake(name)
    info = derive_track_info(await fetch(name, module.NUMBERS["exception"]), NOW, None, None)
    assert info.latest_status.status in (MainStatus.EXCEPTION, MainStatus.DELIVERY_FAILURE)
    assert info.latest_status.sub_status == module.EXPECTED["exception"]["sub_status"]


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
