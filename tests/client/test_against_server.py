"""The SDK against a real `parceltrace serve` in a subprocess."""

from __future__ import annotations

import re
from pathlib import Path

from parceltrace import AuthenticationError, Client
from tests.runtime.test_server_process import free_port, serving


def test_sdk_against_a_real_server(db_url: str, tmp_path: Path) -> None:
    port = free_port()
    log = tmp_path / "serve.log"
    with serving(db_url, port, log):
        key = re.search(r"API key \(shown once\): ([0-9A-F]{32})", log.read_text())
        assert key, log.read_text()
        base = f"http://127.0.0.1:{port}/track/v2.2"
        with Client(key.group(1), base) as client:
            numbers = [f"SANDBOX-InTransit-Other-{i}" for i in range(45)]
            first = client.register(numbers)
            assert len(first.accepted) == 45 and first.rejected == []
            again = client.register(numbers[:3], skip_registered=True)
            assert again.accepted == [] and len(again.already_registered) == 3
            quota = client.get_quota()
            assert (quota.quota_used, quota.quota_total) == (45, 100)
            listed = list(client.iter_track_list())
            assert len(listed) == 45
            info = client.get_track_info(numbers[:2])
            assert [i.number for i in info.accepted] == [n.upper() for n in numbers[:2]]
            plan = client.register_dry_run([*numbers[:2], "SANDBOX-Delivered-Other-99"])
            assert (plan.cost, len(plan.already_registered)) == (1, 2)
        with Client("0" * 32, base) as wrong:
            try:
                wrong.get_quota()
            except AuthenticationError as exc:
                assert exc.code == -18010002 and exc.status == 401
            else:
                raise AssertionError("a wrong key must raise")
