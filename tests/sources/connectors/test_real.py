"""Connectors fed answers nobody here wrote (see `real/SOURCES.md`): each is replayed by a
stand-in on 127.0.0.1 exactly as recorded, and what parceltrace makes of it is checked against
what the answer itself says."""

from __future__ import annotations

import base64
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from parceltrace.sources.base import SourceError, TrackingRef
from parceltrace.sources.connectors.calls import Connection
from parceltrace.sources.connectors.catalog import BY_NAME, Pace
from parceltrace.sources.connectors.source import CarrierConnector, ConnectorSource
from parceltrace.tracking.derive import derive_track_info
from parceltrace.tracking.model import SourceResult
from tests.sources.connectors.fakes import australiapost, bpost, canadapost, fedex
from tests.sources.connectors.standin import Asked, Reply, standing_in

REAL = Path(__file__).parent / "real"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def replaying(body: bytes, content_type: str, credentials: dict[str, str]) -> object:
    """A stand-in answering every signed-in request (HTTP Basic with the credentials' first two
    values, as bpost, Canada Post and Australia Post sign) with the recorded body."""
    user, password = list(credentials.values())[:2]
    expected = base64.b64encode(f"{user}:{password}".encode()).decode()

    def respond(asked: Asked) -> Reply:
        if asked.header("Authorization") != f"Basic {expected}":
            return Reply(401, b"", content_type)
        return Reply(200, body, content_type)

    return respond


async def fetch_real(
    name: str, number: str, body: bytes, content_type: str, credentials: dict[str, str]
) -> SourceResult:
    spec = BY_NAME[name]
    with standing_in(replaying(body, content_type, credentials)) as stand_in:  # type: ignore[arg-type]
        connector = CarrierConnector(spec, Connection(name, credentials, stand_in.url), pace=Pace(1000, 1))
        try:
            return await ConnectorSource({spec.carriers[0]: connector}).fetch(
                TrackingRef(number, spec.carriers[0], 0, None, NOW), NOW
            )
        finally:
            connector.close()


async def test_bpost_a_parcel_on_its_delivery_round_is_out_for_delivery() -> None:
    """karrio's recorded bpost answer: T00 "Sorted - sorted_out", L00 "BoundToRound -
    out_for_distribution", U01 "DistributedNormally - regular". L00 was read as an exception
    (karrio calls it on_hold); bpost says the item is bound to its round, out for distribution."""
    body = (REAL / "bpost" / "karrio_tracking_delivered.xml").read_bytes()
    result = await fetch_real("bpost", "323212345659900040669030", body, "application/xml", bpost.CREDENTIALS)
    events = result.providers[0].events
    by_code = {e.description: e for e in events}
    assert by_code["BoundToRound - out_for_distribution"].sub_status == "OutForDelivery_Other"
    assert by_code["DistributedNormally - regular"].sub_status == "Delivered_Other"
    assert by_code["Sorted - sorted_out"].sub_status.startswith("InTransit")
    # the seconds each record carries, each with its own offset (none borrowed from another)
    assert sorted(e.time_iso for e in events if e.time_iso) == [
        "2012-11-22T23:19:29+01:00",
        "2012-11-23T07:11:18+01:00",
        "2012-11-23T09:31:07+01:00",
    ]
    info = derive_track_info(result, NOW, None, None)
    assert (info.latest_status.status, info.latest_status.sub_status) == ("Delivered", "Delivered_Other")


CANADA_POST = REAL / "canadapost" / "karrio_tracking_detail.xml"
CANADA_POST_XML = "application/vnd.cpc.track-v2+xml"


def cut_back(xml: str, last_day: str) -> bytes:
    """A derived sample: the recorded answer as it stood at the end of `last_day` (the
    occurrences of later days removed, nothing else changed)."""
    kept = [
        part
        for part in re.split(r"(?=<occurrence>)", xml)
        if not part.startswith("<occurrence>")
        or re.search(r"<event-date>(.*?)</event-date>", part).group(1) <= last_day  # type: ignore[union-attr]
    ]
    text = "".join(kept)
    if not text.rstrip().endswith("</tracking-detail>"):
        raise AssertionError("the cut lost the document's end")
    return text.encode()


async def test_canada_post_delivery_and_signature_in_the_same_second_delivered_wins() -> None:
    """Derived from karrio's recorded Canada Post answer, cut back to 2011-02-01: the delivery
    (1496) and the signature scan (20) share 07:59:52, the delivery listed first (newer). The
    latest event was the one the carrier lists as older."""
    body = cut_back(CANADA_POST.read_text(), "2011-02-01")
    result = await fetch_real("canadapost", "7023210039414604", body, CANADA_POST_XML, canadapost.CREDENTIALS)
    info = derive_track_info(result, NOW, None, None)
    assert info.latest_event is not None
    assert info.latest_event.description == "Item successfully delivered"
    assert info.latest_status.status == "Delivered"


