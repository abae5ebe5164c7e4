"""tnt: what parceltrace makes of its real answers (`samples/`, see `SOURCES.md` there)."""

from __future__ import annotations

from tests.sources.connectors.replay import one


async def test_tnt_a_consignment_number_given_twice_keeps_the_newer_shipment() -> None:
    """TNT's recorded answer lists 123456782 twice: a shipment delivered in 2021-02-18 and an
    older one of 2021-02-04. The newer is the parcel; its texts come without CDATA padding."""
    result = await one("tnt", "karrio_tracking.xml", "123456782")
    events = result.providers[0].events
    assert events[0].description == "Shipment Delivered In Good Condition."
    assert events[0].time_raw.date == "2021-02-18"
    assert events[0].location == "PNA- Pamplona"  # karrio joins depot code and name
