"""`parceltrace serve`: the embedded mode, one process with everything in it; and the
composition root, where the API's and the dashboard's routes are put into one app."""

from __future__ import annotations

import asyncio
import os
import socket
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import msgspec
import structlog
import uvicorn
from litestar import Litestar, Request, Response
from litestar.datastructures import State
from litestar.exceptions import HTTPException
from rich.console import Console

from parceltrace.api.app import (
    API_HANDLERS,
    MAX_BODY,
    Api,
    ApiContext,
    crash_answer,
    http_error_answer,
    out_of_reach_answer,
)
from parceltrace.api.auth import AccountCache
from parceltrace.api.outage import RETRY_AFTER
from parceltrace.clock import Clock, SystemClock
from parceltrace.edge.ratelimit import RateLimiter
from parceltrace.outbox.mail import MailSettings
from parceltrace.runtime.cluster import join_cluster
from parceltrace.runtime.heap import freeze_startup_objects
from parceltrace.runtime.http_limits import REQUEST_TIMEOUT, BoundedHttpToolsProtocol
from parceltrace.runtime.logs import configure_logging
from parceltrace.runtime.terminal import shown
from parceltrace.service import accounts as account_service
from parceltrace.service.accounts import AccountError, AccountSettings
from parceltrace.service.connectors import RunningConnectors
from parceltrace.service.context import Services
from parceltrace.service.pushes import DELIVERY_RETENTION
from parceltrace.service.sandbox_clock import Advancer
from parceltrace.sources.registry import SourceSettings
from parceltrace.store.engine import Store, StoreError
from parceltrace.store.urls import shown_database
from parceltrace.web.dashboard import DASHBOARD_HANDLERS
from parceltrace.web.pages import Dashboard, TooFast, error_page, is_web_page, too_fast_page
from parceltrace.web.public import public_page, static_file
from parceltrace.worker.runner import Worker

log = structlog.get_logger("parceltrace.api")
DEMO_ACCOUNT = "demo"
console = Console(stderr=True, soft_wrap=True)


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """What `serve` was given; passed to every API process through the environment."""

    db: str
    sandbox: bool
    host: str = "127.0.0.1"
    port: int = 8017
    allowed_hosts: tuple[str, ...] = ()
    mail: MailSettings | None = None
    run_worker: bool = True
    redis_url: str | None = None
    sources: SourceSettings = field(default_factory=SourceSettings)
    metrics_token: str | None = None
    request_timeout: float = REQUEST_TIMEOUT
    """Seconds a client has to send a whole request (head and body)."""
    forwarded_allow_ips: str | None = None
    """Proxies whose X-Forwarded-For/-Proto uvicorn trusts; None: none (not even loopback)."""
    access_log: bool = False
    """One log line per request (uvicorn's access log)."""
    delivery_retention_days: int = DELIVERY_RETENTION.days
    """Days delivered and failed webhook messages are kept."""


def build_app(settings: ServerSettings) -> Litestar:
    """The API, and in embedded mode the worker too; sandbox time if `settings.sandbox`. On
    PostgreSQL registrations NOTIFY every worker of the cluster; `redis_url` shares rate limits."""
    sandbox, run_worker = settings.sandbox, settings.run_worker
    BoundedHttpToolsProtocol.request_timeout = settings.request_timeout
    base = SystemClock()
    services = Services(
        Store(settings.db),
        base,
        sandbox,
        mail=settings.mail,
        source_settings=settings.sources,
        webhook_hosts=tuple(settings.allowed_hosts),
        delivery_retention=timedelta(days=settings.delivery_retention_days),
    )
    worker = Worker(services)
    local_wake = services.wake_poller if run_worker else None
    limiter = RateLimiter(settings.redis_url)
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []

    async def on_startup() -> None:
        await services.store.migrate()
        connectors = None if sandbox else RunningConnectors(services.store, services.sources)
        tasks.extend(await join_cluster(services, stop, local_wake, connectors))
        if sandbox and await account_service.count_accounts(services) == 0:
            await _create_demo_account(services, settings.host, settings.port)
        if run_worker:
            tasks.append(asyncio.create_task(worker.run(stop)))
        freeze_startup_objects()

    async def on_shutdown() -> None:
        stop.set()
        worker.wake()
        await asyncio.gather(*tasks, return_exceptions=True)
        await worker.close()
        await limiter.close()
        await services.close()

    app = create_app(
        services,
        advancer=worker if sandbox else None,
        clock=base if sandbox else None,
        rate_limiter=limiter,
        metrics_token=settings.metrics_token,
    )
    app.on_startup.append(on_startup)
    app.on_shutdown.append(on_shutdown)
    return app


