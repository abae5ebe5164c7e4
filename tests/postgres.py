"""Test databases on a real PostgreSQL: one per test session, emptied between tests."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import asyncpg
from sqlalchemy.engine import make_url

from parceltrace.store.engine import Store
from parceltrace.store.tables import metadata

T = TypeVar("T")


def run(function: Callable[..., Awaitable[T]], *args: Any) -> T:
    """Run a coroutine function to completion on a loop of its own, in a thread of its own:
    session fixtures are set up from inside a test's running loop."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, function(*args)).result()  # type: ignore[arg-type]


def plain(url: str) -> str:
    """asyncpg's own URL form (no SQLAlchemy driver suffix)."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


async def create_database(base_url: str, name: str) -> str:
    """Drop and create `name` on the server of `base_url`; its URL."""
    connection = await asyncpg.connect(plain(base_url), timeout=5)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return make_url(base_url).set(database=name).render_as_string(hide_password=False)


async def drop_database(base_url: str, url: str) -> None:
    connection = await asyncpg.connect(plain(base_url), timeout=5)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')
    finally:
        await connection.close()


async def migrate(url: str) -> None:
    store = Store(url)
    try:
        await store.migrate()
    finally:
        await store.close()


async def empty_tables(url: str) -> None:
    tables = ", ".join(f'"{t.name}"' for t in metadata.sorted_tables)
    connection = await asyncpg.connect(plain(url), timeout=5)
    try:
        await connection.execute(f"TRUNCATE {tables} RESTART IDENTITY CASCADE")
    finally:
        await connection.close()


async def execute(url: str, sql: str) -> None:
    """Run SQL text (several statements allowed) outside the application's store."""
    connection = await asyncpg.connect(plain(url), timeout=5)
    try:
        await connection.execute(sql)
    finally:
        await connection.close()
