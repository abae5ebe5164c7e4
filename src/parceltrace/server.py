"""`parceltrace serve`: the embedded mode, one process with everything in it."""

from __future__ import annotations

import asyncio

import uvicorn
from litestar import Litestar
from rich.console import Console

from parceltrace.api.app import create_app
from parceltrace.clock import SystemClock, VirtualClock
from parceltrace.logs import configure_logging
from parceltrace.service import accounts as account_service
from parceltrace.service.accounts import AccountSettings
from parceltrace.service.context import Services
from parceltrace.service.sandbox_clock import load_offset
from parceltrace.store.engine import Store
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
) -> Litestar:
    """The embedded mode: API, poller and janitor in one process; sandbox time if `sandbox`."""
    clock = VirtualClock() if sandbox else None
    services = Services(Store(db), clock or SystemClock(), sandbox, mail=mail)
    services.webhook_policy = WebhookPolicy.for_mode(sandbox, allowed_hosts)
    worker = Worker(services)
    if run_worker:
        services.wake_poller = worker.wake
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []

    async def on_startup() -> None:
        await services.store.migrate()
        if clock is not None:
            clock.offset = await load_offset(services.store)
        if sandbox and await account_service.count_accounts(services.store) == 0:
            _, key = await account_service.create_account(
                services.store, services.clock, DEMO_ACCOUNT, AccountSettings()
            )
            _print_welcome(key, host, port)
        if run_worker:
            tasks.append(asyncio.create_task(worker.run(stop)))

    async def on_shutdown() -> None:
        stop.set()
        worker.wake()
        await asyncio.gather(*tasks, return_exceptions=True)
        await worker.close()
        await services.store.close()

    app = create_app(services, worker=worker if sandbox else None, clock=clock)
    app.on_startup.append(on_startup)
    app.on_shutdown.append(on_shutdown)
    return app


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


def run_server(
    host: str,
    port: int,
    db: str,
    sandbox: bool,
    allowed_hosts: list[str] | None = None,
    mail: MailSettings | None = None,
    run_worker: bool = True,
) -> None:
    configure_logging()
    mode = ("sandbox" if sandbox else "live") + ("" if run_worker else ", API only")
    console.print(f"parceltrace listening on http://{host}:{port} ({mode} mode, db {db})")
    uvicorn.run(
        build_app(db, sandbox, host, port, allowed_hosts, mail, run_worker),
        host=host,
        port=port,
        log_level="warning",
        loop="uvloop",
        http="httptools",
    )
