"""Where every real carrier answer of the tests came from (one row per file, kept in its
carrier's folder: `carriers/<name>/samples/`): `harvest.py` copies each from karrio's repository
at the commit named and writes each folder's `SOURCES.md` from these rows. Nothing there is
written by parceltrace; a test checks that every file is listed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CARRIERS = Path(__file__).parent / "carriers"
KARRIO = "karrioapi/karrio"
HEAD = "deea10f8568b2d48c71bbcc11ec11c62cdaf2a6a"
"""karrio's commit the samples were taken at (its 2026.1.32 release, the version tested)."""
BEFORE_REMOVAL = "7c76cfd3c5392f48b8674b37f24abfcaf200549a"
"""The last karrio commit with its Royal Mail and TNT modules (removed by 203b8a1fc)."""


@dataclass(frozen=True, slots=True)
class Sample:
    carrier: str
    """parceltrace's connector name (karrio's carrier name)."""
    file: str
    what: str
    path: str
    """The file in karrio's repository it comes from."""
    constant: str | None = None
    """The test module's string constant holding the answer; None: the whole file."""
    commit: str = HEAD
    status: int = 200
    """The HTTP status the answer is replayed with (see `status_source`)."""
    status_source: str = "200, an answer with data"
    unwrap: str | None = None
    """An element karrio's test wrapped around the answer, removed (nothing else changed)."""
    numbers: tuple[str, ...] = ()
    """The numbers the answer is about (asked together when the carrier takes a batch)."""
    example: tuple[str, str] | None = None
    """(response, example) of an OpenAPI document's `components.responses`: the example's value,
    written as JSON (the YAML read, nothing changed)."""

    @property
    def local(self) -> Path:
        """Where the sample is kept: its carrier's folder."""
        return CARRIERS / self.carrier / "samples" / self.file

    @property
    def licence(self) -> str:
        return f"LGPL-3.0 (karrio's {self.carrier} module); a carrier's answer, kept as test data"


def _test(carrier: str) -> str:
    return f"modules/connectors/{carrier}/tests/{carrier}/test_tracking.py"


