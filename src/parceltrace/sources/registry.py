"""Which source tracks which carrier."""

from __future__ import annotations

from parceltrace.sources.base import NoSource, Source
from parceltrace.sources.simulator import Simulator


class SourceRegistry:
    """Sandbox mode: the simulator tracks every carrier. Live mode: no source is wired in yet."""

    def __init__(self, sandbox: bool) -> None:
        self.default: Source = Simulator() if sandbox else NoSource()

    def for_carrier(self, carrier: int) -> Source:
        return self.default