async def test_canada_post_codes_read_as_its_answer_describes_them() -> None:
    """0100 "Item processed at postal facility" is a step in transit (it was read as the
    pick-up); 20 "Signature image recorded for Online viewing" comes with a delivery."""
    result = await fetch_real(
        "canadapost", "7023210039414604", CANADA_POST.read_bytes(), CANADA_POST_XML, canadapost.CREDENTIALS
    )
    by_text = {(e.description, e.time_iso): e.sub_status for e in result.providers[0].events}
    processed = next(v for (text, _), v in by_text.items() if text == "Item processed at postal facility")
    assert processed == "InTransit_Other"
    signatures = {
        v for (text, _), v in by_text.items() if text == "Signature image recorded for Online viewing"
    }
    assert signatures == {"Delivered_Other"}


async def test_australia_post_each_event_keeps_its_own_seconds() -> None:
    """karrio's recorded Australia Post answer: "Shipping information received" at 13:31:07 and
    "approved" at 13:31:54, the same minute. The received one was shown at 13:31:54, seconds
    taken from the other record."""
    body = (REAL / "australiapost" / "karrio_tracking.json").read_bytes()
    result = await fetch_real(
        "australiapost", "00123456789000123400", body, "application/json", australiapost.CREDENTIALS
    )
    times = {e.description: e.time_iso for p in result.providers for e in p.events}
    assert times["Shipping information received by Australia Post"] == "2021-01-27T13:31:07+11:00"
    assert times["Shipping information approved by Australia Post"] == "2021-01-27T13:31:54+11:00"
    assert times["Delivered"] == "2021-02-02T07:38:56+11:00"


async def test_australia_post_a_consignments_events_are_read() -> None:
    """karrio's recorded answer holds consignment ET123456789AU with its article's 8 events
    under `trackable_items[].items[]`; karrio's parser skips them (the parcel was not found)."""
    body = (REAL / "australiapost" / "karrio_tracking.json").read_bytes()
    result = await fetch_real(
        "australiapost", "ET123456789AU", body, "application/json", australiapost.CREDENTIALS
    )
    events = [e for p in result.providers for e in p.events]
    assert len(events) == 8
    assert events[0].description == "Processed by air carrier"
    assert events[0].time_iso == "2021-02-03T08:08:00+11:00"
    info = derive_track_info(result, NOW, None, None)
    assert info.latest_status.status == "InTransit"


async def test_an_answer_about_other_numbers_is_not_given_to_the_one_asked() -> None:
    """The same recorded answer asked for one number it does not contain: its three records
    are about other numbers, so the number asked is not found (each record was given to it
    before, the last one winning)."""
    body = (REAL / "australiapost" / "karrio_tracking.json").read_bytes()
    result = await fetch_real(
        "australiapost", "7XX1000634011427", body, "application/json", australiapost.CREDENTIALS
    )
    assert [e for p in result.providers for e in p.events] == []
    assert derive_track_info(result, NOW, None, None).latest_status.status == "NotFound"


async def test_fedex_a_request_refused_as_a_whole_is_a_failure_not_not_found() -> None:
    """FedEx's published error answer TRACKING.TRACKINGNUMBER.EMPTY (the example karrio
    vendors as FedEx's error schema), sent with HTTP 400 as FedEx's API answers a bad request:
    it was read as "no record" (NotFound with a successful sync)."""
    body = (REAL / "fedex" / "error_tracking_number_empty.json").read_bytes()

    def respond(asked: Asked) -> Reply:
        if asked.path == "/oauth/token":
            return fedex.respond(asked)
        return Reply(400, body, "application/json")

    spec = BY_NAME["fedex"]
    with standing_in(respond) as stand_in:
        connector = CarrierConnector(
            spec, Connection("fedex", fedex.CREDENTIALS, stand_in.url), pace=Pace(1000, 1)
        )
        try:
            with pytest.raises(
                SourceError, match=r"refused the request: HTTP 400: TRACKING\.TRACKINGNUMBER\.EMPTY"
            ):
                await ConnectorSource({spec.carriers[0]: connector}).fetch(
                    TrackingRef("128667043726", spec.carriers[0], 0, None, NOW), NOW
                )
        finally:
            connector.close()
