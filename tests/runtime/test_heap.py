"""What long-running processes keep out of the garbage collector's way (see parceltrace.runtime.heap)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import msgspec
import pytest

from parceltrace.carriers.sandbox import SANDBOX_CARRIER
from parceltrace.protocol import structs
from parceltrace.runtime.heap import freeze_startup_objects
from parceltrace.sources.base import TrackingRef
from parceltrace.sources.simulator import journey, plan_for
from parceltrace.tracking.model import decode_result, encode_result

REGISTERED = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def wire_types() -> list[type[msgspec.Struct]]:
    return [
        t
        for t in vars(structs).values()
        if isinstance(t, type) and issubclass(t, structs.Struct) and t is not structs.Struct
    ]


@pytest.mark.parametrize("struct_type", wire_types(), ids=lambda t: t.__name__)
def test_every_wire_structure_is_left_alone_by_the_garbage_collector(
    struct_type: type[msgspec.Struct],
) -> None:
    assert struct_type.__struct_config__.gc is False


def test_built_and_decoded_journeys_hold_no_tracked_structures() -> None:
    ref = TrackingRef("SANDBOX-Delivered-Other-5", SANDBOX_CARRIER.code, 0, None, REGISTERED)
    result = journey(ref, REGISTERED + timedelta(days=12))
    events = [event for provider in result.providers for event in provider.events]
    assert len(events) > 5
    decoded = decode_result(encode_result(result))
    assert decoded is not None
    decoded_events = [event for provider in decoded.providers for event in provider.events]
    for event in [*events, *decoded_events]:
        assert not gc.is_tracked(event)
        assert not gc.is_tracked(event.address) and not gc.is_tracked(event.time_raw)
    plan = plan_for(ref.number, ref.carrier, 0)
    assert not gc.is_tracked(plan) and not any(gc.is_tracked(step) for step in plan.steps)


@pytest.fixture
def unfrozen() -> Iterator[None]:
    yield
    gc.unfreeze()


def test_startup_objects_are_frozen(unfrozen: None) -> None:
    survivor: list[object] = [object()]
    assert any(survivor is o for o in gc.get_objects())
    freeze_startup_objects()
    assert gc.get_freeze_count() > 0
    assert not any(survivor is o for o in gc.get_objects())  # moved to the permanent generation
