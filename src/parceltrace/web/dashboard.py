"""The dashboard's routes: thin handlers that call the same service functions as the API, so
the dashboard follows the API's rules and shows its error messages.

Signed in by an API key; the session cookie is HttpOnly and SameSite=Lax, and every POST must
carry the session's CSRF token (form field or `X-CSRF-Token` header, which htmx sends)."""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

import msgspec
from litestar import Request, Response, get, post
from litestar.datastructures import CacheControlHeader, Cookie, UploadFile
from litestar.handlers import HTTPRouteHandler
from litestar.response import Redirect

from parceltrace.clock import Clock
from parceltrace.edge.ratelimit import RateLimiter
from parceltrace.protocol.errors import ApiError, ErrorCode
from parceltrace.protocol.failures import ParceltraceError
from parceltrace.protocol.parsing import parse_items
from parceltrace.protocol.status import DataOrigin, OrderBy, TrackingStatus
from parceltrace.protocol.structs import (
    ChangeCarrierItem,
    ChangeInfoItem,
    NumberItem,
    RegisterItem,
    Rejected,
    TrackListQuery,
)
from parceltrace.protocol.validation import plain_int
from parceltrace.service import browse, manage, register, sandbox_clock, sharing, web_sessions
from parceltrace.service import connectors as connector_service
from parceltrace.service import webhooks as webhook_service
from parceltrace.service.accounts import AccountError, AccountSettings, rotate_webhook_secret, update_account
from parceltrace.service.context import Services
from parceltrace.service.csv_items import CsvProblem, pasted_items
from parceltrace.service.queries import track_info_item, track_list_item
from parceltrace.service.quota import quota_view
from parceltrace.service.refresh import refresh
from parceltrace.service.sandbox_clock import Advancer, iso_utc
from parceltrace.service.uploads import uploaded_items
from parceltrace.service.web_sessions import WebSession
from parceltrace.sources.connectors.calls import karrio_installed
from parceltrace.store.records import Tracking
from parceltrace.web import views
from parceltrace.web.journey_map import journey_map
from parceltrace.web.render import SECURITY_HEADERS, render
from parceltrace.web.render import status_css as generated_css

SESSION_COOKIE = "pt_session"
LOGIN_COOKIE = "pt_login"
CSRF_HEADER = "x-csrf-token"
HTML = "text/html"
MAX_REGISTER = 5_000
"""Numbers per paste or upload (larger files: `parceltrace import`, which resumes)."""
BATCH = 40
CLOCK_STEPS = {"1h": 3600, "1d": 86_400, "7d": 7 * 86_400}
LIST_FILTERS = ("status", "tracking", "origin", "carrier", "from", "to", "tag", "q", "order", "fetch")

AnyRequest = Request[Any, Any, Any]


NO_STORE = {**SECURITY_HEADERS, "Cache-Control": "no-store"}
"""A signed-in page: no browser or proxy cache keeps a copy (a shared computer's back button)."""


def page(template: str, status_code: int = 200, *, private: bool = False, **context: Any) -> Response[str]:
    headers = NO_STORE if private else SECURITY_HEADERS
    return Response(render(template, **context), status_code=status_code, media_type=HTML, headers=headers)


ERROR_TEXT = {
    400: "The request could not be read. Go back and try again.",
    404: "There is no such page.",
    405: "That page cannot be used this way.",
    413: "That upload is too large (at most 1 MiB; use `parceltrace import` for bigger files).",
    500: "Something went wrong on the server; it has been logged. Try again in a moment.",
    503: "The database cannot be reached just now. Try again in a few seconds.",
}


def is_web_page(path: str) -> bool:
    """Paths answered with HTML pages, errors included (the API keeps its JSON envelopes)."""
    return path == "/dashboard" or path.startswith(("/dashboard/", "/p/"))


def error_page(status: int) -> Response[str]:
    return page("error.html", status_code=status, message=ERROR_TEXT.get(status, ERROR_TEXT[400]))


