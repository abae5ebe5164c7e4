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


EVENTS: list[tuple[str, str | None, str, str]] = [
    ("asendia", "DL", "Delivered", "Delivered_Other"),
    ("asendia", "IT", "In transit to destination", "InTransit_Other"),
    ("asendia", "PU", "Package picked up", "InTransit_PickedUp"),
    ("australiapost", None, "Delivered", "Delivered_Other"),
    ("australiapost", None, "Delivered - Left in a safe place", "Delivered_Other"),
    ("australiapost", None, "Arrived at facility", "InTransit_Arrival"),
    ("australiapost", None, "Arrived awaiting clearance (Inbound)", "InTransit_Arrival"),
    ("australiapost", None, "Arrived in New Zealand", "InTransit_Arrival"),
    ("australiapost", None, "Item is in Customs", "InTransit_CustomsProcessing"),
    ("australiapost", None, "Item cleared by Customs", "InTransit_CustomsReleased"),
    ("australiapost", None, "Cleared and awaiting international departure", "InTransit_Other"),
    ("australiapost", None, "Despatch Parcels from Export Facility", "InTransit_Other"),
    ("australiapost", None, "In transit to next facility in OAKLEIGH SOUTH VIC", "InTransit_Other"),
    ("australiapost", None, "In transit to next facility in SUNSHINE WEST VIC", "InTransit_Other"),
    ("australiapost", None, "Item processed at facility", "InTransit_Other"),
    ("australiapost", None, "Processed at Export Facility", "InTransit_Other"),
    ("australiapost", None, "Processed by air carrier", "InTransit_Other"),
    ("australiapost", None, "Received item from Sender (Outbound)", "InTransit_Other"),
    ("australiapost", None, "Received by Australia Post", "InTransit_PickedUp"),
    ("australiapost", None, "Shipping information approved by Australia Post", "InfoReceived"),
    ("australiapost", None, "Shipping information received by Australia Post", "InfoReceived"),
    ("australiapost", None, "Onboard for delivery", "OutForDelivery_Other"),
    ("bpost", "L00", "BoundToRound - out_for_distribution", "OutForDelivery_Other"),
    ("bpost", "T00", "Sorted - sorted_out", "InTransit_Other"),
    ("bpost", "U01", "DistributedNormally - regular", "Delivered_Other"),
    ("canadapost", "0100", "Item processed at postal facility", "InTransit_Other"),
    (
        "canadapost",
        "0173",
        "Customer addressing error found; attempting to correct. Possible delay",
        "InTransit_Other",
    ),
    ("canadapost", "0174", "Item out for delivery", "OutForDelivery_Other"),
    ("canadapost", "1496", "Item successfully delivered", "Delivered_Other"),
    ("canadapost", "20", "Signature image recorded for Online viewing", "Delivered_Other"),
    ("dhl_universal", "pre-transit", "JESSICA", "InfoReceived"),
    ("dpd", "BetweenDepots", "The parcel is at the parcel dispatch centre.", "InTransit_Other"),
    (
        "dpd",
        "Courier",
        "The parcel has left the parcel delivery centre and is on its way to the consignee.",
        "OutForDelivery_Other",
    ),
    (
        "dpd",
        "DeliveryFailure",
        "Unfortunately we have not been able to deliver your parcel.",
        "DeliveryFailure_Other",
    ),
    ("dpd", "Depot", "At parcel delivery centre.", "InTransit_Arrival"),
    ("dpd", "ParcelShop", "Delivered by driver to Pickup parcelshop", "AvailableForPickup_Other"),
    ("dpd", "PickedUp", "DPD has received your parcel.", "InTransit_PickedUp"),
    (
        "dpd",
        "ReturningFromDelivery",
        "After an unsuccessful delivery attempt the parcel is back at the recipient depot.",
        "DeliveryFailure_Other",
    ),
    ("fedex", "AE", "Shipment arriving early", "InTransit_Other"),
    ("fedex", "AF", "Tendered at FedEx Facility", "InTransit_Arrival"),
    ("fedex", "AO", "Shipment arriving On-Time", "InTransit_Other"),
    ("fedex", "AR", "Arrived at FedEx location", "InTransit_Arrival"),
    ("fedex", "AR", "At local FedEx facility", "InTransit_Arrival"),
    ("fedex", "DE", "Customer not available or business closed", "DeliveryFailure_NoBody"),
    ("fedex", "DE", "FedEx redirected your package to a nearby FedEx location", "DeliveryFailure_Other"),
    ("fedex", "DL", "Delivered", "Delivered_Other"),
    ("fedex", "DP", "Departed FedEx location", "InTransit_Departure"),
    ("fedex", "DP", "Left FedEx origin facility", "InTransit_Departure"),
    ("fedex", "IT", "On the way", "InTransit_Other"),
    ("fedex", "OC", "Shipment information sent to FedEx", "InfoReceived"),
    ("fedex", "OD", "On FedEx vehicle for delivery", "OutForDelivery_Other"),
    ("fedex", "PU", "Package available for clearance", "InTransit_PickedUp"),
    ("fedex", "PU", "Picked up", "InTransit_PickedUp"),
    (
        "gls",
        "DELIVD.PARCELSHOP",
        "The parcel has been delivered at the ParcelShop (see ParcelShop information).",
        "AvailableForPickup_Other",
    ),
    (
        "gls",
        "INTIAL.E48_DATA",
        "The parcel was provided by the sender for collection by GLS.",
        "InfoReceived",
    ),
    ("gls", "INTIAL.NORMAL", "The parcel was handed over to GLS.", "InTransit_PickedUp"),
    ("gls", "INTIAL.PREADVICE", "The parcel data was entered into the GLS IT system.", "InfoReceived"),
    (
        "gls",
        "INTIAL.PREADVICE",
        "The parcel data was entered into the GLS IT system; the parcel was not yet handed over to GLS.",
        "InfoReceived",
    ),
    ("hermes", "0000", "The shipment has been notified to Hermes electronically.", "InfoReceived"),
    ("hermes", "2000", "The shipment has arrived at the Hermes distribution center.", "InTransit_Other"),
    (
        "hermes",
        "3000",
        "The shipment has gone out on a delivery route. Delivery is expected today.",
        "OutForDelivery_Other",
    ),
    ("hermes", "3500", "The shipment has been delivered.", "Delivered_Other"),
    ("laposte", "DI1", "Votre colis est livré.", "Delivered_Other"),
    (
        "laposte",
        "DR1",
        "Votre Colissimo va bientôt nous être confié ! Il est en cours de préparation chez votre expéditeur.",
        "InfoReceived",
    ),
    ("laposte", "ET1", "Votre colis est en cours d'acheminement.", "InTransit_Other"),
    ("laposte", "ET1", "Votre colis est en transit sur nos plateformes logistiques.", "InTransit_Other"),
    (
        "laposte",
        "ET2",
        "Votre colis est prêt à partir de son territoire d’expédition. Il va être remis au transporteur pour son acheminement.",
        "InTransit_Departure",
    ),
    ("laposte", "ET3", "Votre colis est arrivé dans le pays du destinataire.", "InTransit_Arrival"),
    (
        "laposte",
        "MD2",
        "Votre colis est dans le site de livraison qui dessert votre adresse. Nous le préparons pour le mettre en livraison.",
        "OutForDelivery_Other",
    ),
    ("laposte", "PC1", "Votre colis a été déposé dans un point postal.", "InTransit_PickedUp"),
    ("purolator", "Other", "New Tracking Number Assigned -", "InTransit_Other"),
    ("royalmail", "EVNMI", "Forwarded - Mis-sort", "InTransit_Other"),
    ("sendle", "Delivered", "Your package has been delivered to your mailbox!", "Delivered_Other"),
    ("sendle", "In Transit", "Your package is in transit with the carrier.", "InTransit_Other"),
    ("sendle", "Out for Delivery", "Your package is on board for delivery!", "OutForDelivery_Other"),
    ("sendle", "Pickup", "Parcel picked up", "InTransit_PickedUp"),
    (
        "sendle",
        "Pickup Attempted",
        "We attempted to pick up the parcel but were unsuccessful",
        "Exception_Other",
    ),
    ("tnt", "OK", "Shipment Delivered In Good Condition.", "Delivered_Other"),
    ("ups", "SR", "Your package was released by the customs agency.", "InTransit_CustomsReleased"),
    ("usps", "01", "Delivered, Parcel Locker", "Delivered_Other"),
    ("usps", "03", "USPS in possession of item", "InTransit_PickedUp"),
    ("usps", "07", "Arrived at Post Office", "InTransit_Arrival"),
    ("usps", "10", "Arrived at USPS Regional Origin Facility", "InTransit_Arrival"),
    ("usps", "A1", "Arrived at USPS Regional Facility", "InTransit_Arrival"),
    ("usps", "GX", "Shipping Label Created, USPS Awaiting Item", "InfoReceived"),
    ("usps", "OF", "Out for Delivery", "OutForDelivery_Other"),
    ("usps", "SF", "Departed Post Office", "InTransit_Departure"),
    ("usps", "T1", "Departed USPS Regional Facility", "InTransit_Departure"),
    ("usps", "TL", "In Transit to Next Facility", "InTransit_Other"),
]
"""Every distinct event of the corpus: (carrier, code, description, the sub-status it reads
as). Each row was read against the event's own words when it was written; a table change that
moves one shows here."""


async def test_every_real_event_reads_as_its_words() -> None:
    found = set()
    for sample in SAMPLES:
        for result in await replayed(sample.carrier, sample.file):
            if isinstance(result, BaseException):
                continue
            for provider, codes in zip(result.providers, result.carrier_codes, strict=True):
                for event, code in zip(provider.events, codes, strict=True):
                    found.add((sample.carrier, code, event.description, event.sub_status))
    assert sorted(found, key=str) == sorted(EVENTS, key=str)
