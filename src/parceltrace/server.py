"""`parceltrace serve`: the embedded mode, one process with everything in it."""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from typing import Any

import msgspec
import uvicorn
from litestar import Litestar
from rich.console import Console

from parceltrace.api.app import create_app
from parceltrace.api.ratelimit import RateLimiter
from parceltrace.clock import SystemClock, VirtualClock
from parceltrace.logs import configure_logging
from parceltrace.service import accounts as account_service
from parceltrace.service.accounts import AccountError, AccountSettings
from parceltrace.service.context import Services
from parceltrace.service.sandbox_clock import follow as follow_clock
from parceltrace.service.sandbox_clock import load_offset
from parceltrace.store.engine import Store
from parceltrace.store.notify import Notifier, listen
from parceltrace.webhooks.mail import MailSettings
from parceltrace.webhooks.safety import WebhookPolicy
from parceltrace.worker.runner import Worker

DEMO_ACCOUNT = "demo"
console = Console(stderr=True, soft_wrap=True)


def build_app(
    db: str,
    sandbox: bool,
    host: str = "127.0.0.1",
    port: int = 8017,
    allowed_hosts: list[str] | None = None,
    mail: MailSettings | None = None,
    run_worker: bool = True,
    redis_url: str | None = None,
) -> Litestar:
    """The API, and in embedded mode the worker too; sandbox time if `sandbox`. On PostgreSQL
    registrations NOTIFY every worker of the cluster; `redis_url` shares rate limits."""
    clock = VirtualClock() if sandbox else None
    services = Services(Store(db), clock or SystemClock(), sandbox, mail=mail, lease_clock=SystemClock())
    services.webhook_policy = WebhookPolicy.for_mode(sandbox, allowed_hosts)
    worker = Worker(services)
    notifier = Notifier(services.store, also=worker.wake if run_worker else None)
    services.wake_poller = notifier
    limiter = RateLimiter(redis_url)
    stop = asyncio.Event()
    clock_moved = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []

    def on_notify() -> None:
        """Another process registered numbers or moved the sandbox clock."""
        clock_moved.set()
        if run_worker:
            worker.wake()

    async def on_startup() -> None:
        await services.store.migrate()
        if clock is not None:
            clock.offset = await load_offset(services.store)
            tasks.append(asyncio.create_task(follow_clock(services.store, clock, stop, nudge=clock_moved)))
        if sandbox and await account_service.count_accounts(services.store) == 0:
            await _create_demo_account(services, host, port)
        if run_worker:
            tasks.append(asyncio.create_task(worker.run(stop)))
        tasks.append(asyncio.create_task(listen(services.store, on_notify, stop)))

    async def on_shutdown() -> None:
        stop.set()
        worker.wake()
        await asyncio.gather(*tasks, return_exceptions=True)
        await notifier.drain()
        await worker.close()
        await limiter.close()
        await services.store.close()

    app = create_app(services, worker=worker if sandbox else None, clock=clock, rate_limiter=limiter)
    app.on_startup.append(on_startup)
    app.on_shutdown.append(on_shutdown)
    return app


async def _create_demo_account(services: Services, host: str, port: int) -> None:
    """The first sandbox start's account; when several API processes start at once, one wins."""
    try:
        _, key = await account_service.create_account(
            services.store, services.clock, DEMO_ACCOUNT, AccountSettings()
        )
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

    def build(self) -> Litestar:
        return build_app(
            self.db,
            self.sandbox,
            self.host,
            self.port,
            list(self.allowed_hosts),
            self.mail,
            self.run_worker,
            self.redis_url,
        )


SETTINGS_ENV = "PARCELTRACE_SERVER_SETTINGS"


def app_from_environment() -> Litestar:
    """The app factory each of `serve --workers N`'s processes calls (uvicorn imports it)."""
    configure_logging()
    return msgspec.json.decode(os.environ[SETTINGS_ENV], type=ServerSettings).build()


def run_server(settings: ServerSettings, workers: int = 1) -> None:
    configure_logging()
    mode = ("sandbox" if settings.sandbox else "live") + ("" if settings.run_worker else ", API only")
    processes = f", {workers} processes" if workers > 1 else ""
    limits = ", rate limits in Redis" if settings.redis_url else ""
    console.print(
        f"parceltrace listening on http://{settings.host}:{settings.port} "
        f"({mode} mode{processes}{limits}, db {settings.db})"
    )
    common: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "log_level": "warning",
        "loop": "uvloop",
        "http": "httptools",
    }
    if workers > 1:
        os.environ[SETTINGS_ENV] = msgspec.json.encode(settings).decode()
        uvicorn.run("parceltrace.server:app_from_environment", factory=True, workers=workers, **common)
    else:
        uvicorn.run(settings.build(), **common)
