"""australiapost: what parceltrace makes of its real answers (`samples/`, see `SOURCES.md` there)."""

from __future__ import annotations

from parceltrace.tracking.derive import derive_track_info
from tests.sources.connectors.replay import NOW, events_of, one


async def test_australia_post_each_event_keeps_its_own_seconds() -> None:
    """ "Shipping information received" at 13:31:07 and "approved" at 13:31:54, the same minute:
    the received one was shown at 13:31:54, seconds taken from the other record."""
    result = await one("australiapost", "karrio_tracking.json", "00123456789000123400")
    times = {text: time for text, time, _ in events_of(result)}
    assert times["Shipping information received by Australia Post"] == "2021-01-27T13:31:07+11:00"
    assert times["Shipping information approved by Australia Post"] == "2021-01-27T13:31:54+11:00"
    assert times["Delivered"] == "2021-02-02T07:38:56+11:00"


async def test_australia_post_a_consignments_events_are_read() -> None:
    """Consignment ET123456789AU holds its article's 8 events under `trackable_items[].items[]`;
    karrio's parser skips them (the parcel was not found)."""
    result = await one("australiapost", "karrio_tracking.json", "ET123456789AU")
    events = events_of(result)
    assert len(events) == 8
    assert events[0][:2] == ("Processed by air carrier", "2021-02-03T08:08:00+11:00")
    assert derive_track_info(result, NOW, None, None).latest_status.status == "InTransit"


async def test_a_batch_answer_about_other_numbers_is_not_given_to_the_one_asked() -> None:
    """The Australia Post answer (a batch carrier) asked for a number it does not contain: its
    three records are about other numbers, so the number asked is not found."""
    result = await one("australiapost", "karrio_tracking.json", "7XX1000634011427")
    assert events_of(result) == []
    assert derive_track_info(result, NOW, None, None).latest_status.status == "NotFound"
