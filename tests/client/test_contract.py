"""The SDK (sync and async), the webhook reader and the client commands against 17TRACK's own
documented answers (tests/client/contract/, cut verbatim from 003), replayed byte for byte by a
local HTTP server; then every documented field nulled and every one left out, one at a time."""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import msgspec
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from parceltrace import (
    AsyncClient,
    AuthenticationError,
    Client,
    ClientError,
    InvalidRequestError,
    MalformedAnswer,
    RateLimitError,
    RetryPolicy,
    TransportError,
)
from parceltrace.client import answers, core
from parceltrace.webhooks import parse
from tests.client.contract.examples import BY_NAME, CONTRACT, EXAMPLES, FIXED, cut, fixed_register, sources
from tests.runtime.test_server_process import BIN

Answer = tuple[int, bytes]


class Replay:
    """Answers POST /track/v2.2/<operation> with what the test set for that operation."""

    def __init__(self) -> None:
        self.answers: dict[str, Answer] = {}
        self.asked: list[str] = []
        replay = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers.get("content-length") or 0))
                operation = self.path.rsplit("/", 1)[-1]
                replay.asked.append(operation)
                status, body = replay.answers.get(operation, (404, b'{"code": 404, "data": null}'))
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/track/v2.2"

    def answer(self, operation: str, body: bytes, status: int = 200) -> None:
        self.answers[operation] = (status, body)


