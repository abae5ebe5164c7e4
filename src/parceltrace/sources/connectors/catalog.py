"""The carriers parceltrace tracks through karrio: which 17TRACK codes each karrio carrier
serves, where its credentials come from, its headquarters' time zone (003: events without an
offset are read in it), how many numbers one call takes and the rate its API allows.

Credential field names are karrio's own settings fields (read from karrio at run time, so they
never drift from the installed version); this table holds only what karrio does not know."""

from __future__ import annotations

from dataclasses import dataclass

INSTALL_HINT = "pip install 'parceltrace[carriers]'"


@dataclass(frozen=True, slots=True)
class Pace:
    """At most `calls` tracking calls every `seconds` (the carrier's documented limit)."""

    calls: int
    seconds: int

    @property
    def per_second(self) -> float:
        return self.calls / self.seconds

    def __str__(self) -> str:
        return f"{self.calls}/{self.seconds}s"


@dataclass(frozen=True, slots=True)
class ConnectorSpec:
    name: str
    """karrio's carrier name (`karrio.gateway[name]`)."""
    label: str
    carriers: tuple[int, ...]
    """17TRACK carrier codes this connector tracks, the main one first."""
    credentials_from: str
    """Where a user gets the credentials."""
    zone: str
    """The carrier's headquarters time zone (IANA)."""
    pace: Pace
    pace_source: str
    """Where the rate limit comes from (or why this default was chosen)."""
    batch: int = 1
    """Numbers per karrio call: carriers whose API takes several numbers at once get batches."""
    needs: tuple[str, ...] = ()
    """Credential fields tracking needs that karrio marks optional (it serves other APIs too)."""
    invalid_number_codes: frozenset[str] = frozenset()
    """The carrier's message codes for "this number is not valid" (17TRACK's
    NotFound_InvalidCode), each seen in a real answer (tests/sources/connectors/real)."""
    undated_are_plans: bool = False
    """The carrier lists the steps still to come, without a date (DPD's life cycle): an
    undated event is not an event."""


