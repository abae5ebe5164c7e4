"""Accounts: API keys (stored hashed, shown once), quotas, limits and settings."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from parceltrace.outbox.safety import WebhookPolicy
from parceltrace.outbox.sending import SigningKeys
from parceltrace.protocol.errors import ErrorCode, message
from parceltrace.protocol.failures import ParceltraceError
from parceltrace.protocol.webhook_url import canonical_url, webhook_url_problem
from parceltrace.service.context import Services
from parceltrace.service.sealing import new_webhook_secret, seal, unseal
from parceltrace.store import accounts
from parceltrace.store.engine import Transaction
from parceltrace.store.records import Account

DEFAULT_QUOTA = 100
DEFAULT_RATE_LIMIT = 3
DEFAULT_ROTATION_GRACE = 300


class AccountError(ParceltraceError):
    """A refused account operation, with a message for the person at the CLI."""


@dataclass(frozen=True, slots=True)
class AccountSettings:
    """Settable fields; None leaves a field as it is."""

    quota_total: int | None = None
    max_track_daily: int | None = None
    rate_limit: int | None = None
    webhook_url: str | None = None
    ip_whitelist: str | None = None
    enabled: bool | None = None
    realtime_enabled: bool | None = None

    def values(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None}


def hash_key(key: str) -> str:
    """Keys are 128 random bits, so a plain SHA-256 is enough to make a stolen table useless."""
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def new_key() -> str:
    """32 upper-case hex characters, the shape of a 17TRACK key."""
    return secrets.token_hex(16).upper()


def validate_settings(settings: AccountSettings, policy: WebhookPolicy | None = None) -> None:
    """Refuses what cannot be saved; with `policy` (a tenant saving its own URL from the
    dashboard), also a URL whose written address the dispatcher would refuse in this mode."""
    for name in ("quota_total", "max_track_daily", "rate_limit"):
        value = getattr(settings, name)
        if value is not None and value < 0:
            raise AccountError(f"--{name.replace('_', '-')} must be 0 or more (got {value})")
    if settings.webhook_url:
        problem = webhook_url_problem(settings.webhook_url.strip())
        if problem is None and policy is not None:
            problem = policy.before_connecting(settings.webhook_url.strip())
        if problem:
            raise AccountError(
                f"{ErrorCode.WEBHOOK_URL_FORMAT.value}: {message(ErrorCode.WEBHOOK_URL_FORMAT)} "
                f"{problem[0].upper()}{problem[1:]}."
            )
    if settings.ip_whitelist:
        for item in settings.ip_whitelist.split(","):
            try:
                ipaddress.ip_network(item.strip(), strict=False)
            except ValueError as exc:
                raise AccountError(
                    f"{ErrorCode.IP_FORMAT_INVALID.value}: {message(ErrorCode.IP_FORMAT_INVALID)} "
                    f"({item.strip()!r} is not an IP address or CIDR network)"
                ) from exc


def _normalized(settings: AccountSettings) -> dict[str, Any]:
    values = settings.values()
    if "ip_whitelist" in values:
        items = [i.strip() for i in values["ip_whitelist"].split(",") if i.strip()]
        values["ip_whitelist"] = ",".join(items) or None
    if "webhook_url" in values:
        stripped = values["webhook_url"].strip()
        values["webhook_url"] = canonical_url(stripped) if stripped else None
    return values


async def create_account(services: Services, name: str, settings: AccountSettings) -> tuple[Account, str]:
    """A new account and its key; the key is returned once and only its hash is kept."""
    validate_settings(settings)
    if not name or len(name) > 100:
        raise AccountError("an account name is 1 to 100 characters")
    key = new_key()
    values = {
        "quota_total": DEFAULT_QUOTA,
        "rate_limit": DEFAULT_RATE_LIMIT,
        "max_track_daily": 0,
        "enabled": True,
        "realtime_enabled": True,
        **_normalized(settings),
    }
    created = await accounts.insert_account(
        services.store,
        {
            "name": name,
            "key_hash": hash_key(key),
            "key_prefix": key[:6],
            "quota_used": 0,
            "today_used": 0,
            "today_date": "",
            "free_email_quota": 300,
            "free_email_quotaused": 0,
            "created_at": services.clock.now(),
            "key_sealed": seal(services.store.url, key),
            "webhook_secret_sealed": seal(services.store.url, new_webhook_secret()),
            **values,
        },
    )
    if not created:
        raise AccountError(f"an account named {name!r} exists already")
    account = await get_account(services, name)
    assert account is not None
    return account, key


async def get_account(services: Services, name: str) -> Account | None:
    return await accounts.account_by_name(services.store, name)


async def list_accounts(services: Services) -> list[Account]:
    return await accounts.all_accounts(services.store)


async def count_accounts(services: Services) -> int:
    return await accounts.count_accounts(services.store)


async def update_account(
    services: Services, name: str, settings: AccountSettings, policy: WebhookPolicy | None = None
) -> Account:
    validate_settings(settings, policy)
    values = _normalized(settings)
    if values and not await accounts.update_by_name(services.store, name, values):
        raise AccountError(f"no account named {name!r} (see `parceltrace account list`)")
    account = await get_account(services, name)
    if account is None:
        raise AccountError(f"no account named {name!r} (see `parceltrace account list`)")
    return account


async def rotate_key(services: Services, name: str, grace_seconds: int = DEFAULT_ROTATION_GRACE) -> str:
    """A new key; the old one keeps working for `grace_seconds` so clients can switch over."""
    key = new_key()
    grace_until = services.clock.now() + timedelta(seconds=grace_seconds)
    if not await accounts.replace_key(
        services.store, name, hash_key(key), key[:6], seal(services.store.url, key), grace_until
    ):
        raise AccountError(f"no account named {name!r} (see `parceltrace account list`)")
    return key


async def is_current_key(conn: Transaction, key: str) -> bool:
    """`key` is an account's current key (not the previous one of a rotation)."""
    digest = hash_key(key)
    found = await accounts.by_key_digest(conn, digest)
    return found is not None and hmac.compare_digest(found.keys.key_hash, digest)


async def account_for_key(services: Services, key: str) -> Account | None:
    """The account an API key opens now (None: none does); `authenticate` in a read."""
    async with services.store.read() as conn:
        return await authenticate(conn, key, services.clock.now())


async def authenticate(conn: Transaction, key: str, now: datetime) -> Account | None:
    """The account a key belongs to (current key, or the previous one within its grace)."""
    digest = hash_key(key)
    found = await accounts.by_key_digest(conn, digest)
    return found.account if found is not None and found.keys.accept(digest, now) else None


async def signing_keys(services: Services, account_ids: set[int]) -> dict[int, SigningKeys]:
    return {
        account_id: SigningKeys(unseal(services.store.url, key), unseal(services.store.url, secret))
        for account_id, (key, secret) in (await accounts.sealed_secrets(services.store, account_ids)).items()
        if key and secret
    }


async def webhook_secret(services: Services, name: str) -> str:
    sealed = await accounts.sealed_webhook_secret(services.store, name)
    if not sealed:
        raise AccountError(f"no account named {name!r} (see `parceltrace account list`)")
    return unseal(services.store.url, sealed)


async def rotate_webhook_secret(services: Services, name: str) -> str:
    secret = new_webhook_secret()
    if not await accounts.update_by_name(
        services.store, name, {"webhook_secret_sealed": seal(services.store.url, secret)}
    ):
        raise AccountError(f"no account named {name!r} (see `parceltrace account list`)")
    return secret
