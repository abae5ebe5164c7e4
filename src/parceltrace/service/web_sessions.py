"""Dashboard sign-ins: an API key buys a session; the cookie carries a random token, the table
its hash, so a stolen table opens nothing. Sessions run on wall time, not on the sandbox's
virtual clock: advancing the clock by a week must not sign the user out."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from parceltrace.service.accounts import Account, authenticate
from parceltrace.store import sessions
from parceltrace.store.engine import Store

SESSION_LIFETIME = timedelta(hours=12)


@dataclass(frozen=True, slots=True)
class WebSession:
    token_hash: str
    account: Account
    csrf_token: str
    expires_at: datetime
    flash: str | None
    flash_error: bool = False
    """The message reports something that failed (shown in the error style)."""


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


async def sign_in(store: Store, key: str, now: datetime) -> tuple[str, Account] | None:
    """A new session token for the account `key` opens (None: no such enabled account)."""
    async with store.read() as conn:
        account = await authenticate(conn, key, now)
    if account is None or not account.enabled:
        return None
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    await sessions.create_session(store, _digest(token), account.id, csrf, now, now + SESSION_LIFETIME)
    return token, account


async def load(store: Store, token: str, now: datetime) -> WebSession | None:
    """The live session of a cookie; expired sessions and disabled accounts count as none."""
    if not token or len(token) > 100:
        return None
    row = await sessions.session_with_account(store, _digest(token))
    if row is None or row._session_expires <= now or not row.enabled:
        return None
    return WebSession(
        row.token_hash,
        Account.from_row(row),
        row.csrf_token,
        row._session_expires,
        row.flash,
        row.flash_error,
    )


async def sign_out(store: Store, token: str) -> None:
    await sessions.delete_session(store, _digest(token))


async def set_flash(store: Store, session: WebSession, text: str | None, error: bool = False) -> None:
    """A message for the next page the session shows (the result of a form it posted; `error`:
    it failed). It may quote what the form held; NUL characters are dropped (PostgreSQL text
    cannot hold them)."""
    shown = text.replace("\x00", "")[:2000] if text else None
    await sessions.set_flash(store, session.token_hash, shown, bool(text) and error)
