"""One account's webhook URL cannot break another's deliveries: bad URLs are refused when
saved (service, CLI, dashboard), and one saved before these rules fails only its own delivery."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import update
from typer.testing import CliRunner

from parceltrace.cli.main import app
from parceltrace.clock import FixedClock
from parceltrace.service.accounts import (
    AccountError,
    AccountSettings,
    get_account,
    list_accounts,
    update_account,
)
from parceltrace.service.context import Services
from parceltrace.store.tables import accounts
from parceltrace.worker.runner import Worker
from tests import stored
from tests.conftest import Api, Dashboard, NewKey
from tests.webhooks.receiver import receiving

BAD_URLS = [
    "http://127.0.0.1:99999/",
    "http://127.0.0.1:abc/",
    "http://a..b/",
    "http://" + "a" * 64 + ".example/",
    "http://[::1/",
    "http://127.0.0.1:0/",
    "ftp://example.com/",
    "http://exa mple.com/",
    "http://" + "a" * 2048 + ".example/",
    "https://bad_label-.example/",
]
NUMBER = "SANDBOX-Delivered-Other-1"


@pytest.mark.parametrize("url", BAD_URLS)
async def test_bad_urls_are_refused_when_saved(services: Services, new_key: NewKey, url: str) -> None:
    await new_key("shop")
    with pytest.raises(AccountError, match="-18010202"):
        await update_account(services, "shop", AccountSettings(webhook_url=url))
    account = await get_account(services, "shop")
    assert account is not None and account.webhook_url is None


@pytest.mark.parametrize(
    ("url", "saved_as"),
    [
        ("http://127.0.0.1:8080/hook", "http://127.0.0.1:8080/hook"),
        ("https://bücher.example/x", "https://xn--bcher-kva.example/x"),
        ("http://[::1]:9/h", "http://[::1]:9/h"),
        ("http://127\u30020\uff0e0\uff611:8080/hook", "http://127.0.0.1:8080/hook"),
    ],
)
async def test_good_urls_are_saved_as_the_client_connects(
    services: Services, new_key: NewKey, url: str, saved_as: str
) -> None:
    """What is saved is the host the HTTP client connects to, so every later check reads it."""
    await new_key("shop")
    saved = await update_account(services, "shop", AccountSettings(webhook_url=f"  {url} "))
    assert saved.webhook_url == saved_as


@pytest.mark.parametrize("url", ["http://127\u30020\u30020\u30021:8080/x", "http://10\uff0e0.0.1/x"])
async def test_a_tenant_cannot_save_a_hidden_internal_address_in_live_mode(
    services: Services, new_key: NewKey, url: str
) -> None:
    from parceltrace.outbox.safety import WebhookPolicy

    await new_key("shop")
    with pytest.raises(AccountError, match=r"-18010202.*(loopback|private)"):
        await update_account(
            services, "shop", AccountSettings(webhook_url=url), WebhookPolicy.for_mode(sandbox=False)
        )


@pytest.mark.parametrize("url", ["http://127.0.0.1:99999/", "http://[::1/", "http://a..b/"])
def test_the_cli_refuses_a_bad_url_with_status_2(db_url: str, url: str) -> None:
    runner = CliRunner()
    assert runner.invoke(app, ["account", "create", "shop", "--db", db_url]).exit_code == 0
    result = runner.invoke(app, ["account", "update", "shop", "--webhook", url, "--db", db_url])
    assert result.exit_code == 2, result.output
    assert "-18010202" in result.output and "Traceback" not in result.output
    created = runner.invoke(app, ["account", "create", "other", "--webhook", url, "--db", db_url])
    assert created.exit_code == 2 and "-18010202" in created.output


@pytest.mark.parametrize("url", ["http://[::1/", "http://127.0.0.1:99999/"])
async def test_the_dashboard_refuses_a_bad_url_without_a_500(dashboard: Dashboard, url: str) -> None:
    page = await dashboard.post("/dashboard/settings/webhook", webhook_url=url)
    assert page.status_code == 200
    assert "-18010202" in page.text and "Webhook URL saved" not in page.text


@pytest.mark.parametrize(
    "bad_url", ["http://[::1/", "http://127.0.0.1:99999/", "http://a..b/", "http://127.0.0.1:abc/"]
)
async def test_a_stored_bad_url_fails_only_its_own_delivery(
    client: Any, new_key: NewKey, services: Services, worker: Worker, clock: FixedClock, bad_url: str
) -> None:
    """URLs saved before validation existed: the other account's message goes out once, the
    bad one is recorded as a failed attempt, and the batch is not sent again."""
    async with receiving() as receiver:
        good = Api(client, await new_key("good", webhook_url=receiver.url))
        bad = Api(client, await new_key("bad", webhook_url="http://127.0.0.1:9/placeholder"))
        async with services.store.write() as conn:
            await conn.execute(update(accounts).where(accounts.c.name == "bad").values(webhook_url=bad_url))
        await bad.call("register", [{"number": NUMBER}])
        await good.call("register", [{"number": NUMBER}])
        for _ in range(5):
            await worker.run_once()
        assert len(receiver.received) == 1
    names = {a.id: a.name for a in await list_accounts(services)}
    messages = {names[d.account_id]: d for d in await stored.deliveries(services.store)}
    logged = {names[a.account_id]: a for a in await stored.attempts(services.store)}
    assert messages["good"].state == "delivered" and messages["good"].attempts == 1
    assert messages["bad"].state == "pending" and messages["bad"].attempts == 1
    assert "not a usable webhook URL" in (logged["bad"].error or "")
    assert len(await stored.attempts(services.store)) == 2
