"""Connectors fed answers nobody here wrote (see `real/SOURCES.md`): each is replayed by a
stand-in on 127.0.0.1 exactly as recorded, with the HTTP status `real/manifest.py` names, and
what parceltrace makes of it is checked against what the answer itself says. A derived sample
(cut back in time, a field changed) is made here, from the real one it names."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from parceltrace.sources.base import SourceError
from parceltrace.tracking.derive import derive_track_info
from parceltrace.tracking.model import SourceResult
from tests.sources.connectors.real import harvest
from tests.sources.connectors.real.manifest import SAMPLES, Sample
from tests.sources.connectors.replay import NOW, replay

REAL = Path(__file__).parent / "real"
BY_FILE = {(s.carrier, s.file): s for s in SAMPLES}
CONTENT_TYPES = {"canadapost": "application/vnd.cpc.track-v2+xml"}


def content_type(sample: Sample) -> str:
    if sample.file.endswith(".json"):
        return "application/json"
    return CONTENT_TYPES.get(sample.carrier, "application/xml")


async def replayed(
    carrier: str, file: str, numbers: tuple[str, ...] = (), body: bytes | None = None
) -> list[SourceResult | BaseException]:
    sample = BY_FILE[carrier, file]
    answer = body if body is not None else (REAL / carrier / file).read_bytes()
    results, _ = await replay(
        carrier, list(numbers or sample.numbers), answer, content_type(sample), sample.status
    )
    return results


async def one(carrier: str, file: str, number: str | None = None, body: bytes | None = None) -> SourceResult:
    [result] = await replayed(carrier, file, (number,) if number else (), body)
    assert isinstance(result, SourceResult), result
    return result


def events_of(result: SourceResult) -> list[tuple[str | None, str | None, str]]:
    """(description, time_iso, sub_status) of every event, newest first."""
    return [(e.description, e.time_iso, e.sub_status) for p in result.providers for e in p.events]


# ---------------------------------------------------------------- the corpus itself


def test_every_sample_is_listed_with_its_source_and_sources_md_is_current() -> None:
    on_disk = {(path.parent.name, path.name) for path in REAL.glob("*/*") if path.suffix in {".json", ".xml"}}
    assert on_disk == set(BY_FILE)
    assert (REAL / "SOURCES.md").read_text() == harvest.sources_md()
    assert {s.carrier for s in SAMPLES} >= {
        "dhl_universal", "ups", "fedex", "usps", "canadapost", "australiapost", "laposte", "bpost",
        "dpd", "gls", "hermes", "purolator", "sendle", "asendia", "royalmail", "tnt",
    }  # fmt: skip


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda s: f"{s.carrier}/{s.file}")
async def test_every_real_answer_reads_as_data_or_a_named_failure(sample: Sample) -> None:
    """Whatever a carrier really sent is tracking data or a failure saying what went wrong;
    what is kept is clean: 2-letter countries, no markup or runs of whitespace, every dated
    event with its three times."""
    for result in await replayed(sample.carrier, sample.file):
        if isinstance(result, BaseException):
            assert isinstance(result, SourceError), repr(result)
            assert sample.status >= 400 or "refused" in str(result), str(result)
            continue
        for provider in result.providers:
            for event in provider.events:
                for text in (event.description, event.location, event.address.city):
                    assert text is None or (text == " ".join(text.split()) and "<" not in text), text
                for country in (event.address.country,):
                    assert country is None or re.fullmatch(r"[A-Z]{2}", country), country
                assert (event.time_iso is None) == (event.time_utc is None)
        for address in (result.shipping_info.shipper_address, result.shipping_info.recipient_address):
            assert address.country is None or re.fullmatch(r"[A-Z]{2}", address.country), address.country
        if sample.status == 200 and events_of(result):
            assert derive_track_info(result, NOW, None, None).latest_status.status != "NotFound"


# ---------------------------------------------------------------- status codes


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
    """Derived from Canada Post's karrio_tracking_detail.xml, cut back to 2011-02-01: the
    delivery (1496) and the signature scan (20) share 07:59:52, the delivery listed first."""
    xml = (REAL / "canadapost" / "karrio_tracking_detail.xml").read_text()
    result = await one("canadapost", "karrio_tracking_detail.xml", body=cut_back(xml, "2011-02-01"))
    info = derive_track_info(result, NOW, None, None)
    assert info.latest_event is not None
    assert info.latest_event.description == "Item successfully delivered"
    assert info.latest_status.status == "Delivered"


async def test_canada_post_codes_read_as_its_answer_describes_them() -> None:
    """0100 "Item processed at postal facility" is a step in transit (it was read as the
    pick-up); 20 "Signature image recorded for Online viewing" comes with a delivery."""
    result = await one("canadapost", "karrio_tracking_detail.xml")
    by_text = {text: sub for text, _, sub in events_of(result)}
    assert by_text["Item processed at postal facility"] == "InTransit_Other"
    assert by_text["Signature image recorded for Online viewing"] == "Delivered_Other"


async def test_dhl_a_label_only_parcel_is_info_received() -> None:
    """Derived from DHL's karrio_tracking.json: its one event given statusCode "unknown" and
    the status and description "LABEL CREATED" (row 238 of DHL's published status list,
    karrio `modules/connectors/mydhl/vendors/status_1.csv`). karrio reads unknown as a delay
    and it was shown as Exception_Other."""
    answer = json.loads((REAL / "dhl_universal" / "karrio_tracking.json").read_text())
    shipment = answer["shipments"][0]
    for record in (shipment["status"], *shipment["events"]):
        record.update(statusCode="unknown", status="LABEL CREATED", description="LABEL CREATED")
    result = await one("dhl_universal", "karrio_tracking.json", body=json.dumps(answer).encode())
    assert [sub for *_, sub in events_of(result)] == ["InfoReceived"]


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


async def test_fedex_customer_not_available_is_no_one_home() -> None:
    """A recorded FedEx answer: DE "Customer not available or business closed" is a delivery
    failure because no one was there (DeliveryFailure_NoBody), not just any failure."""
    result = await one("fedex", "karrio_delivered_after_failed_attempt.json")
    by_text = {text: sub for text, _, sub in events_of(result)}
    assert by_text["Customer not available or business closed"] == "DeliveryFailure_NoBody"
    assert derive_track_info(result, NOW, None, None).latest_status.status == "Delivered"


async def test_royal_mail_a_mis_sort_is_in_transit_not_a_pick_up() -> None:
    """Royal Mail's recorded answer for FQ087430672GB ends with EVNMI "Forwarded - Mis-sort"
    ("It's being redirected", statusCategory IN TRANSIT). The stand-in had invented EVNMI as a
    pick-up; the answer was also lost (its record names the mail piece ID, not the barcode)."""
    result = await one("royalmail", "karrio_tracking.json")
    by_text = {text: sub for text, _, sub in events_of(result)}
    assert by_text["Forwarded - Mis-sort"] == "InTransit_Other"
    info = derive_track_info(result, NOW, None, None)
    assert info.latest_status.sub_status == "InTransit_Other"


async def test_gls_codes_under_a_group_prefix_are_read() -> None:
    """GLS's recorded answer writes its codes as `INTIAL.PREADVICE`, `INTIAL.NORMAL`: the
    pre-advice was not found in the table (InTransit_Other instead of InfoReceived)."""
    result = await one("gls", "karrio_tracking.json")
    by_text = {text: sub for text, _, sub in events_of(result)}
    assert by_text["The parcel data was entered into the GLS IT system."] == "InfoReceived"
    assert by_text["The parcel was handed over to GLS."] == "InTransit_PickedUp"


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


# ---------------------------------------------------------------- numbers and records


@pytest.mark.parametrize(
    ("carrier", "file", "why"),
    [
        ("ups", "karrio_invalid_number.json", "TV1002 Invalid inquiry number"),
        ("australiapost", "karrio_invalid_id.json", "ESB-10001 Invalid tracking ID"),
        ("laposte", "karrio_invalid_number.json", "returnCode 400: le numéro n'est pas valide"),
    ],
)
async def test_a_number_the_carrier_calls_invalid_is_not_found_invalid_code(
    carrier: str, file: str, why: str
) -> None:
    """The carrier says the number itself is not valid: 17TRACK's NotFound_InvalidCode (it was
    a refused request, or NotFound_Other as if the carrier had merely no record yet)."""
    result = await one(carrier, file)
    assert result.invalid_number, why
    assert derive_track_info(result, NOW, None, None).latest_status.sub_status == "NotFound_InvalidCode"


async def test_tnt_a_consignment_number_given_twice_keeps_the_newer_shipment() -> None:
    """TNT's recorded answer lists 123456782 twice: a shipment delivered in 2021-02-18 and an
    older one of 2021-02-04. The newer is the parcel; its texts come without CDATA padding."""
    result = await one("tnt", "karrio_tracking.xml", "123456782")
    events = result.providers[0].events
    assert events[0].description == "Shipment Delivered In Good Condition."
    assert events[0].time_raw.date == "2021-02-18"
    assert events[0].location == "PNA- Pamplona"  # karrio joins depot code and name


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


@pytest.mark.parametrize(
    ("carrier", "file", "reads"),
    [
        ("fedex", "error_tracking_number_empty.json", r"refused the request: HTTP 400: TRACKING\.TRACKINGNUMBER\.EMPTY"),
        ("royalmail", "karrio_bad_request.json", r"refused the request: HTTP 400: .*E0004"),
        ("australiapost", "karrio_too_many_ids.json", r"refused the request: HTTP 400: 51101"),
        ("ups", "karrio_auth_error.json", r"refused the credentials"),
        ("canadapost", "karrio_auth_error.xml", r"refused the credentials: AAA Authentication Failure"),
        ("dpd", "karrio_auth_fault.xml", r"refused the credentials"),
        ("tnt", "karrio_unauthorized.xml", r"refused the credentials: Unauthorized Access"),
        ("bpost", "karrio_system_exception.xml", r"server error: HTTP 500"),
    ],
)  # fmt: skip
async def test_a_request_refused_as_a_whole_is_a_failure_with_the_carriers_words(
    carrier: str, file: str, reads: str
) -> None:
    """Refused requests and credentials are failures saying so, never "no record" (FedEx's
    EMPTY and Royal Mail's E0004 were NotFound with a successful sync)."""
    [result] = await replayed(carrier, file)
    assert isinstance(result, SourceError)
    assert re.search(reads, str(result)), str(result)


@pytest.mark.parametrize(
    ("carrier", "file"),
    [
        ("dhl_universal", "karrio_not_found.json"),
        ("ups", "karrio_not_found.json"),
        ("canadapost", "karrio_no_pin_history.xml"),
        ("gls", "karrio_not_found.json"),
        ("hermes", "karrio_not_found.json"),
        ("sendle", "karrio_not_found.json"),
        ("asendia", "karrio_not_found.json"),
    ],
)
async def test_no_record_is_not_found_with_a_successful_sync(carrier: str, file: str) -> None:
    result = await one(carrier, file)
    assert events_of(result) == [] and not result.invalid_number
    assert result.providers[0].latest_sync_status == "Success"
    assert derive_track_info(result, NOW, None, None).latest_status.sub_status == "NotFound_Other"


# ---------------------------------------------------------------- places and times


async def test_hermes_countries_are_two_letters() -> None:
    """Hermes writes ISO alpha-3 (DEU); 003's countries are two letters."""
    result = await one("hermes", "karrio_tracking.json")
    assert result.shipping_info.recipient_address.country == "DE"
    assert {(e.address.city, e.address.country) for e in result.providers[0].events} == {
        ("Hamburg", "DE"),
        ("Berlin", "DE"),
    }


@pytest.mark.parametrize(
    ("carrier", "file", "location", "address"),
    [
        ("usps", "karrio_tracking.json", "HERNANDO, 34442, FL", ("HERNANDO", "FL", "34442", None)),
        ("fedex", "karrio_delivered_after_failed_attempt.json", "CLOVIS, CA, 93612, US", ("CLOVIS", "CA", "93612", "US")),
        ("dpd", "karrio_tracking.xml", "Puurs (BE)", ("Puurs", None, None, "BE")),
        ("gls", "karrio_tracking.json", "Berlin, 10437, DE", ("Berlin", None, "10437", "DE")),
        ("asendia", "karrio_tracking.json", "Zurich Airport, CH", ("Zurich Airport", None, None, "CH")),
        ("sendle", "karrio_tracking.json", "TEANECK, NJ", ("TEANECK", "NJ", None, None)),
    ],
)  # fmt: skip
async def test_an_events_place_is_split_into_its_parts(
    carrier: str, file: str, location: str, address: tuple[str | None, ...]
) -> None:
    """`address.city` held the whole location and `address.country` was never filled."""
    result = await one(carrier, file)
    [event] = [e for p in result.providers for e in p.events if e.location == location][:1]
    assert (
        event.address.city,
        event.address.state,
        event.address.postal_code,
        event.address.country,
    ) == address


def offsets_removed(text: str) -> bytes:
    """A derived sample: every timestamp's UTC offset taken away (`...T12:41:57-04:00` ->
    `...T12:41:57`), as carriers that give local times only answer."""
    return re.sub(r'(\d{2}:\d{2}:\d{2})[+-]\d{2}:\d{2}"', r'\1"', text).encode()


async def test_times_without_an_offset_are_read_in_the_zone_of_the_events_place() -> None:
    """Derived from FedEx's karrio_ground_delivered.json with every offset removed: the scans
    in Iowa and Minnesota are Central time, those in Ohio, New Jersey and New York Eastern, as
    the real answer's own offsets say; they were all read in FedEx's headquarters zone."""
    path = REAL / "fedex" / "karrio_ground_delivered.json"
    real = await one("fedex", "karrio_ground_delivered.json")
    derived = await one("fedex", "karrio_ground_delivered.json", body=offsets_removed(path.read_text()))
    real_events = [e for p in real.providers for e in p.events if e.address.state]
    derived_events = [e for p in derived.providers for e in p.events if e.address.state]
    # the pick-up scan has no offset even in the real answer: FedEx's dateAndTimes give its
    # day as -06:00, winter time in August, the inconsistency karrio's test is named after
    assert [e.time_iso for e in derived_events if e.description != "Picked up"] == [
        e.time_iso for e in real_events if e.description != "Picked up"
    ]
    [pick_up] = [e for e in derived_events if e.description == "Picked up"]
    assert pick_up.time_iso == "2024-08-15T00:00:00-05:00"  # Mankato, MN in summer
    assert {e.time_raw.timezone for e in derived_events} == {None}  # the zone is ours, not FedEx's
    assert {e.address.state for e in derived_events} >= {"IA", "MN", "OH", "NJ", "NY"}
