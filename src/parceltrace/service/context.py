"""What every service call needs: the store, the clock, and the process's write groups."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from parceltrace.clock import Clock
from parceltrace.store.engine import Store
from parceltrace.store.group_commit import GroupCommit


@dataclass(slots=True)
class Services:
    store: Store
    clock: Clock
    sandbox: bool = True
    register_group: GroupCommit[Any, Any] | None = None
    """Created on first use by service.register; one per process."""
