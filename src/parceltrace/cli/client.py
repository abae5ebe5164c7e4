"""The client commands: `track`, `import`, `list`, `quota`, `webhook listen` — the SDK from a shell,
against parceltrace or 17TRACK (PARCELTRACE_URL, PARCELTRACE_KEY)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import sys
import time
from collections import Counter
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

import msgspec
import typer
from defusedcsv import csv as safe_csv
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from parceltrace.client import Client, ClientError
from parceltrace.client.answers import Event, ProviderTrack, TrackInfoItem
from parceltrace.client.core import BATCH_SIZE, Rejection
from parceltrace.protocol.parsing import parse_items
from parceltrace.protocol.status import DataOrigin, MainStatus, TrackingStatus
from parceltrace.protocol.structs import RegisterItem, Rejected
from parceltrace.runtime.terminal import DataTable, counted, output_console, shown
from parceltrace.service.csv_items import CSV_FIELDS, CsvProblem
from parceltrace.service.register import prepared
from parceltrace.service.uploads import uploaded_items
from parceltrace.webhooks import parse, verify, verify_standard

LOCAL_URL = "http://127.0.0.1:8017/track/v2.2"
console = output_console()
err_console = output_console(stderr=True)

UrlOpt = Annotated[
    str,
    typer.Option(
        "--url", envvar="PARCELTRACE_URL", help="API base URL (17TRACK: https://api.17track.net/track/v2.2)."
    ),
]
KeyOpt = Annotated[str, typer.Option("--key", envvar="PARCELTRACE_KEY", help="API key (the 17token).")]


API_PATH = re.compile(r"/track/v(1|2\.2|2\.4)/?$", re.IGNORECASE)


def _client(url: str, key: str, rate_limit: float = 3.0) -> Client:
    """The SDK client, once the key and the URL make sense (else a message and exit status 2)."""
    if not key:
        err_console.print(
            "[red]no API key:[/red] give --key KEY or set PARCELTRACE_KEY (the key `parceltrace serve` "
            "printed at its first start, or one from `parceltrace account create NAME`)."
        )
        raise typer.Exit(2)
    try:
        path = urlsplit(url).path
    except ValueError as exc:
        err_console.print(f"[red]{shown(url)} is not a URL:[/red] {shown(exc)} (--url or PARCELTRACE_URL).")
        raise typer.Exit(2) from exc
    if not API_PATH.search(path):
        err_console.print(
            f"[red]{shown(url)} is not an API base URL:[/red] it ends in /track/v2.2, e.g. "
            f"{LOCAL_URL} or https://api.17track.net/track/v2.2 (--url or PARCELTRACE_URL)."
        )
        raise typer.Exit(2)
    return Client(key, url, rate_limit=rate_limit)


def _fail(exc: ClientError, url: str) -> typer.Exit:
    code = f" ({exc.code})" if exc.code is not None else ""
    err_console.print(f"[red]error{code}:[/red] {shown(exc.message)}")
    if exc.code is None and exc.status is None:
        err_console.print(
            f"no answer from {shown(url)}: is the server running there? (--url or PARCELTRACE_URL)"
        )
    return typer.Exit(1)


def _show(item: TrackInfoItem) -> None:
    info = item.track_info
    status = info.latest_status
    headline = f"[bold]{shown(item.number)}[/bold]  carrier {shown(item.carrier)}"
    console.print(f"{headline}  [cyan]{shown(status.status)}[/cyan] ({shown(status.sub_status)})")
    reached = [m for m in info.milestone if m.time_utc]
    if reached:
        stones = DataTable("milestone", "local time", title="Milestones")
        for stone in reached:
            stones.add_row(stone.key_stage or "", stone.time_iso or "")
        console.print(stones)
    providers = [p for p in info.tracking.providers if p.events]
    for provider in providers:
        timeline = DataTable("local time", "status", "event", "where", title=_provider_title(provider))
        for event in _newest_first(provider.events):
            timeline.add_row(
                event.time_iso or "", event.sub_status or "", event.description or "", event.location or ""
            )
        console.print(timeline)
    if not providers:
        console.print("no events yet")


def _provider_title(provider: ProviderTrack) -> str:
    """Whose events these are: the carrier's name (its code when the answer names none)."""
    name = provider.provider.name or provider.provider.alias
    key = provider.provider.key
    who = f"{name} ({key})" if name and key is not None else name or f"carrier {key}"
    return f"Events of {who}, newest first"