class TooFast(ParceltraceError):
    """A dashboard request over the account's rate limit (or a client's failed sign-ins)."""

    def __init__(self, wait: int, why: str) -> None:
        super().__init__(why)
        self.wait = wait
        self.why = why


def too_fast_page(exc: TooFast) -> Response[str]:
    text = f"{exc.why} Try again in {exc.wait} s."
    response = page("error.html", status_code=429, message=text)
    response.headers["Retry-After"] = str(exc.wait)
    return response


def _same_origin(request: AnyRequest) -> bool:
    """A POST's Origin, when the browser names one, must be this server: a second CSRF guard.
    ("null", sent under some referrer policies, names none; the CSRF token still decides.)"""
    origin = request.headers.get("origin")
    if not origin or origin == "null":
        return True
    return urlsplit(origin).netloc == request.headers.get("host", "")


def _secure(request: AnyRequest) -> bool:
    return request.url.scheme == "https"


REFUSED = "Refused — "
"""How a refused action's message starts (shown in the error style)."""


def _rejections(result: dict[str, Any]) -> list[str]:
    return [f"{r.number or ''}: {r.error.message} ({r.error.code})" for r in result["rejected"]]


def _describe(result: dict[str, Any], done: str) -> str:
    refused = _rejections(result)
    return REFUSED + "; ".join(refused) if refused else done


def _query_from(params: dict[str, str]) -> TrackListQuery:
    """The list page's query string -> the API's gettracklist filters (validated by the API; a
    carrier that is no code is refused as the API refuses it, not ignored)."""
    carrier = params.get("carrier", "").strip()
    if carrier and plain_int(carrier, max_digits=9) is None:
        raise ApiError(ErrorCode.FIELD_VALUE_INVALID, carrier, "carrier")
    page_text = params.get("page", "1")
    return TrackListQuery(
        package_status=params.get("status") or None,
        tracking_status=params.get("tracking") or None,
        data_origin=params.get("origin") or None,
        carrier=plain_int(carrier, max_digits=9),
        register_time_from=params.get("from") or None,
        register_time_to=params.get("to") or None,
        order_by=params.get("order") or OrderBy.REGISTER_TIME_DESC.value,
        page_no=plain_int(page_text, max_digits=7) or 1,
    )


@dataclass(frozen=True, slots=True)
class Dashboard:
    """What the dashboard's handlers need, kept in the app's state (`app.state.dashboard`):
    `advancer` and `clock` (sandbox only) enable the clock controls; `wall` times sessions (real
    time, whatever the sandbox clocks do)."""

    services: Services
    advancer: Advancer | None
    clock: Clock | None
    wall: Clock
    limiter: RateLimiter

    @property
    def has_clock(self) -> bool:
        return self.advancer is not None and self.clock is not None


def dashboard_of(request: AnyRequest) -> Dashboard:
    dashboard: Dashboard = request.app.state.dashboard
    return dashboard


async def current(request: AnyRequest) -> WebSession | None:
    """The signed-in session (None: none); a session over its account's dashboard rate limit
    raises TooFast."""
    web = dashboard_of(request)
    cookie = request.cookies.get(SESSION_COOKIE, "")
    client = request.client.host if request.client else ""
    session = await web_sessions.load(
        web.services.store, cookie, web.wall.now(), client, web.services.clock.now()
    )
    if session is not None:
        per_second = web.limiter.dashboard_per_second
        wait = await web.limiter.retry_after(session.account.id, per_second, scope="dashboard")
        if wait is not None:
            web.services.metrics.rate_limited.labels("dashboard").inc()
            raise TooFast(wait, f"The dashboard answers {per_second} requests a second per account.")
    return session


def to_login(request: AnyRequest) -> Response[Any]:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return Redirect(path="/dashboard/login?" + urlencode({"next": target}), status_code=303)


