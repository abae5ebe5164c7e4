"""karrio's parsed details as parceltrace maps them, on karrio's own recorded parses."""

from __future__ import annotations

from datetime import UTC, datetime

from parceltrace.sources.connectors.catalog import BY_NAME
from parceltrace.sources.connectors.mapping import Leg, source_result

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def test_a_service_written_as_html_is_shown_as_its_words() -> None:
    """karrio's recorded USPS parse (modules/connectors/usps/tests/usps/test_tracking.py at
    deea10f8, `shipment_service`) carries USPS's HTML: `<SUP>&#153;</SUP>`."""
    detail = {
        "tracking_number": "9400100000000000000000",
        "info": {"shipment_service": "USPS Ground Advantage<SUP>&#153;</SUP>"},
    }
    result = source_result([Leg(21051, BY_NAME["usps"], detail, {})], NOW)
    assert result.providers[0].service_type == "USPS Ground Advantage\u2122"
    assert result.misc_info.service_type == "USPS Ground Advantage\u2122"


def test_plain_text_is_kept_as_it_is() -> None:
    detail = {"info": {"shipment_service": "FedEx Freight Economy."}}
    assert (
        source_result([Leg(100003, BY_NAME["fedex"], detail, {})], NOW).misc_info.service_type
        == "FedEx Freight Economy."
    )


def test_a_delivered_parcel_has_no_estimate() -> None:
    """karrio's recorded Sendle parse (modules/connectors/sendle/tests/sendle/test_tracking.py at
    deea10f8): `delivered: true` with `estimated_delivery` 2023-04-05, Sendle's `delivered_on`.
    It was shown as an official estimate (with Sendle's +10:00 on a US parcel)."""
    delivered = {"delivered": True, "estimated_delivery": "2023-04-05"}
    result = source_result([Leg(100123, BY_NAME["sendle"], delivered, {})], NOW)
    assert result.estimated_delivery.from_ is None and result.estimated_delivery.source is None
    on_its_way = {"delivered": False, "estimated_delivery": "2023-04-05"}
    estimate = source_result([Leg(100123, BY_NAME["sendle"], on_its_way, {})], NOW).estimated_delivery
    assert estimate.source == "Official" and (estimate.from_ or "").startswith("2023-04-05")
