"""The soak's own arithmetic: the exact mix, which minutes count, and the verdict."""

from __future__ import annotations

import random
import subprocess
import sys
from collections import Counter

import pytest

from benchmarks.soak import (
    MIX,
    WINDOW_MINUTES,
    Minute,
    Traffic,
    judge,
    mark_undisturbed,
    resampled_spread,
    spread,
    stop_server,
    verdict,
    windows,
)


def minute(latencies: list[float], disturbed: bool = False, rss: float = 100.0) -> Minute:
    """A minute of API requests (and one clock advance); `disturbed`: steal touched them all."""
    return Minute(
        latencies=[*latencies, 1.0],
        statuses={200: len(latencies)},
        by_kind={"gettrackinfo": latencies, "advance": [1.0]},
        rss_mib=rss,
        undisturbed=[] if disturbed else latencies,
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


@pytest.mark.parametrize(
    ("span", "kept"),
    [
        ((10.2, 10.3), True),
        ((12.1, 12.2), False),
        ((13.9, 14.1), False),
        ((13.5, 13.6), False),
        ((14.5, 14.6), True),
        ((11.9, 12.0), False),
    ],
)
def test_requests_touching_a_stolen_second_or_just_after_it_are_disturbed(
    span: tuple[float, float], kept: bool
) -> None:
    sample = Minute(api_spans=[span])
    mark_undisturbed([sample], stolen={12})
    assert sample.undisturbed == ([span[1] - span[0]] if kept else [])


def test_windows_group_minutes_and_leave_out_a_short_rest() -> None:
    minutes = [minute([float(i)] * 3) for i in range(2 * WINDOW_MINUTES + 2)]
    groups = windows(minutes)
    assert len(groups) == 2
    every, kept = groups[1]
    assert (
        sorted(set(every))
        == sorted(set(kept))
        == [float(i) for i in range(WINDOW_MINUTES, 2 * WINDOW_MINUTES)]
    )


def test_advances_are_not_api_latency() -> None:
    assert windows([minute([0.002] * 3)] * WINDOW_MINUTES) == [([0.002] * 3 * WINDOW_MINUTES,) * 2]


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


def steady_run(p99_by_minute: list[float], disturbed: list[bool] | None = None) -> list[Minute]:
    """Warm-up minutes, then one minute per value whose API p99 is that value."""
    disturbed = disturbed or [False] * len(p99_by_minute)
    warm = [minute([0.001] * 200) for _ in range(5)]
    return warm + [
        minute([0.001] * 197 + [p99] * 3, bad) for p99, bad in zip(p99_by_minute, disturbed, strict=True)
    ]


def test_a_flat_run_passes() -> None:
    assert judge(verdict(steady_run([0.020] * 12))) == "PASS"


def test_a_drifting_run_fails_on_latency() -> None:
    verdict_ = verdict(steady_run([0.020] * 5 + [0.030] * 5))
    assert judge(verdict_) == "FAIL: API p99 x1.50"


def test_requests_disturbed_by_steal_do_not_count_for_latency() -> None:
    run = steady_run([0.020] * 15)
    run[-3:-1] = [minute([0.200] * 200, disturbed=True)] * 2
    result = verdict(run)
    assert result["window_api_p99_ms"] == [20.0, 20.0, 200.0]
    assert result["window_undisturbed_share"] == [1.0, 1.0, 0.6]
    assert result["window_undisturbed_p99_ms"] == [20.0, 20.0, 20.0]
    assert judge(result) == "PASS"


def test_a_window_mostly_disturbed_is_not_judged() -> None:
    run = steady_run([0.020] * 10 + [0.030] * 5, disturbed=[False] * 10 + [True, True, True, False, False])
    result = verdict(run)
    assert result["windows_judged"] == 2
    assert judge(result) == "PASS"


def test_too_few_undisturbed_windows_give_no_latency_verdict() -> None:
    run = steady_run([0.020] * 10, disturbed=[False] * 5 + [True] * 5)
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
