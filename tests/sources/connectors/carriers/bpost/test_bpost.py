"""bpost: what parceltrace makes of its real answers (`samples/`, see `SOURCES.md` there)."""

from __future__ import annotations

from parceltrace.tracking.derive import derive_track_info
from tests.sources.connectors.replay import NOW, events_of, one


async def test_bpost_a_parcel_on_its_delivery_round_is_out_for_delivery() -> None:
    """bpost: T00 "Sorted - sorted_out", L00 "BoundToRound - out_for_distribution", U01
    "DistributedNormally - regular". L00 was read as an exception (karrio calls it on_hold)."""
    result = await one("bpost", "karrio_tracking_delivered.xml")
    by_text = {e.description: e for e in result.providers[0].events}
    assert by_text["BoundToRound - out_for_distribution"].sub_status == "OutForDelivery_Other"
    assert by_text["DistributedNormally - regular"].sub_status == "Delivered_Other"
    assert by_text["Sorted - sorted_out"].sub_status.startswith("InTransit")
    # the seconds each record carries, each with its own offset (none borrowed from another)
    assert sorted(t for _, t, _ in events_of(result) if t) == [
        "2012-11-22T23:19:29+01:00",
        "2012-11-23T07:11:18+01:00",
        "2012-11-23T09:31:07+01:00",
    ]
    info = derive_track_info(result, NOW, None, None)
    assert (info.latest_status.status, info.latest_status.sub_status) == ("Delivered", "Delivered_Other")
