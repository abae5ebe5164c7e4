"""What SQLite alone costs per registered row: the floor under any register throughput.

    python benchmarks/sqlite_floor.py [--groups 100] [--rows 640]

A fresh file migrated to the current schema (every index of `trackings`), WAL and
`synchronous=NORMAL` as `parceltrace serve` uses; then `--groups` transactions of `--rows`
rows (16 requests of 40, a typical registration group) through the standard library's sqlite3
`executemany`, with no SQLAlchemy, asyncio or HTTP in the way. Prints the median time per row.
"""

from __future__ import annotations

import argparse
import asyncio
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from register_bench import s10

from parceltrace.store.engine import Store

ACCOUNT = (
    "INSERT INTO accounts (name, key_hash, key_prefix, enabled, quota_total, quota_used,"
    " max_track_daily, today_used, today_date, rate_limit, realtime_enabled, free_email_quota,"
    " free_email_quotaused, created_at)"
    " VALUES ('floor', 'h', 'p', 1, 1, 0, 0, 0, '', 3, 1, 300, 0, '2026-01-01 00:00:00.000000')"
)
ROW = (
    "INSERT INTO trackings (account_id, number, carrier, final_carrier, origin, data_origin, register_time,"
    " shipping_country, next_poll_at) VALUES (1, ?, 11031, 0, 1, 'Api', '2026-12-01 10:00:00.000000', 'GB',"
    " '2026-12-01 10:00:00.000000')"
)


async def migrated(path: str) -> None:
    store = Store(f"sqlite:///{path}")
    await store.migrate()
    await store.close()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--groups", type=int, default=100)
    parser.add_argument("--rows", type=int, default=640)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = f"{folder}/floor.db"
        asyncio.run(migrated(path))
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute(ACCOUNT)
        serial, times = 0, []
        for _ in range(args.groups):
            rows = [(s10(serial + i, "GB"),) for i in range(args.rows)]
            serial += args.rows
            started = time.perf_counter()
            conn.execute("BEGIN IMMEDIATE")
            conn.executemany(ROW, rows)
            conn.execute("COMMIT")
            times.append(time.perf_counter() - started)
        conn.close()
    per_row = statistics.median(times) / args.rows
    print(
        f"{args.groups} transactions of {args.rows} rows, table grown to {serial} rows: "
        f"median {statistics.median(times) * 1000:.1f} ms a transaction = {per_row * 1e6:.1f} µs a row "
        f"(min {min(times) / args.rows * 1e6:.1f}) = {per_row * 40 * 1e6:.0f} µs for a request of 40 numbers"
    )


if __name__ == "__main__":
    main()
