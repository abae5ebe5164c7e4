"""`parceltrace connectors ...`: carrier connectors (karrio) for live mode."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import msgspec
import typer

from parceltrace.cli.common import DbOption, JsonOpt, console, err_console, run_with_services
from parceltrace.cli.config import DEFAULT_DB
from parceltrace.clock import SystemClock
from parceltrace.runtime.terminal import DataTable, shown
from parceltrace.service import connectors as connector_service
from parceltrace.service.connectors import ConnectorSettings, ConnectorView, Unserved
from parceltrace.sources.connectors import calls
from parceltrace.sources.connectors.catalog import INSTALL_HINT, Pace
from parceltrace.sources.connectors.coverage import COMMON, coverage
from parceltrace.tracking.derive import derive_track_info

connectors_app = typer.Typer(
    help=(
        "Track real parcels with each carrier's own API (through karrio). Changes reach running "
        f"servers within {connector_service.FOLLOW_EVERY:.0f} s."
    ),
    no_args_is_help=True,
)

NameArg = Annotated[
    str, typer.Argument(help="The connector: karrio's carrier name, e.g. dhl_universal, ups, fedex.")
]


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S") if moment else "-"


def _fields(name: str) -> str:
    try:
        return ", ".join(f.name + ("" if f.required else "?") for f in calls.credential_fields(name))
    except Exception:
        return "(install karrio to see)"


def _view_dict(view: ConnectorView) -> dict[str, Any]:
    row = view.row
    return {
        "name": view.spec.name,
        "label": view.spec.label,
        "carriers": list(view.spec.carriers),
        "configured": view.configured,
        "credentials": view.credentials,
        "base_url": row.base_url if row else None,
        "test_mode": row.test_mode if row else False,
        "rate_limit": str(Pace(row.pace_calls, row.pace_seconds))
        if row and row.pace_calls and row.pace_seconds
        else str(view.spec.pace),
        "last_success_at": row.last_success_at.isoformat() if row and row.last_success_at else None,
        "last_error_at": row.last_error_at.isoformat() if row and row.last_error_at else None,
        "last_error": row.last_error if row else None,
        "calls": row.calls if row else 0,
        "failures": row.failures if row else 0,
        "waiting_trackings": view.waiting,
        "waiting_reason": view.waiting_reason,
    }


@connectors_app.command("list")
def list_connectors(as_json: JsonOpt = False, db: DbOption = DEFAULT_DB) -> None:
    """Supported carriers, which are configured, their last success and last error."""
    views, unserved = run_with_services(db, connector_service.list_connectors)
    if as_json:
        print(
            json.dumps(
                {
                    "karrio_installed": calls.karrio_installed(),
                    "connectors": [_view_dict(v) for v in views],
                    "unserved": [
                        {
                            "carrier": u.carrier,
                            "name": u.name,
                            "waiting_trackings": u.waiting,
                            "reason": u.reason,
                        }
                        for u in unserved
                    ],
                }
            )
        )
        return
    if not calls.karrio_installed():
        err_console.print(
            "[yellow]karrio is not installed: connectors cannot run. "
            f"Install it with {shown(INSTALL_HINT)}[/yellow]"
        )
    table = DataTable("connector", "carriers", "state", "credentials", "waiting")
    table.columns[0].no_wrap = True
    for view in views:
        codes = view.spec.carriers
        table.add_row(
            view.spec.name,
            str(codes[0]) + (f" +{len(codes) - 1}" if len(codes) > 1 else ""),
            _state(view),
            ", ".join(f"{k}={v}" for k, v in view.credentials.items())
            if view.row
            else _fields(view.spec.name),
            str(view.waiting) if view.waiting else "",
        )
    console.print(table)
    _print_unserved(unserved)


def _state(view: ConnectorView) -> str:
    row = view.row
    if row is None:
        return "not configured"
    lines = ["configured" + (" (test mode)" if row.test_mode else "")]
    if row.base_url:
        lines.append(f"at {row.base_url}")
    if row.last_success_at:
        lines.append(f"last success {_when(row.last_success_at)}")
    if row.last_error_at:
        lines.append(f"last error {_when(row.last_error_at)}: {row.last_error}")
    return "\n".join(lines)


def _print_unserved(unserved: list[Unserved]) -> None:
    if not unserved:
        return
    console.print("\n[bold]Trackings waiting for a carrier no connector serves[/bold]")
    for item in unserved:
        console.print(f"  {shown(item.name)}: {item.waiting} — {shown(item.reason or 'no source')}")


CREDENTIAL_HELP = (
    "FIELD=VALUE, once per karrio settings field (see `connectors list`). Keep secrets out of "
    "`ps` and shell history: FIELD=env:NAME reads the environment variable NAME, FIELD=@FILE the "
    "file's first line, and FIELD alone asks for the value without echoing it."
)


def _credentials(values: list[str], carrier: str) -> dict[str, str]:
    found: dict[str, str] = {}
    for value in values:
        field, sep, given = value.partition("=")
        field = field.strip()
        if not field:
            raise typer.BadParameter(f"{value!r}: write FIELD=VALUE", param_hint="--credential")
        if sep:
            found[field] = _secret(field, given)
            continue
        fields = _fields_of(carrier)
        if field not in fields:  # a typo, not a field to be asked for
            known = f" ({carrier}'s fields: {', '.join(fields)})" if fields else ""
            raise typer.BadParameter(f"{value!r}: write FIELD=VALUE{known}", param_hint="--credential")
        found[field] = typer.prompt(field, hide_input=True)
    return found


def _fields_of(carrier: str) -> list[str]:
    try:
        return [f.name for f in calls.credential_fields(carrier)]
    except Exception:  # an unknown carrier or no karrio: said by the service, with its advice
        return []


def _secret(field: str, given: str) -> str:
    """The value `given` stands for: itself, an environment variable (`env:NAME`) or a file's
    first line (`@FILE`)."""
    if given.startswith("env:"):
        name = given[4:]
        if name not in os.environ:
            raise typer.BadParameter(f"{field}: the environment has no {name}", param_hint="--credential")
        return os.environ[name]
    if given.startswith("@"):
        try:
            lines = Path(given[1:]).read_text(encoding="utf-8").splitlines()
        except OSError as exc:
            raise typer.BadParameter(
                f"{field}: cannot read {given[1:]}: {exc}", param_hint="--credential"
            ) from exc
        return lines[0] if lines else ""
    return given


def _pace(text: str | None) -> Pace | None:
    if text is None:
        return None
    calls_text, _, seconds_text = text.partition("/")
    try:
        pace = Pace(int(calls_text), int(seconds_text or "1"))
    except ValueError as exc:
        raise typer.BadParameter(
            "write CALLS/SECONDS, e.g. 10/1 or 60/3600", param_hint="--max-rate"
        ) from exc
    if pace.calls < 1 or pace.seconds < 1:
        raise typer.BadParameter("both numbers must be 1 or more", param_hint="--max-rate")
    return pace


@connectors_app.command("add")
def add(
    name: NameArg,
    credential: Annotated[
        list[str],
        typer.Option("--credential", "-c", help=CREDENTIAL_HELP),
    ],
    base_url: Annotated[
        str | None,
        typer.Option(
            help="Replace the carrier's server address (its sandbox, a regional endpoint, a proxy)."
        ),
    ] = None,
    test_mode: Annotated[
        bool, typer.Option("--test-mode", help="Use the carrier's test environment.")
    ] = False,
    max_rate: Annotated[
        str | None,
        typer.Option(help="At most CALLS/SECONDS tracking calls (default: the carrier's documented limit)."),
    ] = None,
    threads: Annotated[
        int | None, typer.Option(help="Concurrent calls to this carrier (default 32).")
    ] = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Configure a carrier (or replace its settings); credentials are sealed with the server secret."""
    settings = ConnectorSettings(
        name, _credentials(credential, name), base_url, test_mode, _pace(max_rate), threads
    )
    created = run_with_services(db, lambda services: connector_service.add_connector(services, settings))
    shown = ", ".join(f"{k}={v}" for k, v in connector_service.masked(settings.credentials).items())
    console.print(f"{'added' if created else 'updated'} connector [bold]{name}[/bold] ({shown})")
    console.print(
        f"running servers use it within {connector_service.FOLLOW_EVERY:.0f} s, and poll its "
        "carriers' failed and waiting trackings again then; "
        f"try it with `parceltrace connectors test {name} NUMBER`"
    )