def _newest_first(events: list[Event]) -> list[Event]:
    """By UTC time, newest first (events without a time last, in the answer's order)."""
    timed = sorted((e for e in events if e.time_utc), key=lambda e: e.time_utc or "", reverse=True)
    return timed + [e for e in events if not e.time_utc]


def _say_rejected(rejections: list[Rejection]) -> None:
    for rejected in rejections:
        code = f"{rejected.code} " if rejected.code is not None else ""
        err_console.print(f"[yellow]{shown(rejected.number)}: {code}{shown(rejected.message)}[/yellow]")


def track(
    numbers: Annotated[list[str], typer.Argument(help="Tracking numbers.")],
    carrier: Annotated[int | None, typer.Option(help="Carrier code, when detection is not enough.")] = None,
    url: UrlOpt = LOCAL_URL,
    key: KeyOpt = "",
    wait: Annotated[float, typer.Option(help="Seconds to wait for a first result of new numbers.")] = 5.0,
) -> None:
    """Register the numbers if needed, then show status, milestones and each carrier's events.
    Exits 1 when a number was rejected (it says why)."""
    items = [{"number": n, **({"carrier": carrier} if carrier else {})} for n in numbers]
    try:
        with _client(url, key) as client:
            registered = client.register(items, skip_registered=True)
            _say_rejected(registered.rejected)
            deadline = time.monotonic() + (wait if registered.accepted else 0)
            while True:
                found = client.get_track_info(items)
                waiting = [i for i in found.accepted if not i.track_info.tracking.providers]
                if not waiting or time.monotonic() >= deadline:
                    break
                time.sleep(0.5)
    except ClientError as exc:
        raise _fail(exc, url) from exc
    for item in found.accepted:
        _show(item)
    refused = {(r.number or "").upper() for r in registered.rejected}
    _say_rejected([r for r in found.rejected if (r.number or "").upper() not in refused])
    if registered.rejected or found.rejected:
        raise typer.Exit(1)


NOTES_SHOWN = 20


def _rows(path: Path) -> list[dict[str, Any]]:
    """The file's items (CSV in any encoding, or .xlsx), saying how it was read; a file that
    holds none says why, with exit status 2."""
    try:
        upload = uploaded_items(path.read_bytes())
    except (CsvProblem, OSError) as problem:
        err_console.print(f"[red]{shown(path)}: {shown(problem)}[/red]")
        raise typer.Exit(2) from problem
    rows = upload.items
    err_console.print(f"{shown(path)}: read as {shown(upload.read_as)}")
    for note in upload.notes[:NOTES_SHOWN]:
        err_console.print(f"[yellow]note:[/yellow] {shown(note)}")
    if len(upload.notes) > NOTES_SHOWN:
        err_console.print(f"… and {counted(len(upload.notes) - NOTES_SHOWN, 'more note')}")
    if not rows:
        err_console.print(f"[red]{shown(path)}: no row has a tracking number.[/red]")
        raise typer.Exit(2)
    return rows


def import_csv(
    file: Annotated[
        Path,
        typer.Argument(
            help="CSV with a header: number[,carrier,tag,order_no,...]", exists=True, dir_okay=False
        ),
    ],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Only report what would be registered and charged.")
    ] = False,
    rate_limit: Annotated[
        float, typer.Option(help="Requests per second this client sends (17TRACK allows 3); 0 = no limit.")
    ] = 3.0,
    rejected_file: Annotated[
        Path | None,
        typer.Option("--rejected", help="Also write the rejected rows here (CSV: number, code, message)."),
    ] = None,
    url: UrlOpt = LOCAL_URL,
    key: KeyOpt = "",
) -> None:
    """Register every number of a CSV file, 40 at a time; resumable (FILE.progress keeps the place).
    Exits 1 when any row was rejected (the summary lists them), 2 when the file holds no numbers."""
    rows = _rows(file)
    progress_file = file.with_name(file.name + ".progress")
    start = int(progress_file.read_text()) if progress_file.exists() and not dry_run else 0
    if start:
        console.print(f"resuming after {start} of {len(rows)} rows ({shown(progress_file)})")
    outcome: Counter[str] = Counter()
    refused: list[Rejection] = []
    try:
        with _client(url, key, rate_limit) as client:
            if dry_run:
                valid, refused = _checked(rows)
                plan = client.register_dry_run(valid)
                known = len(plan.already_registered)
                new = len(plan.to_register)
                console.print(
                    f"{new} to register, {known} already registered, {len(refused)} would be rejected, "
                    f"quota needed: {plan.cost}"
                )
                if refused:
                    _report_rejected(refused, rejected_file, rows)
                    raise typer.Exit(1)
                return
            columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
            with Progress(*columns, console=err_console, transient=True) as bar:
                task = bar.add_task("import", total=len(rows), completed=start)
                for first in range(start, len(rows), BATCH_SIZE):
                    result = client.register(
                        rows[first : first + BATCH_SIZE], skip_registered=True, data_origin=DataOrigin.IMPORT
                    )
                    outcome["accepted"] += len(result.accepted)
                    outcome["already registered"] += len(result.already_registered)
                    for rejected in result.rejected:
                        outcome[f"rejected {rejected.code}"] += 1
                        refused.append(rejected)
                    done = min(first + BATCH_SIZE, len(rows))
                    progress_file.write_text(str(done))
                    bar.update(task, completed=done)
    except ClientError as exc:
        raise _fail(exc, url) from exc
    progress_file.unlink(missing_ok=True)
    summary = DataTable("outcome", "numbers", title=f"{file.name}: {counted(len(rows), 'row')}")
    for label, count in sorted(outcome.items(), key=lambda kv: -kv[1]):
        summary.add_row(label, str(count))
    console.print(summary)
    if refused:
        _report_rejected(refused, rejected_file, rows)
        raise typer.Exit(1)


