"""What a client is told while the database is out of reach (the outage itself is the store's:
`Store.outage` logs it once and finds its end)."""

from __future__ import annotations

RETRY_AFTER = 5
"""Seconds a client is asked to wait (`Retry-After`) while the database is out of reach."""
