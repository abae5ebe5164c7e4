"""The Litestar application. Bodies are parsed here with msgspec, never by the framework,
so every malformed request gets 17TRACK's envelope rather than a framework error page."""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass, field
from typing import Any

import structlog
from litestar import Litestar, Request, Response, get, route
from litestar.exceptions import HTTPException

from parceltrace.api import sandbox
from parceltrace.api.auth import AccountCache, account_for
from parceltrace.api.envelope import (
    JSON,
    api_error_response,
    error_response,
    errors_payload,
    http_error_response,
    json_response,
)
from parceltrace.api.openapi import openapi_document
from parceltrace.api.operations import GET_ALLOWED, OPERATIONS, Call, Operation
from parceltrace.api.outage import RETRY_AFTER
from parceltrace.api.v1 import V1_OPERATIONS
from parceltrace.api.v24 import V24_OPERATIONS
from parceltrace.carriers import registry
from parceltrace.clock import Clock
from parceltrace.edge.ratelimit import RateLimiter
from parceltrace.protocol.errors import ApiError, ErrorCode, message
from parceltrace.protocol.status import DATA_ORIGIN_HEADER, DataOrigin
from parceltrace.service.context import Services
from parceltrace.service.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from parceltrace.service.metrics import Metrics
from parceltrace.service.sandbox_clock import Advancer
from parceltrace.service.upstream import PushNotGenuine, PushUnreadable, receive_push
from parceltrace.store.records import Account

MAX_BODY = 1024 * 1024
AUTH_STATUS = {
    ErrorCode.INVALID_KEY: 401,
    ErrorCode.ACCOUNT_DISABLED: 401,
    ErrorCode.IP_NOT_WHITELISTED: 401,
}
log = structlog.get_logger("parceltrace.api")
AnyRequest = Request[Any, Any, Any]


CASE_INSENSITIVE = ("track", "sandbox", "asset")
ASSET_CACHE = {"Cache-Control": "public, max-age=86400"}
"""First path segments under which 17TRACK matches paths in any case (`/TRACK/V2.2/GETQUOTA`)."""


class Api(Litestar):
    """The app, with API paths matched in any case as 17TRACK does (before routing, which is
    exact; dashboard and public-page paths keep their case: they hold tokens), every request
    counted for `/metrics`, and every request body read before the answer starts."""

    metrics: Metrics

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        path: str = scope["path"]
        first = path[1:].split("/", 1)[0]
        if first.lower() in CASE_INSENSITIVE and path != path.lower():
            scope = {**scope, "path": path.lower(), "raw_path": path.lower().encode()}
        status = 500
        started = time.perf_counter()
        body = BodyReading(receive)

        async def noting(message: Any) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                if status != 413:  # a body over the limit is not read on: the close lingers instead
                    await body.drain()
            await send(message)

        try:
            await super().__call__(scope, body.receive, noting)
        finally:
            route = route_label(scope, KNOWN_OPERATIONS)
            self.metrics.requests.labels(route, str(status)).inc()
            self.metrics.latency.labels(route).observe(time.perf_counter() - started)


class BodyReading:
    """The request's body as the app reads it, and the rest of it read and dropped before an
    answer that did not need it (getcarrier, 401, 404): a connection closed with unread bytes
    is reset by the kernel, which can destroy the answer before the client reads it (half the
    answers to a client sending `Connection: close` were lost). At most MAX_BODY bytes are
    drained; past that the server's lingering close takes over."""

    def __init__(self, receive: Any) -> None:
        self._receive = receive
        self._done = False

    async def receive(self) -> Any:
        message = await self._receive()
        self._note(message)
        return message

    def _note(self, message: Any) -> None:
        if message["type"] != "http.request" or not message.get("more_body", False):
            self._done = True

    async def drain(self) -> None:
        dropped = 0
        while not self._done and dropped <= MAX_BODY:
            message = await self._receive()
            self._note(message)
            dropped += len(message.get("body", b""))


KNOWN_OPERATIONS = {*OPERATIONS, *V1_OPERATIONS, "getcarrier"}
UNMATCHED = "unmatched"


def route_label(scope: Any, known: set[str]) -> str:
    """The metrics label of a request: the template of the route it matched (Litestar sets
    `path_template` once routing found one), never a path segment the caller chose; the API's
    operations by name when known. Every path that matched no route shares one label, so no
    request, signed in or not, can add a series."""
    template = scope.get("path_template")
    if not isinstance(template, str):
        return UNMATCHED
    if template.endswith("/{operation}"):
        operation = str(scope.get("path_params", {}).get("operation", "")).lower()
        return template.replace("{operation}", operation if operation in known else "other")
    return template


