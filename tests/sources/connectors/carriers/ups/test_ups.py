"""ups: what parceltrace makes of its real answers (`samples/`, see `SOURCES.md` there)."""

from __future__ import annotations

from tests.sources.connectors.replay import one


async def test_ups_customs_release_is_in_transit_and_the_package_answers_the_inquiry() -> None:
    """UPS's published example: the inquiry 1Z023E2X0214323462 answered by one package whose
    own number is a placeholder ("string"). Its activity SR "released by the customs agency"
    is a customs release, not an exception; UPS answers one inquiry a call, so its package is
    that inquiry's (it was dropped as another number's: NotFound)."""
    result = await one("ups", "karrio_tracking.json")
    [event] = result.providers[0].events
    assert event.sub_status == "InTransit_CustomsReleased"
    assert (event.address.city, event.address.state, event.address.postal_code, event.address.country) == (
        "Wayne",
        "NJ",
        "07470",
        "US",
    )
