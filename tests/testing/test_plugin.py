"""parceltrace.testing used as an integrator would: the README's example test, word for word,
through the pytest plugin's fixtures; and the same with the context managers (unittest)."""

from __future__ import annotations

import unittest

import httpx
import pytest

from parceltrace.testing import SandboxServer, WebhookReceiver


# The README's example, unchanged:
def test_a_delivered_parcel_is_pushed(parceltrace_sandbox, parceltrace_webhooks):  # type: ignore[no-untyped-def]
    with parceltrace_sandbox.client() as client:
        client.register(["SANDBOX-Delivered-Other-1"])
    parceltrace_sandbox.advance(days=10)
    push = parceltrace_webhooks.wait_for(
        lambda p: p.event == "TRACKING_UPDATED" and p.data.track_info.latest_status.status == "Delivered"
    )
    assert push.data.number == "SANDBOX-DELIVERED-OTHER-1"


def test_the_fixtures_give_a_fresh_server_and_key(parceltrace_sandbox: SandboxServer) -> None:
    with parceltrace_sandbox.client() as client:
        assert client.get_quota().quota_used == 0
        assert client.get_track_list().page.data_total == 0
    moved = parceltrace_sandbox.advance(hours=1)
    assert set(moved) >= {"now", "polls"}


def test_a_push_with_a_wrong_sign_is_refused_and_not_kept() -> None:
    with WebhookReceiver("KEY") as hooks:
        answer = httpx.post(
            hooks.url, content=b'{"event": "TRACKING_STOPPED", "data": {}}', headers={"sign": "0" * 64}
        )
        assert answer.status_code == 401
        assert (hooks.pushes, hooks.refused) == ([], 1)
        with pytest.raises(TimeoutError):
            hooks.wait_for(lambda push: True, timeout=0.2)


class WithoutPytestFixtures(unittest.TestCase):
    """unittest users: the same through context managers."""

    def test_a_tracking_that_stops_is_pushed(self) -> None:
        """Delivered, then stopped 15 days later (003's rule): both pushed, in that order."""
        with SandboxServer() as sandbox, WebhookReceiver(sandbox.key) as hooks:
            sandbox.set_webhook(hooks.url)
            with sandbox.client() as client:
                client.register(["SANDBOX-Delivered-Other-5"])
            sandbox.advance(days=30)
            stopped = hooks.wait_for(lambda p: p.event == "TRACKING_STOPPED")
            self.assertEqual(stopped.data.number, "SANDBOX-DELIVERED-OTHER-5")
            events = [p.event for p in hooks.pushes]
            self.assertLess(events.index("TRACKING_UPDATED"), events.index("TRACKING_STOPPED"))
