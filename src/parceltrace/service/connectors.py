"""Carrier connectors as the operator sees them: add (credentials sealed with the server
secret), remove, list with health, test one number; and every process keeping its running
connectors in step with the table."""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import structlog

from parceltrace.carriers import registry as carrier_registry
from parceltrace.clock import first_of
from parceltrace.protocol.failures import ParceltraceError
from parceltrace.protocol.webhook_url import canonical_url, webhook_url_problem
from parceltrace.service.context import Services
from parceltrace.service.refresh import refresh
from parceltrace.service.sealing import seal, unseal
from parceltrace.sources.base import TrackingRef
from parceltrace.sources.connectors import calls
from parceltrace.sources.connectors.catalog import INSTALL_HINT, SPECS, ConnectorSpec, Pace, spec
from parceltrace.sources.connectors.source import CarrierConnector, ConnectorSource, Health
from parceltrace.sources.registry import SourceRegistry
from parceltrace.store import connectors
from parceltrace.store.connectors import HealthUpdate
from parceltrace.store.engine import Store, StoreError
from parceltrace.store.records import Connector
from parceltrace.tracking.model import SourceResult

FOLLOW_EVERY = 10.0
TAKE_UP_MARGIN = 2.0
"""Seconds past FOLLOW_EVERY before a changed connector's waiting trackings are polled again."""
"""Seconds between two looks at the connectors table (changes made by the CLI reach running
processes within this time)."""
log = structlog.get_logger("parceltrace.connectors")


class ConnectorError(ParceltraceError):
    """A refused connector operation, with a message that says what to do."""


@dataclass(frozen=True, slots=True)
class ConnectorSettings:
    name: str
    credentials: dict[str, str]
    base_url: str | None = None
    test_mode: bool = False
    pace: Pace | None = None
    threads: int | None = None


def supported_names() -> str:
    return ", ".join(s.name for s in SPECS)


def known_spec(name: str) -> ConnectorSpec:
    found = spec(name)
    if found is None:
        raise ConnectorError(f"no connector named {name!r}; supported: {supported_names()}")
    return found


def check_credentials(name: str, credentials: dict[str, str]) -> None:
    """Every field tracking needs given (karrio's required ones and the connector's own), no
    field karrio does not know."""
    if not calls.karrio_installed():
        raise ConnectorError(f"carrier connectors need karrio: {INSTALL_HINT}")
    try:
        accepted = calls.credential_fields(name)
    except LookupError as exc:
        raise ConnectorError(f"{exc}; reinstall with {INSTALL_HINT}") from exc
    known = {f.name for f in accepted}
    unknown = sorted(set(credentials) - known)
    if unknown:
        raise ConnectorError(
            f"{name} has no credential field {', '.join(unknown)}; its fields: "
            + ", ".join(f"{f.name}{'' if f.required else ' (optional)'}" for f in accepted)
        )
    needed = [f.name for f in accepted if f.required] + list(known_spec(name).needs)
    missing = [field for field in needed if not credentials.get(field)]
    if missing:
        raise ConnectorError(
            f"{name} needs {', '.join(missing)}: add --credential {missing[0]}=VALUE"
            + (" and the others" if len(missing) > 1 else "")
        )


async def add_connector(services: Services, settings: ConnectorSettings) -> bool:
    """Save a connector (a new one, or new settings for one); True when it is new. Its
    carriers' trackings that failed or have no result yet are polled again once every running
    server has taken the new settings up (FOLLOW_EVERY), not at their next turn (30 minutes
    after a failure): fixing credentials shows at once."""
    connector = known_spec(settings.name)
    check_credentials(settings.name, settings.credentials)
    if settings.base_url:
        problem = webhook_url_problem(settings.base_url)
        if problem:
            raise ConnectorError(f"--base-url {settings.base_url!r} is not usable: {problem}")
    if settings.threads is not None and not 1 <= settings.threads <= 256:
        raise ConnectorError("--threads must be 1 to 256")
    created = await connectors.save(
        services.store,
        settings.name,
        credentials_sealed=seal(services.store.url, json.dumps(settings.credentials, sort_keys=True)),
        base_url=canonical_url(settings.base_url) if settings.base_url else None,
        test_mode=settings.test_mode,
        pace=(settings.pace.calls, settings.pace.seconds) if settings.pace else None,
        threads=settings.threads,
        now=services.clock.now(),
    )
    taken_up = services.clock.now() + timedelta(seconds=FOLLOW_EVERY + TAKE_UP_MARGIN)
    await refresh(services, taken_up, None, carriers=list(connector.carriers), failed_only=True)
    return created


