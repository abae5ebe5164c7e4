"""The pytest plugin (registered by installing parceltrace): a sandbox server and a webhook
receiver as fixtures. See `parceltrace.testing`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from parceltrace.testing import SandboxServer, WebhookReceiver

__all__ = ["parceltrace_sandbox", "parceltrace_webhooks"]


@pytest.fixture
def parceltrace_sandbox() -> Iterator[SandboxServer]:
    """A sandbox parceltrace server for this test: `.url`, `.key`, `.client()`, `.advance(days=…)`."""
    with SandboxServer() as sandbox:
        yield sandbox


@pytest.fixture
def parceltrace_webhooks(parceltrace_sandbox: SandboxServer) -> Iterator[WebhookReceiver]:
    """A receiver the sandbox account pushes to: `.pushes`, `.wait_for(predicate)`."""
    with WebhookReceiver(parceltrace_sandbox.key) as receiver:
        parceltrace_sandbox.set_webhook(receiver.url)
        yield receiver
