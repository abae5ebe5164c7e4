"""The relay's bookkeeping: upstream registrations, their newest result, and which local
trackings (of any account) a (number, carrier) is."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection

from parceltrace.protocol.status import TrackingStatus
from parceltrace.store.engine import Store
from parceltrace.store.notify import notify_in
from parceltrace.store.records import (
    REGISTERED,
    RELEASED,
    STOPPED,
    UpstreamKey,
    UpstreamLeftover,
    UpstreamRegistration,
    records,
)
from parceltrace.store.tables import trackings, upstream_registrations

Key = UpstreamKey
_table = upstream_registrations


def _keys_clause(keys: Iterable[Key]) -> Any:
    return or_(*(and_(_table.c.number == number, _table.c.carrier == carrier) for number, carrier in keys))


async def registrations(conn: AsyncConnection, keys: list[Key]) -> dict[Key, UpstreamRegistration]:
    if not keys:
        return {}
    found = records(UpstreamRegistration, await conn.execute(select(_table).where(_keys_clause(keys))))
    return {(registration.number, registration.carrier): registration for registration in found}


async def save_registered(
    conn: AsyncConnection, is_sqlite: bool, upstream_carriers: dict[Key, int], now: datetime
) -> None:
    """Records (number, carrier) as registered upstream (again), under the upstream's carrier."""
    if not upstream_carriers:
        return
    insert = sqlite.insert(_table) if is_sqlite else postgresql.insert(_table)
    statement = insert.values(
        [
            {
                "number": number,
                "carrier": carrier,
                "upstream_carrier": upstream,
                "state": REGISTERED,
                "registered_at": now,
            }
            for (number, carrier), upstream in upstream_carriers.items()
        ]
    )
    await conn.execute(
        statement.on_conflict_do_update(
            index_elements=[_table.c.number, _table.c.carrier],
            set_={
                "upstream_carrier": statement.excluded.upstream_carrier,
                "state": REGISTERED,
                "registered_at": statement.excluded.registered_at,
                "released_at": None,
            },
        )
    )


async def set_state(conn: AsyncConnection, keys: list[Key], state: str, now: datetime) -> None:
    if keys:
        values: dict[str, Any] = {"state": state}
        if state == RELEASED:
            values.update(released_at=now, result=None, result_at=None)
        await conn.execute(update(_table).where(_keys_clause(keys)).values(values))


async def save_results(conn: AsyncConnection, results: dict[Key, str], now: datetime) -> None:
    """The upstream's newest answers (encoded SourceResults) for registered keys."""
    for (number, carrier), encoded in results.items():
        await conn.execute(
            update(_table)
            .where(_table.c.number == number, _table.c.carrier == carrier)
            .values(result=encoded, result_at=now)
        )


async def keys_for_upstream(conn: AsyncConnection, number: str, upstream_carrier: int) -> list[Key]:
    """The local keys an upstream (number, carrier) answers for."""
    rows = await conn.execute(
        select(_table.c.number, _table.c.carrier).where(
            _table.c.number == number, _table.c.upstream_carrier == upstream_carrier
        )
    )
    return [(row.number, row.carrier) for row in rows]


async def make_due(conn: AsyncConnection, keys: list[Key], now: datetime) -> int:
    """Every account's active tracking of these keys is polled at once (a pushed update)."""
    due = 0
    for number, carrier in keys:  # one key at a time: each an index lookup on (number, carrier)
        result = await conn.execute(
            update(trackings)
            .where(
                trackings.c.number == number,
                trackings.c.carrier == carrier,
                trackings.c.tracking_status == TrackingStatus.TRACKING.value,
            )
            .values(next_poll_at=now)
        )
        due += int(result.rowcount or 0)
    return due


async def unneeded(conn: AsyncConnection) -> tuple[list[UpstreamLeftover], list[UpstreamLeftover]]:
    """(to stop, to delete) upstream: registrations no local tracking is active for, split
    by whether any local tracking (stopped) is left at all."""
    local = and_(trackings.c.number == _table.c.number, trackings.c.carrier == _table.c.carrier)
    active = exists().where(local, trackings.c.tracking_status == TrackingStatus.TRACKING.value)
    rows = records(
        UpstreamLeftover,
        await conn.execute(
            select(_table.c.number, _table.c.carrier, _table.c.upstream_carrier, _table.c.state)
            .add_columns(exists().where(local).label("present"))
            .where(_table.c.state.in_([REGISTERED, STOPPED]), ~active)
        ),
    )
    to_stop = [row for row in rows if row.state == REGISTERED and row.present]
    to_delete = [row for row in rows if not row.present]
    return to_stop, to_delete


class UpstreamRecords:
    """The relay's bookkeeping as the relay source and the upstream use cases use it: each
    method one transaction on `store`."""

    def __init__(self, store: Store) -> None:
        self.store = store

    async def registrations(self, keys: list[Key]) -> dict[Key, UpstreamRegistration]:
        async with self.store.read() as conn:
            return await registrations(conn, keys)

    async def registered(self, upstream_carriers: dict[Key, int], now: datetime) -> None:
        """These keys are registered upstream now, under the upstream's carrier."""
        async with self.store.write() as conn:
            await save_registered(conn, self.store.is_sqlite, upstream_carriers, now)

    async def retracked(self, upstream_carriers: dict[Key, int], lost: list[Key], now: datetime) -> None:
        """A retrack upstream: these keys track there again, `lost` ones are unknown there."""
        async with self.store.write() as conn:
            await save_registered(conn, self.store.is_sqlite, upstream_carriers, now)
            await set_state(conn, lost, RELEASED, now)

    async def answered(self, results: dict[Key, str], lost: list[Key], now: datetime) -> None:
        """The upstream's answers (encoded SourceResults); `lost`: keys it no longer knows."""
        async with self.store.write() as conn:
            await save_results(conn, results, now)
            await set_state(conn, lost, RELEASED, now)

    async def pushed(self, number: str, upstream_carrier: int, result: str | None, now: datetime) -> int:
        """An upstream push for (number, upstream carrier): its result kept for every local key
        and their active trackings made due (NOTIFY on PostgreSQL), or, `result` None, the
        registration stopped. Returns how many trackings were made due."""
        async with self.store.write() as conn:
            keys = await keys_for_upstream(conn, number, upstream_carrier)
            if result is None:
                await set_state(conn, keys, STOPPED, now)
                return 0
            await save_results(conn, dict.fromkeys(keys, result), now)
            due = await make_due(conn, keys, now)
            if due:
                await notify_in(conn)
        return due

    async def unneeded(self) -> tuple[list[UpstreamLeftover], list[UpstreamLeftover]]:
        async with self.store.read() as conn:
            return await unneeded(conn)

    async def released(self, keys: list[Key], state: str, now: datetime) -> None:
        async with self.store.write() as conn:
            await set_state(conn, keys, state, now)
