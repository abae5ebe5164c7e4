from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from parceltrace.carriers.sandbox import SANDBOX_CARRIER, parse_sandbox_number
from parceltrace.protocol.status import SubStatus
from parceltrace.protocol.structs import EstimatedDeliveryDate, MiscInfo, ShippingInfo
from parceltrace.sources.base import TrackingRef
from parceltrace.sources.simulator import journey
from parceltrace.tracking.derive import derive_track_info, parse_utc

R = datetime(2026, 6, 1, 8, 30, 15, tzinfo=UTC)
SANDBOX = SANDBOX_CARRIER.code


def sandbox_number(status: SubStatus, seed: int = 1) -> str:
    return f"SANDBOX-{status.value.replace('_', '-')}-{seed}"


def ref(number: str, carrier: int = SANDBOX, final: int = 0) -> TrackingRef:
    return TrackingRef(number, carrier, final, None, R)


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("SANDBOX-Delivered-Other-1", (SubStatus.DELIVERED_OTHER, 1)),
        ("sandbox-exception-returned-7", (SubStatus.EXCEPTION_RETURNED, 7)),
        ("SANDBOX-InfoReceived-3", (SubStatus.INFO_RECEIVED, 3)),
        ("SANDBOX-NotFound-InvalidCode-2", (SubStatus.NOT_FOUND_INVALID_CODE, 2)),
        ("SANDBOX-Delivered-1", None),
        ("SANDBOX-Teleported-Other-1", None),
        ("SANDBOX-Delivered-Other-x", None),
        ("RR123456789CN", None),
    ],
)
def test_parse_sandbox_number(number: str, expected: tuple[SubStatus, int] | None) -> None:
    assert parse_sandbox_number(number) == expected


@pytest.mark.parametrize("status", list(SubStatus), ids=[s.value for s in SubStatus])
@pytest.mark.parametrize("seed", [1, 2, 7, 12345])
def test_every_sub_status_is_reached_within_ten_days(status: SubStatus, seed: int) -> None:
    result = journey(ref(sandbox_number(status, seed)), R + timedelta(days=10))
    assert result.complete
    info = derive_track_info(result, R + timedelta(days=10), None, None)
    assert (info.latest_status.status, info.latest_status.sub_status) == (status.main.value, status.value)
    before = journey(ref(sandbox_number(status, seed)), R + timedelta(days=9, hours=19))
    last = parse_utc(info.latest_event.time_utc) if info.latest_event else None
    assert last is None or last <= R + timedelta(days=10)
    assert before.complete or status.main.value != "NotFound"


@pytest.mark.parametrize("status", [s for s in SubStatus if s.main.value != "NotFound"])
def test_first_poll_already_shows_info_received(status: SubStatus) -> None:
    result = journey(ref(sandbox_number(status)), R + timedelta(seconds=1))
    info = derive_track_info(result, R + timedelta(seconds=1), None, None)
    assert info.latest_status.sub_status == "InfoReceived"


def test_journeys_are_deterministic() -> None:
    a = journey(ref("SANDBOX-Delivered-Other-5"), R + timedelta(days=3))
    b = journey(ref("SANDBOX-Delivered-Other-5"), R + timedelta(days=3))
    c = journey(ref("SANDBOX-Delivered-Other-6"), R + timedelta(days=3))
    assert a == b
    assert a.shipping_info != c.shipping_info or a.providers != c.providers


def test_events_carry_consistent_local_and_utc_times() -> None:
    result = journey(ref("RR123456789CN", 3011), R + timedelta(days=10))
    for provider in result.providers:
        for event in provider.events:
            assert event.time_iso and event.time_utc and event.time_raw.timezone
            local = datetime.fromisoformat(event.time_iso)
            assert local.astimezone(UTC) == parse_utc(event.time_utc)
            assert event.time_iso.endswith(event.time_raw.timezone)
            assert event.address.coordinates.latitude is not None


def test_international_postal_item_has_two_providers() -> None:
    result = journey(ref("RR123456789CN", 3011), R + timedelta(days=10))
    keys = [p.provider.key for p in result.providers]
    assert keys[1] == 3011 and keys[0] != 3011  # destination post first, origin post second
    assert result.misc_info.local_key == keys[0] and result.misc_info.local_number == "RR123456789CN"
    assert result.shipping_info.shipper_address.country == "CN"
    explicit = journey(ref("RR123456789CN", 3011, final=21051), R + timedelta(days=10))
    assert [p.provider.key for p in explicit.providers] == [21051, 3011]


def test_express_item_has_one_provider_and_an_estimated_window() -> None:
    result = journey(ref("1Z999AA10123456784", 100002), R + timedelta(days=1))
    assert [p.provider.key for p in result.providers] == [100002]
    eta = result.estimated_delivery
    assert eta.source == "Official" and eta.from_ is not None and eta.to is not None
    assert datetime.fromisoformat(eta.from_) < datetime.fromisoformat(eta.to)


def test_changes_at_is_the_next_event() -> None:
    early = journey(ref("SANDBOX-Delivered-Other-1"), R + timedelta(seconds=1))
    assert early.changes_at is not None and not early.complete
    later = journey(ref("SANDBOX-Delivered-Other-1"), early.changes_at)
    assert len(later.providers[0].events) == len(early.providers[0].events) + 1


@pytest.mark.parametrize("number", ["SANDBOX-NotFound-Other-1", "SANDBOX-NotFound-InvalidCode-2"])
def test_not_found_is_003s_not_found_example(number: str) -> None:
    """The carrier's own entry, synced, without events; no shipping or package details."""
    result = journey(ref(number), R + timedelta(days=5))
    assert result.complete and result.changes_at is None
    [provider] = result.providers
    assert (provider.provider.key, provider.latest_sync_status, provider.events) == (999001, "Success", [])
    assert provider.latest_sync_time == (R + timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert provider.service_type is None
    assert result.shipping_info == ShippingInfo() and result.misc_info == MiscInfo()
    assert result.estimated_delivery == EstimatedDeliveryDate()