@pytest.fixture
def replay() -> Iterator[Replay]:
    server = Replay()
    thread = threading.Thread(target=server.server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.server.shutdown()
    server.server.server_close()


def sdk(replay: Replay) -> Client:
    return Client("KEY", replay.url, rate_limit=0, retry=RetryPolicy(attempts=1))


def documented(name: str) -> bytes:
    return FIXED.read_bytes() if name == "register-fixed" else BY_NAME[name].body


# ---------------------------------------------------------------- the files are 003's


@pytest.mark.skipif(
    not CONTRACT.exists(), reason="the contract (shared/reference) is not beside this checkout"
)
def test_examples_are_the_documents_own() -> None:
    document = CONTRACT.read_text(encoding="utf-8").split("\n")
    for example in EXAMPLES:
        assert example.body == cut(example, document), example.name
    assert FIXED.read_bytes() == fixed_register(BY_NAME["register"].body)
    assert (CONTRACT.parent / "003_27de3945822dd589.txt").exists()
    assert (EXAMPLES[0].path.parent / "SOURCES.md").read_text(encoding="utf-8") == sources()


# ---------------------------------------------------------------- every answer, sync and async


def test_register_as_documented_keeps_the_rejected_tag(replay: Replay) -> None:
    replay.answer("register", documented("register-fixed"))
    with sdk(replay) as client:
        result = client.register([{"number": "RR123456789CN", "tag": "MyOrderID"}, {"number": "1234"}])
    [accepted] = result.accepted
    assert (accepted.origin, accepted.number, accepted.carrier, accepted.tag) == (
        1,
        "RR123456789CN",
        3011,
        "MyOrderID",
    )
    [rejected] = result.rejected
    assert (rejected.number, rejected.code, rejected.tag) == ("1234", -18010012, "My-Order-Id")
    assert rejected.message == "The format of '1234' is invalid."
    assert rejected.item["tag"] == "My-Order-Id"


def test_register_as_printed_is_not_json_and_says_so(replay: Replay) -> None:
    """003 prints the register answer with a trailing comma: not JSON. A clean error of the
    tree, never a crash."""
    replay.answer("register", documented("register"))
    with sdk(replay) as client, pytest.raises(TransportError, match="not JSON"):
        client.register(["RR123456789CN"])


def test_the_quick_starts_smaller_register_answer(replay: Replay) -> None:
    replay.answer("register", documented("quickstart-register"))
    with sdk(replay) as client:
        result = client.register(["RR123456789CN", "21213123123230"])
    [accepted] = result.accepted
    assert (accepted.number, accepted.carrier, accepted.email, accepted.tag) == (
        "RR123456789CN",
        3011,
        None,
        None,
    )
    assert [(r.number, r.code) for r in result.rejected] == [("21213123123230", -18019903)]


@pytest.mark.parametrize("operation", ["changecarrier", "changeinfo", "stoptrack", "retrack", "deletetrack"])
def test_number_carrier_answers(replay: Replay, operation: str) -> None:
    replay.answer(operation, documented(operation))
    method = {
        "changecarrier": Client.change_carrier,
        "changeinfo": Client.change_info,
        "stoptrack": Client.stop_track,
        "retrack": Client.retrack,
        "deletetrack": Client.delete_track,
    }[operation]
    with sdk(replay) as client:
        result = method(client, ["RR123456789CN"])
    assert [(a.number, a.carrier) for a in result.accepted] == [("RR123456789CN", 3011)]
    assert [r.number for r in result.rejected] == ["21213123123230"]
    assert all(r.code is not None and r.code < 0 and r.message for r in result.rejected)


def test_push_and_an_empty_batch(replay: Replay) -> None:
    replay.answer("push", documented("push"))
    replay.answer("stoptrack", documented("empty-batch"))
    with sdk(replay) as client:
        pushed = client.push(["RR123456789CN"])
        stopped = client.stop_track(["RR123456789CN"])
    assert [(a.number, a.carrier) for a in pushed.accepted] == [("RR123456789CN", 3011)]
    assert (stopped.accepted, stopped.rejected) == ([], [])


def test_the_error_envelope_is_an_invalid_request(replay: Replay) -> None:
    replay.answer("register", documented("error-envelope"))
    with sdk(replay) as client, pytest.raises(InvalidRequestError) as caught:
        client.register(["RR123456789CN"])
    assert (caught.value.code, caught.value.status, caught.value.message) == (
        -18010013,
        200,
        "Submitted data is invalid.",
    )


def test_quota(replay: Replay) -> None:
    replay.answer("getquota", documented("getquota"))
    with sdk(replay) as client:
        quota = client.get_quota()
    assert (quota.quota_total, quota.quota_used, quota.quota_remain, quota.max_track_daily) == (
        1100,
        2,
        1098,
        10000000,
    )
    assert (quota.free_email_quota, quota.free_email_quotaused) == (300, 0)


def test_track_list_with_the_documents_spaced_keys(replay: Replay) -> None:
    replay.answer("gettracklist", documented("gettracklist"))
    with sdk(replay) as client:
        page = client.get_track_list()
    assert (page.page.data_total, page.page.page_total, page.page.page_no) == (43, 2, 1)
    [item] = page.items
    assert (item.number, item.package_status, item.push_status_code, item.stop_track_time) == (
        "RR123456789CN", "Delivered", 200, None,
    )  # fmt: skip
    assert (item.days_after_order, item.days_after_last_update, item.days_of_transit) == (2, None, 2)
    assert item.delievery_time == "2023-08-05T05:00:21Z" and item.pickup_time == ""


@pytest.mark.parametrize("operation", ["gettrackinfo", "getRealTimeTrackInfo"])
def test_track_info(replay: Replay, operation: str) -> None:
    name = "gettrackinfo" if operation == "gettrackinfo" else "getrealtimetrackinfo"
    replay.answer(operation, documented(name))
    raw = json.loads(documented(name))
    with sdk(replay) as client:
        method = client.get_track_info if operation == "gettrackinfo" else client.get_realtime_track_info
        result = method(["RR123456789CN"])
    [item] = result.accepted
    expected = raw["data"]["accepted"][0]
    assert (item.number, item.carrier) == (expected["number"], expected["carrier"])
    assert msgspec.to_builtins(item.track_info.latest_status) == {
        k: v for k, v in expected["track_info"]["latest_status"].items() if v is not None
    } | {k: None for k, v in expected["track_info"]["latest_status"].items() if v is None}
    events = [e for p in item.track_info.tracking.providers for e in p.events]
    assert [e.description for e in events] == [
        e["description"] for p in expected["track_info"]["tracking"]["providers"] for e in p["events"]
    ]
    assert [(r.number, r.code) for r in result.rejected] == [
        (r["number"], r["error"]["code"]) for r in raw["data"].get("rejected") or []
    ]


async def test_the_async_client_reads_the_same(replay: Replay) -> None:
    replay.answer("gettrackinfo", documented("gettrackinfo"))
    replay.answer("register", documented("register-fixed"))
    replay.answer("getquota", documented("getquota"))
    replay.answer("gettracklist", documented("gettracklist"))
    async with AsyncClient("KEY", replay.url, rate_limit=0, retry=RetryPolicy(attempts=1)) as client:
        info = await client.get_track_info(["RR123456789CN"])
        registered = await client.register(["RR123456789CN", "1234"])
        quota = await client.get_quota()
        page = await client.get_track_list()
    documented_number = json.loads(documented("gettrackinfo"))["data"]["accepted"][0]["number"]
    assert [i.number for i in info.accepted] == [documented_number]  # 003 writes RR123465789CN here
    assert [(r.number, r.code) for r in info.rejected] == [("21213123123230", -18019910)]
    assert [r.tag for r in registered.rejected] == ["My-Order-Id"]
    assert quota.quota_remain == 1098 and page.items[0].days_after_order == 2


@pytest.mark.parametrize("name", ["webhook-updated", "webhook-stopped"])
def test_both_webhook_bodies(name: str) -> None:
    push = parse(documented(name))
    raw = json.loads(documented(name))
    assert push.event == raw["event"]
    assert (push.data.number, push.data.carrier) == (raw["data"]["number"], raw["data"]["carrier"])
    if name == "webhook-updated":
        assert isinstance(push.data, answers.TrackingUpdatedData)
        assert (
            push.data.track_info.latest_status.status == raw["data"]["track_info"]["latest_status"]["status"]
        )
    else:
        assert push.data.tag == ""


# ---------------------------------------------------------------- the top-level code and the error tree

BAD_KEY = b'{"code": -18010002, "data": null}'


@pytest.mark.parametrize("status", [200, 401])
@pytest.mark.parametrize(
    "call",
    [
        lambda c: c.get_quota(),
        lambda c: c.get_track_list(),
        lambda c: c.register(["RR123456789CN"]),
        lambda c: c.get_track_info(["RR123456789CN"]),
    ],
    ids=["getquota", "gettracklist", "register", "gettrackinfo"],
)
def test_a_bad_key_in_the_top_level_code(replay: Replay, status: int, call: Callable[[Client], Any]) -> None:
    for operation in ("getquota", "gettracklist", "register", "gettrackinfo"):
        replay.answer(operation, BAD_KEY, status)
    with sdk(replay) as client, pytest.raises(AuthenticationError) as caught:
        call(client)
    assert (caught.value.code, caught.value.status) == (-18010002, status)
    assert caught.value.message == "Invalid security key." and not caught.value.retryable


def test_a_rate_limit_carries_no_made_up_code(replay: Replay) -> None:
    replay.answer(
        "getquota", b'{"code": 429, "data": {"errors": [{"code": 429, "message": "Too many"}]}}', 429
    )
    with sdk(replay) as client, pytest.raises(RateLimitError) as caught:
        client.get_quota()
    assert (caught.value.code, caught.value.status, caught.value.retryable) == (None, 429, True)


@pytest.mark.parametrize(
    ("operation", "body"),
    [
        ("gettracklist", b'{"code": 0, "data": null}'),
        ("gettracklist", b'{"code": 0, "data": {"accepted": 7}}'),
        ("getquota", b'{"code": 0, "data": {"quota_total": {"a": 1}}}'),
        ("getquota", b'{"code": 0, "data": []}'),
        ("register", b"[1, 2]"),
        ("register", b'{"code": 0}'),
    ],
)
def test_answers_in_no_documented_shape_are_a_malformed_answer(
    replay: Replay, operation: str, body: bytes
) -> None:
    replay.answer(operation, body)
    call = {"gettracklist": Client.get_track_list, "getquota": Client.get_quota}.get(operation)
    with sdk(replay) as client, pytest.raises(MalformedAnswer) as caught:
        call(client) if call else client.register(["RR123456789CN"])
    assert isinstance(caught.value, ClientError) and not caught.value.retryable


def test_one_unreadable_item_is_that_items_error_not_the_batchs(replay: Replay) -> None:
    items = [{"origin": 1, "number": f"RR{i:09d}CN", "carrier": 3011} for i in range(40)]
    items[17]["carrier"] = {"not": "a code"}
    replay.answer("register", json.dumps({"code": 0, "data": {"accepted": items, "rejected": []}}).encode())
    with sdk(replay) as client:
        result = client.register([i["number"] for i in items])
    assert len(result.accepted) == 39
    [odd] = result.rejected
    assert (odd.number, odd.code) == ("RR000000017CN", None) and odd.item == items[17]
    assert "could not be read" in odd.message


def test_a_status_17track_adds_later_reads_as_itself() -> None:
    raw = json.loads(documented("gettrackinfo"))
    raw["data"]["accepted"][0]["track_info"]["latest_status"] = {
        "status": "Teleported",
        "sub_status": "Teleported_Moon",
    }
    result = core.batch_result(raw, answers.TrackInfoItem)
    assert result.accepted[0].track_info.latest_status.status == "Teleported"


# ---------------------------------------------------------------- every field null, every field left out


def paths(value: Any, at: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every key path inside `value` (lists by index)."""
    if isinstance(value, dict):
        for key, inner in value.items():
            yield (*at, key)
            yield from paths(inner, (*at, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from paths(inner, (*at, index))


def changed(value: Any, path: tuple[Any, ...], drop: bool) -> Any:
    copy = json.loads(json.dumps(value))
    holder = copy
    for step in path[:-1]:
        holder = holder[step]
    if drop:
        del holder[path[-1]]
    else:
        holder[path[-1]] = None
    return copy


READERS: dict[str, Callable[[dict[str, Any]], Any]] = {
    "quickstart-register": lambda p: core.batch_result(p, answers.RegisterAccepted),
    "register-fixed": lambda p: core.batch_result(p, answers.RegisterAccepted),
    "changecarrier": lambda p: core.batch_result(p, answers.NumberCarrier),
    "changeinfo": lambda p: core.batch_result(p, answers.NumberCarrier),
    "stoptrack": lambda p: core.batch_result(p, answers.NumberCarrier),
    "push": lambda p: core.batch_result(p, answers.NumberCarrier),
    "getquota": core.quota,
    "gettracklist": core.track_list_page,
    "gettrackinfo": lambda p: core.batch_result(p, answers.TrackInfoItem),
    "getrealtimetrackinfo": lambda p: core.batch_result(p, answers.TrackInfoItem),
}
CASES = [
    (name, path, drop)
    for name in READERS
    for path in paths(json.loads(documented(name))["data"])
    for drop in (False, True)
]


@pytest.mark.parametrize(
    ("name", "path", "drop"),
    [
        pytest.param(*c, id=f"{c[0]}-{'/'.join(map(str, c[1]))}-{'dropped' if c[2] else 'null'}")
        for c in CASES
    ],
)
def test_any_field_null_or_left_out_still_reads(name: str, path: tuple[Any, ...], drop: bool) -> None:
    """003: "All response data will show 'Null' when there is no valid information"; and its
    own examples leave fields out. Nothing whole is lost for one field: every item still reads."""
    raw = json.loads(documented(name))
    payload = core.check(200, {}, json.dumps({**raw, "data": changed(raw["data"], path, drop)}).encode())
    outcome = READERS[name](payload)
    if isinstance(outcome, core.BatchResult):
        assert not [r for r in outcome.rejected if "could not be read" in r.message], (
            "an item became unreadable"
        )


@settings(max_examples=200, deadline=None)
@given(st.data())
def test_many_fields_null_at_once_still_read(data: st.DataObject) -> None:
    raw = json.loads(documented("gettrackinfo"))
    every = list(paths(raw["data"]))
    chosen = data.draw(st.lists(st.sampled_from(every), max_size=25, unique=True))
    payload = raw["data"]
    for path in sorted(chosen, key=len, reverse=True):
        try:
            payload = changed(payload, path, drop=False)
        except (KeyError, IndexError, TypeError):
            continue  # an outer field was nulled first
    result = core.batch_result({"code": 0, "data": payload}, answers.TrackInfoItem)
    assert not [r for r in result.rejected if "could not be read" in r.message]


# ---------------------------------------------------------------- the client commands


def cli(replay: Replay, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN), *args, "--url", replay.url, "--key", "KEY"],
        capture_output=True, text=True, timeout=60, env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"},
    )  # fmt: skip


def test_track_shows_the_rejected_numbers_and_each_carriers_events_newest_first(replay: Replay) -> None:
    replay.answer("register", documented("empty-batch"))  # nothing refused at registration
    replay.answer("gettrackinfo", documented("gettrackinfo"))
    done = cli(replay, "track", "RR123456789CN", "21213123123230", "--wait", "0")
    assert done.returncode == 1, done.stderr
    assert "21213123123230: -18019910" in " ".join(done.stderr.split())
    raw = json.loads(documented("gettrackinfo"))
    for provider in raw["data"]["accepted"][0]["track_info"]["tracking"]["providers"]:
        assert f"Events of {provider['provider']['name']}" in done.stdout
        times = [e["time_iso"] for e in provider["events"] if e["time_utc"]]
        shown = [t for t in times if t in done.stdout]
        assert shown == sorted(
            shown,
            key=lambda t: next(e["time_utc"] for e in provider["events"] if e["time_iso"] == t),
            reverse=True,
        )
    assert "Traceback" not in done.stderr


COMMANDS = [
    ["track", "RR123456789CN"],
    ["import", "{csv}"],
    ["import", "{csv}", "--dry-run"],
    ["list"],
    ["quota"],
]


def command_line(command: list[str], tmp_path: Path) -> list[str]:
    csv = tmp_path / "numbers.csv"
    csv.write_text("number,tag\nRR123456789CN,MyOrderID\n", encoding="utf-8")
    return [part.format(csv=csv) for part in command]


@pytest.mark.parametrize("command", COMMANDS)
def test_the_commands_say_a_bad_key_and_exit_1_without_a_traceback(
    replay: Replay, command: list[str], tmp_path: Path
) -> None:
    for operation in ("register", "gettrackinfo", "gettracklist", "getquota"):
        replay.answer(operation, BAD_KEY, 401)
    done = cli(replay, *command_line(command, tmp_path))
    assert done.returncode == 1
    assert "-18010002" in done.stderr and "Invalid security key." in done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize("command", COMMANDS)
def test_the_commands_say_a_malformed_answer_without_a_traceback(
    replay: Replay, command: list[str], tmp_path: Path
) -> None:
    for operation in ("register", "gettrackinfo", "gettracklist", "getquota"):
        replay.answer(operation, b'{"code": 0, "data": 5}')
    done = cli(replay, *command_line(command, tmp_path))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "data" in done.stderr


def test_list_and_quota_read_the_documents_answers(replay: Replay) -> None:
    replay.answer("gettracklist", documented("gettracklist").replace(b'"page_total": 2', b'"page_total": 1'))
    replay.answer("getquota", documented("getquota"))
    listed = cli(replay, "list", "--json")
    quota = cli(replay, "quota", "--json")
    assert listed.returncode == 0 and json.loads(listed.stdout)["number"] == "RR123456789CN"
    assert quota.returncode == 0 and json.loads(quota.stdout)["quota_remain"] == 1098


def test_import_dry_run_counts_the_files_numbers_not_the_answers(replay: Replay, tmp_path: Path) -> None:
    """003's gettrackinfo answer is about RR123465789CN (and rejects 21213123123230): for a file
    of two other numbers, both are still to register and none is "already registered"."""
    replay.answer("gettrackinfo", documented("gettrackinfo"))
    csv = tmp_path / "two.csv"
    csv.write_text("number\nRR123456789CN\nRR000000001CN\n", encoding="utf-8")
    done = cli(replay, "import", str(csv), "--dry-run")
    assert done.returncode == 0, done.stderr
    assert "2 to register, 0 already registered, 0 would be rejected, quota needed: 2" in done.stdout
