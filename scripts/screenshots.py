"""Regenerate the README's screenshots (docs/screenshots/) from a real sandbox server.

    .venv/bin/python scripts/screenshots.py [--chromium /usr/bin/chromium]

Starts `parceltrace serve` on a free port with a throw-away database, registers a varied set of
sandbox and real-format numbers through the SDK, moves the sandbox clock on six days, and
photographs the list, a detail page and the public page (on a phone-sized screen) in Chromium.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx
from playwright.sync_api import sync_playwright

from parceltrace import Client

OUT = Path(__file__).resolve().parents[1] / "docs" / "screenshots"
NUMBERS = [
    ("RR123456789CN", "order-1001"),
    ("SANDBOX-Delivered-Other-1", "order-1002"),
    ("SANDBOX-OutForDelivery-Other-2", "order-1003"),
    ("SANDBOX-InTransit-CustomsProcessing-3", "order-1004"),
    ("SANDBOX-AvailableForPickup-Other-4", "order-1005"),
    ("SANDBOX-Exception-Returned-5", "order-1006"),
    ("SANDBOX-DeliveryFailure-InvalidAddress-6", "order-1007"),
    ("SANDBOX-InfoReceived-7", "order-1008"),
    ("SANDBOX-NotFound-Other-8", "order-1009"),
    ("1Z999AA10123456784", "order-1010"),
    ("SANDBOX-Delivered-Other-9", "order-1011"),
    ("SANDBOX-InTransit-Arrival-10", "order-1012"),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    log = folder / "serve.log"
    env = {**os.environ, "COLUMNS": "300", "PARCELTRACE_DB": f"sqlite:///{folder / 'shots.db'}"}
    binary = Path(sys.executable).parent / "parceltrace"
    with log.open("wb") as sink:
        server = subprocess.Popen([str(binary), "serve", "--port", str(port)], stderr=sink, env=env)
    try:
        deadline = time.monotonic() + 20
        while not re.search(r"shown once\): ([0-9A-F]{32})", log.read_text()):
            if time.monotonic() > deadline:
                raise SystemExit(f"the server did not start: {log.read_text()}")
            time.sleep(0.2)
        key = re.search(r"shown once\): ([0-9A-F]{32})", log.read_text()).group(1)  # type: ignore[union-attr]
        with Client(key, base_url=f"{url}/track/v2.2") as client:
            client.register([{"number": n, "tag": tag} for n, tag in NUMBERS])
        time.sleep(1.5)
        httpx.post(
            f"{url}/sandbox/clock/advance", headers={"17token": key}, json={"seconds": 6 * 86400}, timeout=60
        )
        shoot(args.chromium, url, key)
    finally:
        server.terminate()
        server.wait(timeout=10)


def shoot(chromium: str, url: str, key: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox"], headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 820})
        page.goto(f"{url}/dashboard")
        page.get_by_label("API key").fill(key)
        page.get_by_role("button", name="Sign in").click()
        page.get_by_role("heading", name="Trackings").wait_for()
        page.screenshot(path=str(OUT / "list.png"))
        page.get_by_role("link", name="RR123456789CN").click()
        page.get_by_role("heading", name="RR123456789CN").wait_for()
        page.screenshot(path=str(OUT / "detail.png"), full_page=True)
        page.get_by_role("button", name="Share").click()
        link = page.locator("#share-link")
        link.wait_for()
        phone = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
        phone.goto(str(link.get_attribute("href")))
        phone.screenshot(path=str(OUT / "public.png"), full_page=True)
        browser.close()
    print(f"screenshots written to {OUT}")


if __name__ == "__main__":
    main()