def _checked(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[Rejection]]:
    """The rows `register` would take, and those it would refuse with the code it would give:
    the same parsing and checks as the API's, run here (a dry run spends nothing)."""
    valid: list[dict[str, Any]] = []
    refused: list[Rejection] = []
    for first in range(0, len(rows), BATCH_SIZE):
        batch = rows[first : first + BATCH_SIZE]
        outcomes = prepared(parse_items(msgspec.json.encode(batch), RegisterItem))
        for row, outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, Rejected):
                message, code = outcome.error.message, outcome.error.code
                refused.append(Rejection(outcome.number, code, message, outcome.tag, item=row))
            else:
                valid.append(row)
    return valid, refused


def _report_rejected(refused: list[Rejection], to: Path | None, rows: list[dict[str, Any]]) -> None:
    """Which rows were refused and why: the first 20 on screen, all of them in `to`, each with
    every field its row had (fix them there and import that file again)."""
    table = DataTable("number", "code", "why", title=f"{len(refused)} rejected")
    for rejection in refused[:20]:
        table.add_row(rejection.number or "(none)", str(rejection.code), rejection.message)
    console.print(table)
    if to is not None:
        by_number = {str(row["number"]).upper(): row for row in rows}
        fields = [f for f in CSV_FIELDS if any(f in row for row in rows)]
        with to.open("w", newline="", encoding="utf-8") as handle:
            writer = safe_csv.writer(handle)
            writer.writerow([*fields, "code", "message"])
            for r in refused:
                row = by_number.get((r.number or "").upper(), {"number": r.number or ""})
                writer.writerow([*(_cell(row.get(f)) for f in fields), r.code, r.message])
        console.print(f"all {len(refused)} rejected rows written to {shown(to)}")
    elif len(refused) > 20:
        console.print(f"… and {len(refused) - 20} more: --rejected FILE writes them all")


def _cell(value: Any) -> Any:
    """A spreadsheet cell: nothing for None and False (not their Python names)."""
    if value is None or value is False:
        return ""
    return "true" if value is True else value


def _one_of(kind: type[StrEnum], what: str) -> Callable[[str | None], str | None]:
    """A filter value in any case (`delivered`), or an error that lists the valid ones."""

    def check(value: str | None) -> str | None:
        if value is None:
            return None
        for member in kind:
            if member.value.lower() == value.strip().lower():
                return member.value
        raise typer.BadParameter(f"{value!r} is not {what}: use one of {', '.join(m.value for m in kind)}")

    return check


