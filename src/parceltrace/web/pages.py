"""What every dashboard page shares: rendering, error pages, the signed-in session (with its
rate limit), flash messages and CSRF-checked forms.

Signed in by an API key; the session cookie is HttpOnly and SameSite=Lax, and every POST must
carry the session's CSRF token (form field or `X-CSRF-Token` header, which htmx sends)."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from litestar import Request, Response, post
from litestar.datastructures import Cookie, UploadFile
from litestar.handlers import HTTPRouteHandler
from litestar.response import Redirect

from parceltrace.clock import Clock
from parceltrace.edge.ratelimit import RateLimiter
from parceltrace.protocol.failures import ParceltraceError
from parceltrace.service import web_sessions
from parceltrace.service.context import Services
from parceltrace.service.sandbox_clock import Advancer
from parceltrace.service.web_sessions import WebSession
from parceltrace.web import views
from parceltrace.web.render import SECURITY_HEADERS, render

SESSION_COOKIE = "pt_session"


LOGIN_COOKIE = "pt_login"


CSRF_HEADER = "x-csrf-token"


HTML = "text/html"


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
    session = await web_sessions.load(web.services, cookie, web.wall.now(), client, web.services.clock.now())
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
        await web_sessions.set_flash(web.services, session, None)
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
    await web_sessions.set_flash(dashboard_of(request).services, session, message, error)
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
