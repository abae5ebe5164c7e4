"""The account's settings: webhook URL, test push, signing secret, delivery log, the carrier
connectors' health, and the sandbox clock."""

from __future__ import annotations

from typing import Any

from litestar import Response, get

from parceltrace.protocol.errors import ApiError
from parceltrace.service import connectors as connector_service
from parceltrace.service import sandbox_clock
from parceltrace.service import webhooks as webhook_service
from parceltrace.service.accounts import AccountError, AccountSettings, rotate_webhook_secret, update_account
from parceltrace.service.quota import quota_view
from parceltrace.service.sandbox_clock import iso_utc
from parceltrace.service.web_sessions import WebSession
from parceltrace.sources.connectors.calls import karrio_installed
from parceltrace.web import views
from parceltrace.web.pages import (
    HTML,
    REFUSED,
    AnyRequest,
    _local,
    back,
    current,
    dashboard_of,
    show,
    to_login,
)

CLOCK_STEPS = {"1h": 3600, "1d": 86_400, "7d": 7 * 86_400}


async def settings_page(request: AnyRequest, session: WebSession, new_secret: str | None) -> Response[str]:
    services = dashboard_of(request).services
    log = await webhook_service.delivery_log(services, session.account.name, limit=50)
    quota = quota_view(session.account, services.now_for(session.account.id))
    return await show(request, session, "settings.html", quota=quota, log=log, new_secret=new_secret)


@get("/dashboard/carriers", media_type=HTML)
async def carriers_page(request: AnyRequest) -> Response[Any]:
    """The server's carrier connectors and their health (configured with the CLI): the kind of
    a connector's last trouble, not its text (which may name another tenant's number), and
    the signed-in account's own waiting trackings only."""
    session = await current(request)
    if session is None:
        return to_login(request)
    services = dashboard_of(request).services
    connectors, unserved = await connector_service.list_connectors(services, session.account.id)
    return await show(
        request,
        session,
        "carriers.html",
        sandbox=services.sandbox,
        connectors=connectors,
        unserved=unserved,
        karrio=karrio_installed(),
    )


@get("/dashboard/settings", media_type=HTML)
async def settings(request: AnyRequest) -> Response[Any]:
    session = await current(request)
    if session is None:
        return to_login(request)
    return await settings_page(request, session, None)


async def do_webhook(request: AnyRequest, session: WebSession, fields: dict[str, str]) -> Response[Any]:
    url = fields.get("webhook_url", "").strip()
    services = dashboard_of(request).services
    try:
        await update_account(
            services, session.account.name, AccountSettings(webhook_url=url), services.webhook_policy
        )
    except AccountError as exc:
        return await back(request, session, "/dashboard/settings", f"{REFUSED}{exc}", error=True)
    return await back(
        request, session, "/dashboard/settings", "Webhook URL saved." if url else "Webhook URL removed."
    )


async def do_test(request: AnyRequest, session: WebSession, fields: dict[str, str]) -> Response[Any]:
    services = dashboard_of(request).services
    try:
        outcome = await webhook_service.test_webhook(services, session.account.name, services.webhook_policy)
    except AccountError as exc:
        return await back(request, session, "/dashboard/settings", f"Test push not sent — {exc}", error=True)
    text = (
        f"Test push answered HTTP {outcome.status_code} in {outcome.latency_ms} ms."
        if outcome.ok
        else f"Test push failed — {outcome.detail}"
    )
    return await back(request, session, "/dashboard/settings", text, error=not outcome.ok)


async def do_rotate(request: AnyRequest, session: WebSession, fields: dict[str, str]) -> Response[Any]:
    secret = await rotate_webhook_secret(dashboard_of(request).services, session.account.name)
    return await settings_page(request, session, secret)


async def do_redeliver(request: AnyRequest, session: WebSession, fields: dict[str, str]) -> Response[Any]:
    message_id = fields.get("message_id", "")
    services = dashboard_of(request).services
    try:
        await webhook_service.redeliver(services, message_id, account_id=session.account.id)
    except AccountError:
        return await back(
            request, session, "/dashboard/settings", "No such message in this account.", error=True
        )
    return await back(request, session, "/dashboard/settings", f"Message {message_id} queued again.")


async def do_clock(request: AnyRequest, session: WebSession, fields: dict[str, str]) -> Response[Any]:
    web = dashboard_of(request)
    destination = _local(fields.get("next", "")) or "/dashboard/trackings"
    if web.advancer is None or web.clock is None:
        return await back(
            request, session, destination, "The clock can only be moved in sandbox mode.", error=True
        )
    step = fields.get("step", "")
    asked = {"seconds": CLOCK_STEPS[step]} if step in CLOCK_STEPS else {"to": fields.get("to", "").strip()}
    try:
        report = await sandbox_clock.move(web.advancer, web.services.clocks.of(session.account.id), **asked)
    except ApiError as exc:
        now = views.when(web.services.now_for(session.account.id))
        text = (
            f"Clock not moved — {exc.message} ({exc.code.value}). The sandbox clock only moves "
            f"forward; it is now {now}."
        )
        return await back(request, session, destination, text, error=True)
    moment = iso_utc(report.now)[:16].replace("T", " ")
    text = f"Sandbox clock now {moment} UTC ({report.polls} polls, {report.stopped} stopped)."
    return await back(request, session, destination, text)
