"""Dashboard sign-ins: an API key buys a session; the cookie carries a random token, the table
its hash, so a stolen table opens nothing. Sessions run on wall time, not on the sandbox's
virtual clock: advancing the clock by a week must not sign the user out."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update

from parceltrace.service.accounts import Account, authenticate
from parceltrace.store.engine import Store
from parceltrace.store.tables import accounts, web_sessions

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
    async with store.write() as conn:
        await conn.execute(delete(web_sessions).where(web_sessions.c.expires_at <= now))
        await conn.execute(
            web_sessions.insert().values(
                token_hash=_digest(token),
                account_id=account.id,
                csrf_token=secrets.token_urlsafe(32),
                created_at=now,
                expires_at=now + SESSION_LIFETIME,
            )
        )
    return token, account


async def load(store: Store, token: str, now: datetime) -> WebSession | None:
    """The live session of a cookie; expired sessions and disabled accounts count as none."""
    if not token or len(token) > 100:
        return None
    query = (
        select(
            accounts,
            web_sessions.c.token_hash,
            web_sessions.c.csrf_token,
            web_sessions.c.flash,
            web_sessions.c.flash_error,
        )
        .add_columns(web_sessions.c.expires_at.label("_session_expires"))
        .join(web_sessions, web_sessions.c.account_id == accounts.c.id)
        .where(web_sessions.c.token_hash == _digest(token))
    )
    async with store.read() as conn:
        row = (await conn.execute(query)).first()
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
    async with store.write() as conn:
        await conn.execute(delete(web_sessions).where(web_sessions.c.token_hash == _digest(token)))


async def set_flash(store: Store, session: WebSession, text: str | None, error: bool = False) -> None:
    """A message for the next page the session shows (the result of a form it posted; `error`:
    it failed). It may quote what the form held; NUL characters are dropped (PostgreSQL text
    cannot hold them)."""
    async with store.write() as conn:
        await conn.execute(
            update(web_sessions)
            .where(web_sessions.c.token_hash == session.token_hash)
            .values(flash=text.replace("\x00", "")[:2000] if text else None, flash_error=bool(text) and error)
        )
