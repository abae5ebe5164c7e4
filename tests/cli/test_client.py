"""The client commands against a real `parceltrace serve` in a subprocess."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from typer.testing import CliRunner

from parceltrace.cli.main import app
from parceltrace.webhooks.payload import stopped_body
from parceltrace.webhooks.signing import headers_for
from tests.runtime.test_server_process import eventually, free_port, serving
from tests.service.test_uploads import workbook

runner = CliRunner()


@pytest.fixture
def server(db_url: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    port = free_port()
    log = tmp_path / "serve.log"
    with serving(db_url, port, log):
        key = re.search(r"API key \(shown once\): ([0-9A-F]{32})", log.read_text())
        assert key
        yield {
            "PARCELTRACE_URL": f"http://127.0.0.1:{port}/track/v2.2",
            "PARCELTRACE_KEY": key.group(1),
            "COLUMNS": "200",
        }


def run(env: dict[str, str], *args: str) -> str:
    result = runner.invoke(app, list(args), env=env)
    assert result.exit_code == 0, result.output
    return result.output


def test_track_registers_and_shows_events(server: dict[str, str]) -> None:
    output = run(server, "track", "SANDBOX-InTransit-Arrival-5")
    assert "SANDBOX-INTRANSIT-ARRIVAL-5" in output and "InfoReceived" in output and "Events" in output


def test_import_resumes_and_summarises(server: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "orders.csv"
    rows = [{"number": f"SANDBOX-Delivered-Other-{i}", "tag": f"order-{i}"} for i in range(90)]
    rows.append({"number": "1234", "tag": "bad"})
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["number", "tag"])
        writer.writeheader()
        writer.writerows(rows)
    dry = runner.invoke(app, ["import", str(path), "--dry-run"], env=server)
    assert dry.exit_code == 1  # the dry run finds the row the import will reject
    assert "90 to register, 0 already registered, 1 would be rejected, quota needed: 90" in " ".join(
        dry.output.split()
    )
    path.with_name("orders.csv.progress").write_text("40")  # as if interrupted after one batch
    rejected = tmp_path / "rejected.csv"
    result = runner.invoke(app, ["import", str(path), "--rejected", str(rejected)], env=server)
    output = result.output
    assert result.exit_code == 1, output  # a row was rejected
    assert "resuming after 40 of 91 rows" in output
    assert re.search(r"accepted\s+│\s+50", output) and "-18010012" in output
    assert re.search(r"1234\s+│\s+-18010012\s+│\s+The format of the data '1234' is invalid", output)
    assert list(csv.reader(io.StringIO(rejected.read_text()))) == [
        ["number", "tag", "code", "message"],  # the row as it was, to fix and import again
        ["1234", "bad", "-18010012", "The format of the data '1234' is invalid."],
    ]
    assert not path.with_name("orders.csv.progress").exists()
    again = runner.invoke(app, ["import", str(path)], env=server)
    assert again.exit_code == 1 and re.search(r"already registered\s+│\s+50", again.output)


@pytest.mark.parametrize(
    ("text", "imported"),
    [
        ("Number;Carrier\nSANDBOX-Delivered-Other-1;999001\n", 1),
        ("tracking_number,courier\nSANDBOX-Delivered-Other-2,\nSANDBOX-Delivered-Other-3,\n", 2),
        ("SANDBOX-Delivered-Other-4\nSANDBOX-Delivered-Other-5\n", 2),
    ],
)
def test_import_reads_spreadsheet_exports(
    server: dict[str, str], tmp_path: Path, text: str, imported: int
) -> None:
    """Headings in any case with their usual aliases, `;` separators, or no header at all."""
    path = tmp_path / "export.csv"
    path.write_text(text)
    assert re.search(rf"accepted\s+│\s+{imported}", run(server, "import", str(path)))
    listed = httpx.post(
        f"{server['PARCELTRACE_URL']}/gettracklist",
        json={"data_origin": "Import"},
        headers={"17token": server["PARCELTRACE_KEY"]},
    ).json()
    assert listed["page"]["data_total"] == imported  # imported rows say so, not `Api`


@pytest.mark.parametrize(
    ("text", "says"),
    [("", "empty"), ("id,name\n1,a\n", "No column of tracking numbers: the header has 'id', 'name'")],
)
def test_import_of_a_file_without_numbers_says_why(tmp_path: Path, text: str, says: str) -> None:
    path = tmp_path / "export.csv"
    path.write_text(text)
    result = runner.invoke(app, ["import", str(path)], env={"PARCELTRACE_KEY": "0" * 32, "COLUMNS": "300"})
    assert result.exit_code == 2
    assert says in " ".join(result.output.split())


def test_list_and_quota(server: dict[str, str]) -> None:
    run(server, "track", "SANDBOX-Delivered-Other-1", "--wait", "0")
    lines = run(server, "list", "--json").strip().splitlines()
    assert [json.loads(line)["number"] for line in lines] == ["SANDBOX-DELIVERED-OTHER-1"]
    narrow = runner.invoke(app, ["list"], env={**server, "COLUMNS": "80"})
    assert "SANDBOX-DELIVERED-OTHER-1" in narrow.stdout, "the number is not cut at 80 columns"
    status = json.loads(lines[0])["package_status"]
    assert run(server, "list", "--json", "--status", status.lower()) == lines[0] + "\n"
    other = "Expired" if status != "Expired" else "Exception"
    assert run(server, "list", "--json", "--status", other, "--tracking-status", "tracking") == ""
    table = list(csv.DictReader(io.StringIO(run(server, "list", "--csv"))))
    assert table[0]["number"] == "SANDBOX-DELIVERED-OTHER-1"
    assert json.loads(run(server, "quota", "--json"))["quota_used"] == 1


def test_a_wrong_key_is_explained(server: dict[str, str]) -> None:
    result = runner.invoke(app, ["quota"], env={**server, "PARCELTRACE_KEY": "0" * 32})
    assert result.exit_code == 1 and "-18010002" in result.output


@pytest.mark.parametrize(
    ("args", "says", "status"),
    [
        (
            ["quota", "--url", "http://127.0.0.1:8017/track/v2.2"],
            "no API key: give --key KEY or set PARCELTRACE_KEY",
            2,
        ),
        (
            ["quota", "--key", "K", "--url", "http://127.0.0.1:8017/"],
            "is not an API base URL: it ends in /track/v2.2",
            2,
        ),
        (
            ["list", "--key", "K", "--url", "http://127.0.0.1:1/track/v2.2"],
            "no answer from http://127.0.0.1:1/track/v2.2",
            1,
        ),
        (
            ["list", "--key", "K", "--status", "shipped"],
            "'shipped' is not a main status: use one of NotFound, InfoReceived, InTransit, Expired,"
            " AvailableForPickup, OutForDelivery, DeliveryFailure, Delivered, Exception",
            2,
        ),
        (["list", "--key", "K", "--tracking-status", "paused"], "use one of Tracking, Stopped", 2),
    ],
)
def test_client_commands_say_what_to_do(args: list[str], says: str, status: int) -> None:
    result = runner.invoke(app, args, env={"COLUMNS": "300", "PARCELTRACE_KEY": ""})
    assert result.exit_code == status and says in " ".join(result.output.split())


def test_webhook_listen_checks_signatures(tmp_path: Path) -> None:
    port = free_port()
    binary = Path(sys.executable).parent / "parceltrace"
    log = tmp_path / "listen.log"
    with log.open("wb") as sink:
        listener = subprocess.Popen(
            [str(binary), "webhook", "listen", "--port", str(port), "--key", "KEY"], stdout=sink, stderr=sink
        )
    try:
        body = stopped_body("RR123456789CN", 3011, None, "")
        good = headers_for(body, "msg_1", int(time.time()), "KEY", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        deadline = time.monotonic() + 10
        while True:
            try:
                answer = httpx.post(f"http://127.0.0.1:{port}/", content=body, headers=good)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert answer.status_code == 200
        forged = httpx.post(f"http://127.0.0.1:{port}/", content=body, headers={**good, "sign": "0" * 64})
        assert forged.status_code == 401
        long_tag = "é" * 1990 + "END"  # about 4 KB of body that grows when escaped: it was cut and lost
        big = stopped_body("RR123456789CN", 3011, None, long_tag)
        assert 3900 < len(big) < 4100
        signed = headers_for(big, "msg_2", int(time.time()), "KEY", "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        assert httpx.post(f"http://127.0.0.1:{port}/", content=big, headers=signed).status_code == 200
        eventually(lambda: "END" in log.read_text())  # it answers first, then prints
    finally:
        listener.terminate()
        listener.wait(timeout=10)
    printed = log.read_text()
    assert "sign ok" in printed and "sign WRONG" in printed and "TRACKING_STOPPED RR123456789CN" in printed
    assert "éEND" in printed.replace("\n", "")  # the long push printed whole


@pytest.mark.parametrize(
    ("tag", "written"),
    [
        ('=HYPERLINK("http://x","y")', "'=HYPERLINK"),
        ("=cmd|' /C calc'!A0", "'=cmd"),
        ("@SUM(1)", "'@SUM(1)"),
        ("+1+2", "'+1+2"),
        ("order-7", "order-7"),
    ],
)
def test_list_csv_defuses_formulas_and_writes_empty_cells(
    server: dict[str, str], tag: str, written: str
) -> None:
    """Tags and remarks come from the API and from CSV imports: a spreadsheet must not run them."""
    httpx.post(
        f"{server['PARCELTRACE_URL']}/register",
        json=[{"number": "SANDBOX-InTransit-Arrival-2", "tag": tag}],
        headers={"17token": server["PARCELTRACE_KEY"]},
    )
    text = run(server, "list", "--csv")
    [row] = list(csv.DictReader(io.StringIO(text)))
    assert row["tag"].startswith(written)
    assert "False" not in text
    assert row["email"] == "" and row["is_retracked"] == "" and row["push_status_code"] == ""


@pytest.mark.parametrize(
    ("name", "content", "read_as"),
    [
        ("excel.csv", b'number;tag\r\nSANDBOX-Delivered-Other-130;"x; y"\r\n', "CSV, UTF-8"),
        ("windows.csv", "Number;Tag\r\nSANDBOX-Delivered-Other-131;Müller\r\n".encode("cp1252"), "CSV, Windows-1252"),
        ("unicode.txt", "number\ttag\r\nSANDBOX-Delivered-Other-132\t東京\r\n".encode("utf-16"), "CSV, UTF-16"),
        ("orders.xlsx", workbook([["Tracking Number", "Tag"], ["SANDBOX-Delivered-Other-133", "x"]]),
         "Excel workbook, sheet 'Orders'"),
    ],
    ids=["excel-semicolon-crlf", "windows-1252", "utf-16", "xlsx"],
)  # fmt: skip
def test_import_takes_what_shops_export(
    server: dict[str, str], tmp_path: Path, name: str, content: bytes, read_as: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    output = run(server, "import", str(path))
    assert f"read as {read_as}" in " ".join(output.split())
    assert re.search(r"accepted\s+│\s+1", output)


def test_a_dry_run_refuses_exactly_what_the_import_refuses(server: dict[str, str], tmp_path: Path) -> None:
    """The dry run promised "5 to register" for rows the import then rejected (lang=xx, a
    day-first order_time): it now checks them as the API does. (A carrier name and a 4-character
    order_no are tidied before either: UPS read as 100002, the order_no left out.)"""
    path = tmp_path / "shop.csv"
    path.write_text(
        "number,carrier,order_no,lang,order_time\n"
        "SANDBOX-Delivered-Other-201,UPS,,,\n"
        "SANDBOX-Delivered-Other-202,,1234,,\n"
        "SANDBOX-Delivered-Other-203,,,xx,\n"
        "SANDBOX-Delivered-Other-204,,,,01/13/2026\n"
        "SANDBOX-Delivered-Other-205,,ORDER-5,,2026-12-01\n"
    )
    rejected = tmp_path / "dry.csv"
    dry = runner.invoke(app, ["import", str(path), "--dry-run", "--rejected", str(rejected)], env=server)
    assert dry.exit_code == 1, dry.output
    said = " ".join(dry.output.split())
    assert "3 to register, 0 already registered, 2 would be rejected, quota needed: 3" in said
    real_rejected = tmp_path / "real.csv"
    real = runner.invoke(app, ["import", str(path), "--rejected", str(real_rejected)], env=server)
    assert real.exit_code == 1 and re.search(r"accepted\s+│\s+3", real.output)
    assert rejected.read_text() == real_rejected.read_text()


def test_import_tidies_a_shop_export_and_says_what_it_did(server: dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "shop.csv"
    path.write_text(
        "Sendungsnummer;Versanddienstleister;Bestellnummer\r\n"
        "SANDBOX-Delivered-Other-301;DPD;1234\r\n"
        '="SANDBOX-Delivered-Other-302";;ORDER-302\r\n'
    )
    output = run(server, "import", str(path))
    said = " ".join(output.split())
    assert "carrier 'DPD' names 28 carriers; left out" in said and "order_no '1234' left out" in said
    assert re.search(r"accepted\s+│\s+2", output)


@pytest.mark.parametrize("columns", ["80", "100"])
def test_tables_keep_every_value_whole_at_narrow_widths(server: dict[str, str], columns: str) -> None:
    """`list` at 80-100 columns cut values to "carr…", "Deli…", "202…"."""
    run(server, "track", "SANDBOX-Delivered-Other-77", "--wait", "0")
    output = run({**server, "COLUMNS": columns}, "list")
    flat = "".join(output.split())  # a value that wraps is whole once the table's spacing is gone
    assert "…" not in output
    for value in ("SANDBOX-DELIVERED-OTHER-77", "999001", "Tracking"):
        assert value in flat.replace("│", ""), value


def test_piped_tables_are_whole_on_one_line(server: dict[str, str]) -> None:
    """Piped (no terminal, no COLUMNS), a table takes the width it needs."""
    import subprocess
    import sys

    env = {k: v for k, v in server.items() if k != "COLUMNS"}
    run(server, "track", "SANDBOX-Delivered-Other-78", "--wait", "0")
    done = subprocess.run(
        [sys.executable, "-c", "from parceltrace.cli.main import main; main()", "list"],
        env={**env, "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    line = next(line for line in done.stdout.splitlines() if "SANDBOX-DELIVERED-OTHER-78" in line)
    assert "999001" in line and "Tracking" in line and "…" not in done.stdout
