"""What every service call needs: the store and the clock."""

from __future__ import annotations

from dataclasses import dataclass

from parceltrace.clock import Clock
from parceltrace.store.engine import Store


@dataclass(frozen=True, slots=True)
class Services:
    store: Store
    clock: Clock
    sandbox: bool = True
