"""fedex: what parceltrace makes of its real answers (`samples/`, see `SOURCES.md` there)."""

from __future__ import annotations

import re
from pathlib import Path

from parceltrace.tracking.derive import derive_track_info
from tests.sources.connectors.replay import NOW, events_of, one

SAMPLES = Path(__file__).parent / "samples"


async def test_fedex_customer_not_available_is_no_one_home() -> None:
    """A recorded FedEx answer: DE "Customer not available or business closed" is a delivery
    failure because no one was there (DeliveryFailure_NoBody), not just any failure."""
    result = await one("fedex", "karrio_delivered_after_failed_attempt.json")
    by_text = {text: sub for text, _, sub in events_of(result)}
    assert by_text["Customer not available or business closed"] == "DeliveryFailure_NoBody"
    assert derive_track_info(result, NOW, None, None).latest_status.status == "Delivered"


def offsets_removed(text: str) -> bytes:
    """A derived sample: every timestamp's UTC offset taken away (`...T12:41:57-04:00` ->
    `...T12:41:57`), as carriers that give local times only answer."""
    return re.sub(r'(\d{2}:\d{2}:\d{2})[+-]\d{2}:\d{2}"', r'\1"', text).encode()


async def test_times_without_an_offset_are_read_in_the_zone_of_the_events_place() -> None:
    """Derived from FedEx's karrio_ground_delivered.json with every offset removed: the scans
    in Iowa and Minnesota are Central time, those in Ohio, New Jersey and New York Eastern, as
    the real answer's own offsets say; they were all read in FedEx's headquarters zone."""
    path = SAMPLES / "karrio_ground_delivered.json"
    real = await one("fedex", "karrio_ground_delivered.json")
    derived = await one("fedex", "karrio_ground_delivered.json", body=offsets_removed(path.read_text()))
    real_events = [e for p in real.providers for e in p.events if e.address.state]
    derived_events = [e for p in derived.providers for e in p.events if e.address.state]
    # the pick-up scan has no offset even in the real answer: FedEx's dateAndTimes give its
    # day as -06:00, winter time in August, the inconsistency karrio's test is named after
    assert [e.time_iso for e in derived_events if e.description != "Picked up"] == [
        e.time_iso for e in real_events if e.description != "Picked up"
    ]
    [pick_up] = [e for e in derived_events if e.description == "Picked up"]
    assert pick_up.time_iso == "2024-08-15T00:00:00-05:00"  # Mankato, MN in summer
    assert {e.time_raw.timezone for e in derived_events} == {None}  # the zone is ours, not FedEx's
    assert {e.address.state for e in derived_events} >= {"IA", "MN", "OH", "NJ", "NY"}
