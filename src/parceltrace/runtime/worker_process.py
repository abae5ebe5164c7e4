"""`parceltrace worker`: the worker loop as a process of its own, stopped by SIGTERM/SIGINT."""

from __future__ import annotations

import asyncio
import signal
from datetime import timedelta

import structlog
import uvloop
from aiohttp import web

from parceltrace.clock import SystemClock
from parceltrace.outbox.mail import MailSettings
from parceltrace.runtime.cluster import join_cluster
from parceltrace.runtime.heap import freeze_startup_objects
from parceltrace.runtime.logs import configure_logging
from parceltrace.service.connectors import RunningConnectors
from parceltrace.service.context import Services
from parceltrace.service.metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from parceltrace.service.pushes import DELIVERY_RETENTION
from parceltrace.sources.registry import SourceSettings
from parceltrace.store.engine import Store
from parceltrace.store.urls import shown_database
from parceltrace.worker.runner import Worker

log = structlog.get_logger("parceltrace.worker")


async def _main(
    db: str,
    sandbox: bool,
    batch_size: int,
    lease_seconds: float,
    allowed_hosts: list[str],
    mail: MailSettings | None,
    sources: SourceSettings,
    metrics_address: tuple[str, int] | None,
    retention_days: int,
) -> None:
    store = Store(db)
    await store.wait_until_reachable()
    await store.migrate()
    services = Services(
        store,
        SystemClock(),
        sandbox,
        mail=mail,
        source_settings=sources,
        webhook_hosts=tuple(allowed_hosts),
        delivery_retention=timedelta(days=retention_days),
    )
    worker = Worker(services, batch_size=batch_size, lease=timedelta(seconds=lease_seconds))
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    connectors = None if sandbox else RunningConnectors(store, services.sources)
    helpers = await join_cluster(services, stop, worker.wake, connectors)
    metrics_site = await _serve_metrics(services, metrics_address) if metrics_address else None
    freeze_startup_objects()
    log.info(
        "worker started",
        mode="sandbox" if sandbox else "live",
        db=shown_database(db),
        owner=worker.dispatcher.owner,
        metrics=f"http://{metrics_address[0]}:{metrics_address[1]}/metrics" if metrics_address else None,
    )
    try:
        await worker.run(stop)
    finally:
        log.info("worker stopping: finishing what is under way")
        stop.set()
        if metrics_site is not None:
            await metrics_site.cleanup()
        await asyncio.gather(*helpers, return_exceptions=True)
        await worker.close()
        await services.close()
        log.info("worker stopped")


async def _serve_metrics(services: Services, address: tuple[str, int]) -> web.AppRunner:
    """The worker's own /metrics (scale mode: each process is scraped on its own)."""

    async def metrics(_request: web.Request) -> web.Response:
        body = await services.metrics.render(services.store, services.clock)
        return web.Response(body=body, headers={"Content-Type": METRICS_CONTENT_TYPE})

    app = web.Application()
    app.router.add_get("/metrics", metrics)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, address[0], address[1]).start()
    return runner


def run_worker(
    db: str,
    sandbox: bool,
    batch_size: int,
    lease_seconds: float,
    allowed_hosts: list[str],
    mail: MailSettings | None = None,
    sources: SourceSettings | None = None,
    metrics_address: tuple[str, int] | None = None,
    retention_days: int = DELIVERY_RETENTION.days,
) -> None:
    configure_logging()
    uvloop.run(
        _main(
            db,
            sandbox,
            batch_size,
            lease_seconds,
            allowed_hosts,
            mail,
            sources or SourceSettings(),
            metrics_address,
            retention_days,
        )
    )