QUOTA_CODES = {int(ErrorCode.QUOTA_EXHAUSTED), int(ErrorCode.DAILY_LIMIT_EXCEEDED)}


def _quota_refusals(payload: dict[str, Any]) -> int:
    rejected = payload.get("data", {}).get("rejected", []) if isinstance(payload.get("data"), dict) else []
    return sum(1 for item in rejected if getattr(getattr(item, "error", None), "code", None) in QUOTA_CODES)


@dataclass(frozen=True, slots=True)
class ApiContext:
    """What the API's handlers need, kept in the app's state (`app.state.api`): `advancer` and
    `clock` (the sandbox's real-time base) enable /sandbox/clock, where each account moves its
    own clock (sandbox mode only); `metrics_token` guards /metrics."""

    services: Services
    limiter: RateLimiter
    accounts: AccountCache = field(default_factory=AccountCache)
    advancer: Advancer | None = None
    clock: Clock | None = None
    metrics_token: str | None = None


def api_of(request: AnyRequest) -> ApiContext:
    context: ApiContext = request.app.state.api
    return context


async def authorized(request: AnyRequest) -> Account | Response[bytes]:
    """The caller's account, or the 401/429 answer to send instead (a client that tried too
    many wrong keys waits, whatever key it sends next)."""
    api = api_of(request)
    address = request.client.host if request.client else ""
    blocked = await api.limiter.sign_in_wait(address)
    if blocked is not None:
        api.services.metrics.rate_limited.labels("sign-in").inc()
        return http_error_response(429, {"Retry-After": str(blocked)})
    try:
        account = await account_for(request, api.services, api.accounts)
    except ApiError as exc:
        if exc.code == ErrorCode.INVALID_KEY:
            await api.limiter.failed_sign_in(address)
        return error_response(exc, status=AUTH_STATUS[exc.code])
    wait = await api.limiter.retry_after(account.id, account.rate_limit)
    if wait is not None:
        api.services.metrics.rate_limited.labels("api").inc()
        return http_error_response(429, {"Retry-After": str(wait)})
    return account


@route("/track/v2.4/{operation:str}", http_method=["GET", "POST"], status_code=200)
async def track_v24(request: AnyRequest) -> Response[bytes]:
    return await operate(request, V24_OPERATIONS)


@route("/track/v2.2/{operation:str}", http_method=["GET", "POST"], status_code=200)
async def track_v22(request: AnyRequest) -> Response[bytes]:
    return await operate(request, OPERATIONS)


@route("/track/v1/{operation:str}", http_method=["GET", "POST"], status_code=200)
async def track_v1(request: AnyRequest) -> Response[bytes]:
    return await operate(request, V1_OPERATIONS)


@get(["/asset/carrier/info/apicarrier.all.json", "/asset/carrier/info/apicountry.all.json"])
async def carrier_assets(request: AnyRequest) -> Response[bytes]:
    """17TRACK's static carrier and country lists, as published (no key needed)."""
    carriers = request.url.path.endswith("apicarrier.all.json")
    body = registry.carrier_list_json() if carriers else registry.country_list_json()
    return Response(body, media_type=JSON, headers=ASSET_CACHE)


@get(["/en/apicarrier", "/en/apicountry"])
async def website_lists(request: AnyRequest) -> Response[bytes]:
    """The same lists at the website's addresses, where older clients read them."""
    carriers = request.url.path.endswith("apicarrier")
    body = registry.website_carrier_list_json() if carriers else registry.country_list_json()
    return Response(body, media_type=JSON, headers=ASSET_CACHE)


async def operate(request: AnyRequest, operations: dict[str, Operation]) -> Response[bytes]:
    name = str(request.path_params["operation"]).lower()
    if name == "getcarrier":
        return Response(registry.carrier_list_json(), media_type=JSON)
    handler = operations.get(name)
    if handler is None:
        return http_error_response(404)
    if request.method == "GET" and name not in GET_ALLOWED:
        return http_error_response(405, {"Allow": "POST"})
    account = await authorized(request)
    if isinstance(account, Response):
        return account
    services = api_of(request).services
    services.activity.begin()
    try:
        body = await request.body() if request.method == "POST" else b""
        origin = DataOrigin.from_header(request.headers.get(DATA_ORIGIN_HEADER))
        payload = await handler(services, account, Call(body, origin))
        services.metrics.quota_refused.inc(_quota_refusals(payload))
        return json_response(payload)
    except ApiError as exc:
        return error_response(exc)
    finally:
        services.activity.end()


