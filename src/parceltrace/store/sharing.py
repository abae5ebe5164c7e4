"""The share tokens of trackings (public links)."""

from __future__ import annotations

from sqlalchemy import select, update

from parceltrace.store.engine import Store
from parceltrace.store.records import Tracking, record
from parceltrace.store.tables import trackings


async def share_token(store: Store, account_id: int, tracking_id: int, new_token: str) -> str | None:
    """The tracking's token, `new_token` set when it has none; None when no such tracking."""
    mine = (trackings.c.id == tracking_id) & (trackings.c.account_id == account_id)
    async with store.write() as conn:
        row = (await conn.execute(select(trackings.c.share_token).where(mine))).first()
        if row is None:
            return None
        if row.share_token:
            return str(row.share_token)
        await conn.execute(update(trackings).where(mine).values(share_token=new_token))
        return new_token


async def revoke_share(store: Store, account_id: int, tracking_id: int) -> bool:
    """False when no such tracking."""
    mine = (trackings.c.id == tracking_id) & (trackings.c.account_id == account_id)
    async with store.write() as conn:
        result = await conn.execute(update(trackings).where(mine).values(share_token=None))
    return bool(result.rowcount)


async def shared_tracking(store: Store, token: str) -> Tracking | None:
    async with store.read() as conn:
        row = (await conn.execute(select(trackings).where(trackings.c.share_token == token))).first()
    return record(Tracking, row) if row else None
