"""Credentials out of what a source says: a carrier or upstream that echoes the operator's key in
an error (a 401 that repeats the key it refused) must not put it in a tracking's `sync_error`, a
connector's `last_error`, the log or a dashboard page. Each known secret is replaced as written,
URL-encoded, and base64-encoded alone or in an HTTP Basic pair."""

from __future__ import annotations

import base64
import itertools
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

REDACTED = "[redacted]"
SHORTEST = 4
"""Values shorter than this (a test-mode flag, a country code) are not secrets to look for."""


def secret_forms(secrets: Iterable[str]) -> list[str]:
    """Every form in which these secrets may come back, longest first."""
    values = sorted({s for s in secrets if len(s) >= SHORTEST})
    forms = set(values)
    for value in values:
        forms.update((quote(value, safe=""), quote_plus(value), base64.b64encode(value.encode()).decode()))
    for first, second in itertools.permutations(values, 2):
        forms.add(base64.b64encode(f"{first}:{second}".encode()).decode())
    return sorted(forms, key=len, reverse=True)


def redacted(text: str, forms: list[str]) -> str:
    """`text` with every form of the secrets replaced."""
    for form in forms:
        if form in text:
            text = text.replace(form, REDACTED)
    return text
