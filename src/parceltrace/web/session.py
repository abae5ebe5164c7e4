"""Signing in and out of the dashboard."""

from __future__ import annotations

import hmac
import secrets
from typing import Any

from litestar import Response, get, post
from litestar.response import Redirect

from parceltrace.service import web_sessions
from parceltrace.service.web_sessions import WebSession
from parceltrace.web.pages import (
    HTML,
    LOGIN_COOKIE,
    SESSION_COOKIE,
    AnyRequest,
    TooFast,
    _cookie,
    _local,
    _same_origin,
    dashboard_of,
    page,
)


@get("/", media_type=HTML)
async def root() -> Redirect:
    """The server's address leads to the dashboard."""
    return Redirect(path="/dashboard", status_code=302)


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
            await web_sessions.sign_in(web.services, key, web.wall.now(), address, web.services.clock.now())
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
    await web_sessions.sign_out(dashboard_of(request).services, request.cookies.get(SESSION_COOKIE, ""))
    response: Response[Any] = Redirect(path="/dashboard/login", status_code=303)
    response.cookies.append(_cookie(SESSION_COOKIE, "", request, max_age=0))
    return response
