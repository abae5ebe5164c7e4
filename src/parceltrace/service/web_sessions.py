"""Dashboard sign-ins: an API key buys a session; the cookie carries a random token, the table
its hash, so a stolen table opens nothing. Sessions run on wall time, not on the sandbox's
virtual clock: advancing the clock by a week must not sign the user out."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from parceltrace.protocol.failures import ParceltraceError
from parceltrace.service.accounts import authenticate, hash_key, is_current_key
from parceltrace.service.context import Services
from parceltrace.store import sessions
from parceltrace.store.records import Account, SessionRecord

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


class SignInRefused(ParceltraceError):
    """The key opens an account, but not from here, or not any more for new sessions."""


async def sign_in(
    services: Services, key: str, now: datetime, client: str, key_now: datetime | None = None
) -> tuple[str, Account] | None:
    """A new session token for the account `key` opens (None: no such enabled account).
    SignInRefused when the caller's address is not on the account's IP whitelist, or `key` is
    the previous key of a rotation (it still works for the API in its grace period; it opens
    no new dashboard sessions)."""
    async with services.store.read() as conn:
        account = await authenticate(conn, key, key_now or now)
        current = account is not None and await is_current_key(conn, key)
    if account is None or not account.enabled:
        return None
    if not account.allows_ip(client):
        raise SignInRefused(f"This account does not accept sign-ins from {client} (its IP whitelist).")
    if not current:
        raise SignInRefused("That key was replaced by a rotation: sign in with the new key.")
    key_hash = hash_key(key)
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    await sessions.create_session(
        services.store, _digest(token), account.id, csrf, now, now + SESSION_LIFETIME, key_hash
    )
    return token, account


async def load(
    services: Services, token: str, now: datetime, client: str, key_now: datetime | None = None
) -> WebSession | None:
    """The live session of a cookie; expired sessions, disabled accounts, a caller outside the
    account's IP whitelist and a session whose key was rotated away (at the end of the old
    key's grace period, timed by `key_now`, the clock the API's keys run on; default `now`)
    count as none."""
    if not token or len(token) > 100:
        return None
    found = await sessions.session_with_account(services.store, _digest(token))
    if found is None or found.expires_at <= now or not found.account.enabled:
        return None
    if not _key_still_opens(found, key_now or now):
        return None
    if not found.account.allows_ip(client):
        return None
    return WebSession(
        found.token_hash, found.account, found.csrf_token, found.expires_at, found.flash, found.flash_error
    )


def _key_still_opens(found: SessionRecord, now: datetime) -> bool:
    """The session's key is the account's current key, or its old key within the grace period."""
    if not found.key_hash:
        return False  # opened before sessions remembered their key: sign in again
    return found.keys.accept(found.key_hash, now)


async def sign_out(services: Services, token: str) -> None:
    await sessions.delete_session(services.store, _digest(token))


async def set_flash(services: Services, session: WebSession, text: str | None, error: bool = False) -> None:
    """A message for the next page the session shows (the result of a form it posted; `error`:
    it failed). It may quote what the form held; NUL characters are dropped (PostgreSQL text
    cannot hold them)."""
    shown = text.replace("\x00", "")[:2000] if text else None
    await sessions.set_flash(services.store, session.token_hash, shown, bool(text) and error)