async def show(
    request: AnyRequest, session: WebSession, template: str, status_code: int = 200, **context: Any
) -> Response[str]:
    """A signed-in page, with the session's flash message (shown once) and the sandbox clock."""
    web = dashboard_of(request)
    if session.flash:
        await web_sessions.set_flash(web.services.store, session, None)
    return page(
        template,
        status_code,
        private=True,
        account=session.account,
        csrf=session.csrf_token,
        flash=session.flash,
        flash_error=session.flash_error,
        sandbox_now=views.when(web.services.now_for(session.account.id)) if web.has_clock else None,
        path=request.url.path,
        **context,
    )


async def back(
    request: AnyRequest, session: WebSession, to: str, message: str, error: bool = False
) -> Response[Any]:
    """Redirect to `to`, which shows `message` (`error`: in the error style)."""
    await web_sessions.set_flash(dashboard_of(request).services.store, session, message, error)
    return Redirect(path=to, status_code=303)


Action = Callable[[AnyRequest, WebSession, dict[str, str]], Awaitable[Response[Any]]]


def form_action(path: str, action: Action) -> HTTPRouteHandler:
    """A POST handler that requires a session and a valid CSRF token before `action` runs."""

    async def handler(request: AnyRequest) -> Response[Any]:
        session = await current(request)
        if session is None:
            return to_login(request)
        form = await request.form()
        token = request.headers.get(CSRF_HEADER) or str(form.get("csrf_token", ""))
        if not _same_origin(request) or not hmac.compare_digest(token, session.csrf_token):
            return page(
                "error.html", status_code=403, message="This form expired; reload the page and try again."
            )
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        uploads = [v for v in form.values() if isinstance(v, UploadFile)]
        if uploads:
            request.state.upload = await uploads[0].read()
        return await action(request, session, fields)

    return post(path, name=f"dashboard{path}", media_type=HTML, status_code=200)(handler)


# -------------------------------------------------------------------- sign in / out


@get("/", media_type=HTML)
async def root() -> Redirect:
    """The server's address leads to the dashboard."""
    return Redirect(path="/dashboard", status_code=302)


@get("/favicon.ico", media_type="image/svg+xml", cache_control=CacheControlHeader(max_age=86400))
async def favicon() -> bytes:
    """Browsers ask for it on pages that name no icon (the API's JSON, say)."""
    return FAVICON.read_bytes()


@get("/dashboard", media_type=HTML)
async def home() -> Response[Any]:
    return Redirect(path="/dashboard/trackings", status_code=303)


@get("/dashboard/login", media_type=HTML)
async def login_form(request: AnyRequest) -> Response[str]:
    token = secrets.token_urlsafe(24)
    response = page(
        "login.html", login_token=token, next=_local(request.query_params.get("next", "")), error=None
    )
    response.cookies.append(_cookie(LOGIN_COOKIE, token, request, max_age=3600))
    return response


@post("/dashboard/login", media_type=HTML, status_code=200)
async def login(request: AnyRequest) -> Response[Any]:
    web = dashboard_of(request)
    form = await request.form()
    expected = request.cookies.get(LOGIN_COOKIE, "")
    given = str(form.get("login_token", ""))
    target = _local(str(form.get("next", "")))
    if not expected or not _same_origin(request) or not hmac.compare_digest(given, expected):
        return page(
            "login.html",
            403,
            login_token=expected,
            next=target,
            error="The sign-in form expired; try again.",
        )
    address = request.client.host if request.client else ""
    wait = await web.limiter.sign_in_wait(address)
    if wait is not None:
        web.services.metrics.rate_limited.labels("sign-in").inc()
        raise TooFast(wait, "Too many wrong keys from this address.")
    key = str(form.get("key", "")).strip()
    try:
        opened = (
            await web_sessions.sign_in(
                web.services.store, key, web.wall.now(), address, web.services.clock.now()
            )
            if 0 < len(key) <= 200
            else None
        )
    except web_sessions.SignInRefused as refused:
        return page("login.html", 403, login_token=expected, next=target, error=str(refused))
    if opened is None:
        await web.limiter.failed_sign_in(address)
        error = "That API key does not open an enabled account. Check it with `parceltrace account list`."
        return page("login.html", 401, login_token=expected, next=target, error=error)
    token, _account = opened
    response: Response[Any] = Redirect(path=target or "/dashboard/trackings", status_code=303)
    response.cookies.append(
        _cookie(SESSION_COOKIE, token, request, max_age=int(web_sessions.SESSION_LIFETIME.total_seconds()))
    )
    response.cookies.append(_cookie(LOGIN_COOKIE, "", request, max_age=0))
    return response


