"""Long-running processes move what start-up allocated out of the garbage collector's way."""

from __future__ import annotations

import gc


def freeze_startup_objects() -> None:
    """Everything allocated by start-up (modules, carrier tables, compiled statements) lives as
    long as the process; `gc.freeze()` keeps every full collection from walking it again. Under
    the soak, full collections over that heap paused the whole server 80-150 ms at a time."""
    gc.collect()
    gc.freeze()