SPECS: tuple[ConnectorSpec, ...] = (
    ConnectorSpec(
        "dhl_universal",
        "DHL (Shipment Tracking - Unified)",
        (100001, 7041, 7047, 7048, 101266, 100047, 100152, 100226, 100245, 100392, 100765, 100766),
        "developer.dhl.com: create an app with the 'Shipment Tracking - Unified' API (API key and secret)",
        "Europe/Berlin",
        Pace(1, 5),
        "developer.dhl.com: the initial service level allows 1 call every 5 seconds (raise on request)",
    ),
    ConnectorSpec(
        "ups",
        "UPS",
        (100002, 100398),
        "developer.ups.com: an app with the Tracking API (client ID and secret)",
        "America/New_York",
        Pace(10, 1),
        "not published by UPS; 10 calls/s is a conservative default",
        invalid_number_codes=frozenset({"TV1002"}),  # "Invalid inquiry number"
    ),
    ConnectorSpec(
        "fedex",
        "FedEx",
        (100003,),
        "developer.fedex.com: a project with the Track API (API key and secret key)",
        "America/Chicago",
        Pace(1400, 10),
        "developer.fedex.com: 1,400 transactions per 10 seconds",
        batch=30,
        needs=("track_api_key", "track_secret_key"),
    ),
    ConnectorSpec(
        "usps",
        "USPS",
        (21051,),
        "developer.usps.com: an app with the Tracking 3.0 API (consumer key and secret)",
        "America/New_York",
        Pace(60, 3600),
        "developer.usps.com: 60 calls per hour by default (raise on request)",
    ),
    ConnectorSpec(
        "canadapost",
        "Canada Post",
        (3041,),
        "canadapost.ca/information/app/drc: Developer Program (API username and password)",
        "America/Toronto",
        Pace(5, 1),
        "not published by Canada Post; 5 calls/s is a conservative default",
    ),
    ConnectorSpec(
        "australiapost",
        "Australia Post",
        (1151,),
        "developers.auspost.com.au: Shipping and Tracking API (API key, password, account number)",
        "Australia/Melbourne",
        Pace(10, 60),
        "developers.auspost.com.au: Track Items allows 10 requests per minute",
        batch=10,
        invalid_number_codes=frozenset({"ESB-10001"}),  # "Invalid tracking ID"
    ),
    ConnectorSpec(
        "laposte",
        "La Poste / Colissimo",
        (6051,),
        "developer.laposte.fr: subscribe to the 'Suivi v2' API (X-Okapi-Key)",
        "Europe/Paris",
        Pace(10, 1),
        "not published by La Poste; 10 calls/s is a conservative default",
        batch=10,
        invalid_number_codes=frozenset({"400"}),  # "Le numéro ... n'est pas valide"
    ),
    ConnectorSpec(
        "royalmail",
        "Royal Mail",
        (11031,),
        "developer.royalmail.net: an app with the Tracking API (IBM client ID and secret)",
        "Europe/London",
        Pace(5, 1),
        "not published by Royal Mail; 5 calls/s is a conservative default",
    ),
    ConnectorSpec(
        "gls",
        "GLS (Track and Trace)",
        (100005, 101109, 101070, 101272, 100384, 100207, 100280, 100281, 100282, 100283, 100284),
        "dev-portal.gls-group.net: an app with the Track and Trace API (client ID and secret)",
        "Europe/Amsterdam",
        Pace(5, 1),
        "not published by GLS; 5 calls/s is a conservative default",
        batch=10,
    ),
    ConnectorSpec(
        "hermes",
        "Hermes Germany (HSI)",
        (100031, 100018),
        "Hermes Germany business customers: HSI API access (user, password, client ID and secret)",
        "Europe/Berlin",
        Pace(5, 1),
        "not published by Hermes; 5 calls/s is a conservative default",
        batch=10,
    ),
    ConnectorSpec(
        "purolator",
        "Purolator",
        (100042,),
        "purolator.com/en/shipping/tools/e-ship-web-services: E-Ship web services (key, password, account)",
        "America/Toronto",
        Pace(5, 1),
        "not published by Purolator; 5 calls/s is a conservative default",
        batch=10,
    ),
    ConnectorSpec(
        "asendia",
        "Asendia (Sync API)",
        (100029, 101265),
        "Asendia customer service: Asendia Sync API access (username, password, customer ID)",
        "Europe/Paris",
        Pace(5, 1),
        "not published by Asendia; 5 calls/s is a conservative default",
        needs=("customer_id",),
    ),
    ConnectorSpec(
        "bpost",
        "bpost",
        (2061, 2063),
        "bpost Shipping Manager (bpost.be/portal): account ID and API passphrase",
        "Europe/Brussels",
        Pace(5, 1),
        "not published by bpost; 5 calls/s is a conservative default",
    ),
    ConnectorSpec(
        "dpd",
        "DPD Benelux (Web Connect)",
        (100321, 100811),
        "DPD Belgium or Netherlands customer service: Web Connect (DELIS-ID and password)",
        "Europe/Brussels",
        Pace(5, 1),
        "not published by DPD; 5 calls/s is a conservative default",
        undated_are_plans=True,
    ),
    ConnectorSpec(
        "sendle",
        "Sendle",
        (100123,),
        "app.sendle.com: Settings > Integrations (Sendle ID and API key)",
        "Australia/Sydney",
        Pace(5, 1),
        "not published by Sendle (it answers 429 with Retry-After); 5 calls/s is a conservative default",
    ),
    ConnectorSpec(
        "tnt",
        "TNT (ExpressConnect)",
        (100004, 100241),
        "TNT / FedEx customer service: ExpressConnect tracking access (user and password)",
        "Europe/Amsterdam",
        Pace(5, 1),
        "not published by TNT; 5 calls/s is a conservative default",
        batch=10,
    ),
)
BY_NAME: dict[str, ConnectorSpec] = {spec.name: spec for spec in SPECS}


def spec(name: str) -> ConnectorSpec | None:
    return BY_NAME.get(name)


def names_for_carrier(code: int) -> list[str]:
    """Connectors that track 17TRACK carrier `code`, in order of preference."""
    return [spec.name for spec in SPECS if code in spec.carriers]
