"""An outage is logged once when it starts and once when the probe finds the service back,
however many calls meet it; the figures for /metrics add up."""

from __future__ import annotations

import asyncio

import pytest
from structlog.testing import capture_logs

from parceltrace.store import outage as outage_module
from parceltrace.store.outage import Outage


class Switch:
    """A probe whose answer the test sets: True (back), False (still out), or an error."""

    def __init__(self) -> None:
        self.answer: bool | Exception = False
        self.probes = 0

    async def __call__(self) -> bool:
        self.probes += 1
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


@pytest.fixture(autouse=True)
def fast_probe(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(outage_module, "PROBE_EVERY", 0.01)


async def wait_until(condition: object, seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.01)):
        if callable(condition) and condition():
            return
        await asyncio.sleep(0.01)
    raise AssertionError("condition not met in time")


async def test_one_line_at_the_start_and_one_at_the_end_of_each_outage() -> None:
    probe = Switch()
    outage = Outage("redis", probe, "limits counted in this process")
    with capture_logs() as logs:
        for _ in range(25):
            outage.failed(ConnectionRefusedError(111, "Connect call failed"))
        await wait_until(lambda: probe.probes >= 3)
        assert outage.ongoing
        probe.answer = True
        await wait_until(lambda: not outage.ongoing)
        probe.answer = False
        outage.failed(TimeoutError())
        probe.answer = True
        await wait_until(lambda: not outage.ongoing)
        await outage.close()
    assert [(entry["event"], entry.get("calls_failed")) for entry in logs] == [
        ("redis out of reach: limits counted in this process", None),
        ("redis reachable again", 25),
        ("redis out of reach: limits counted in this process", None),
        ("redis reachable again", 1),
    ]
    assert logs[0]["error"] == "ConnectionRefusedError: [Errno 111] Connect call failed"
    assert (outage.started, outage.failures) == (2, 26)


async def test_a_probe_that_raises_is_not_the_service_back() -> None:
    probe = Switch()
    probe.answer = RuntimeError("answers, but wrongly")
    outage = Outage("database", probe, "waiting")
    outage.failed(ConnectionResetError())
    await wait_until(lambda: probe.probes >= 3)
    assert outage.ongoing
    await outage.close()


async def test_waiting_for_the_return_ends_when_the_service_is_back() -> None:
    probe = Switch()
    outage = Outage("database", probe, "waiting")
    await outage.back(at_most=5)  # no outage: at once
    outage.failed(ConnectionResetError())
    await outage.back(at_most=0.05)  # still out: after at_most
    assert outage.ongoing
    probe.answer = True
    await asyncio.wait_for(outage.back(at_most=30), 5)
    assert not outage.ongoing
    await outage.close()
