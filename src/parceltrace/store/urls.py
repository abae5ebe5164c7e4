"""Database URLs as users give them (`--db`): which are accepted, which file an SQLite one
names, and how one is shown without its password."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError


def database_url(text: str) -> str:
    """What `--db` accepts: a database URL, or simply the path of an SQLite file."""
    text = text.strip()
    if "://" not in text:
        if not text:
            raise ValueError("give a database: a file path, sqlite:///file.db or postgresql://user@host/db")
        return f"sqlite:///{text}"
    try:
        backend = make_url(text).get_backend_name()
    except ArgumentError as exc:
        raise ValueError(f"{text!r} is not a database URL (sqlite:///file.db or postgresql://...)") from exc
    if backend not in ("sqlite", "postgresql"):
        raise ValueError(f"{backend} is not supported: use sqlite:///file.db or postgresql://user@host/db")
    return text


def sqlite_file(url: str) -> Path | None:
    """The file of an SQLite database URL (absolute), None for PostgreSQL or memory."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return None
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database).resolve()


def shown_database(url: str) -> str:
    """A database URL fit for a banner or a log: the password masked."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return url
