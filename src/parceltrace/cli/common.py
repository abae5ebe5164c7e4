"""What every CLI command shares: the database option, the consoles, running a command's work
against the store with errors explained."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Annotated, TypeVar

import typer

from parceltrace.cli.config import DB_ENV
from parceltrace.clock import SystemClock
from parceltrace.runtime.terminal import output_console, shown
from parceltrace.service.accounts import AccountError
from parceltrace.service.connectors import ConnectorError
from parceltrace.service.context import Services
from parceltrace.store.engine import Store, StoreError
from parceltrace.store.urls import database_url, sqlite_file

T = TypeVar("T")
console = output_console()
err_console = output_console(stderr=True)


def _database(value: str) -> str:
    try:
        return database_url(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc


DbOption = Annotated[
    str,
    typer.Option(
        "--db",
        envvar=DB_ENV,
        callback=_database,
        help="Database: an SQLite file path, sqlite:///file.db or postgresql://user@host/db.",
    ),
]


def run_with_services(db: str, work: Callable[[Services], Awaitable[T]]) -> T:
    """Open the store, bring its schema up to date, run the use case `work` on it (real time,
    no worker in this process), close; errors end the command.
    A new SQLite file is named on stderr: run in another folder, `parceltrace.db` is a new,
    empty database, and the command would otherwise seem to have lost every account."""
    new_file = sqlite_file(db)
    if new_file is not None and new_file.exists():
        new_file = None

    async def runner() -> T:
        services = Services(Store(db), SystemClock(), sandbox=False)
        try:
            await services.store.migrate()
            if new_file is not None:
                err_console.print(
                    f"[yellow]note:[/yellow] no database was at {new_file}, so a new one was created "
                    f"(--db or {DB_ENV} names the one to use)",
                    soft_wrap=True,
                )
            return await work(services)
        finally:
            await services.close()

    try:
        return asyncio.run(runner())
    except (AccountError, ConnectorError) as exc:
        err_console.print(f"[red]error:[/red] {shown(exc)}")
        raise typer.Exit(2) from exc
    except (OSError, StoreError) as exc:
        err_console.print(f"[red]error:[/red] cannot use the database {shown(db)}: {shown(exc)}")
        raise typer.Exit(1) from exc


JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")]
