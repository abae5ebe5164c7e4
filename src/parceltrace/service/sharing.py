"""Public tracking links: `share` gives a tracking an unguessable token (`/p/<token>`), revoking
removes it. The public page shows the parcel's journey and nothing about the account."""

from __future__ import annotations

import re
import secrets
from typing import Any

from sqlalchemy import Row, select, update

from parceltrace.service.context import Services
from parceltrace.store.tables import trackings

TOKEN_BYTES = 24
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
"""What `secrets.token_urlsafe(TOKEN_BYTES)` gives."""
"""192 random bits, URL-safe: guessing a live link is out of reach."""


async def share(services: Services, account_id: int, tracking_id: int) -> str | None:
    """The tracking's share token, created on first use; None when no such tracking."""
    mine = (trackings.c.id == tracking_id) & (trackings.c.account_id == account_id)
    async with services.store.write() as conn:
        row = (await conn.execute(select(trackings.c.share_token).where(mine))).first()
        if row is None:
            return None
        if row.share_token:
            return str(row.share_token)
        token = secrets.token_urlsafe(TOKEN_BYTES)
        await conn.execute(update(trackings).where(mine).values(share_token=token))
        return token


async def unshare(services: Services, account_id: int, tracking_id: int) -> bool:
    """Revoke the link (the old URL stops working at once); False when no such tracking."""
    mine = (trackings.c.id == tracking_id) & (trackings.c.account_id == account_id)
    async with services.store.write() as conn:
        result = await conn.execute(update(trackings).where(mine).values(share_token=None))
    return bool(result.rowcount)


async def shared_tracking(services: Services, token: str) -> Row[Any] | None:
    """The tracking a public link shows; None for any text that is not a link's token (one
    holding NUL would not even reach PostgreSQL)."""
    if not TOKEN.fullmatch(token):
        return None
    async with services.store.read() as conn:
        return (await conn.execute(select(trackings).where(trackings.c.share_token == token))).first()
