"""Schemathesis against the app's own OpenAPI document, over HTTP to a real `parceltrace serve`:
every operation, generated bodies (valid and not), never a 5xx, every answer in the documented
envelope with a documented status code and content type.

`make test` runs PARCELTRACE_FUZZ_EXAMPLES (default 25) cases per operation; `make fuzz` 1,000.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.generation import GenerationMode

from parceltrace.api.openapi import openapi_document
from tests.runtime.test_server_process import BIN, free_port, report, serving

EXAMPLES = int(os.environ.get("PARCELTRACE_FUZZ_EXAMPLES", "25"))
SCHEMA = schemathesis.openapi.from_dict(json.loads(openapi_document()))
OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


class Server:
    def __init__(self, url: str, key: str) -> None:
        self.url = url
        self.key = key
        self.cases: dict[str, int] = {}
        self.statuses: dict[int, int] = {}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    folder = tmp_path_factory.mktemp("fuzz")
    db = f"sqlite:///{folder / 'fuzz.db'}"
    created = subprocess.run(
        [
            str(BIN),
            "account",
            "create",
            "fuzz",
            "--db",
            db,
            "--rate-limit",
            "0",
            "--quota",
            "100000000",
            "--json",
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    key = json.loads(created.stdout)["key"]
    port = free_port()
    log = Path(folder / "serve.log")
    with serving(db, port, log):
        running = Server(f"http://127.0.0.1:{port}", key)
        yield running
    assert "Traceback" not in log.read_text(), log.read_text()[-3000:]
    report(
        "schemathesis",
        {
            "examples_per_operation_and_mode": EXAMPLES,
            "cases": sum(running.cases.values()),
            "statuses": {str(k): v for k, v in sorted(running.statuses.items())},
            "cases_by_test": running.cases,
        },
    )


@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda op: op.label)
@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
def test_every_operation_answers_in_its_documented_envelope(
    server: Server, operation: object, mode: GenerationMode
) -> None:
    strategy = operation.as_strategy(generation_mode=mode)  # type: ignore[attr-defined]

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    @given(case=strategy)
    def run(case: schemathesis.Case) -> None:
        response = case.call_and_validate(
            base_url=server.url, headers={"17token": server.key}, checks=CHECKS, timeout=30
        )
        label = f"{operation.label} [{mode.value}]"  # type: ignore[attr-defined]
        server.cases[label] = server.cases.get(label, 0) + 1
        server.statuses[response.status_code] = server.statuses.get(response.status_code, 0) + 1

    run()
