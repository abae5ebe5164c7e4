"""Dashboard sessions, stored by the hash of their cookie's token."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update

from parceltrace.store.engine import Record, Store
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


async def session_with_account(store: Store, token_hash: str) -> Record | None:
    """The session's fields and its account's columns in one row (`_session_expires`: when the
    session ends; `_session_key`: the hash of the key that opened it), or None."""
    query = (
        select(
            accounts,
            web_sessions.c.token_hash,
            web_sessions.c.csrf_token,
            web_sessions.c.flash,
            web_sessions.c.flash_error,
        )
        .add_columns(
            web_sessions.c.expires_at.label("_session_expires"), web_sessions.c.key_hash.label("_session_key")
        )
        .join(web_sessions, web_sessions.c.account_id == accounts.c.id)
        .where(web_sessions.c.token_hash == token_hash)
    )
    async with store.read() as conn:
        return (await conn.execute(query)).first()


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