async def unmapped_codes(services: Services, name: str | None = None) -> list[connectors.Unmapped]:
    """The carrier codes no status table knows, as the workers counted them."""
    if name is not None:
        known_spec(name)
    return await connectors.unmapped(services.store, name)


async def remove_connector(services: Services, name: str) -> None:
    if not await connectors.remove(services.store, name):
        raise ConnectorError(f"no connector {name!r} is configured (see `parceltrace connectors list`)")


def masked(credentials: dict[str, str]) -> dict[str, str]:
    """Credentials as they may be shown: the first characters of each value, never all."""
    return {k: (v[:3] + "…" if len(v) > 6 else "…") for k, v in credentials.items()}


@dataclass(frozen=True, slots=True)
class ConnectorView:
    spec: ConnectorSpec
    row: Connector | None
    credentials: dict[str, str]
    """Masked."""
    waiting: int
    """Active trackings of its carriers whose last fetch failed."""
    waiting_reason: str | None

    @property
    def configured(self) -> bool:
        return self.row is not None

    @property
    def carriers(self) -> list[str]:
        return [_carrier_name(code) for code in self.spec.carriers]


@dataclass(frozen=True, slots=True)
class Unserved:
    """A carrier with trackings waiting and no connector that could serve it."""

    carrier: int
    name: str
    waiting: int
    reason: str | None


def _carrier_name(code: int) -> str:
    carrier = carrier_registry.get(code)
    return f"{carrier.name if carrier else 'carrier'} {code}"


async def list_connectors(
    services: Services, account_id: int | None = None
) -> tuple[list[ConnectorView], list[Unserved]]:
    """Every connector with its health, and the trackings waiting for a fetch: the operator's
    (`account_id` None) across accounts, a tenant's only its own."""
    rows = {row.name: row for row in await connectors.all_connectors(services.store)}
    waiting = await connectors.waiting_by_carrier(services.store, account_id)
    views = []
    for item in SPECS:
        row = rows.get(item.name)
        credentials: dict[str, str] = {}
        if row is not None:
            try:
                credentials = masked(json.loads(unseal(services.store.url, row.credentials_sealed)))
            except Exception:
                credentials = {"(sealed)": "cannot be opened with this server's secret"}
        counts = [waiting[code] for code in item.carriers if code in waiting]
        views.append(
            ConnectorView(
                item,
                row,
                credentials,
                sum(count for count, _ in counts),
                next((reason for _, reason in counts if reason), None),
            )
        )
    served = {code for item in SPECS for code in item.carriers}
    unserved = [
        Unserved(code, _carrier_name(code), count, reason)
        for code, (count, reason) in sorted(waiting.items())
        if code not in served
    ]
    return views, unserved


# ---------------------------------------------------------------- running connectors


def connector_from(row: Connector, store: Store) -> CarrierConnector:
    item = known_spec(row.name)
    connection = calls.Connection(
        row.name, json.loads(unseal(store.url, row.credentials_sealed)), row.base_url, row.test_mode
    )
    pace = Pace(row.pace_calls, row.pace_seconds) if row.pace_calls and row.pace_seconds else None
    return CarrierConnector(item, connection, pace=pace, threads=row.threads or 32)


