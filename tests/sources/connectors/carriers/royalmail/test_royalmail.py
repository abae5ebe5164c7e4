"""royalmail: what parceltrace makes of its real answers (`samples/`, see `SOURCES.md` there)."""

from __future__ import annotations

from parceltrace.tracking.derive import derive_track_info
from tests.sources.connectors.replay import NOW, events_of, one


async def test_royal_mail_a_mis_sort_is_in_transit_not_a_pick_up() -> None:
    """Royal Mail's recorded answer for FQ087430672GB ends with EVNMI "Forwarded - Mis-sort"
    ("It's being redirected", statusCategory IN TRANSIT). The stand-in had invented EVNMI as a
    pick-up; the answer was also lost (its record names the mail piece ID, not the barcode)."""
    result = await one("royalmail", "karrio_tracking.json")
    by_text = {text: sub for text, _, sub in events_of(result)}
    assert by_text["Forwarded - Mis-sort"] == "InTransit_Other"
    info = derive_track_info(result, NOW, None, None)
    assert info.latest_status.sub_status == "InTransit_Other"
