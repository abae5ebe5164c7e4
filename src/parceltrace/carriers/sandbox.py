"""Sandbox numbers `SANDBOX-<SubStatus>-<seed>` and the sandbox carrier that tracks them."""

from __future__ import annotations

import re

from parceltrace.carriers.registry import SANDBOX_CARRIER
from parceltrace.protocol.status import SubStatus

__all__ = ["SANDBOX_CARRIER", "parse_sandbox_number"]

_PATTERN = re.compile(r"SANDBOX-([A-Za-z]+(?:-[A-Za-z]+)*)-(\d{1,18})", re.IGNORECASE)
_SUB_STATUS = {s.value.lower(): s for s in SubStatus}


def parse_sandbox_number(number: str) -> tuple[SubStatus, int] | None:
    """(final sub-status, seed) of a sandbox number: `_` written as `-`, any case."""
    found = _PATTERN.fullmatch(number)
    if found is None:
        return None
    status = _SUB_STATUS.get(found.group(1).replace("-", "_").lower())
    return (status, int(found.group(2))) if status is not None else None
