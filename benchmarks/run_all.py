"""`make bench`: every benchmark of BENCHMARKS.md, one after the other, into one results file.

    python benchmarks/run_all.py [--quick] [--only NAME ...] [--out benchmarks/results/latest.md]

Each benchmark is its own script (run as a subprocess with the command shown in the results);
each takes medians of 3 runs and prints min-max, and every HTTP throughput figure beside the
same server's no-op route measured in the same run. The PostgreSQL benchmarks run when
PostgreSQL answers (PARCELTRACE_TEST_PG, default postgresql://127.0.0.1:5432/test). `--quick`
keeps 3 runs but shortens each (a smoke test of the suite, not figures to quote).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import asyncpg
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

HERE = Path(__file__).resolve().parent
PG = os.environ.get("PARCELTRACE_TEST_PG", "postgresql://127.0.0.1:5432/test")
console = Console(stderr=True)


@dataclass(frozen=True)
class Bench:
    name: str
    script: str
    args: tuple[str, ...]
    quick: tuple[str, ...]
    postgres: bool = False


BENCHES = (
    Bench("register, embedded (issue 2)", "register_bench.py", (), ("--seconds", "3")),
    Bench(
        "register, --no-worker (issue 2)",
        "register_bench.py",
        ("--no-worker",),
        ("--no-worker", "--seconds", "3"),
    ),
    Bench(
        "SQLite alone: the cost of a stored row, the floor under register (issue 2)",
        "sqlite_floor.py",
        (),
        ("--groups", "20"),
    ),
    Bench(
        "parceltrace vs a Prism mock of the same API (issue 8)",
        "prism_bench.py",
        (),
        ("--seconds", "3"),
    ),
    Bench(
        "tracking engine (issue 3)",
        "engine_bench.py",
        ("--runs", "3", "--polls", "10000", "--advance", "10000"),
        ("--runs", "3", "--polls", "1000", "--advance", "1000"),
    ),
    Bench(
        "webhook delivery (issue 4)",
        "webhook_bench.py",
        ("--runs", "3", "--messages", "5000", "--latency", "300"),
        ("--runs", "3", "--messages", "500", "--latency", "300"),
    ),
    Bench(
        "noisy neighbour: a healthy account beside a dead webhook receiver (issue 28)",
        "neighbour_bench.py",
        ("--runs", "3", "--numbers", "100", "--dead", "400"),
        ("--runs", "3", "--numbers", "20", "--dead", "80"),
    ),
    Bench(
        "CSV import (issue 5)",
        "import_bench.py",
        ("--runs", "3", "--numbers", "100000"),
        ("--runs", "3", "--numbers", "5000"),
    ),
    Bench("dashboard (issue 6)", "dashboard_bench.py", (), ("--trackings", "1000", "--requests", "20")),
    Bench(
        "PostgreSQL: register through 2 API processes, polls with 1 and 2 workers (issue 7)",
        "pg_bench.py",
        ("--only", "register", "--only", "polls"),
        ("--only", "register", "--only", "polls", "--seconds", "3", "--polls", "2000"),
        postgres=True,
    ),
    Bench(
        "PostgreSQL: reads at 1,000,000 trackings (issue 7)",
        "pg_bench.py",
        ("--only", "reads"),
        ("--only", "reads", "--rows", "20000", "--requests", "50"),
        postgres=True,
    ),
)


def postgres_version() -> str | None:
    """The server's version, or None when PostgreSQL does not answer."""

    async def ask() -> str:
        conn = await asyncpg.connect(PG, timeout=3)
        try:
            return str(await conn.fetchval("SHOW server_version"))
        finally:
            await conn.close()

    try:
        return asyncio.run(ask())
    except (OSError, asyncpg.PostgresError, TimeoutError):
        return None


def machine() -> list[str]:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = "?"
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal"):
            memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    return [
        f"- {cpu}, {os.cpu_count()} cores, {memory} RAM, {platform.system()} {platform.release()}",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        f"- load average at start: {', '.join(f'{x:.2f}' for x in os.getloadavg())}",
    ]


def as_markdown(output: str) -> list[str]:
    """A benchmark's printout: its tables as tables, everything else as preformatted text."""
    lines: list[str] = []
    in_text = False
    for line in output.splitlines():
        is_table = line.startswith("|")
        if is_table == in_text:
            lines += ["```"] if in_text else ["", "```"]
            in_text = not in_text
            if not in_text:
                lines.append("")
        lines.append(line)
    if in_text:
        lines.append("```")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="short runs: check the suite works")
    parser.add_argument("--only", action="append", help="run only benchmarks whose name contains this")
    parser.add_argument("--out", type=Path, default=HERE / "results" / "latest.md")
    args = parser.parse_args()
    pg_version = postgres_version()
    chosen = [b for b in BENCHES if not args.only or any(o.lower() in b.name.lower() for o in args.only)]
    lines = [
        "# Benchmark results",
        "",
        f"Written by `{' '.join(['python', 'benchmarks/run_all.py', *sys.argv[1:]])}` on "
        f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC{' (--quick: not figures to quote)' if args.quick else ''}.",
        "",
        *machine(),
        f"- PostgreSQL: {pg_version or 'not reachable at ' + PG + ' (its benchmarks skipped)'}",
        "",
    ]
    failed = []
    with Progress(
        TextColumn("{task.description}"), BarColumn(), TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(), console=console,
    ) as progress:  # fmt: skip
        task = progress.add_task("benchmarks", total=len(chosen))
        for bench in chosen:
            progress.update(task, description=bench.name)
            command = [sys.executable, str(HERE / bench.script), *(bench.quick if args.quick else bench.args)]
            shown = f".venv/bin/python benchmarks/{bench.script} {' '.join(command[2:])}".rstrip()
            lines += [f"## {bench.name}", "", f"Command: `{shown}`", ""]
            if bench.postgres and pg_version is None:
                lines += ["Skipped: PostgreSQL is not reachable.", ""]
                progress.advance(task)
                continue
            started = time.monotonic()
            done = subprocess.run(command, capture_output=True, text=True, check=False)
            seconds = time.monotonic() - started
            output = done.stdout.strip()
            if done.returncode != 0:
                failed.append(bench.name)
                output += f"\n\nFAILED (exit {done.returncode}):\n{done.stderr.strip()[-2000:]}"
            lines += [f"Took {seconds:.0f} s.", "", *as_markdown(output), ""]
            progress.advance(task)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(
                "\n".join(lines) + "\n"
            )  # written after each, so a long run can be read early
    console.print(f"results: {args.out}")
    if failed:
        console.print(f"[red]failed:[/red] {', '.join(failed)}")
        raise SystemExit(1)


if __name__ == "__main__":
    main()