def create_app(
    services: Services,
    account_cache: AccountCache | None = None,
    advancer: Advancer | None = None,
    clock: Clock | None = None,
    wall: Clock | None = None,
    rate_limiter: RateLimiter | None = None,
    metrics_token: str | None = None,
) -> Litestar:
    """The HTTP app: the API's routes and the dashboard's, which never import each other.
    `advancer` and `clock` (the sandbox's real-time base) enable the sandbox clock controls of
    both; `wall` times dashboard sessions (real time, whatever the sandbox clocks do)."""
    limiter = rate_limiter or RateLimiter()
    if limiter.shared:
        services.metrics.watch(limiter.outage)

    def on_http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
        if is_web_page(request.url.path):
            return error_page(exc.status_code if exc.status_code in (404, 405, 413) else 400)
        return http_error_answer(exc)

    def on_too_fast(request: Request[Any, Any, Any], exc: TooFast) -> Response[Any]:
        return too_fast_page(exc)

    def on_crash(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
        web = is_web_page(request.url.path)
        if services.store.reported_outage(exc):  # a known state, logged once per outage
            if not web:
                return out_of_reach_answer()
            page = error_page(503)
            page.headers["Retry-After"] = str(RETRY_AFTER)
            return page
        log.exception("unhandled error", path=request.url.path[:PATH_LOGGED])
        return error_page(500) if web else crash_answer()

    api = ApiContext(services, limiter, account_cache or AccountCache(), advancer, clock, metrics_token)
    dashboard = Dashboard(services, advancer, clock, wall or SystemClock(), limiter)
    app = Api(
        route_handlers=[*API_HANDLERS, *DASHBOARD_HANDLERS, public_page, static_file],
        state=State({"api": api, "dashboard": dashboard}),
        exception_handlers={HTTPException: on_http_error, TooFast: on_too_fast, Exception: on_crash},
        request_max_body_size=MAX_BODY,
        openapi_config=None,
        logging_config=None,  # Litestar's default replaces the root handler, and with it the redaction
        debug=False,
    )
    app.metrics = services.metrics
    return app


async def _create_demo_account(services: Services, host: str, port: int) -> None:
    """The first sandbox start's account; when several API processes start at once, one wins."""
    try:
        _, key = await account_service.create_account(services, DEMO_ACCOUNT, AccountSettings())
    except AccountError:
        return
    _print_welcome(key, host, port)


def _print_welcome(key: str, host: str, port: int) -> None:
    url = f"http://{host}:{port}/track/v2.2"
    console.print(
        f"[bold]Created account '{DEMO_ACCOUNT}'.[/bold] Its API key (shown once): [green]{key}[/green]"
    )
    console.print("Try it:")
    console.print(
        f"  curl -s -X POST -H '17token: {key}' -H 'Content-Type: application/json' "
        f'--data \'[{{"number": "RR123456789CN"}}]\' {url}/register',
        soft_wrap=True,
    )


SETTINGS_ENV = "PARCELTRACE_SERVER_SETTINGS"
PATH_LOGGED = 200
"""Characters of a request's path a log line keeps (a client chooses the path: 60 KB of it
went into one line)."""


def app_from_environment() -> Litestar:
    """The app factory each of `serve --workers N`'s processes calls (uvicorn imports it)."""
    settings = msgspec.json.decode(os.environ[SETTINGS_ENV], type=ServerSettings)
    configure_logging(access_log=settings.access_log)
    return build_app(settings)


def _port_problem(host: str, port: int) -> str | None:
    """Why the server could not listen on host:port, found before it says it listens."""
    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def _wait_for_database(db: str) -> None:
    """Before listening: PostgreSQL out of reach is waited for (a server started before its
    database); a database that refuses stops the start with the reason, not a traceback."""

    async def wait() -> None:
        store = Store(db)
        try:
            await store.wait_until_reachable()
        finally:
            await store.close()

    try:
        asyncio.run(wait())
    except KeyboardInterrupt:
        raise SystemExit(1) from None
    except (OSError, StoreError) as exc:
        reason = shown(getattr(exc, "orig", None) or exc)  # the driver's words, not SQLAlchemy's wrapping
        console.print(f"[red]cannot use the database {shown(shown_database(db))}:[/red] {reason}")
        console.print("Check --db (or PARCELTRACE_DB): host, port, user, password and database name.")
        raise SystemExit(2) from exc


def run_server(settings: ServerSettings, workers: int = 1) -> None:
    configure_logging(access_log=settings.access_log)
    mode = ("sandbox" if settings.sandbox else "live") + ("" if settings.run_worker else ", API only")
    processes = f", {workers} processes" if workers > 1 else ""
    limits = ", rate limits in Redis" if settings.redis_url else ""
    if settings.sources.upstream_url:
        limits += f", tracking through {settings.sources.upstream_url}"
    problem = _port_problem(settings.host, settings.port)
    if problem is not None:
        console.print(f"[red]cannot listen on {settings.host}:{settings.port}: {problem}[/red]")
        console.print("Is another server running there? Stop it, or choose another port with --port.")
        raise SystemExit(2)
    _wait_for_database(settings.db)
    base = f"http://{settings.host}:{settings.port}"
    console.print(
        f"parceltrace listening on {base} ({mode} mode{processes}{limits}, db {shown_database(settings.db)})"
    )
    console.print(f"dashboard: {base}/dashboard   API: {base}/track/v2.2 (and /track/v2.4, /track/v1)")
    common: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": None,  # the levels configure_logging set stand
        "log_config": None,
        "access_log": settings.access_log,
        "loop": "uvloop",
        "http": BoundedHttpToolsProtocol,
        "proxy_headers": settings.forwarded_allow_ips is not None,
        "forwarded_allow_ips": settings.forwarded_allow_ips or "",
    }
    if workers > 1:
        os.environ[SETTINGS_ENV] = msgspec.json.encode(settings).decode()
        uvicorn.run(
            "parceltrace.runtime.server:app_from_environment", factory=True, workers=workers, **common
        )
    else:
        uvicorn.run(build_app(settings), **common)
