from __future__ import annotations

import json
from typing import Any

from typer.testing import CliRunner

from parceltrace.cli.main import app
from parceltrace.outbox.safety import WebhookPolicy
from parceltrace.service.context import Services
from tests import stored
from tests.conftest import Api, NewKey, Poll
from tests.webhooks.receiver import receiving

runner = CliRunner()


def cli(db_url: str, *args: str) -> Any:
    result = runner.invoke(app, [*args, "--db", db_url])
    return result


def test_secret_is_shown_on_request_and_rotates(db_url: str) -> None:
    created = json.loads(cli(db_url, "account", "create", "shop", "--show-webhook-secret", "--json").stdout)
    assert created["webhook_secret"].startswith("whsec_")
    again = json.loads(cli(db_url, "account", "update", "shop", "--show-webhook-secret", "--json").stdout)
    assert again["webhook_secret"] == created["webhook_secret"]
    rotated = json.loads(cli(db_url, "account", "rotate-webhook-secret", "shop", "--json").stdout)
    assert rotated["webhook_secret"] not in (created["webhook_secret"], "")
    plain = json.loads(cli(db_url, "account", "create", "other", "--json").stdout)
    assert "webhook_secret" not in plain


async def test_test_webhook_reports_the_outcome(db_url: str) -> None:
    await _in_thread(db_url, "account", "create", "shop")
    missing = await _in_thread(db_url, "account", "test-webhook", "shop")
    assert missing.exit_code == 2 and "-18010201" in missing.output
    async with receiving([200]) as good:
        await _in_thread(db_url, "account", "update", "shop", "--webhook", good.url)
        ok = await _in_thread(db_url, "account", "test-webhook", "shop")
        assert ok.exit_code == 0 and "Operation done" in ok.output
        assert json.loads(good.received[0].body)["event"] == "TRACKING_STOPPED"
    async with receiving([503]) as bad:
        await _in_thread(db_url, "account", "update", "shop", "--webhook", bad.url)
        failed = await _in_thread(db_url, "account", "test-webhook", "shop")
        assert failed.exit_code == 1 and "-18010203" in failed.output and "'503'" in failed.output
        refused = await _in_thread(db_url, "account", "test-webhook", "shop", "--live")
        assert refused.exit_code == 1 and "loopback" in refused.output


async def _in_thread(db_url: str, *args: str) -> Any:
    """The CLI runs its own event loop; run it off this test's loop so the receiver keeps serving."""
    import asyncio

    return await asyncio.to_thread(cli, db_url, *args)


async def test_delivery_log_and_redelivery(
    client: Any, new_key: NewKey, services: Services, poll: Poll, db_url: str
) -> None:
    async with receiving([500, 200]) as receiver:
        api = Api(client, await new_key("hooked", webhook_url=receiver.url))
        await api.call("register", [{"number": "SANDBOX-Delivered-Other-1"}])
        await poll()
        log = json.loads((await _in_thread(db_url, "deliveries", "hooked", "--json")).stdout)
        assert [(a["event"], a["status_code"], a["state"]) for a in log] == [
            ("TRACKING_UPDATED", 500, "pending")
        ]
        redone = await _in_thread(db_url, "redeliver", log[0]["message_id"])
        assert redone.exit_code == 0
        await poll()
    log = json.loads((await _in_thread(db_url, "deliveries", "hooked", "--json")).stdout)
    assert [a["status_code"] for a in log] == [200, 500]
    table = (await _in_thread(db_url, "deliveries", "hooked")).stdout
    assert log[0]["message_id"] in table and log[0]["number"] in table, "not cut at 80 columns"
    assert len({r.headers["webhook-id"] for r in receiver.received}) == 1
    unknown = await _in_thread(db_url, "redeliver", "msg_nope")
    assert unknown.exit_code == 2


async def test_live_mode_refuses_a_loopback_receiver_at_delivery(
    client: Any, new_key: NewKey, services: Services, poll: Poll
) -> None:
    services.webhook_policy = WebhookPolicy.for_mode(sandbox=False)
    async with receiving() as receiver:
        api = Api(client, await new_key("hooked", webhook_url=receiver.url))
        await api.call("register", [{"number": "SANDBOX-Delivered-Other-1"}])
        await poll()
    assert receiver.received == []
    assert [d.attempts for d in await stored.deliveries(services.store)] == [1]
