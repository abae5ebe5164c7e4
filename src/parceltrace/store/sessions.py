"""Dashboard sessions, stored by the hash of their cookie's token."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update

from parceltrace.store.accounts import ACCOUNT, KEYS
from parceltrace.store.engine import Store
from parceltrace.store.records import Account, AccountKeys, SessionRecord, record
from parceltrace.store.tables import accounts, web_sessions


async def create_session(
    store: Store,
    token_hash: str,
    account_id: int,
    csrf_token: str,
    now: datetime,
    expires_at: datetime,
    key_hash: str,
) -> None:
    """A new session; sessions expired by `now` go in the same transaction."""
    async with store.write() as conn:
        await conn.execute(delete(web_sessions).where(web_sessions.c.expires_at <= now))
        await conn.execute(
            web_sessions.insert().values(
                token_hash=token_hash,
                account_id=account_id,
                csrf_token=csrf_token,
                created_at=now,
                expires_at=expires_at,
                key_hash=key_hash,
            )
        )


async def session_with_account(store: Store, token_hash: str) -> SessionRecord | None:
    """The session and its account in one round trip, or None."""
    query = (
        select(*ACCOUNT, *KEYS)
        .add_columns(
            web_sessions.c.token_hash,
            web_sessions.c.csrf_token,
            web_sessions.c.flash,
            web_sessions.c.flash_error,
            web_sessions.c.expires_at.label("_session_expires"),
            web_sessions.c.key_hash.label("_session_key"),
        )
        .join(web_sessions, web_sessions.c.account_id == accounts.c.id)
        .where(web_sessions.c.token_hash == token_hash)
    )
    async with store.read() as conn:
        row = (await conn.execute(query)).first()
    if row is None:
        return None
    return SessionRecord(
        token_hash=row.token_hash,
        csrf_token=row.csrf_token,
        expires_at=row._session_expires,
        flash=row.flash,
        flash_error=row.flash_error,
        key_hash=row._session_key,
        account=record(Account, row),
        keys=record(AccountKeys, row),
    )


async def delete_session(store: Store, token_hash: str) -> None:
    async with store.write() as conn:
        await conn.execute(delete(web_sessions).where(web_sessions.c.token_hash == token_hash))


async def set_flash(store: Store, token_hash: str, text: str | None, error: bool) -> None:
    async with store.write() as conn:
        await conn.execute(
            update(web_sessions)
            .where(web_sessions.c.token_hash == token_hash)
            .values(flash=text, flash_error=error)
        )
