from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from parceltrace.protocol.status import KeyStage, SubStatus
from parceltrace.tracking.status_map import STAGE_OF, normalize_sub_status


def test_no_stage_is_marked_by_two_sub_statuses() -> None:
    assert len(set(STAGE_OF.values())) == len(STAGE_OF) == len(KeyStage)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Delivered_Other", SubStatus.DELIVERED_OTHER),
        ("delivered_other", SubStatus.DELIVERED_OTHER),
        ("InfoReceived", SubStatus.INFO_RECEIVED),
        ("Exception_Exploded", SubStatus.EXCEPTION_OTHER),
        ("DeliveryFailure_Weather", SubStatus.DELIVERY_FAILURE_OTHER),
        ("InfoReceived_Whatever", SubStatus.INFO_RECEIVED),
        ("Teleported", SubStatus.IN_TRANSIT_OTHER),
        (None, SubStatus.IN_TRANSIT_OTHER),
        ("", SubStatus.IN_TRANSIT_OTHER),
    ],
)
def test_normalize(raw: str | None, expected: SubStatus) -> None:
    assert normalize_sub_status(raw) is expected


@given(st.text(max_size=40))
def test_normalize_never_fails(raw: str) -> None:
    assert normalize_sub_status(raw) in SubStatus
