"""End to end: `parceltrace serve --live` with a UPS connector pointed at a stand-in of the UPS
API (answering with UPS's published example); a shop registers a UPS number, the worker
fetches it through karrio, and the shop's webhook receives its status, signed."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import httpx
import pytest

from parceltrace.sources.connectors.calls import LOOPBACK_ONLY_ENV
from parceltrace.webhooks.signing import sign_17track
from tests.runtime.test_server_process import BIN, eventually, free_port, serving
from tests.sources.connectors.carriers.ups import standin as ups
from tests.sources.connectors.standin import Asked, Reply, standing_in
from tests.test_relay_process import call, create_account


def test_serve_live_tracks_through_a_connector_and_pushes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(LOOPBACK_ONLY_ENV, "1")  # the server's carrier requests stay on this machine
    db, port = f"sqlite:///{tmp_path / 'live.db'}", free_port()
    base = f"http://127.0.0.1:{port}/track/v2.2"
    hooks: list[Asked] = []

    def hook(asked: Asked) -> Reply:
        hooks.append(asked)
        return Reply(200, "ok", "text/plain")

    with standing_in(ups.respond) as ups_api, standing_in(hook) as receiver:
        key = create_account(db, "shop", "--webhook", f"{receiver.url}/hook")
        subprocess.run(
            [str(BIN), "connectors", "add", "ups", "-c", "client_id=ups-client", "-c", "client_secret=ups-secret",
             "--base-url", ups_api.url, "--db", db],
            check=True, capture_output=True,
        )  # fmt: skip
        log = tmp_path / "serve.log"
        with serving(db, port, log, "--live", "--allow-webhook-host", "127.0.0.1"):
            registered = call(
                base, key, "register", [{"number": ups.NUMBERS["in_transit"], "carrier": 100002}]
            )
            assert registered["data"]["accepted"][0]["carrier"] == 100002
            call(base, key, "register", [{"number": "00340434292135100186", "carrier": 7041}])

            def pushed(number: str, status: str) -> bool:
                return any(
                    json.loads(h.body)["data"]["number"] == number
                    and json.loads(h.body)["data"]["track_info"]["latest_status"]["status"] == status
                    for h in hooks
                )

            eventually(lambda: pushed(ups.NUMBERS["in_transit"], "InTransit"), seconds=30)
            push = next(h for h in hooks if json.loads(h.body)["data"]["number"] == ups.NUMBERS["in_transit"])
            assert push.header("sign") == sign_17track(push.body, key)
            info = call(base, key, "gettrackinfo", [{"number": ups.NUMBERS["in_transit"]}])["data"][
                "accepted"
            ][0]
            events = info["track_info"]["tracking"]["providers"][0]["events"]
            # UPS's published example: released by customs in Wayne, NJ, at 07:13(:56) local time
            # (karrio keeps the minute of UPS's `time`), in the zone of the place
            assert (events[0]["sub_status"], events[0]["time_iso"]) == (
                "InTransit_CustomsReleased",
                "2021-02-10T07:13:00-05:00",
            )

            def dhl_waits_with_reason() -> bool:
                listing = call(base, key, "gettracklist", {"number": "00340434292135100186"})["data"][
                    "accepted"
                ]
                return (
                    bool(listing)
                    and listing[0]["package_status"] == "NotFound"
                    and listing[0]["track_time"] is not None
                )

            eventually(dhl_waits_with_reason, seconds=20)
            listed = json.loads(
                subprocess.run(
                    [str(BIN), "connectors", "list", "--json", "--db", db],
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
            )
            [dhl] = [c for c in listed["connectors"] if c["name"] == "dhl_universal"]
            assert (
                dhl["waiting_trackings"] == 1
                and "no connector is configured for DHL Paket (7041)" in dhl["waiting_reason"]
            )
            eventually(
                lambda: httpx.get(f"http://127.0.0.1:{port}/healthz").status_code == 200
            )  # still serving
        text = log.read_text()
        assert "Traceback" not in text and "HTTP request" not in text, text
        assert any(a.path == "/security/v1/oauth/token" for a in ups_api.asked)
