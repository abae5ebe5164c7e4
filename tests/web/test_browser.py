"""The dashboard and the public page in a real browser: Debian's Chromium driven by Playwright,
against a real `parceltrace serve` process. Screenshots go to test-output/screenshots/.

Without Chromium these tests skip, except when PARCELTRACE_REQUIRE_BROWSER=1 (CI), where that
is a failure."""

from __future__ import annotations

import os
import re
import shutil
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest

from tests.runtime.test_server_process import free_port, serving

CHROMIUM = Path(os.environ.get("PARCELTRACE_CHROMIUM", "/usr/bin/chromium"))
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "test-output" / "screenshots"
TIMEOUT_MS = 15_000

if not CHROMIUM.exists() or (shutil.which("chromium") is None and not os.access(CHROMIUM, os.X_OK)):
    reason = f"browser tests need Chromium at {CHROMIUM} (Debian: apt-get install chromium)"
    if os.environ.get("PARCELTRACE_REQUIRE_BROWSER") == "1":
        pytest.fail(reason + "; PARCELTRACE_REQUIRE_BROWSER=1 makes its absence a failure", pytrace=False)
    pytest.skip(reason, allow_module_level=True)

sync_api = pytest.importorskip("playwright.sync_api")


class Server:
    def __init__(self, url: str, key: str) -> None:
        self.url = url
        self.key = key


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One sandbox server for the module; its first start creates the `demo` account."""
    folder = tmp_path_factory.mktemp("browser")
    port = free_port()
    log = folder / "serve.log"
    with serving(f"sqlite:///{folder / 'web.db'}", port, log):
        key = re.search(r"shown once\): ([0-9A-F]{32})", log.read_text())
        assert key, log.read_text()
        yield Server(f"http://127.0.0.1:{port}", key.group(1))


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, server: Server) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda exc: errors.append(str(exc)))
    opened.on(
        "console",
        lambda message: (
            errors.append(f"{message.text[:90]} at {message.location}") if message.type == "error" else None
        ),
    )
    yield opened
    context.close()
    assert errors == [], f"errors in the browser console (CSP violations included): {errors}"


def shot(page: Any, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def sign_in(page: Any, server: Server) -> None:
    page.goto(f"{server.url}/dashboard")
    page.get_by_label("API key").fill(server.key)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", name="Trackings").wait_for()


def nav(page: Any, name: str) -> None:
    page.get_by_role("navigation", name="Main").get_by_role("link", name=name).click()
    page.get_by_role("heading", name=name.replace("&", "and")).first.wait_for()


def register(page: Any, numbers: list[str]) -> None:
    nav(page, "Register")
    page.get_by_label("One number per line").fill("\n".join(numbers))
    page.get_by_role("button", name="Register", exact=True).click()
    page.locator("#register-results").wait_for()


def unlabelled_fields(page: Any) -> list[str]:
    """Visible form fields without an accessible label (label[for], aria-label or wrapping label)."""
    return list(
        page.evaluate(
            """() => [...document.querySelectorAll('input, select, textarea')]
                 .filter(e => e.type !== 'hidden' && e.offsetParent !== null)
                 .filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label'))
                 .map(e => e.outerHTML)"""
        )
    )


def test_sign_in_with_the_keyboard_and_sign_out(page: Any, server: Server) -> None:
    page.goto(f"{server.url}/dashboard/trackings")
    assert "/dashboard/login" in page.url
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'key'")
    page.keyboard.type(server.key)  # the key field has focus on arrival
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Trackings").wait_for()
    assert unlabelled_fields(page) == []
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    page.wait_for_url("**#main")  # the jump to the anchor lands a moment after the key press
    assert page.url.endswith("#main")
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in to parceltrace").wait_for()
    page.goto(f"{server.url}/dashboard/trackings")
    assert "/dashboard/login" in page.url


def test_register_from_a_pasted_list_and_from_a_csv(page: Any, server: Server, tmp_path: Path) -> None:
    sign_in(page, server)
    register(page, ["RR111111118CN", "SANDBOX-Delivered-Other-11", "1234"])
    results = page.locator("#register-results")
    assert "2 accepted, 1 rejected" in results.inner_text()
    assert "-18010012" in results.inner_text()
    assert unlabelled_fields(page) == []
    shot(page, "register")
    csv_file = tmp_path / "orders.csv"
    csv_file.write_text(
        "number,tag\nSANDBOX-InTransit-Other-12,csv-batch\nSANDBOX-Exception-Returned-13,csv-batch\n"
    )
    page.get_by_label("CSV with a header row").set_input_files(str(csv_file))
    page.get_by_role("button", name="Import").click()
    page.get_by_text("2 accepted, 0 rejected").wait_for()


def test_filter_open_a_detail_and_watch_the_sandbox_clock_change_its_status(
    page: Any, server: Server
) -> None:
    sign_in(page, server)
    register(page, ["SANDBOX-Delivered-Other-21", "SANDBOX-Exception-Lost-22"])
    nav(page, "Trackings")
    page.wait_for_load_state("networkidle")
    page.wait_for_function("() => window.htmx !== undefined")
    page.get_by_label("Number").fill("SANDBOX-DELIVERED-OTHER-2")
    results = page.locator("#results")
    page.wait_for_function(
        "() => document.querySelector('#results').innerText.includes('1 tracking,')", timeout=TIMEOUT_MS
    )
    assert "SANDBOX-DELIVERED-OTHER-21" in results.inner_text()
    assert "SANDBOX-EXCEPTION-LOST-22" not in results.inner_text()
    assert "q=SANDBOX-DELIVERED-OTHER-2" in page.url, "the filter is in the address, so it can be shared"
    assert unlabelled_fields(page) == []
    shot(page, "list")
    page.get_by_role("link", name="SANDBOX-DELIVERED-OTHER-21").click()
    page.get_by_role("heading", name="SANDBOX-DELIVERED-OTHER-21").wait_for()
    header = page.locator(".status-header")
    assert "Delivered" not in header.inner_text()
    page.get_by_role("button", name="+7 days").click()
    page.get_by_text("Sandbox clock now").wait_for()
    page.get_by_role("button", name="+7 days").click()
    page.wait_for_function(
        "() => document.querySelector('.status-header .badge').innerText.includes('Delivered')",
        timeout=TIMEOUT_MS,
    )
    assert page.locator(".milestones li.reached").count() >= 3
    assert page.locator(".timeline li").count() >= 3
    page.wait_for_function(  # the page is swapped in again as the clock moves: ask until it settles
        "() => document.querySelector('svg.journey')?.getBoundingClientRect().height > 150",
        timeout=TIMEOUT_MS,
    )
    assert page.locator("svg.journey circle.stop.current.delivered").count() == 1
    assert page.locator("svg.journey path.route").count() == 1
    assert "From " in page.locator(".journey-map figcaption").inner_text()
    assert unlabelled_fields(page) == []
    shot(page, "detail")


def test_a_result_clicked_while_the_list_is_loading_opens_with_its_own_address(
    page: Any, server: Server
) -> None:
    """Type a filter, click a result at once: the list request the typing started (here made
    slow) must not land after the detail page and put the list's address back in the bar."""
    sign_in(page, server)
    register(page, ["SANDBOX-Delivered-Other-31"])
    nav(page, "Trackings")
    page.wait_for_function("() => window.htmx !== undefined")
    page.get_by_label("Number").fill("SANDBOX-DELIVERED-OTHER-31")
    page.wait_for_function("() => document.querySelector('#results').innerText.includes('1 tracking,')")

    def slow_list(route: Any) -> None:
        page.wait_for_timeout(1500)
        route.continue_()

    page.route(re.compile(r".*/dashboard/trackings\?.*"), slow_list)
    page.get_by_label("Number").fill("SANDBOX-DELIVERED-OTHER-3")
    page.get_by_role("link", name="SANDBOX-DELIVERED-OTHER-31").click()
    page.get_by_role("heading", name="SANDBOX-DELIVERED-OTHER-31").wait_for()
    page.wait_for_timeout(2500)
    assert re.search(r"/dashboard/trackings/\d+$", page.url), page.url
    assert page.get_by_role("heading", name="SANDBOX-DELIVERED-OTHER-31").is_visible()