async def logout(request: AnyRequest, session: WebSession, fields: dict[str, str]) -> Response[Any]:
    await web_sessions.sign_out(dashboard_of(request).services.store, request.cookies.get(SESSION_COOKIE, ""))
    response: Response[Any] = Redirect(path="/dashboard/login", status_code=303)
    response.cookies.append(_cookie(SESSION_COOKIE, "", request, max_age=0))
    return response


# -------------------------------------------------------------------- the list


@get("/dashboard/trackings", media_type=HTML)
async def tracking_list(request: AnyRequest) -> Response[Any]:
    session = await current(request)
    if session is None:
        return to_login(request)
    services = dashboard_of(request).services
    params = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
    filters = {k: params.get(k, "") for k in LIST_FILTERS}
    error = None
    try:
        page_info, rows = await browse.tracking_page(
            services,
            session.account.id,
            _query_from(params),
            filters["tag"] or None,
            filters["q"] or None,
            fetch_failed=filters["fetch"] == "failed",
        )
    except ApiError as exc:
        error = f"{exc.message} ({exc.code.value})"
        page_info, rows = None, []
    now = services.now_for(session.account.id)
    context: dict[str, Any] = {
        "filters": filters,
        "page": page_info,
        "items": [(row.id, track_list_item(row, now)) for row in rows],
        "failed_ids": {row.id for row in rows if row.latest_sync_status == "Failure"},
        "error": error,
        "query_without_page": urlencode({k: v for k, v in filters.items() if v}),
    }
    if request.headers.get("hx-target") == "results":
        return page("_results.html", **context)
    counts = await browse.status_counts(services, session.account.id)
    return await show(request, session, "list.html", counts=counts, orders=views.ORDER_LABEL, **context)


# -------------------------------------------------------------------- one tracking


@get("/dashboard/trackings/{tracking_id:int}", media_type=HTML)
async def tracking_detail(request: AnyRequest) -> Response[Any]:
    tracking_id = int(request.path_params["tracking_id"])
    session = await current(request)
    if session is None:
        return to_login(request)
    services = dashboard_of(request).services
    row = await browse.tracking_by_id(services, session.account.id, tracking_id)
    if row is None:
        return await show(request, session, "error.html", 404, message="No such tracking in this account.")
    now = services.now_for(session.account.id)
    info = track_info_item(row, now).track_info
    return await show(
        request,
        session,
        "detail.html",
        row=row,
        item=track_list_item(row, now),
        info=info,
        milestones=views.milestone_bar(info),
        providers=views.timeline(info),
        window=views.delivery_window(info),
        journey=journey_map(info),
        share_url=f"{str(request.base_url).rstrip('/')}/p/{row.share_token}" if row.share_token else None,
    )


TrackingRun = Callable[[Services, Tracking, WebSession, dict[str, str]], Awaitable[str]]
"""What an action on one tracking does; it returns the message to show."""


def tracking_action(suffix: str, run: TrackingRun) -> HTTPRouteHandler:
    async def action(request: AnyRequest, session: WebSession, fields: dict[str, str]) -> Response[Any]:
        services = dashboard_of(request).services
        tracking_id = int(request.path_params["tracking_id"])
        row = await browse.tracking_by_id(services, session.account.id, tracking_id)
        if row is None:
            return await back(
                request, session, "/dashboard/trackings", "No such tracking in this account.", error=True
            )
        message = await run(services, row, session, fields)
        destination = (
            "/dashboard/trackings"
            if suffix == "delete" and message.startswith("Deleted")
            else f"/dashboard/trackings/{row.id}"
        )
        return await back(request, session, destination, message, error=message.startswith(REFUSED))

    return form_action(f"/dashboard/trackings/{{tracking_id:int}}/{suffix}", action)