@route("/sandbox/clock", http_method=["GET"], status_code=200)
async def sandbox_clock(request: AnyRequest) -> Response[bytes]:
    api = api_of(request)
    if api.advancer is None or api.clock is None:
        return http_error_response(404)
    account = await authorized(request)
    if isinstance(account, Response):
        return account
    return json_response(sandbox.clock_payload(api.services.clocks.of(account.id)))


@route("/sandbox/clock/advance", http_method=["POST"], status_code=200)
async def sandbox_advance(request: AnyRequest) -> Response[bytes]:
    api = api_of(request)
    if api.advancer is None or api.clock is None:
        return http_error_response(404)
    account = await authorized(request)
    if isinstance(account, Response):
        return account
    try:
        clock_of_account = api.services.clocks.of(account.id)
        return json_response(await sandbox.advance(api.advancer, clock_of_account, await request.body()))
    except ApiError as exc:
        return error_response(exc)


@route("/hooks/upstream", http_method=["POST"], status_code=200)
async def upstream_hook(request: AnyRequest) -> Response[bytes]:
    """The relay's upstream pushes (live mode with --upstream-url only)."""
    services = api_of(request).services
    relay = services.sources.relay
    if relay is None:
        return http_error_response(404)
    body = await request.body()
    try:
        due = await receive_push(services, relay, body, request.headers.get("sign", ""), services.clock.now())
    except PushNotGenuine:
        return api_error_response(ErrorCode.INVALID_KEY, status=401)
    except PushUnreadable:
        return json_response(
            errors_payload(ErrorCode.SUBMITTED_DATA_INVALID, message(ErrorCode.SUBMITTED_DATA_INVALID)),
            400,
        )
    if due:
        services.wake_poller()
    return json_response({"code": 0, "data": {"trackings_due": due}})


@get("/metrics")
async def metrics(request: AnyRequest) -> Response[bytes]:
    """Prometheus text format; behind `metrics_token` (a bearer token) when one is set."""
    api = api_of(request)
    if api.metrics_token and not hmac.compare_digest(
        request.headers.get("authorization", "").encode(), f"Bearer {api.metrics_token}".encode()
    ):
        return http_error_response(401)
    body = await api.services.metrics.render(api.services.store, api.services.clock)
    return Response(body, media_type=METRICS_CONTENT_TYPE, headers={"Cache-Control": "no-store"})


@get("/healthz", media_type=JSON)
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@get("/readyz", media_type=JSON)
async def readyz(request: AnyRequest) -> Response[bytes]:
    """Readiness (take this process out of rotation while it fails): the database answers, and
    Redis where one is configured. `/healthz` stays a liveness check. While the store's outage
    lasts (on SQLite: a write lock held elsewhere, with reads still answering) it is not ready."""
    api = api_of(request)
    store = api.services.store
    database = not store.outage.ongoing and await store.reachable()
    redis = await api.limiter.reachable()
    ready = database and redis is not False
    body: dict[str, str] = {
        "status": "ready" if ready else "unavailable",
        "database": "ok" if database else "out of reach",
    }
    if redis is not None:
        body["redis"] = "ok" if redis else "out of reach"
    return json_response(body, 200 if ready else 503)


@get("/openapi.json", media_type=JSON)
async def openapi() -> Response[bytes]:
    return Response(openapi_document(), media_type=JSON)


API_HANDLERS = [
    track_v24,
    track_v22,
    track_v1,
    carrier_assets,
    website_lists,
    upstream_hook,
    sandbox_clock,
    sandbox_advance,
    healthz,
    readyz,
    metrics,
    openapi,
]
"""The API's routes; they find what they need in `app.state.api` (an ApiContext)."""


def http_error_answer(exc: HTTPException) -> Response[Any]:
    """A framework-level HTTP error (unknown path, wrong method, body too large, unreadable
    request) in 17TRACK's envelope."""
    status = exc.status_code if exc.status_code in (404, 405, 413) else 400
    if status == 400:
        return api_error_response(ErrorCode.SUBMITTED_DATA_INVALID)
    return http_error_response(status)


def out_of_reach_answer() -> Response[Any]:
    """17TRACK's internal error, as a service unavailable for now: the client retries later."""
    answer = api_error_response(ErrorCode.INTERNAL_ERROR, status=503)
    answer.headers["Retry-After"] = str(RETRY_AFTER)
    return answer


def crash_answer() -> Response[Any]:
    return api_error_response(ErrorCode.INTERNAL_ERROR, status=500)