def test_share_and_open_the_public_page_on_a_phone(page: Any, browser: Any, server: Server) -> None:
    sign_in(page, server)
    register(page, ["SANDBOX-OutForDelivery-Other-31"])
    nav(page, "Trackings")
    page.get_by_role("link", name="SANDBOX-OUTFORDELIVERY-OTHER-31").click()
    page.get_by_role("button", name="+7 days").click()
    page.get_by_text("Sandbox clock now").wait_for()
    page.get_by_role("button", name="Share").click()
    link = page.locator("#share-link")
    link.wait_for()
    url = link.get_attribute("href")
    assert url and re.fullmatch(rf"{re.escape(server.url)}/p/[A-Za-z0-9_-]{{32}}", url)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    page.get_by_role("button", name="Copy link").click()
    page.get_by_role("button", name="Copied").wait_for()
    assert page.evaluate("() => navigator.clipboard.readText()") == url
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    public = phone.new_page()
    console: list[str] = []
    public.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    public.goto(url)
    text = public.locator("main").inner_text()
    assert "SANDBOX-OUTFORDELIVERY-OTHER-31" in text and "Out for delivery" in text
    assert "demo" not in text and "Sign out" not in text
    assert public.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), "fits a phone"
    assert public.get_by_role("button", name="Copy number").is_visible()
    journey = public.get_by_role("img", name=re.compile(r"^From "))
    assert journey.is_visible(), "the journey map, named by its caption"
    width, height = journey.evaluate(
        "svg => [svg.getBoundingClientRect().width, svg.getBoundingClientRect().height]"
    )
    assert width <= 390 and height > 100
    assert public.locator("svg.journey circle.stop").count() >= 2
    shot(public, "public")
    desktop = browser.new_page(viewport={"width": 1280, "height": 900})
    desktop.on("console", lambda message: console.append(message.text) if message.type == "error" else None)
    desktop.goto(url)
    desktop.get_by_role("heading").first.wait_for()
    shot(desktop, "public-desktop")
    desktop.close()
    assert console == [], f"errors in the browser console: {console}"
    page.get_by_role("button", name="Revoke link").click()
    page.get_by_role("button", name="Share").wait_for()
    assert public.goto(url).status == 404
    phone.close()


class _Hook(BaseHTTPRequestHandler):
    received: ClassVar[list[dict[str, str]]] = []

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", "0")))
        _Hook.received.append(dict(self.headers))
        self.send_response(200)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args: Any) -> None:
        return None


@pytest.fixture
def hook_url() -> Iterator[str]:
    receiver = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=receiver.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{receiver.server_address[1]}/hook"
    receiver.shutdown()
    receiver.server_close()


def test_set_the_webhook_and_send_a_test_push(page: Any, server: Server, hook_url: str) -> None:
    _Hook.received.clear()
    sign_in(page, server)
    nav(page, "Quota & webhooks")
    page.get_by_label("URL that receives pushes").fill(hook_url)
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Webhook URL saved.").wait_for()
    page.get_by_role("button", name="Send a test push").click()
    page.get_by_text("Test push answered HTTP 200").wait_for()
    assert len(_Hook.received) == 1 and "sign" in {k.lower() for k in _Hook.received[0]}
    assert page.locator("#quota-meter").count() == 1
    assert unlabelled_fields(page) == []
    shot(page, "settings")