def list_trackings(
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            callback=_one_of(MainStatus, "a main status"),
            help=f"Main status: {', '.join(MainStatus)} (any case).",
        ),
    ] = None,
    tracking_status: Annotated[
        str | None,
        typer.Option(callback=_one_of(TrackingStatus, "a tracking status"), help="Tracking or Stopped."),
    ] = None,
    carrier: Annotated[int | None, typer.Option(help="Carrier code.")] = None,
    number: Annotated[str | None, typer.Option(help="Numbers, comma-separated (at most 200).")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table.")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="CSV instead of a table.")] = False,
    url: UrlOpt = LOCAL_URL,
    key: KeyOpt = "",
) -> None:
    """List trackings with gettracklist's filters, every page."""
    filters = {
        "package_status": status,
        "tracking_status": tracking_status,
        "carrier": carrier,
        "number": number,
    }
    try:
        with _client(url, key) as client:
            items = list(client.iter_track_list(**{k: v for k, v in filters.items() if v is not None}))
    except ClientError as exc:
        raise _fail(exc, url) from exc
    if as_json:
        for item in items:
            print(msgspec.json.encode(item).decode())
    elif as_csv:
        fields = list(msgspec.structs.asdict(items[0])) if items else ["number"]
        writer = safe_csv.DictWriter(sys.stdout, fieldnames=fields)
        writer.writeheader()
        for item in items:
            writer.writerow({k: _cell(v) for k, v in msgspec.structs.asdict(item).items()})
    else:
        table = DataTable()
        # the number is what `track` takes and what people copy: whole even at 80 columns
        table.add_column(
            "number", no_wrap=True, min_width=max((len(item.number or "") for item in items), default=6)
        )
        for header in ("carrier", "status", "tracking", "latest event", "registered"):
            table.add_column(header)
        for item in items:
            table.add_row(
                item.number or "", str(_cell(item.carrier)), item.package_status or "",
                item.tracking_status or "", item.latest_event_info or "", item.register_time or "",
            )  # fmt: skip
        console.print(table)
        console.print(counted(len(items), "tracking"))


def quota(
    url: UrlOpt = LOCAL_URL,
    key: KeyOpt = "",
    as_json: Annotated[bool, typer.Option("--json", help="JSON instead of a table.")] = False,
) -> None:
    """Show the account's quota."""
    try:
        with _client(url, key) as client:
            current = client.get_quota()
    except ClientError as exc:
        raise _fail(exc, url) from exc
    if as_json:
        print(msgspec.json.encode(current).decode())
        return
    table = DataTable("quota", "value")
    for name, value in msgspec.structs.asdict(current).items():
        table.add_row(name, str(value))
    console.print(table)


webhook_app = typer.Typer(help="Tools for webhook receivers.", no_args_is_help=True)


@webhook_app.command("listen")
def webhook_listen(
    port: Annotated[int, typer.Option(help="Port to listen on (127.0.0.1).", min=1, max=65535)] = 8088,
    key: KeyOpt = "",
    secret: Annotated[
        str | None, typer.Option(help="whsec_ secret, to check Standard Webhooks signatures too.")
    ] = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
) -> None:
    """A local receiver that checks each push's signatures and prints it whole: for debugging a
    setup. It answers before it prints, so nothing it prints can cost the sender its answer."""

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")[1:]
            headers = {
                k.strip().lower(): v.strip() for k, v in (line.split(":", 1) for line in lines if ":" in line)
            }
            body = await reader.readexactly(int(headers.get("content-length", "0")))
            signed = verify(body, headers.get("sign", ""), key)
            standard = verify_standard(body, headers, secret) if secret else None
            status = "200 OK" if signed and standard is not False else "401 Unauthorized"
            writer.write(f"HTTP/1.1 {status}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode())
            await writer.drain()
            _print_push(body, signed, standard)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ValueError, ConnectionError):
            pass
        finally:
            writer.close()

    async def serve() -> None:
        server = await asyncio.start_server(handle, host, port)
        console.print(f"listening on http://{host}:{port}/ (Ctrl+C to stop)")
        if not key:
            err_console.print(
                "[yellow]no --key (or PARCELTRACE_KEY): no `sign` header can be checked, so every push "
                "is answered 401 and its sender will retry.[/yellow]"
            )
        async with server:
            await server.serve_forever()

    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(serve())


def _print_push(body: bytes, signed: bool, standard: bool | None) -> None:
    marks = f"sign {'ok' if signed else 'WRONG'}" + (
        "" if standard is None else f", standard {'ok' if standard else 'WRONG'}"
    )
    try:
        push = parse(body)
    except ValueError as exc:
        console.print(f"[red]{marks}; not a push: {shown(exc)}[/red]")
        return
    data = push.data
    summary = f"{push.event} {data.number} (carrier {data.carrier})"
    if hasattr(data, "track_info"):
        status = data.track_info.latest_status
        summary += f": {status.status} / {status.sub_status}"
    colour = "green" if signed and standard is not False else "red"
    console.print(f"[{colour}]{marks}[/{colour}]  {shown(summary)}")
    console.print_json(body.decode("utf-8"))


def register_commands(app: typer.Typer) -> None:
    app.command("track")(track)
    app.command("import")(import_csv)
    app.command("list")(list_trackings)
    app.command("quota")(quota)
    app.add_typer(webhook_app, name="webhook")
