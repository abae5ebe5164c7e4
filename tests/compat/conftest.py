"""A real `parceltrace serve` (sandbox, SQLite) for third-party 17TRACK clients to talk to."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.runtime.test_server_process import BIN, free_port, serving


@dataclass(frozen=True)
class Live:
    base: str
    key: str

    def advance(self, days: int) -> None:
        """Moves this account's sandbox clock, running every poll that falls due on the way."""
        response = httpx.post(
            f"{self.base}/sandbox/clock/advance",
            json={"seconds": days * 86_400},
            headers={"17token": self.key},
            timeout=60,
        )
        assert response.status_code == 200, response.text

    def v22(self, operation: str, body: object) -> Any:
        """What the v2.2 API says, to check a client's values against."""
        response = httpx.post(f"{self.base}/track/v2.2/{operation}", json=body, headers={"17token": self.key})
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture
def live(tmp_path: Path) -> Iterator[Live]:
    """The server, and an account made with the CLI while it runs (no rate limit: the tests
    call faster than 17TRACK's 3 requests a second)."""
    port = free_port()
    db = f"sqlite:///{tmp_path / 'compat.db'}"
    with serving(db, port, tmp_path / "serve.log"):
        made = subprocess.run(
            [str(BIN), "account", "create", "compat", "--rate-limit", "0", "--json", "--db", db],
            capture_output=True,
            check=True,
            timeout=60,
        )
        yield Live(f"http://127.0.0.1:{port}", json.loads(made.stdout)["key"])
