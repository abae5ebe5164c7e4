"""gls: what parceltrace makes of its real answers (`samples/`, see `SOURCES.md` there)."""

from __future__ import annotations

import pytest

from parceltrace.tracking.derive import derive_track_info
from parceltrace.tracking.model import SourceResult
from tests.sources.connectors.replay import NOW, events_of, one, replayed


async def test_gls_codes_under_a_group_prefix_are_read() -> None:
    """GLS's recorded answer writes its codes as `INTIAL.PREADVICE`, `INTIAL.NORMAL`: the
    pre-advice was not found in the table (InTransit_Other instead of InfoReceived)."""
    result = await one("gls", "karrio_tracking.json")
    by_text = {text: sub for text, _, sub in events_of(result)}
    assert by_text["The parcel data was entered into the GLS IT system."] == "InfoReceived"
    assert by_text["The parcel was handed over to GLS."] == "InTransit_PickedUp"


async def test_a_batch_with_an_unknown_parcel_gives_each_number_its_own_answer() -> None:
    """GLS's '200WithErrors' example: 42249018928 unknown (E_404_01), 36301917596 with two
    events in one minute. Each event keeps its own seconds (15:24:52, 15:24:51); the status
    time 15:24:57 was lent to the first."""
    unknown, known = await replayed("gls", "openapi_batch_with_an_unknown_parcel.json")
    assert isinstance(unknown, SourceResult) and isinstance(known, SourceResult)
    assert events_of(unknown) == []
    assert derive_track_info(unknown, NOW, None, None).latest_status.status == "NotFound"
    assert [(text, time) for text, time, _ in events_of(known)] == [
        ("The parcel was provided by the sender for collection by GLS.", "2024-10-11T15:24:52+02:00"),
        (
            "The parcel data was entered into the GLS IT system; the parcel was not yet handed over to GLS.",
            "2024-10-11T15:24:51+02:00",
        ),
    ]


@pytest.mark.parametrize("batched", [False, True])
async def test_a_reference_that_finds_two_parcels_tracks_the_newer_one(batched: bool) -> None:
    """GLS's '200Reference2Parcels' example: notification card 747N6K finds parcels
    93835330599 (handed over 06:50:22) and 93835330600 (06:48:46). Asked in a batch it was not
    found (the records name the parcels, not the card); alone, both parcels' records went to it.
    The answer's `requested` names the number asked; of two parcels the newer is tracked."""
    numbers = ("747N6K", "36301917596") if batched else ("747N6K",)
    results = await replayed("gls", "openapi_reference_two_parcels.json", numbers)
    card = results[0]
    assert isinstance(card, SourceResult)
    assert [time for _, time, _ in events_of(card)] == [
        "2024-09-18T06:50:22+02:00",
        "2024-09-17T22:27:25+02:00",
    ]
    if batched:
        other = results[1]
        assert isinstance(other, SourceResult) and events_of(other) == []


async def test_a_parcel_delivered_at_a_parcelshop_is_available_for_pickup() -> None:
    """GLS's '200WithLinks' example: DELIVD.PARCELSHOP "delivered at the ParcelShop"."""
    result = await one("gls", "openapi_delivered_to_parcelshop.json")
    info = derive_track_info(result, NOW, None, None)
    assert info.latest_status.sub_status == "AvailableForPickup_Other"
    assert result.unmapped == []