SAMPLES: tuple[Sample, ...] = (
    Sample(
        "dhl_universal",
        "karrio_tracking.json",
        "DHL's published example answer (express, one `pre-transit` event; the status says customs)",
        _test("dhl_universal"),
        "TrackingResponseJSON",
        numbers=("7777777770",),
    ),
    Sample(
        "dhl_universal",
        "karrio_not_found.json",
        "RFC 7807 problem 'No result found' (status 404)",
        _test("dhl_universal"),
        "TrackingErrorResponseJSON",
        status=404,
        status_source="the answer's own status field",
        numbers=("8264715546",),
    ),
    Sample(
        "ups",
        "karrio_tracking.json",
        "UPS's published example answer: one package whose activity is 'released by the customs agency' (SR)",
        _test("ups"),
        "TrackingResponseJSON",
        numbers=("1Z023E2X0214323462",),
    ),
    Sample(
        "ups",
        "karrio_not_found.json",
        "warning TW0001 'Tracking Information Not Found'",
        _test("ups"),
        "TrackingNumberNotFoundResponseJSON",
        numbers=("1Z023E2X0214323462",),
    ),
    Sample(
        "ups",
        "karrio_invalid_number.json",
        "error TV1002 'Invalid inquiry number'",
        _test("ups"),
        "InvalidTrackingNumberResponseJSON",
        status=400,
        status_source="not in the source; 400 as for a request error (assumed)",
        numbers=("1Z023E2X0214323462",),
    ),
    Sample(
        "ups",
        "karrio_auth_error.json",
        "error 250003 'Invalid Access License number'",
        _test("ups"),
        "AuthError",
        status=401,
        status_source="not in the source; 401 as karrio's test name says (AuthError)",
        numbers=("1Z023E2X0214323462",),
    ),
    Sample(
        "fedex",
        "error_tracking_number_empty.json",
        "the error answer TRACKING.TRACKINGNUMBER.EMPTY 'Please provide tracking number.'",
        "modules/connectors/fedex/schemas/error_response.json",
        status=400,
        status_source="not in the file; 400, the status FedEx's API reference gives a bad request",
        numbers=("128667043726",),
    ),
    Sample(
        "fedex",
        "karrio_tracking.json",
        "FedEx's published example: three numbers, one with a pick-up scan, one NOTFOUND",
        _test("fedex"),
        "TrackingResponse",
        numbers=("123456789012", "128667043726", "39936862321"),
    ),
    Sample(
        "fedex",
        "karrio_delivered_after_failed_attempt.json",
        "a recorded answer: out for delivery, 'Customer not available or business closed', redirected, delivered",
        _test("fedex"),
        "DuplicateTrackingResponse",
        numbers=("776094337676",),
    ),
    Sample(
        "fedex",
        "karrio_ground_delivered.json",
        "a recorded FedEx Ground answer over five states, its pick-up scan without an offset",
        _test("fedex"),
        "InconsistentDateTimeResponse",
        numbers=("738488882438",),
    ),
    Sample(
        "usps",
        "karrio_tracking.json",
        "a recorded Tracking 3.0 answer: label created to delivered in a parcel locker, HTML in the service name",
        _test("usps"),
        "TrackingResponse",
        numbers=("9400109104250532908587",),
    ),
    Sample(
        "usps",
        "karrio_error.json",
        "USPS's published error shape (placeholder values)",
        _test("usps"),
        "ErrorResponse",
        status=400,
        status_source="not in the source; 400 as for a request error (assumed)",
        numbers=("9400109104250532908587",),
    ),
    Sample(
        "canadapost",
        "karrio_tracking_detail.xml",
        "six significant events newest first, a delivery (1496) and a signature scan (20) in the same second",
        _test("canadapost"),
        "TrackingResponseXml",
        unwrap="wrapper",
        numbers=("7023210039414604",),
    ),
    Sample(
        "canadapost",
        "karrio_no_pin_history.xml",
        "message 004 'No Pin History'",
        _test("canadapost"),
        "UnknownTrackingNumberResponse",
        status=404,
        status_source="not in the source; 404 (assumed): the PIN has no history",
        unwrap="wrapper",
        numbers=("7023210039414604",),
    ),
    Sample(
        "canadapost",
        "karrio_auth_error.xml",
        "message E002 'AAA Authentication Failure'",
        _test("canadapost"),
        "AuthError",
        status=401,
        status_source="not in the source; 401 (assumed) for an authentication failure",
        unwrap="wrapper",
        numbers=("7023210039414604",),
    ),
    Sample(
        "australiapost",
        "karrio_tracking.json",
        "three results: an article, a consignment with its article's events nested, a delivered item",
        _test("australiapost"),
        "TrackingResponse",
        numbers=("ET123456789AU", "LX123456789US", "00123456789000123400"),
    ),
    Sample(
        "australiapost",
        "karrio_invalid_id.json",
        "result error ESB-10001 'Invalid tracking ID'",
        _test("australiapost"),
        "TrackingErrorResponse",
        numbers=("7XX1000",),
    ),
    Sample(
        "australiapost",
        "karrio_too_many_ids.json",
        "request error 51101 TOO_MANY_AP_TRACKING_IDS",
        _test("australiapost"),
        "ErrorResponse",
        status=400,
        status_source="not in the source; 400 (assumed) for a request error",
        numbers=("7XX1000",),
    ),
    Sample(
        "laposte",
        "karrio_tracking.json",
        "a Colissimo parcel France to Brazil, delivered (DI1), French descriptions",
        _test("laposte"),
        "TrackingResponse",
        numbers=("EW112720413FR",),
    ),
    Sample(
        "laposte",
        "karrio_invalid_number.json",
        "returnCode 400 'Le numéro que vous avez saisi n'est pas valide'",
        _test("laposte"),
        "ErrorResponse",
        status=400,
        status_source="the answer's own returnCode",
        numbers=("EW112720413FR",),
    ),
    Sample(
        "bpost",
        "karrio_tracking_delivered.xml",
        "sorted, out on its delivery round (L00 BoundToRound), delivered (U01)",
        _test("bpost"),
        "TrackingResponse",
        numbers=("323212345659900040669030",),
    ),
    Sample(
        "bpost",
        "karrio_system_exception.xml",
        "systemException 'An unexpected error occurred ... try again in a few moments'",
        _test("bpost"),
        "ErrorResponse",
        status=500,
        status_source="not in the source; 500 (assumed): a systemException whose text asks to try again",
        numbers=("323212345659900040669030",),
    ),
    Sample(
        "dpd",
        "karrio_tracking.xml",
        "a recorded ParcelLifeCycle answer: Belgium, failed delivery, to a Pickup parcelshop, back to the depot",
        _test("dpd"),
        "TrackingResponse",
        numbers=("05308801410058",),
    ),
    Sample(
        "dpd",
        "karrio_auth_fault.xml",
        "SOAP fault DELICOM_ERR_AUTHENTICATION",
        _test("dpd"),
        "ErrorResponse",
        status=500,
        status_source="not in the source; 500, as SOAP 1.1 sends faults",
        numbers=("05308801410058",),
    ),
    Sample(
        "gls",
        "karrio_tracking.json",
        "a parcel handed over to GLS, codes written `INTIAL.<code>`",
        _test("gls"),
        "TrackingResponse",
        numbers=("36301917596",),
    ),
    Sample(
        "gls",
        "openapi_batch_with_an_unknown_parcel.json",
        "GLS's published example '200WithErrors': an unknown parcel (E_404_01) beside one whose two events "
        "fall in one minute (15:24:52, 15:24:51; the status time 15:24:57)",
        "modules/connectors/gls/vendor/ecitrackandtrace.yaml",
        example=("Response200", "200WithErrors"),
        numbers=("42249018928", "36301917596"),
    ),
    Sample(
        "gls",
        "openapi_reference_two_parcels.json",
        "GLS's published example '200Reference2Parcels': one notification card (747N6K) finds two parcels",
        "modules/connectors/gls/vendor/ecitrackandtrace.yaml",
        example=("Response200", "200Reference2Parcels"),
        numbers=("747N6K",),
    ),
    Sample(
        "gls",
        "openapi_delivered_to_parcelshop.json",
        "GLS's published example '200WithLinks': delivered at a ParcelShop (DELIVD.PARCELSHOP)",
        "modules/connectors/gls/vendor/ecitrackandtrace.yaml",
        example=("Response200", "200WithLinks"),
        numbers=("42249028960",),
    ),
    Sample(
        "gls",
        "openapi_rate_limited.json",
        "GLS's published example '429RateLimitQuotaViolation'",
        "modules/connectors/gls/vendor/ecitrackandtrace.yaml",
        example=("Response429", "429RateLimitQuotaViolation"),
        status=429,
        status_source="the OpenAPI response it is the example of",
        numbers=("36301917596",),
    ),
    Sample(
        "gls",
        "karrio_not_found.json",
        "parcel error E_404_01 'Resource Not Found'",
        _test("gls"),
        "ErrorResponse",
        numbers=("36301917596",),
    ),
    Sample(
        "hermes",
        "karrio_tracking.json",
        "notified to delivered, countries as ISO alpha-3 (DEU)",
        _test("hermes"),
        "TrackingResponse",
        numbers=("H1234567890123456789",),
    ),
    Sample(
        "hermes",
        "karrio_not_found.json",
        "shipment error 'not found'",
        _test("hermes"),
        "TrackingErrorResponse",
        numbers=("H1234567890123456789",),
    ),
    Sample(
        "purolator",
        "karrio_tracking.xml",
        "a TrackPackagesByPin answer: 'New Tracking Number Assigned' scans",
        _test("purolator"),
        "TRACKING_RESPONSE_XML",
        numbers=("M123",),
    ),
    Sample(
        "sendle",
        "karrio_tracking.json",
        "a US parcel: pick-up attempted, picked up, in transit, delivered; local and UTC scan times",
        _test("sendle"),
        "TrackingResponse",
        numbers=("S34WER4S",),
    ),
    Sample(
        "sendle",
        "karrio_not_found.json",
        "error not_found",
        _test("sendle"),
        "ErrorResponse",
        status=404,
        status_source="not in the source; 404 (assumed), as its error not_found says",
        numbers=("S34WER4S",),
    ),
    Sample(
        "asendia",
        "karrio_tracking.json",
        "picked up in Bern, in transit, delivered in New York",
        _test("asendia"),
        "TrackingResponse",
        numbers=("ASENDIA123456789",),
    ),
    Sample(
        "asendia",
        "karrio_not_found.json",
        "RFC 7807 problem 'Tracking number not found' (status 404)",
        _test("asendia"),
        "ErrorResponse",
        status=404,
        status_source="the answer's own status field",
        numbers=("INVALID123",),
    ),
    Sample(
        "royalmail",
        "karrio_tracking.json",
        "a Special Delivery item whose last event is EVNMI 'Forwarded - Mis-sort'",
        _test("royalmail"),
        "TrackingResponseJSON",
        commit=BEFORE_REMOVAL,
        numbers=("FQ087430672GB",),
    ),
    Sample(
        "royalmail",
        "karrio_bad_request.json",
        "error E0004 'Failed header validation for X-Accept-RMG-Terms' (httpCode 400)",
        _test("royalmail"),
        "TrackingErrorResponseJSON",
        commit=BEFORE_REMOVAL,
        status=400,
        status_source="the answer's own status field",
        numbers=("FQ087430672GB",),
    ),
    Sample(
        "tnt",
        "karrio_tracking.xml",
        "two shipments under one consignment number, descriptions and depots in CDATA with newlines",
        _test("tnt"),
        "TRACKING_RESPONSE",
        commit=BEFORE_REMOVAL,
        numbers=("123456782", "22222222"),
    ),
    Sample(
        "tnt",
        "karrio_unauthorized.xml",
        "error 9000 'Unauthorized Access'",
        _test("tnt"),
        "TRACKING_ERROR_RESPONSE",
        commit=BEFORE_REMOVAL,
        numbers=("123456782",),
    ),
)


def by_carrier(carrier: str) -> list[Sample]:
    return [sample for sample in SAMPLES if sample.carrier == carrier]


BY_CARRIER_FILE: dict[tuple[str, str], Sample] = {(sample.carrier, sample.file): sample for sample in SAMPLES}
