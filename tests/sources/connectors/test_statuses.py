"""The carriers' status tables: data checked as data."""

from __future__ import annotations

import pytest

from parceltrace.protocol.status import SubStatus
from parceltrace.sources.connectors.catalog import SPECS
from parceltrace.sources.connectors.statuses import KARRIO_MAIN, TABLES, sub_status_for


def test_every_connector_has_a_table() -> None:
    assert {spec.name for spec in SPECS} <= set(TABLES)


@pytest.mark.parametrize("name", sorted(TABLES))
def test_no_code_is_mapped_twice_and_every_value_is_a_sub_status(name: str) -> None:
    table = TABLES[name]
    assert len({code.upper() for code in table.codes}) == len(table.codes)
    assert all(code == code.upper() for code in table.codes)
    assert all(isinstance(value, SubStatus) for value in table.codes.values())
    phrases = [phrase for phrase, _ in table.phrases]
    assert all(phrase == phrase.lower() for phrase in phrases)
    assert table.coarse <= set(table.codes)


@pytest.mark.parametrize(
    ("carrier", "code", "description", "karrio", "expected", "known"),
    [
        ("ups", "KB", "DELIVERED", "delivered", "Delivered_Other", True),
        ("ups", "kb", None, None, "Delivered_Other", True),
        ("fedex", "CC", "International shipment release", "in_transit", "InTransit_CustomsReleased", True),
        ("laposte", "DI2", "Distribué à l'expéditeur", "delivered", "Exception_Returned", True),
        (
            "dhl_universal",
            "transit",
            "The shipment has been picked up",
            "in_transit",
            "InTransit_PickedUp",
            True,
        ),
        ("dhl_universal", "transit", "Processed", "in_transit", "InTransit_Other", True),
        (
            "dhl_universal",
            "failure",
            "Not delivered: delivered to the wrong floor",
            None,
            "DeliveryFailure_Other",
            True,
        ),
        (
            "australiapost",
            None,
            "Awaiting collection at Parcel Locker",
            "delivered",
            "AvailableForPickup_Other",
            True,
        ),
        # unknown codes land on the `_Other` of karrio's main status, marked unknown
        ("ups", "ZZ", "Something new", "delivery_delayed", "Exception_Other", False),
        ("fedex", "QQ", None, "out_for_delivery", "OutForDelivery_Other", False),
        ("usps", "99", None, "pending", "InfoReceived", False),
        ("usps", None, None, None, "InTransit_Other", False),
        # karrio copies Australia Post's shipment status onto every event: not trusted
        ("australiapost", None, "Unheard-of scan", "delivered", "InTransit_Other", False),
        ("no_such_carrier", "X", None, "delivered", "Delivered_Other", False),
    ],
)
def test_lookups(
    carrier: str, code: str | None, description: str | None, karrio: str | None, expected: str, known: bool
) -> None:
    mapped = sub_status_for(carrier, code, description, karrio)
    assert (mapped.sub_status.value, mapped.known) == (expected, known)


def test_every_karrio_status_has_a_main_status() -> None:
    assert set(KARRIO_MAIN) == {
        "pending", "picked_up", "in_transit", "on_hold", "cancelled", "delivered", "delivery_failed",
        "delivery_delayed", "out_for_delivery", "ready_for_pickup", "return_to_sender", "unknown",
    }  # fmt: skip