class RunningConnectors:
    """This process's connectors, rebuilt when their row changes; their health saved back."""

    def __init__(self, store: Store, sources: SourceRegistry) -> None:
        self.store = store
        self.sources = sources
        self._built: dict[str, tuple[tuple[object, ...], CarrierConnector]] = {}
        self._saved_calls: dict[str, tuple[int, int]] = {}

    async def refresh(self) -> None:
        rows = {row.name: row for row in await connectors.all_connectors(self.store)}
        if rows and not calls.karrio_installed():
            log.error("connectors are configured but karrio is not installed", hint=INSTALL_HINT)
            rows = {}
        changed = False
        for name in list(self._built):
            if name not in rows or rows[name].fingerprint != self._built[name][0]:
                self._built.pop(name)[1].close()
                changed = True
        for name, row in rows.items():
            if name in self._built or spec(name) is None:
                continue
            try:
                calls.prepare_karrio()
                self._built[name] = (row.fingerprint, connector_from(row, self.store))
            except Exception as exc:
                log.error("connector cannot start", connector=name, error=str(exc))
                continue
            changed = True
        if changed:
            self.sources.use_connectors(ConnectorSource(self._routes()))
        await self.save_health()

    def _routes(self) -> dict[int, CarrierConnector]:
        routes: dict[int, CarrierConnector] = {}
        for item in SPECS:
            built = self._built.get(item.name)
            if built is None:
                continue
            for code in item.carriers:
                routes.setdefault(code, built[1])
        return routes

    async def save_health(self) -> None:
        updates = []
        seen: list[connectors.Unmapped] = []
        for name, (_, connector) in self._built.items():
            health = connector.health
            if not health.changed:
                continue
            health.changed = False
            calls_before, failures_before = self._saved_calls.get(name, (0, 0))
            updates.append(
                HealthUpdate(
                    name,
                    health.last_success_at,
                    health.last_error_at,
                    health.last_error,
                    health.calls - calls_before,
                    health.failures - failures_before,
                )
            )
            self._saved_calls[name] = (health.calls, health.failures)
            seen.extend(_unmapped_taken(name, health))
        await connectors.record_health(self.store, updates)
        await connectors.record_unmapped(self.store, seen)

    async def follow(self, stop: asyncio.Event, every: float = FOLLOW_EVERY) -> None:
        while not stop.is_set():
            await first_of(stop, at_most=every)
            try:
                await self.refresh()
            except (OSError, StoreError) as exc:
                if not self.store.reported_outage(exc):
                    log.warning("cannot read the connectors; retrying", error=str(exc))

    def close(self) -> None:
        for _, connector in self._built.values():
            connector.close()
        self._built.clear()


@dataclass(frozen=True, slots=True)
class TestOutcome:
    result: SourceResult | None
    error: str | None


async def test_connector(
    services: Services, name: str, number: str, carrier: int | None, now: datetime
) -> TestOutcome:
    """One fetch through connector `name`, outside any account (no quota is charged)."""
    item = known_spec(name)
    rows = {row.name: row for row in await connectors.all_connectors(services.store)}
    row = rows.get(name)
    if row is None:
        raise ConnectorError(
            f"no connector {name!r} is configured: add it with `parceltrace connectors add {name} ...`"
        )
    if not calls.karrio_installed():
        raise ConnectorError(f"carrier connectors need karrio: {INSTALL_HINT}")
    calls.prepare_karrio()
    connector = connector_from(row, services.store)
    code = carrier or item.carriers[0]
    try:
        result = await ConnectorSource({code: connector}).fetch(TrackingRef(number, code, 0, None, now), now)
    except Exception as exc:
        return TestOutcome(None, str(exc))
    finally:
        connector.close()
        health = connector.health
        await connectors.record_health(
            services.store,
            [
                HealthUpdate(
                    name,
                    health.last_success_at,
                    health.last_error_at,
                    health.last_error,
                    health.calls,
                    health.failures,
                )
            ],
        )
        await connectors.record_unmapped(services.store, _unmapped_taken(name, health))
    return TestOutcome(result, None)


def _unmapped_taken(name: str, health: Health) -> list[connectors.Unmapped]:
    """The unknown codes a connector saw since they were last taken (to be saved)."""
    taken = [
        connectors.Unmapped(name, code, description, count, first, last)
        for (code, description), (count, first, last) in health.unmapped.items()
    ]
    health.unmapped.clear()
    return taken
