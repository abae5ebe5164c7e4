"""Every real answer of the corpus (`corpus.py`; the files in each carrier's `samples/`), and
what holds for all carriers: each is replayed by a stand-in on 127.0.0.1 exactly as recorded,
with the HTTP status `corpus.py` names, and what parceltrace makes of it is checked against
what the answer itself says. Each carrier's own findings are in its folder's tests."""

from __future__ import annotations

import re

import pytest

from parceltrace.sources.base import SourceError
from parceltrace.tracking.derive import derive_track_info
from tests.sources.connectors import harvest
from tests.sources.connectors.corpus import CARRIERS, SAMPLES, Sample
from tests.sources.connectors.replay import BY_FILE, NOW, events_of, one, replayed

# ---------------------------------------------------------------- the corpus itself


def test_every_sample_is_listed_with_its_source_and_sources_md_is_current() -> None:
    on_disk = {
        (path.parents[1].name, path.name)
        for path in CARRIERS.glob("*/samples/*")
        if path.suffix in {".json", ".xml"}
    }
    assert on_disk == set(BY_FILE)
    for carrier in {sample.carrier for sample in SAMPLES}:
        assert (CARRIERS / carrier / "samples" / "SOURCES.md").read_text() == harvest.sources_md(carrier)
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
