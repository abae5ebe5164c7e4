"""PyPI `django-ok-17track` 0.0.4 (a Django app over the v1 API), unchanged except for its base
URLs, against a live `parceltrace serve`: every call it has (register, stop, retrack, track
info and its package entities, the carrier and country lists)."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from tests.compat.conftest import Live

RUN = Path(__file__).with_name("django_ok_17track_run.py")
CHINA_POST = "RR123456789CN"
ROYAL_MAIL = "RR123456785GB"


def run(live: Live, step: str, *numbers: str) -> Any:
    done = subprocess.run(
        [sys.executable, "-W", "ignore::DeprecationWarning", str(RUN), live.base, live.key, step, *numbers],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).parents[2],
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_lists_register_stop_retrack_and_track_info(live: Live) -> None:
    registered = run(live, "register", CHINA_POST, ROYAL_MAIL, "1234")
    assert (registered["countries"], registered["carriers"]) == (230, 3037)  # with the library's "Unknown"
    assert (registered["china_post"], registered["china_post_country"]) == ("China Post", "China")
    accepted = {item["number"]: item["carrier"] for item in registered["register"]["accepted"]}
    assert accepted == {CHINA_POST: 3011, ROYAL_MAIL: 11031}
    assert [r["error"]["code"] for r in registered["register"]["rejected"]] == [-18010012]
    assert registered["stop_track"]["data"]["accepted"] == [{"number": CHINA_POST, "carrier": 3011}]
    assert registered["retrack"]["data"]["accepted"] == [{"number": CHINA_POST, "carrier": 3011}]

    live.advance(12)
    tracked = run(live, "track", CHINA_POST, ROYAL_MAIL, "RR000000000CN")
    assert [r["number"] for r in tracked["rejected"]] == ["RR000000000CN"]
    packages = {p["tracking_number"]: p for p in tracked["packages"]}
    assert set(packages) == {CHINA_POST, ROYAL_MAIL}
    for number, package in packages.items():
        info = live.v22("gettrackinfo", [{"number": number}])["data"]["accepted"][0]
        event = info["track_info"]["latest_event"]
        when = datetime.strptime(package["last_event_time"], "%Y-%m-%d %H:%M")
        assert when == datetime.fromisoformat(event["time_iso"]).replace(tzinfo=None, second=0)
        assert package["last_event_location"] == event["location"]
        assert package["last_event_description"] == event["description"]
        assert package["status"] == "Delivered"
        assert package["destination_country"] not in ("", "Unknown")
    assert packages[CHINA_POST]["first_carrier"] == "China Post"
    assert packages[ROYAL_MAIL]["first_carrier"] == "Royal Mail"
    assert packages[CHINA_POST]["origin_country"] == "China"
    assert packages[ROYAL_MAIL]["origin_country"] == "United Kingdom"