def _one(row: Tracking, **extra: Any) -> bytes:
    return msgspec.json.encode([{"number": row.number, "carrier": row.carrier, **extra}])


def number_action(
    operation: Callable[[Services, int, list[NumberItem | Rejected]], Awaitable[dict[str, Any]]],
    done: str,
) -> TrackingRun:
    """stoptrack, retrack or deletetrack of this one tracking, as the API does them."""

    async def run(services: Services, row: Tracking, session: WebSession, fields: dict[str, str]) -> str:
        result = await operation(services, session.account.id, parse_items(_one(row), NumberItem))
        return _describe(result, done.format(number=row.number))

    return run


async def do_push(services: Services, row: Tracking, session: WebSession, fields: dict[str, str]) -> str:
    result = await manage.push(
        services, session.account.id, session.account.webhook_url, parse_items(_one(row), NumberItem)
    )
    return _describe(result, "Push queued to the webhook.")


async def do_info(services: Services, row: Tracking, session: WebSession, fields: dict[str, str]) -> str:
    body = msgspec.json.encode(
        [
            {
                "number": row.number,
                "carrier": row.carrier,
                "items": {"tag": fields.get("tag", ""), "remark": fields.get("remark", "")},
            }
        ]
    )
    result = await manage.change_info(services, session.account.id, parse_items(body, ChangeInfoItem))
    return _describe(result, "Saved tag and remark.")


async def do_carrier(services: Services, row: Tracking, session: WebSession, fields: dict[str, str]) -> str:
    text = fields.get("carrier_new", "").strip()
    code = plain_int(text, max_digits=9)
    new: Any = text if code is None else code
    body = msgspec.json.encode([{"number": row.number, "carrier_old": row.carrier, "carrier_new": new}])
    try:
        result = await manage.change_carrier(
            services, session.account.id, parse_items(body, ChangeCarrierItem)
        )
    except ApiError as exc:
        return f"{REFUSED}{exc.message} ({exc.code.value})"
    return _describe(
        result, f"Carrier changed to {views.carrier_name(new) if isinstance(new, int) else new}."
    )


async def do_share(services: Services, row: Tracking, session: WebSession, fields: dict[str, str]) -> str:
    await sharing.share(services, session.account.id, row.id)
    return "Public link created: anyone with the link can see this parcel's journey."


async def do_unshare(services: Services, row: Tracking, session: WebSession, fields: dict[str, str]) -> str:
    await sharing.unshare(services, session.account.id, row.id)
    return "Public link revoked."


# -------------------------------------------------------------------- register


@get("/dashboard/register", media_type=HTML)
async def register_form(request: AnyRequest) -> Response[Any]:
    session = await current(request)
    if session is None:
        return to_login(request)
    return await show(request, session, "register.html", results=None, pasted="")


async def run_registration(
    request: AnyRequest,
    session: WebSession,
    items: list[dict[str, Any]],
    origin: DataOrigin,
    pasted: str,
    read_as: str | None = None,
    notes: list[str] | None = None,
) -> Response[Any]:
    """Registrations go 40 numbers at a time at the key's API rate limit, as through the API;
    `read_as` says how an uploaded file was read, `notes` what was tidied in it."""
    if not items:
        return await show(
            request, session, "register.html", results=None, pasted=pasted, error="No numbers found."
        )
    if len(items) > MAX_REGISTER:
        error = f"{len(items)} numbers: at most {MAX_REGISTER} at once (use `parceltrace import` for more)."
        return await show(request, session, "register.html", results=None, pasted=pasted, error=error)
    web = dashboard_of(request)
    accepted: list[Any] = []
    rejected: list[Rejected] = []
    for first in range(0, len(items), BATCH):
        await web.limiter.take_turn(session.account.id, session.account.rate_limit)
        body = msgspec.json.encode(items[first : first + BATCH])
        result = await register.register(
            web.services, session.account.id, parse_items(body, RegisterItem), origin
        )
        accepted.extend(result["accepted"])
        rejected.extend(result["rejected"])
    ids = await browse.tracking_ids(web.services, session.account.id, [item.number for item in accepted])
    return await show(
        request,
        session,
        "register.html",
        results={"accepted": accepted, "rejected": rejected, "ids": ids},
        pasted=pasted,
        read_as=read_as,
        notes=notes or [],
    )


