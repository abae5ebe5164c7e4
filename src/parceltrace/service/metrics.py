"""What the operator scrapes at `/metrics` (Prometheus text format): requests by route and
status with latency, polls, deliveries, refusals, and the backlog read from the store.

Counters live in this process (each API or worker process of a cluster is scraped on its own,
as Prometheus expects); the store's figures are read at scrape time, the backlog every scrape
(two indexed lookups) and the count of trackings by status at most once a minute (it reads the
whole table)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from parceltrace.clock import Clock
from parceltrace.store import connectors, stats
from parceltrace.store.engine import Store
from parceltrace.store.outage import Outage

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
STATUS_EVERY = 60.0
"""Seconds between two counts of trackings by status."""


@dataclass
class Metrics:
    registry: CollectorRegistry = field(default_factory=CollectorRegistry)

    def __post_init__(self) -> None:
        r = self.registry
        self.requests = Counter(
            "parceltrace_http_requests", "HTTP requests answered", ["route", "status"], registry=r
        )
        self.latency = Histogram(
            "parceltrace_http_request_duration_seconds",
            "Time to answer an HTTP request",
            ["route"],
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
            registry=r,
        )
        self.rate_limited = Counter(
            "parceltrace_rate_limited_requests",
            "Requests refused by a rate limit (HTTP 429)",
            ["kind"],
            registry=r,
        )
        self.quota_refused = Counter(
            "parceltrace_quota_refused_items",
            "Items refused for quota (-18019908) or the daily limit",
            registry=r,
        )
        self.polls = Counter(
            "parceltrace_polls", "Polls done by this process's worker", ["result"], registry=r
        )
        self.deliveries = Counter(
            "parceltrace_webhook_attempts", "Webhook delivery attempts by result", ["result"], registry=r
        )
        self.poll_lag = Gauge(
            "parceltrace_poll_lag_seconds", "Age of the oldest due poll (0: none is late)", registry=r
        )
        self.outbox = Gauge(
            "parceltrace_outbox_pending", "Webhook messages waiting to be delivered", registry=r
        )
        self.trackings = Gauge(
            "parceltrace_trackings",
            "Trackings by tracking and package status",
            ["tracking", "package"],
            registry=r,
        )
        self.unmapped = _UnmappedCodes()
        r.register(self.unmapped)
        self.outages = _Outages()
        r.register(self.outages)
        self._counted_at = float("-inf")

    def watch(self, outage: Outage) -> None:
        """Report `outage`'s figures (the database's is watched by `render` itself)."""
        self.outages.watched.setdefault(outage.service, outage)

    async def render(self, store: Store, clock: Clock) -> bytes:
        """The text exposition, with the store's figures read now; while the database is out
        of reach, this process's own figures (the outage's among them) without the store's."""
        self.watch(store.outage)
        if not store.outage.ongoing:
            try:
                await self._read_store(store, clock)
            except Exception as exc:
                if not store.reported_outage(exc):
                    raise
        return generate_latest(self.registry)

    async def _read_store(self, store: Store, clock: Clock) -> None:
        backlog = await stats.backlog(store)
        late = (clock.now() - backlog.oldest_due).total_seconds() if backlog.oldest_due else 0.0
        self.poll_lag.set(max(0.0, late))
        self.outbox.set(backlog.pending_deliveries)
        if time.monotonic() - self._counted_at >= STATUS_EVERY:
            self._counted_at = time.monotonic()
            self.trackings.clear()
            for (tracking, package), count in (await stats.trackings_by_status(store)).items():
                self.trackings.labels(tracking, package).set(count)
            self.unmapped.seen = await connectors.unmapped_seen(store)


class _UnmappedCodes(Collector):
    """Per connector, how many carrier answers carried an event code no status table knows
    (all workers together, as the store counts them): a counter, so a rise is a carrier
    sending new codes (`parceltrace connectors unmapped` lists them)."""

    def __init__(self) -> None:
        self.seen: dict[str, int] = {}

    def collect(self) -> Iterator[CounterMetricFamily]:
        family = CounterMetricFamily(
            "parceltrace_connector_unmapped_codes",
            "Carrier events whose code no status table knows (shown as _Other)",
            labels=["connector"],
        )
        for connector, seen in sorted(self.seen.items()):
            family.add_metric([connector], seen)
        yield family


class _Outages(Collector):
    """Per backing service (database, redis): whether this process finds it out of reach now,
    how many outages it has seen, and how many calls met one."""

    def __init__(self) -> None:
        self.watched: dict[str, Outage] = {}

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        now = GaugeMetricFamily(
            "parceltrace_out_of_reach",
            "1 while this process finds the service out of reach",
            labels=["service"],
        )
        started = CounterMetricFamily(
            "parceltrace_outages", "Outages this process has seen", labels=["service"]
        )
        failed = CounterMetricFamily(
            "parceltrace_outage_failed_calls",
            "Calls that met the service out of reach (requests answered 503, steps retried, "
            "rate limits counted in memory)",
            labels=["service"],
        )
        for service, outage in sorted(self.watched.items()):
            now.add_metric([service], 1 if outage.ongoing else 0)
            started.add_metric([service], outage.started)
            failed.add_metric([service], outage.failures)
        yield now
        yield started
        yield failed