@connectors_app.command("remove")
def remove(name: NameArg, db: DbOption = DEFAULT_DB) -> None:
    """Remove a carrier's connector (its trackings wait, visibly, until another source serves them)."""
    run_with_services(db, lambda services: connector_service.remove_connector(services, name))
    console.print(f"removed connector [bold]{name}[/bold]")


@connectors_app.command("test")
def test(
    name: NameArg,
    number: Annotated[str, typer.Argument(help="A tracking number of that carrier.")],
    carrier: Annotated[
        int | None, typer.Option(help="The 17TRACK carrier code (default: the connector's main one).")
    ] = None,
    as_json: JsonOpt = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Fetch one number through the connector and print what it maps to (no quota is charged)."""
    now = SystemClock().now()
    outcome = run_with_services(
        db, lambda services: connector_service.test_connector(services, name, number, carrier, now)
    )
    if outcome.result is None:
        err_console.print(f"[red]failed:[/red] {shown(outcome.error)}")
        raise typer.Exit(1)
    info = derive_track_info(outcome.result, now, None, None)
    if as_json:
        print(msgspec.json.encode(info).decode())
        return
    latest = info.latest_status
    console.print(f"[bold]{shown(number)}[/bold]: {latest.status} / {latest.sub_status}")
    table = DataTable("time", "status", "location", "description", "carrier code")
    for provider, codes in zip(info.tracking.providers, outcome.result.carrier_codes or [[]], strict=False):
        for event, code in zip(provider.events, codes or [None] * len(provider.events), strict=False):
            table.add_row(
                event.time_iso or "-",
                event.sub_status or "",
                event.location or "",
                event.description or "",
                code or "",
            )
    console.print(table)


@connectors_app.command("unmapped")
def unmapped(
    name: Annotated[str | None, typer.Argument(help="Only this connector (default: all).")] = None,
    as_json: JsonOpt = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Carrier event codes no status table knows (shown as an `_Other` sub-status): how many
    answers carried each, and when it was last seen. A carrier changing its codes shows here."""
    found = run_with_services(db, lambda services: connector_service.unmapped_codes(services, name))
    if as_json:
        print(
            json.dumps(
                [
                    {
                        "connector": item.connector,
                        "code": item.code,
                        "description": item.description,
                        "seen": item.seen,
                        "first_seen_at": item.first_seen_at.isoformat(),
                        "last_seen_at": item.last_seen_at.isoformat(),
                    }
                    for item in found
                ]
            )
        )
        return
    if not found:
        console.print("no unknown codes seen" + (f" from {name}" if name else ""))
        return
    table = DataTable("connector", "code", "description", "seen", "last seen")
    for item in found:
        table.add_row(
            item.connector, item.code or "-", item.description, str(item.seen), _when(item.last_seen_at)
        )
    console.print(table)


@connectors_app.command("coverage")
def coverage_report(as_json: JsonOpt = False) -> None:
    """How many of 17TRACK's carrier codes parceltrace tracks without an upstream 17TRACK
    account, and which common carriers need one (`serve --live --upstream-url`) today."""
    found = coverage()
    covered = len(COMMON) - len(found.common_uncovered)
    if as_json:
        print(
            json.dumps(
                {
                    "carrier_codes": found.listed,
                    "first_party": len(found.first_party),
                    "aggregator": len(found.aggregator),
                    "neither": found.neither,
                    "common": [
                        {"carrier": c.code, "name": c.name, "connectors": list(c.connectors)}
                        for c in found.common
                    ],
                }
            )
        )
        return
    share = 100 * len(found.first_party) / found.listed
    console.print(
        f"{len(found.first_party)} of 17TRACK's {found.listed:,} carrier codes have a first-party "
        f"connector ({share:.1f} %), {len(found.aggregator)} an aggregator, {found.neither:,} neither; "
        f"{covered} of the {len(COMMON)} common carriers are covered."
    )
    table = DataTable("code", "common carrier", "tracked by")
    for carrier in found.common:
        served = ", ".join(carrier.connectors) or "[yellow]needs --upstream-url[/yellow]"
        table.add_row(str(carrier.code), carrier.name, served)
    console.print(table)
