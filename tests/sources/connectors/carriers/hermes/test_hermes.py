"""hermes: what parceltrace makes of its real answers (`samples/`, see `SOURCES.md` there)."""

from __future__ import annotations

from tests.sources.connectors.replay import one


async def test_hermes_countries_are_two_letters() -> None:
    """Hermes writes ISO alpha-3 (DEU); 003's countries are two letters."""
    result = await one("hermes", "karrio_tracking.json")
    assert result.shipping_info.recipient_address.country == "DE"
    assert {(e.address.city, e.address.country) for e in result.providers[0].events} == {
        ("Hamburg", "DE"),
        ("Berlin", "DE"),
    }