async def do_register(request: AnyRequest, session: WebSession, fields: dict[str, str]) -> Response[Any]:
    text = fields.get("numbers", "")
    return await run_registration(request, session, pasted_items(text), DataOrigin.MANUAL, text)


async def do_import(request: AnyRequest, session: WebSession, fields: dict[str, str]) -> Response[Any]:
    try:
        upload = uploaded_items(getattr(request.state, "upload", b""))
    except CsvProblem as problem:
        return await show(request, session, "register.html", results=None, pasted="", error=str(problem))
    return await run_registration(
        request, session, upload.items, DataOrigin.IMPORT, "", read_as=upload.read_as, notes=upload.notes
    )


# -------------------------------------------------------------------- settings, webhooks


async def settings_page(request: AnyRequest, session: WebSession, new_secret: str | None) -> Response[str]:
    services = dashboard_of(request).services
    log = await webhook_service.delivery_log(services.store, session.account.name, limit=50)
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
    connectors, unserved = await connector_service.list_connectors(services.store, session.account.id)
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
            services.store, session.account.name, AccountSettings(webhook_url=url), services.webhook_policy
        )
    except AccountError as exc:
        return await back(request, session, "/dashboard/settings", f"{REFUSED}{exc}", error=True)
    return await back(
        request, session, "/dashboard/settings", "Webhook URL saved." if url else "Webhook URL removed."
    )


async def do_test(request: AnyRequest, session: WebSession, fields: dict[str, str]) -> Response[Any]:
    services = dashboard_of(request).services
    try:
        outcome = await webhook_service.test_webhook(
            services.store, session.account.name, services.webhook_policy
        )
    except AccountError as exc:
        return await back(request, session, "/dashboard/settings", f"Test push not sent — {exc}", error=True)
    text = (
        f"Test push answered HTTP {outcome.status_code} in {outcome.latency_ms} ms."
        if outcome.ok
        else f"Test push failed — {outcome.detail}"
    )
    return await back(request, session, "/dashboard/settings", text, error=not outcome.ok)


async def do_rotate(request: AnyRequest, session: WebSession, fields: dict[str, str]) -> Response[Any]:
    secret = await rotate_webhook_secret(dashboard_of(request).services.store, session.account.name)
    return await settings_page(request, session, secret)


async def do_redeliver(request: AnyRequest, session: WebSession, fields: dict[str, str]) -> Response[Any]:
    message_id = fields.get("message_id", "")
    store = dashboard_of(request).services.store
    try:
        await webhook_service.redeliver(store, message_id, account_id=session.account.id)
    except AccountError:
        return await back(
            request, session, "/dashboard/settings", "No such message in this account.", error=True
        )
    return await back(request, session, "/dashboard/settings", f"Message {message_id} queued again.")


# -------------------------------------------------------------------- sandbox clock


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


@get("/dashboard/status.css", media_type="text/css")
async def status_css() -> Response[str]:
    return Response(generated_css(), media_type="text/css", headers={"Cache-Control": "max-age=3600"})


FORM_ACTIONS: list[tuple[str, Action]] = [
    ("/dashboard/logout", logout),
    ("/dashboard/register", do_register),
    ("/dashboard/import", do_import),
    ("/dashboard/settings/webhook", do_webhook),
    ("/dashboard/settings/webhook/test", do_test),
    ("/dashboard/settings/webhook/rotate", do_rotate),
    ("/dashboard/settings/redeliver", do_redeliver),
    ("/dashboard/clock", do_clock),
]


