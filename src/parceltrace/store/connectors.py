"""Carrier connector settings and health (the `connectors` table), and the trackings that wait
for one."""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.exc import IntegrityError

from parceltrace.protocol.status import TrackingStatus
from parceltrace.store.engine import Store
from parceltrace.store.records import Connector, records
from parceltrace.store.tables import connector_unmapped, connectors, trackings


@dataclass(frozen=True, slots=True)
class HealthUpdate:
    name: str
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error: str | None
    calls: int
    """Calls since the last update (added to the stored count)."""
    failures: int


async def all_connectors(store: Store) -> list[Connector]:
    async with store.read() as conn:
        return records(Connector, await conn.execute(select(connectors).order_by(connectors.c.name)))


async def save(
    store: Store,
    name: str,
    *,
    credentials_sealed: str,
    base_url: str | None,
    test_mode: bool,
    pace: tuple[int, int] | None,
    threads: int | None,
    now: datetime,
) -> bool:
    """Insert or replace a connector's settings (its health is kept); True when it is new."""
    values = {
        "credentials_sealed": credentials_sealed,
        "base_url": base_url,
        "test_mode": test_mode,
        "pace_calls": pace[0] if pace else None,
        "pace_seconds": pace[1] if pace else None,
        "threads": threads,
        "updated_at": now,
    }
    async with store.write() as conn:
        changed = await conn.execute(update(connectors).where(connectors.c.name == name).values(**values))
        if changed.rowcount:
            return False
        await conn.execute(connectors.insert().values(name=name, created_at=now, **values))
    return True


async def remove(store: Store, name: str) -> bool:
    async with store.write() as conn:
        return bool((await conn.execute(delete(connectors).where(connectors.c.name == name))).rowcount)


async def record_health(store: Store, updates: list[HealthUpdate]) -> None:
    if not updates:
        return
    async with store.write() as conn:
        for item in updates:
            values: dict[str, Any] = {
                "calls": connectors.c.calls + item.calls,
                "failures": connectors.c.failures + item.failures,
            }
            if item.last_success_at is not None:
                values["last_success_at"] = item.last_success_at
            if item.last_error_at is not None:
                values["last_error_at"] = item.last_error_at
                values["last_error"] = item.last_error
            await conn.execute(update(connectors).where(connectors.c.name == item.name).values(**values))


@dataclass(frozen=True, slots=True)
class Unmapped:
    """A carrier event code no status table knows, as seen by one connector."""

    connector: str
    code: str
    description: str
    seen: int
    first_seen_at: datetime
    last_seen_at: datetime


async def record_unmapped(store: Store, found: list[Unmapped]) -> None:
    """Add what connectors saw since their last save (`seen` answers each, `last_seen_at`)."""
    for item in found:
        key = (
            (connector_unmapped.c.connector == item.connector)
            & (connector_unmapped.c.code == item.code[:60])
            & (connector_unmapped.c.description == item.description[:300])
        )
        more = {"seen": connector_unmapped.c.seen + item.seen, "last_seen_at": item.last_seen_at}
        async with store.write() as conn:
            if (await conn.execute(update(connector_unmapped).where(key).values(**more))).rowcount:
                continue
        try:
            async with store.write() as conn:
                await conn.execute(
                    connector_unmapped.insert().values(
                        connector=item.connector,
                        code=item.code[:60],
                        description=item.description[:300],
                        seen=item.seen,
                        first_seen_at=item.first_seen_at,
                        last_seen_at=item.last_seen_at,
                    )
                )
        except IntegrityError:  # another worker inserted it first
            async with store.write() as conn:
                await conn.execute(update(connector_unmapped).where(key).values(**more))


async def unmapped(store: Store, connector: str | None = None) -> list[Unmapped]:
    """Unknown codes, most seen first; of one connector or all."""
    query = select(connector_unmapped).order_by(
        connector_unmapped.c.connector, connector_unmapped.c.seen.desc(), connector_unmapped.c.code
    )
    if connector is not None:
        query = query.where(connector_unmapped.c.connector == connector)
    async with store.read() as conn:
        rows = (await conn.execute(query)).all()
    return [Unmapped(**{f.name: row._mapping[f.name] for f in fields(Unmapped)}) for row in rows]


async def unmapped_seen(store: Store) -> dict[str, int]:
    """Per connector, how many times answers carried a code no table knows."""
    query = select(connector_unmapped.c.connector, func.sum(connector_unmapped.c.seen)).group_by(
        connector_unmapped.c.connector
    )
    async with store.read() as conn:
        rows = (await conn.execute(query)).all()
    return {str(name): int(total or 0) for name, total in rows}


async def waiting_by_carrier(
    store: Store, account_id: int | None = None
) -> dict[int, tuple[int, str | None]]:
    """Active trackings whose last fetch failed, by carrier: (count, one of their reasons); of
    one account, or (None) of all."""
    mine = [] if account_id is None else [trackings.c.account_id == account_id]
    query = (
        select(trackings.c.carrier, func.count(), func.max(trackings.c.sync_error))
        .where(
            and_(
                trackings.c.tracking_status == TrackingStatus.TRACKING.value,
                trackings.c.latest_sync_status == "Failure",
                *mine,
            )
        )
        .group_by(trackings.c.carrier)
    )
    async with store.read() as conn:
        rows = (await conn.execute(query)).all()
    return {int(carrier): (int(count), reason) for carrier, count, reason in rows}
