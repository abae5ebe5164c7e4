"""Capturing the log as production writes it, and asserting no secret is in it."""

from __future__ import annotations

import io
import json
from typing import Any


def records(buffer: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in buffer.getvalue().splitlines() if line.strip()]


def assert_secret_free(buffer: io.StringIO, *secrets: str) -> None:
    text = buffer.getvalue()
    assert text, "nothing was logged: the failure did not happen"
    for secret in secrets:
        assert secret and secret not in text, f"{secret[:6]}... is in the log:\n{text}"
    for record in records(buffer):
        for exception in record.get("exception", []):
            for frame in exception["frames"]:
                assert "locals" not in frame