async def do_refresh(services: Services, row: Tracking, session: WebSession, fields: dict[str, str]) -> str:
    if row.tracking_status != TrackingStatus.TRACKING.value:
        return REFUSED + "only a tracking being tracked can be polled; retrack it first."
    await refresh(services.store, services.now_for(session.account.id), session.account.id, ids=[row.id])
    services.wake_poller()
    return "Polling it now (no quota is used): reload in a few seconds."


TRACKING_ACTIONS: list[tuple[str, TrackingRun]] = [
    ("refresh", do_refresh),
    ("stop", number_action(manage.stop_track, "Stopped tracking.")),
    ("retrack", number_action(manage.retrack, "Tracking again.")),
    ("delete", number_action(manage.delete_track, "Deleted {number}.")),
    ("push", do_push),
    ("info", do_info),
    ("carrier", do_carrier),
    ("share", do_share),
    ("unshare", do_unshare),
]
DASHBOARD_HANDLERS: list[HTTPRouteHandler] = [
    root,
    favicon,
    home,
    login_form,
    login,
    tracking_list,
    tracking_detail,
    register_form,
    settings,
    carriers_page,
    status_css,
    *(form_action(path, action) for path, action in FORM_ACTIONS),
    *(tracking_action(suffix, run) for suffix, run in TRACKING_ACTIONS),
]
"""The dashboard's routes; they find what they need in `app.state.dashboard` (a Dashboard)."""


def _local(target: str) -> str:
    """Only same-site paths are followed after sign-in (no open redirect)."""
    if target.startswith("/dashboard") and not target.startswith("//") and "\\" not in target:
        return target
    return ""


def _cookie(name: str, value: str, request: AnyRequest, max_age: int) -> Cookie:
    return Cookie(
        key=name,
        value=value,
        max_age=max_age,
        path="/dashboard",
        httponly=True,
        samesite="lax",
        secure=_secure(request),
    )


STATIC = Path(__file__).parent / "static"


FAVICON = STATIC / "favicon.svg"


STATIC_TYPES = {
    ".css": "text/css",
    ".js": "text/javascript",
    ".svg": "image/svg+xml",
}


@cache
def static_assets() -> dict[str, tuple[bytes, str]]:
    """The files /static serves, read once: a request names one of them or gets 404, and no
    path a client writes (60 KB long, a NUL byte in it) ever reaches the file system."""
    return {
        f.name: (f.read_bytes(), STATIC_TYPES[f.suffix]) for f in STATIC.iterdir() if f.suffix in STATIC_TYPES
    }


@get("/static/{name:str}", cache_control=CacheControlHeader(max_age=3600))
async def static_file(request: AnyRequest) -> Response[bytes]:
    """/static: the dashboard's CSS, scripts and images, cached for an hour."""
    asset = static_assets().get(str(request.path_params["name"]))
    if asset is None:
        return Response(b"Not found.", status_code=404, media_type="text/plain; charset=utf-8")
    return Response(asset[0], media_type=asset[1])


@get("/p/{token:str}", media_type=HTML)
async def public_page(request: AnyRequest) -> Response[str]:
    """`/p/<token>`: a shared tracking's journey, no account data."""
    services = dashboard_of(request).services
    row = await sharing.shared_tracking(services, str(request.path_params["token"]))
    if row is None:
        return page("public_missing.html", status_code=404)
    info = track_info_item(row, services.now_for(row.account_id)).track_info
    status = info.latest_status
    return page(
        "public.html",
        number=row.number,
        carrier=views.carrier_name(row.carrier),
        homepage=views.carrier_homepage(row.carrier),
        status=status.status,
        sub_status=views.sub_status_label(status.sub_status),
        milestones=views.milestone_bar(info),
        providers=views.timeline(info),
        window=views.delivery_window(info),
        journey=journey_map(info),
        latest=info.latest_event,
    )
