"""Public tracking links: `share` gives a tracking an unguessable token (`/p/<token>`), revoking
removes it. The public page shows the parcel's journey and nothing about the account."""

from __future__ import annotations

import re
import secrets

from parceltrace.service.context import Services
from parceltrace.store import sharing
from parceltrace.store.records import Tracking

TOKEN_BYTES = 24
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
"""What `secrets.token_urlsafe(TOKEN_BYTES)` gives."""
"""192 random bits, URL-safe: guessing a live link is out of reach."""


async def share(services: Services, account_id: int, tracking_id: int) -> str | None:
    """The tracking's share token, created on first use; None when no such tracking."""
    return await sharing.share_token(
        services.store, account_id, tracking_id, secrets.token_urlsafe(TOKEN_BYTES)
    )


async def unshare(services: Services, account_id: int, tracking_id: int) -> bool:
    """Revoke the link (the old URL stops working at once); False when no such tracking."""
    return await sharing.revoke_share(services.store, account_id, tracking_id)


async def shared_tracking(services: Services, token: str) -> Tracking | None:
    """The tracking a public link shows; None for any text that is not a link's token (one
    holding NUL would not even reach PostgreSQL)."""
    if not TOKEN.fullmatch(token):
        return None
    return await sharing.shared_tracking(services.store, token)
