"""karrio on this machine's loopback only: any request of a connector test to another host is
refused before a packet leaves (the handler every karrio request passes through)."""

from __future__ import annotations

import pytest

from parceltrace.sources.connectors import calls


@pytest.fixture(autouse=True)
def karrio_on_loopback_only() -> None:
    calls.prepare_karrio(loopback_only=True)
