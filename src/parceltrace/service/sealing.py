"""Secrets the server must be able to read back (API keys for 17TRACK's `sign`, webhook secrets),
sealed with a server secret so a copied database alone does not reveal them.

The server secret comes from PARCELTRACE_SECRET, or for an SQLite database from a file beside
it (`<database>.secret`, created with mode 0600 on first use).
"""

from __future__ import annotations

import base64
import os
import secrets
from functools import cache
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken

from parceltrace.protocol.failures import ParceltraceError
from parceltrace.store.urls import sqlite_file

SECRET_ENV = "PARCELTRACE_SECRET"


class SealingError(ParceltraceError):
    """No server secret is available, or a sealed value does not open with it."""


def secret_file(db_url: str) -> Path | None:
    database = sqlite_file(db_url)
    return database.with_name(database.name + ".secret") if database else None


def _load_or_create(path: Path) -> bytes:
    if path.exists():
        return path.read_bytes().strip()
    key = Fernet.generate_key()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(key)
    return key


@cache
def sealer_for(db_url: str) -> Fernet:
    from_env = os.environ.get(SECRET_ENV)
    if from_env:
        return Fernet(from_env.encode())
    path = secret_file(db_url)
    if path is None:
        raise SealingError(f"set {SECRET_ENV} to a Fernet key (cryptography.fernet.Fernet.generate_key())")
    return Fernet(_load_or_create(path))


def seal(db_url: str, value: str) -> str:
    return sealer_for(db_url).encrypt(value.encode()).decode()


def unseal(db_url: str, sealed: str) -> str:
    try:
        return sealer_for(db_url).decrypt(sealed.encode()).decode()
    except InvalidToken as exc:
        raise SealingError(
            f"a sealed secret does not open with this server's {SECRET_ENV} or secret file"
        ) from exc


def new_webhook_secret() -> str:
    """A Standard Webhooks secret: `whsec_` and 24 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
