"""Property: no body, however malformed, gets anything but a documented JSON answer."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parceltrace.api.operations import OPERATIONS
from tests.conftest import Api

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=60)
field_names = st.sampled_from(
    ["number", "carrier", "tag", "lang", "param", "email", "items", "carrier_new", "carrier_old",
     "final_carrier", "page_no", "order_by", "register_time_from", "cacheLevel", "auto_detection"]
)  # fmt: skip
items = st.dictionaries(
    field_names, scalars | st.dictionaries(st.text(max_size=6), scalars, max_size=3), max_size=6
)
bodies = st.one_of(
    st.lists(items, max_size=45).map(lambda v: json.dumps(v).encode()),
    items.map(lambda v: json.dumps(v).encode()),
    st.binary(max_size=300),
    st.recursive(scalars, lambda c: st.lists(c, max_size=4), max_leaves=10).map(
        lambda v: json.dumps(v).encode()
    ),
)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(operation=st.sampled_from(sorted(OPERATIONS)), body=bodies)
async def test_random_bodies_never_yield_a_server_error(api: Api, operation: str, body: bytes) -> None:
    response = await api.raw(operation, raw=body)
    assert response.status_code == 200, response.text
    payload: Any = response.json()
    assert payload["code"] == 0
    assert "errors" in payload["data"] or "accepted" in payload["data"] or "quota_total" in payload["data"]
