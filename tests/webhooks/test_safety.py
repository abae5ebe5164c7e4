from __future__ import annotations

import pytest

from parceltrace.webhooks.safety import WebhookPolicy

LIVE = WebhookPolicy.for_mode(sandbox=False)
SANDBOX = WebhookPolicy.for_mode(sandbox=True)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://127.0.0.1:9000/hook", "loopback"),
        ("http://localhost/hook", "loopback"),
        ("http://[::1]/hook", "loopback"),
        ("http://10.1.2.3/hook", "private"),
        ("http://192.168.0.10/hook", "private"),
        ("http://172.16.5.5/hook", "private"),
        ("http://169.254.169.254/latest/meta-data", "cloud metadata"),
        ("http://169.254.10.10/hook", "link-local"),
        ("http://0.0.0.0/hook", "private"),
        ("ftp://example.com/hook", "not an http"),
    ],
)
async def test_live_mode_refuses_internal_addresses(url: str, reason: str) -> None:
    refusal = await LIVE.refusal(url)
    assert refusal is not None and reason in refusal


async def test_live_mode_allows_public_addresses_and_listed_hosts() -> None:
    assert await LIVE.refusal("http://93.184.216.34/hook") is None
    allowed = WebhookPolicy.for_mode(sandbox=False, allowed_hosts=["127.0.0.1", "LOCALHOST"])
    assert await allowed.refusal("http://127.0.0.1:9000/hook") is None
    assert await allowed.refusal("http://localhost/hook") is None


async def test_sandbox_allows_loopback_only() -> None:
    assert await SANDBOX.refusal("http://127.0.0.1:9000/hook") is None
    assert await SANDBOX.refusal("http://10.0.0.1/hook") is not None
    assert await SANDBOX.refusal("http://169.254.169.254/") is not None
