"""gls: what parceltrace makes of its real answers (`samples/`, see `SOURCES.md` there)."""

from __future__ import annotations

from tests.sources.connectors.replay import events_of, one


async def test_gls_codes_under_a_group_prefix_are_read() -> None:
    """GLS's recorded answer writes its codes as `INTIAL.PREADVICE`, `INTIAL.NORMAL`: the
    pre-advice was not found in the table (InTransit_Other instead of InfoReceived)."""
    result = await one("gls", "karrio_tracking.json")
    by_text = {text: sub for text, _, sub in events_of(result)}
    assert by_text["The parcel data was entered into the GLS IT system."] == "InfoReceived"
    assert by_text["The parcel was handed over to GLS."] == "InTransit_PickedUp"
