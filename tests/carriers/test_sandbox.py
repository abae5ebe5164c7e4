"""Sandbox numbers: a near miss (`SANDBOX-Delivered-1`) is told what is needed and the nearest
real sandbox number; every real one is left alone."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parceltrace.carriers.sandbox import parse_sandbox_number, sandbox_hint
from parceltrace.protocol.status import SubStatus


@pytest.mark.parametrize(
    ("number", "suggested"),
    [
        ("SANDBOX-Delivered-1", "SANDBOX-Delivered-Other-1"),
        ("sandbox-intransit-7", "SANDBOX-InTransit-PickedUp-7"),
        ("SANDBOX-Deliverd-Other-3", "SANDBOX-Delivered-Other-3"),
        ("SANDBOX-Exception", "SANDBOX-Exception-Other-1"),
        ("SANDBOX-", "SANDBOX-Delivered-Other-1"),
    ],
)
def test_a_near_miss_is_told_the_nearest_sandbox_number(number: str, suggested: str) -> None:
    hint = sandbox_hint(number)
    assert hint is not None and "sub-status in full" in hint and hint.endswith(f"e.g. {suggested}.")
    assert parse_sandbox_number(suggested) is not None


@given(st.sampled_from(list(SubStatus)), st.integers(min_value=0, max_value=10**18 - 1))
def test_every_real_sandbox_number_gets_no_hint(status: SubStatus, seed: int) -> None:
    assert sandbox_hint(f"SANDBOX-{status.value.replace('_', '-')}-{seed}") is None


@given(st.text(max_size=30))
def test_a_suggestion_is_always_a_real_sandbox_number(tail: str) -> None:
    hint = sandbox_hint(f"SANDBOX-{tail}")
    if hint is not None:
        suggested = hint.rsplit("e.g. ", 1)[1].rstrip(".")
        assert parse_sandbox_number(suggested) is not None


def test_other_numbers_get_no_hint() -> None:
    assert sandbox_hint("RR123456789CN") is None
