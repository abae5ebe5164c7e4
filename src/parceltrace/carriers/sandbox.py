"""Sandbox numbers `SANDBOX-<SubStatus>-<seed>` and the sandbox carrier that tracks them."""

from __future__ import annotations

import difflib
import re

from parceltrace.carriers.registry import SANDBOX_CARRIER
from parceltrace.protocol.status import SubStatus

__all__ = ["SANDBOX_CARRIER", "parse_sandbox_number", "sandbox_hint"]

_PATTERN = re.compile(r"SANDBOX-([A-Za-z]+(?:-[A-Za-z]+)*)-(\d{1,18})", re.IGNORECASE)
_SUB_STATUS = {s.value.lower(): s for s in SubStatus}


def parse_sandbox_number(number: str) -> tuple[SubStatus, int] | None:
    """(final sub-status, seed) of a sandbox number: `_` written as `-`, any case."""
    found = _PATTERN.fullmatch(number)
    if found is None:
        return None
    status = _SUB_STATUS.get(found.group(1).replace("-", "_").lower())
    return (status, int(found.group(2))) if status is not None else None


_NEAR_MISS = re.compile(r"SANDBOX-([A-Za-z_-]*?)-?(\d{1,18})?", re.IGNORECASE)


def sandbox_hint(number: str) -> str | None:
    """For a number meant as a sandbox number that is not one (`SANDBOX-Delivered-1`): what is
    needed, and the nearest sandbox number. None for any other number."""
    if not number.upper().startswith("SANDBOX-") or parse_sandbox_number(number) is not None:
        return None
    found = _NEAR_MISS.fullmatch(number)
    name = (found.group(1) if found else "").replace("-", "_").lower()
    seed = found.group(2) if found and found.group(2) else "1"
    values = [s.value for s in SubStatus]
    starting = [v for v in values if name and v.lower().startswith(name)]
    close = difflib.get_close_matches(name, [v.lower() for v in values], n=1, cutoff=0.3)
    nearest = starting[0] if starting else _SUB_STATUS[close[0]].value if close else "Delivered_Other"
    return (
        "A sandbox number names a sub-status in full: SANDBOX-<SubStatus>-<seed>, e.g. "
        f"SANDBOX-{nearest.replace('_', '-')}-{seed}."
    )
