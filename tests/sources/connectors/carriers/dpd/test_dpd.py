"""dpd: what parceltrace makes of its real answers (`samples/`, see `SOURCES.md` there)."""

from __future__ import annotations

from tests.sources.connectors.replay import events_of, one


async def test_dpd_life_cycle_codes_of_a_real_answer_are_known() -> None:
    """DPD's recorded answer uses PickedUp, Depot, BetweenDepots, Courier, ParcelShop,
    DeliveryFailure, ReturningFromDelivery; the table knew the last four only (its ACCEPTED,
    ATSENDINGDEPOT, ONTHEROAD, ATDELIVERYDEPOT appear in no answer)."""
    result = await one("dpd", "karrio_tracking.xml")
    by_text = {text: sub for text, _, sub in events_of(result)}
    assert by_text["At parcel delivery centre."] == "InTransit_Arrival"
    assert by_text["The parcel is at the parcel dispatch centre."] == "InTransit_Other"
    assert by_text["DPD has received your parcel."] == "InTransit_PickedUp"
    assert result.unmapped == []
