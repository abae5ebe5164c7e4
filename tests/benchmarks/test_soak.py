"""The soak's own arithmetic: the exact mix, which minutes count, and the verdict."""

from __future__ import annotations

import random
import subprocess
import sys
from collections import Counter

import pytest

from benchmarks.soak import (
    MIX,
    QUIET_STEAL,
    WINDOW_MINUTES,
    Minute,
    Traffic,
    judge,
    quiet,
    resampled_spread,
    spread,
    stop_server,
    verdict,
    windows,
)


def minute(latencies: list[float], steal: float = 0.0, rss: float = 100.0) -> Minute:
    return Minute(
        latencies=[*latencies, 1.0],
        statuses={200: len(latencies)},
        by_kind={"gettrackinfo": latencies, "advance": [1.0]},
        rss_mib=rss,
        steal_share=steal,
    )


def test_every_block_of_100_requests_holds_the_mix_exactly_with_advances_evenly_spaced() -> None:
    traffic = Traffic(seed=3)
    kinds = [traffic.next()[0] for _ in range(1000)]
    for start in range(0, 1000, 100):
        assert Counter(kinds[start : start + 100]) == dict(MIX)
    assert [i for i, kind in enumerate(kinds) if kind == "advance"] == list(range(0, 1000, 50))


def test_blocks_are_shuffled_differently() -> None:
    traffic = Traffic(seed=3)
    kinds = [traffic.next()[0] for _ in range(200)]
    assert kinds[:100] != kinds[100:]


def test_minutes_with_steal_are_not_quiet() -> None:
    calm, stolen = minute([0.01] * 200), minute([0.01] * 200, steal=QUIET_STEAL)
    assert quiet([calm, stolen, calm]) == [calm, calm]


def test_windows_group_minutes_and_leave_out_a_short_rest() -> None:
    minutes = [minute([float(i)] * 3) for i in range(2 * WINDOW_MINUTES + 2)]
    groups = windows(minutes)
    assert len(groups) == 2
    assert sorted(set(groups[1])) == [float(i) for i in range(WINDOW_MINUTES, 2 * WINDOW_MINUTES)]


def test_advances_are_not_api_latency() -> None:
    assert windows([minute([0.002] * 3)] * WINDOW_MINUTES) == [[0.002] * 3 * WINDOW_MINUTES]


def test_spread() -> None:
    assert spread([2.0, 3.0, 4.0]) == 2.0
    assert spread([]) == 0.0


def test_sampling_alone_is_near_one_for_one_distribution_and_below_a_real_shift() -> None:
    draw = random.Random(5)
    same = [[draw.expovariate(100) for _ in range(3000)] for _ in range(4)]
    noise = resampled_spread(same, rounds=20)
    assert 1.0 < noise < 1.3
    shifted = [*same[:3], [2 * v for v in same[3]]]
    assert spread([sorted(group)[2969] for group in shifted]) > 1.8 > resampled_spread(shifted, rounds=20)


def steady_run(p99_by_minute: list[float], steal: list[float] | None = None) -> list[Minute]:
    """Warm-up minutes, then one minute per value whose API p99 is that value."""
    steal = steal or [0.0] * len(p99_by_minute)
    warm = [minute([0.001] * 200) for _ in range(5)]
    return warm + [minute([0.001] * 197 + [p99] * 3, s) for p99, s in zip(p99_by_minute, steal, strict=True)]


def test_a_flat_run_passes() -> None:
    assert judge(verdict(steady_run([0.020] * 12))) == "PASS"


def test_a_drifting_run_fails_on_latency() -> None:
    verdict_ = verdict(steady_run([0.020] * 5 + [0.030] * 5))
    assert judge(verdict_) == "FAIL: API p99 x1.50"


def test_minutes_with_steal_do_not_count_for_latency() -> None:
    run = steady_run([0.020] * 10 + [0.200] * 3, steal=[0.0] * 10 + [0.2] * 3)
    assert judge(verdict(run)) == "PASS"


def test_too_few_quiet_minutes_give_no_latency_verdict() -> None:
    run = steady_run([0.020] * 12, steal=[0.0] * 6 + [0.2] * 6)
    assert judge(verdict(run)).startswith("NO VERDICT on latency")


def test_a_server_that_hangs_on_sigterm_fails_the_soak() -> None:
    result = verdict(steady_run([0.020] * 10)) | {"server_stopped_on_sigterm": False}
    assert judge(result) == "FAIL: the server did not stop on SIGTERM"


@pytest.mark.parametrize(("ignores_sigterm", "stopped"), [(False, True), (True, False)])
def test_stop_server_kills_what_does_not_stop(ignores_sigterm: bool, stopped: bool) -> None:
    code = "import signal, sys, time\n"
    if ignores_sigterm:
        code += "signal.signal(signal.SIGTERM, signal.SIG_IGN)\n"
    code += "print('ready', flush=True)\ntime.sleep(60)\n"
    server = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE)
    assert server.stdout is not None and server.stdout.readline() == b"ready\n"
    assert stop_server(server, grace=0.5) is stopped
    assert server.poll() is not None
    server.stdout.close()


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"rss_mib": 120.0}, "FAIL: RSS x1.20"),
        ({"statuses": {500: 1}}, "FAIL: 1 5xx or failed connections"),
        ({"statuses": {0: 2}}, "FAIL: 2 5xx or failed connections"),
    ],
)
def test_memory_growth_and_errors_fail(change: dict[str, object], expected: str) -> None:
    run = steady_run([0.020] * 10)
    for name, value in change.items():
        setattr(run[-1], name, value)
    assert judge(verdict(run)) == expected


def test_a_run_within_the_warm_up_has_no_verdict() -> None:
    assert judge(verdict(steady_run([]))).startswith("NO VERDICT")
