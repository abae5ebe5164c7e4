"""The dashboard over HTTP: sign-in and CSRF, the list and its filters, a tracking's page and
its actions (with the API's rules and messages), registration, settings, the sandbox clock."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import update

from parceltrace.clock import FixedClock
from parceltrace.service.accounts import AccountSettings, get_account, update_account
from parceltrace.service.context import Services
from parceltrace.store.records import Tracking
from parceltrace.store.tables import trackings
from parceltrace.web.trackings import LIST_FILTERS
from tests import stored
from tests.conftest import Dashboard, NewKey, Poll
from tests.service.test_uploads import workbook
from tests.webhooks.receiver import receiving


async def rows(services: Services) -> list[Tracking]:
    return await stored.trackings(services.store)


async def tracking_id(services: Services, number: str) -> int:
    return next(r.id for r in await rows(services) if r.number == number)


def flash(response: httpx.Response) -> str:
    found = re.search(
        r'<div class="flash(?: error)?" role="(?:status|alert)">(.*?)</div>', response.text, re.S
    )
    return found.group(1).strip() if found else ""


def flash_is_error(response: httpx.Response) -> bool:
    return '<div class="flash error" role="alert">' in response.text


# ---------------------------------------------------------------- sign-in, sessions, CSRF


async def test_pages_need_a_session(web_client: httpx.AsyncClient) -> None:
    for path in (
        "/dashboard/trackings",
        "/dashboard/register",
        "/dashboard/settings",
        "/dashboard/trackings/1",
    ):
        response = await web_client.get(path)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/dashboard/login?next=")


async def test_sign_in_with_a_wrong_key_is_refused(dashboard: Dashboard, new_key: NewKey) -> None:
    dashboard.http.cookies.clear()
    response = await dashboard.sign_in("0" * 32)
    assert response.status_code == 401
    assert "does not open an enabled account" in response.text


async def test_a_disabled_account_cannot_sign_in_and_its_session_ends(
    dashboard: Dashboard, services: Services
) -> None:
    await update_account(services, "shop", AccountSettings(enabled=False))
    assert (await dashboard.http.get("/dashboard/trackings")).status_code == 303
    dashboard.http.cookies.clear()
    assert (await dashboard.sign_in()).status_code == 401


async def test_sign_in_needs_the_form_token(web_client: httpx.AsyncClient, new_key: NewKey) -> None:
    key = await new_key("forged")
    response = await web_client.post("/dashboard/login", data={"login_token": "x", "key": key})
    assert response.status_code == 403
    assert "pt_session" not in response.cookies


async def test_sign_in_goes_back_to_the_page_asked_for_but_never_off_site(
    web_client: httpx.AsyncClient, new_key: NewKey
) -> None:
    board = Dashboard(web_client, await new_key("nav"))
    for asked, expected in (("/dashboard/settings", "/dashboard/settings"), ("https://evil.example/", None)):
        web_client.cookies.clear()
        form = await web_client.get("/dashboard/login", params={"next": asked})
        token = re.search(r'name="login_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
        response = await web_client.post(
            "/dashboard/login", data={"login_token": token, "key": board.key, "next": asked}
        )
        assert response.headers["location"] == (expected or "/dashboard/trackings")


async def test_sign_out_ends_the_session_for_good(dashboard: Dashboard) -> None:
    cookie = dashboard.http.cookies.get("pt_session")
    response = await dashboard.http.post("/dashboard/logout", data={"csrf_token": dashboard.csrf})
    assert response.status_code == 303
    dashboard.http.cookies.set("pt_session", cookie or "", path="/dashboard")
    assert (await dashboard.http.get("/dashboard/trackings")).status_code == 303


async def test_sessions_expire_on_wall_time_not_on_the_sandbox_clock(
    dashboard: Dashboard, wall: FixedClock
) -> None:
    response = await dashboard.post("/dashboard/clock", step="7d")
    assert response.status_code == 200, "a sandbox week later the user is still signed in"
    wall.advance_to(wall.now() + timedelta(hours=13))
    assert (await dashboard.http.get("/dashboard/trackings")).status_code == 303


@pytest.mark.parametrize(
    ("token", "origin"),
    [("", None), ("wrong", None), (None, "http://evil.example")],
    ids=["missing", "wrong", "foreign-origin"],
)
async def test_posts_without_a_valid_csrf_token_or_from_another_site_are_refused(
    dashboard: Dashboard, services: Services, token: str | None, origin: str | None
) -> None:
    headers = {"origin": origin} if origin else {}
    data = {"csrf_token": dashboard.csrf if token is None else token, "numbers": "RR123456789CN"}
    response = await dashboard.http.post("/dashboard/register", data=data, headers=headers)
    assert response.status_code == 403
    assert await rows(services) == []


async def test_the_csrf_token_may_come_in_the_htmx_header(dashboard: Dashboard, services: Services) -> None:
    response = await dashboard.http.post(
        "/dashboard/register", data={"numbers": "RR123456789CN"}, headers={"X-CSRF-Token": dashboard.csrf}
    )
    assert response.status_code == 200
    assert len(await rows(services)) == 1


async def test_pages_send_security_headers_and_cookies_are_httponly(web_client: httpx.AsyncClient) -> None:
    response = await web_client.get("/dashboard/login")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["referrer-policy"] == "same-origin"
    cookie = response.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie


# ---------------------------------------------------------------- registering


async def test_a_pasted_list_registers_as_manual_with_reasons_for_rejections(
    dashboard: Dashboard, services: Services
) -> None:
    pasted = "RR123456789CN\n\n1Z999AA10123456784 100003\n1234\n21213123123230\nRR123456789CN"
    response = await dashboard.post("/dashboard/register", numbers=pasted)
    assert "2 accepted, 3 rejected" in response.text
    assert "UPS" in response.text, "the UPS number is corrected to carrier 100002, as the API does"
    assert "-18010012" in response.text and "-18019903" in response.text and "-18019901" in response.text
    found = await rows(services)
    assert {(r.number, r.carrier, r.data_origin) for r in found} == {
        ("RR123456789CN", 3011, "Manual"),
        ("1Z999AA10123456784", 100002, "Manual"),
    }
    for row in found:
        assert f'<a href="/dashboard/trackings/{row.id}">{row.number}</a>' in response.text
    assert response.text.count('<td class="outcome">accepted</td>') == 2
    assert response.text.count('<td class="outcome">rejected</td>') == 3


async def test_a_pasted_line_can_give_the_carriers_extra_parameter(
    dashboard: Dashboard, services: Services
) -> None:
    """GLS asks for the recipient's postal code (`param`): the rest of the line after the carrier."""
    response = await dashboard.post("/dashboard/register", numbers="12345678901 100005 SW1A 1AA")
    assert "1 accepted, 0 rejected" in response.text
    [row] = await rows(services)
    assert (row.number, row.carrier, row.param) == ("12345678901", 100005, "SW1A 1AA")
    assert "GLS: the recipient" in response.text and "SANDBOX-Delivered-Other-1" in response.text


async def test_a_csv_upload_registers_as_import_with_its_columns(
    dashboard: Dashboard, services: Services
) -> None:
    csv_text = "number,carrier,tag,remark\nRR123456789CN,,order-7,fragile\nSANDBOX-Delivered-Other-1,,b,\n,,,\nABC,,,\n"
    response = await dashboard.http.post(
        "/dashboard/import",
        data={"csrf_token": dashboard.csrf},
        files={"file": ("parcels.csv", csv_text.encode(), "text/csv")},
    )
    assert response.status_code == 200
    assert "2 accepted, 1 rejected" in response.text
    by_number = {r.number: r for r in await rows(services)}
    assert by_number["RR123456789CN"].data_origin == "Import"
    assert by_number["RR123456789CN"].tag == "order-7" and by_number["RR123456789CN"].remark == "fragile"


@pytest.mark.parametrize(
    ("content", "shown"),
    [
        (b"number\n\x00\x00\n", "-18010012"),
        (b"\xff\xfe\x00garbage", "No column of tracking numbers"),
        (b"id,name\n1,a\n", "No column of tracking numbers: the header has &#39;id&#39;, &#39;name&#39;"),
        (b"", "The file is empty"),
        (b"Tracking;Courier\nRR123456789CN;3011\n", "RR123456789CN"),
    ],
    ids=["nul-bytes", "binary", "no-number-column", "empty", "aliases-and-semicolons"],
)
async def test_an_unreadable_upload_gets_a_message_not_an_error_page(
    dashboard: Dashboard, content: bytes, shown: str
) -> None:
    response = await dashboard.http.post(
        "/dashboard/import",
        data={"csrf_token": dashboard.csrf},
        files={"file": ("x.csv", content, "text/csv")},
    )
    assert response.status_code == 200
    assert shown in response.text


@pytest.mark.parametrize(
    ("name", "content", "read_as", "tag"),
    [
        ("orders.xlsx", workbook([["Tracking Number", "Tag"], ["RR123456789CN", "Müller"]]),
         "Excel workbook, sheet &#39;Orders&#39;", "Müller"),
        ("windows.csv", "number;tag\r\nRR123456789CN;Müller\r\n".encode("cp1252"), "CSV, Windows-1252", "Müller"),
        ("unicode.txt", "number\ttag\r\nRR123456789CN\t東京\r\n".encode("utf-16"), "CSV, UTF-16", "東京"),
    ],
    ids=["xlsx", "windows-1252", "utf-16"],
)  # fmt: skip
async def test_an_upload_is_read_as_the_cli_reads_it_and_says_how(
    dashboard: Dashboard, services: Services, name: str, content: bytes, read_as: str, tag: str
) -> None:
    """An .xlsx once broke the page (raw zip bytes in the error); a Windows-1252 file had its
    accents replaced with "\ufffd"."""
    response = await dashboard.http.post(
        "/dashboard/import", data={"csrf_token": dashboard.csrf}, files={"file": (name, content, "text/csv")}
    )
    assert response.status_code == 200
    assert "1 accepted, 0 rejected" in response.text and f"read as {read_as}" in response.text
    assert "PK\x03\x04" not in response.text and "\ufffd" not in response.text
    by_number = {r.number: r for r in await rows(services)}
    assert by_number["RR123456789CN"].tag == tag


async def test_an_upload_says_what_it_tidied(dashboard: Dashboard) -> None:
    content = b"Tracking Number,Carrier,Order ID\nRR123456789CN,DPD,1234\n"
    response = await dashboard.http.post(
        "/dashboard/import",
        data={"csrf_token": dashboard.csrf},
        files={"file": ("s.csv", content, "text/csv")},
    )
    assert "1 accepted, 0 rejected" in response.text
    assert (
        "carrier &#39;DPD&#39; names 28 carriers" in response.text
        and "order_no &#39;1234&#39; left out" in response.text
    )


async def test_registering_from_the_dashboard_charges_quota_as_the_api_does(
    dashboard: Dashboard, services: Services
) -> None:
    await dashboard.post("/dashboard/register", numbers="RR123456789CN\nRR123456790CN")
    settings = await dashboard.http.get("/dashboard/settings")
    assert "2 of 1000 used (998 left)" in settings.text


# ---------------------------------------------------------------- the list


async def test_the_list_filters_sorts_pages_and_counts(
    dashboard: Dashboard, services: Services, poll: Poll
) -> None:
    numbers = [f"SANDBOX-Delivered-Other-{i}" for i in range(45)] + ["RR123456789CN"]
    await dashboard.post("/dashboard/register", numbers="\n".join(numbers))
    await dashboard.post(
        f"/dashboard/trackings/{await tracking_id(services, 'RR123456789CN')}/info", tag="vip"
    )
    first = await dashboard.http.get("/dashboard/trackings")
    assert "46 trackings, page 1 of 2" in first.text
    assert first.text.count('href="/dashboard/trackings/') == 40
    assert re.search(r"Not found <strong>46</strong>", first.text)
    second = await dashboard.http.get("/dashboard/trackings", params={"page": "2"})
    assert second.text.count('href="/dashboard/trackings/') == 6
    tagged = await dashboard.http.get("/dashboard/trackings", params={"tag": "vip"})
    assert "1 tracking," in tagged.text and "RR123456789CN" in tagged.text
    search = await dashboard.http.get("/dashboard/trackings", params={"q": "sandbox-delivered-other-4"})
    assert "6 trackings" in search.text, "4 and 40..44 start with it"
    by_carrier = await dashboard.http.get("/dashboard/trackings", params={"carrier": "3011"})
    assert "1 tracking," in by_carrier.text
    await poll()
    counts = {
        status: int(n)
        for status, n in re.findall(
            r'class="count status-(\w+)"[^>]*>.*?<strong>(\d+)</strong>',
            (await dashboard.http.get("/dashboard/trackings")).text,
            re.S,
        )
    }
    assert sum(counts.values()) == 46 and counts["NotFound"] < 46, counts
    in_status = await dashboard.http.get("/dashboard/trackings", params={"status": "InfoReceived"})
    assert f"{counts['InfoReceived']} tracking" in in_status.text


async def test_an_invalid_filter_shows_the_apis_message(dashboard: Dashboard) -> None:
    response = await dashboard.http.get("/dashboard/trackings", params={"carrier": "999999999"})
    assert response.status_code == 200
    assert re.search(r'class="error" role="alert">[^<]*-18019910', response.text)
    bad_date = await dashboard.http.get("/dashboard/trackings", params={"from": "yesterday"})
    assert re.search(r'class="error" role="alert">[^<]*-18010015', bad_date.text)


@pytest.mark.parametrize("carrier", ["abc", "²", "١٢", "1" * 30, "-5", "3011x"])
async def test_a_carrier_filter_that_is_no_code_says_so_as_the_api_does(
    dashboard: Dashboard, carrier: str
) -> None:
    """It was silently ignored: the list showed everything while the box said "abc"."""
    response = await dashboard.http.get("/dashboard/trackings", params={"carrier": carrier, "page": "²"})
    assert response.status_code == 200
    assert re.search(r'class="error" role="alert">[^<]*-18010015', response.text)
    assert "of the field &#39;carrier&#39; is invalid" in response.text


async def test_htmx_filtering_gets_only_the_results(dashboard: Dashboard) -> None:
    await dashboard.post("/dashboard/register", numbers="RR123456789CN")
    response = await dashboard.http.get(
        "/dashboard/trackings", params={"q": "RR"}, headers={"HX-Request": "true", "HX-Target": "results"}
    )
    assert "RR123456789CN" in response.text
    assert "<html" not in response.text and "Trackings per status" not in response.text


async def test_dates_filter_registration_time(
    dashboard: Dashboard, services: Services, clock: FixedClock
) -> None:
    await dashboard.post("/dashboard/register", numbers="RR123456789CN")
    clock.advance_to(clock.now() + timedelta(days=3))
    await dashboard.post("/dashboard/register", numbers="RR123456790CN")
    day = clock.now().date().isoformat()
    response = await dashboard.http.get("/dashboard/trackings", params={"from": day})
    assert "RR123456790CN" in response.text and "RR123456789CN" not in response.text


# ---------------------------------------------------------------- one tracking


async def test_the_detail_page_shows_status_milestones_timeline_and_metrics(
    dashboard: Dashboard, services: Services
) -> None:
    await dashboard.post("/dashboard/register", numbers="SANDBOX-Delivered-Other-3")
    await dashboard.post("/dashboard/clock", step="7d")
    await dashboard.post("/dashboard/clock", step="7d")
    page = await dashboard.http.get(
        f"/dashboard/trackings/{await tracking_id(services, 'SANDBOX-DELIVERED-OTHER-3')}"
    )
    assert "Delivered" in page.text and "status-Delivered" in page.text
    assert page.text.count('<li class="reached">') >= 3
    assert "UTC" in page.text and re.search(r"\(UTC[+-]\d\d:\d\d\)", page.text), "local and UTC times"
    assert "Days in transit" in page.text and "Estimated delivery" in page.text


async def test_refresh_now_polls_at_once_without_quota(dashboard: Dashboard, services: Services) -> None:
    await dashboard.post("/dashboard/register", numbers="SANDBOX-InTransit-PickedUp-9")
    tracking = await tracking_id(services, "SANDBOX-INTRANSIT-PICKEDUP-9")
    async with services.store.write() as conn:
        await conn.execute(update(trackings).values(next_poll_at=services.clock.now() + timedelta(hours=6)))
    page = await dashboard.post(f"/dashboard/trackings/{tracking}/refresh")
    assert "Polling it now (no quota is used)" in page.text
    [row] = await rows(services)
    assert row.next_poll_at <= services.clock.now()
    settings = await dashboard.http.get("/dashboard/settings")
    assert "1 of 1000 used" in settings.text


async def test_failing_trackings_are_marked_and_can_be_listed_alone(
    dashboard: Dashboard, services: Services
) -> None:
    """They showed as a plain "Not found", like a parcel the carrier does not know yet."""
    await dashboard.post("/dashboard/register", numbers="SANDBOX-NotFound-Other-1\nSANDBOX-NotFound-Other-2")
    async with services.store.write() as conn:
        await conn.execute(
            update(trackings)
            .where(trackings.c.number == "SANDBOX-NOTFOUND-OTHER-1")
            .values(latest_sync_status="Failure")
        )
    everything = await dashboard.http.get("/dashboard/trackings")
    assert everything.text.count('class="fetch-failed"') == 1
    failed = await dashboard.http.get("/dashboard/trackings", params={"fetch": "failed"})
    assert "SANDBOX-NOTFOUND-OTHER-1" in failed.text and "SANDBOX-NOTFOUND-OTHER-2" not in failed.text
    assert "1 tracking, page 1 of 1" in failed.text


async def test_a_tracking_never_pushed_says_so(dashboard: Dashboard, services: Services) -> None:
    """It read "Last push: none NotPushed"."""
    await dashboard.post("/dashboard/register", numbers="SANDBOX-Delivered-Other-4")
    page = await dashboard.http.get(
        f"/dashboard/trackings/{await tracking_id(services, 'SANDBOX-DELIVERED-OTHER-4')}"
    )
    assert "<dt>Last push</dt><dd>not pushed yet</dd>" in page.text and "NotPushed" not in page.text


async def test_the_detail_page_shows_translations_in_their_language(
    dashboard: Dashboard, services: Services
) -> None:
    headers = {"17token": dashboard.key}
    await dashboard.http.post(
        "/track/v2.2/register", json=[{"number": "SANDBOX-Delivered-Other-3", "lang": "de"}], headers=headers
    )
    await dashboard.post("/dashboard/clock", step="7d")
    await dashboard.post("/dashboard/clock", step="7d")
    page = await dashboard.http.get(
        f"/dashboard/trackings/{await tracking_id(services, 'SANDBOX-DELIVERED-OTHER-3')}"
    )
    assert "Delivered, signed for by the recipient" in page.text
    assert '<span class="translation" lang="de">Zugestellt, vom Empfänger quittiert' in page.text


async def test_another_accounts_tracking_is_not_shown(
    dashboard: Dashboard, services: Services, new_key: NewKey, web_client: httpx.AsyncClient
) -> None:
    await dashboard.post("/dashboard/register", numbers="RR123456789CN")
    mine = await tracking_id(services, "RR123456789CN")
    other = Dashboard(web_client, await new_key("other"))
    web_client.cookies.clear()
    await other.sign_in()
    page = await web_client.get(f"/dashboard/trackings/{mine}")
    assert page.status_code == 404
    assert "No such tracking" in page.text and "RR123456789CN" not in page.text
    refused = await other.post(f"/dashboard/trackings/{mine}/delete")
    assert "No such tracking" in flash(refused)
    assert len(await rows(services)) == 1


async def test_stop_retrack_follow_the_api_rules_and_show_its_messages(
    dashboard: Dashboard, services: Services
) -> None:
    await dashboard.post("/dashboard/register", numbers="RR123456789CN")
    tid = await tracking_id(services, "RR123456789CN")
    assert "-18019904" in flash(await dashboard.post(f"/dashboard/trackings/{tid}/retrack"))
    assert flash(await dashboard.post(f"/dashboard/trackings/{tid}/stop")) == "Stopped tracking."
    assert "-18019906" in flash(await dashboard.post(f"/dashboard/trackings/{tid}/stop"))
    assert flash(await dashboard.post(f"/dashboard/trackings/{tid}/retrack")) == "Tracking again."
    await dashboard.post(f"/dashboard/trackings/{tid}/stop")
    assert "-18019905" in flash(await dashboard.post(f"/dashboard/trackings/{tid}/retrack")), "retrack once"


async def test_change_carrier_and_info(dashboard: Dashboard, services: Services, poll: Poll) -> None:
    await dashboard.post("/dashboard/register", numbers="RR123456789CN")
    tid = await tracking_id(services, "RR123456789CN")
    assert "-18019808" in flash(
        await dashboard.post(f"/dashboard/trackings/{tid}/carrier", carrier_new="3013")
    )
    await poll()
    assert "-18019802" in flash(await dashboard.post(f"/dashboard/trackings/{tid}/carrier", carrier_new="77"))
    assert flash(await dashboard.post(f"/dashboard/trackings/{tid}/carrier", carrier_new="3013")).startswith(
        "Carrier changed"
    )
    saved = await dashboard.post(
        f"/dashboard/trackings/{tid}/info", tag="gift", remark="<b>leave at door</b>"
    )
    assert flash(saved) == "Saved tag and remark."
    assert "&lt;b&gt;leave at door&lt;/b&gt;" in saved.text, "escaped, never markup"
    changed = (await rows(services))[0]
    assert (changed.carrier, changed.tag, changed.carrier_change_count) == (3013, "gift", 1)
    too_long = await dashboard.post(f"/dashboard/trackings/{tid}/info", tag="x" * 101)
    assert "Refused" in flash(too_long)


async def test_delete_goes_back_to_the_list(dashboard: Dashboard, services: Services) -> None:
    await dashboard.post("/dashboard/register", numbers="RR123456789CN")
    tid = await tracking_id(services, "RR123456789CN")
    response = await dashboard.post(f"/dashboard/trackings/{tid}/delete")
    assert flash(response) == "Deleted RR123456789CN."
    assert "Trackings per status" in response.text
    assert await rows(services) == []


# ---------------------------------------------------------------- sharing and the public page


async def test_share_gives_a_public_page_without_account_data_and_revoking_ends_it(
    dashboard: Dashboard, services: Services, web_client: httpx.AsyncClient
) -> None:
    await dashboard.post("/dashboard/register", numbers="SANDBOX-OutForDelivery-Other-2")
    tid = await tracking_id(services, "SANDBOX-OUTFORDELIVERY-OTHER-2")
    await dashboard.post(f"/dashboard/trackings/{tid}/info", tag="secret-tag", remark="secret-remark")
    await dashboard.post("/dashboard/clock", step="7d")
    await dashboard.post("/dashboard/clock", step="7d")
    detail = await dashboard.post(f"/dashboard/trackings/{tid}/share")
    link = re.search(r'id="share-link" href="http://testserver(/p/[A-Za-z0-9_-]{32})"', detail.text)
    assert link, detail.text
    again = await dashboard.post(f"/dashboard/trackings/{tid}/share")
    assert link.group(1) in again.text, "sharing twice keeps the same link"
    web_client.cookies.clear()
    public = await web_client.get(link.group(1))
    assert public.status_code == 200
    assert "SANDBOX-OUTFORDELIVERY-OTHER-2" in public.text and "Out for delivery" in public.text
    for private in ("secret-tag", "secret-remark", "shop", dashboard.key, "csrf", "Sign out"):
        assert private not in public.text
    assert public.headers["referrer-policy"] == "same-origin"
    await dashboard.sign_in()
    await dashboard.post(f"/dashboard/trackings/{tid}/unshare")
    assert (await web_client.get(link.group(1))).status_code == 404
    assert (await web_client.get("/p/" + "x" * 500)).status_code == 404
    for impossible in ("%00", "A" * 31 + "%00", "a%20b"):  # NUL gave a 500 on PostgreSQL
        assert (await web_client.get("/p/" + impossible)).status_code == 404, impossible


# ---------------------------------------------------------------- settings and webhooks


async def test_webhook_url_test_push_and_secret_rotation(dashboard: Dashboard) -> None:
    refused = await dashboard.post("/dashboard/settings/webhook", webhook_url="ftp://nope")
    assert "-18010202" in flash(refused)
    no_url = await dashboard.post("/dashboard/settings/webhook/test")
    assert "not sent" in flash(no_url)
    async with receiving([200]) as receiver:
        saved = await dashboard.post("/dashboard/settings/webhook", webhook_url=receiver.url)
        assert flash(saved) == "Webhook URL saved."
        tested = await dashboard.post("/dashboard/settings/webhook/test")
        assert flash(tested).startswith("Test push answered HTTP 200")
        assert len(receiver.received) == 1 and "sign" in receiver.received[0].headers
    rotated = await dashboard.post("/dashboard/settings/webhook/rotate")
    assert re.search(r'id="new-secret">whsec_[A-Za-z0-9+/=]+<', rotated.text)


async def test_delivery_log_and_redeliver_stay_in_the_account(
    dashboard: Dashboard, services: Services, worker: object
) -> None:
    async with receiving([500, 200]) as receiver:
        await dashboard.post("/dashboard/settings/webhook", webhook_url=receiver.url)
        await dashboard.post("/dashboard/register", numbers="SANDBOX-Delivered-Other-5")
        await dashboard.post("/dashboard/clock", step="1d")
        log = await dashboard.http.get("/dashboard/settings")
        message_ids = re.findall(r'name="message_id" value="([^"]+)"', log.text)
        assert message_ids, log.text
        assert "HTTP 500" in log.text
        queued = await dashboard.post("/dashboard/settings/redeliver", message_id=message_ids[0])
        assert flash(queued) == f"Message {message_ids[0]} queued again."
        foreign = await dashboard.post("/dashboard/settings/redeliver", message_id="msg_not_mine")
        assert flash(foreign) == "No such message in this account."


# ---------------------------------------------------------------- sandbox clock


async def test_clock_controls_move_the_sandbox_clock_and_refuse_bad_targets(
    dashboard: Dashboard, clock: FixedClock, services: Services
) -> None:
    """The signed-in account's own clock moves (issue 17: a clock per account), not the base."""
    account = await get_account(services, "shop")
    assert account is not None
    start = clock.now()
    moved = await dashboard.post("/dashboard/clock", step="1h", next="/dashboard/settings")
    assert services.now_for(account.id) - start == timedelta(hours=1)
    assert clock.now() == start
    assert "Quota and webhooks" in moved.text, "back on the page it was used from"
    assert flash(moved).startswith("Sandbox clock now 2026-03-02 11:00 UTC") and not flash_is_error(moved)
    to = await dashboard.post("/dashboard/clock", step="to", to="2026-03-10T12:00")
    assert services.now_for(account.id).isoformat().startswith("2026-03-10T12:00")
    assert "2026-03-10 12:00 UTC" in to.text
    backwards = await dashboard.post("/dashboard/clock", step="to", to="2026-03-01T00:00")
    assert flash(backwards).startswith("Clock not moved") and flash_is_error(backwards)
    assert "only moves forward; it is now 2026-03-10 12:00 UTC." in flash(backwards)
    garbage = await dashboard.post("/dashboard/clock", step="to", to="<script>")
    assert flash(garbage).startswith("Clock not moved") and "<script>" not in garbage.text


async def test_without_sandbox_there_are_no_clock_controls(services: Services, new_key: NewKey) -> None:
    from parceltrace.runtime.server import create_app
    from tests.conftest import app_client

    async with app_client(create_app(services)) as http:
        board = Dashboard(http, await new_key("live"))
        await board.sign_in()
        page = await http.get("/dashboard/trackings")
        assert "Sandbox clock" not in page.text
        refused = await board.post("/dashboard/clock", step="1d")
        assert "only be moved in sandbox mode" in flash(refused)


async def test_the_list_filters_by_how_numbers_were_registered(
    dashboard: Dashboard,
) -> None:
    await dashboard.http.post(
        "/track/v2.2/register", headers={"17token": dashboard.key}, json=[{"number": "RR123456790CN"}]
    )
    await dashboard.post("/dashboard/register", numbers="RR123456789CN")
    await dashboard.http.post(
        "/dashboard/import",
        data={"csrf_token": dashboard.csrf},
        files={"file": ("a.csv", b"number\nRR123456801CN\n", "text/csv")},
    )
    for origin, number in (
        ("Api", "RR123456790CN"),
        ("Manual", "RR123456789CN"),
        ("Import", "RR123456801CN"),
    ):
        listed = await dashboard.http.get("/dashboard/trackings", params={"origin": origin})
        assert "1 tracking," in listed.text and number in listed.text, origin


# ---------------------------------------------------------------- errors and hostile input


async def test_unknown_dashboard_paths_and_bad_methods_get_html_error_pages(dashboard: Dashboard) -> None:
    missing = await dashboard.http.get("/dashboard/nope")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
    assert "There is no such page." in missing.text
    wrong = await dashboard.http.delete("/dashboard/trackings")
    assert wrong.status_code == 405 and "text/html" in wrong.headers["content-type"]
    api = await dashboard.http.get("/track/v2.2/nope")
    assert api.status_code == 404 and api.headers["content-type"].startswith("application/json")


async def test_an_oversized_upload_gets_an_html_413(dashboard: Dashboard) -> None:
    response = await dashboard.http.post(
        "/dashboard/import",
        data={"csrf_token": dashboard.csrf},
        files={"file": ("big.csv", b"number\n" + b"RR123456789CN\n" * 80_000, "text/csv")},
    )
    assert response.status_code == 413 and "too large" in response.text


TEXT = st.text(st.characters(codec="utf-8"), max_size=60)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(params=st.dictionaries(st.sampled_from([*LIST_FILTERS, "page", "x"]), TEXT, max_size=6))
@example(params={"tag": "\x00"})  # found by this test on PostgreSQL: NUL in a query is refused
@example(params={"q": "A\x00"})
async def test_any_list_query_gives_a_page_never_a_server_error(
    dashboard: Dashboard, params: dict[str, str]
) -> None:
    response = await dashboard.http.get("/dashboard/trackings", params=params)
    assert response.status_code == 200, (params, response.text[:300])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(
        [
            "/dashboard/register",
            "/dashboard/clock",
            "/dashboard/settings/webhook",
            "/dashboard/settings/redeliver",
            "/dashboard/trackings/1/info",
            "/dashboard/trackings/1/carrier",
        ]
    ),
    fields=st.dictionaries(
        st.sampled_from(
            ["numbers", "step", "to", "webhook_url", "message_id", "tag", "remark", "carrier_new"]
        ),
        TEXT,
        max_size=4,
    ),
)
async def test_any_form_input_gives_a_page_never_a_server_error(
    dashboard: Dashboard, path: str, fields: dict[str, str]
) -> None:
    response = await dashboard.http.post(path, data={"csrf_token": dashboard.csrf, **fields})
    assert response.status_code in (200, 303), (path, fields, response.text[:300])


@pytest.mark.parametrize("tracking", ["99999999999999999999999", "0", "-1"])
async def test_out_of_range_tracking_ids_are_just_not_found(dashboard: Dashboard, tracking: str) -> None:
    page = await dashboard.http.get(f"/dashboard/trackings/{tracking}")
    assert page.status_code == 404 and "No such tracking in this account." in page.text
    action = await dashboard.post(f"/dashboard/trackings/{tracking}/stop")
    assert action.status_code in (200, 404) and "No such tracking" in action.text


async def test_pages_load_nothing_from_other_sites(dashboard: Dashboard, services: Services) -> None:
    await dashboard.post("/dashboard/register", numbers="RR123456789CN")
    tid = await tracking_id(services, "RR123456789CN")
    for path in (
        "/dashboard/trackings",
        f"/dashboard/trackings/{tid}",
        "/dashboard/register",
        "/dashboard/settings",
    ):
        html = (await dashboard.http.get(path)).text
        assets = re.findall(r'<(?:script|link)[^>]+(?:src|href)="([^"]+)"', html)
        assert assets and all(a.startswith("/") and not a.startswith("//") for a in assets), (path, assets)
        for asset in assets:
            assert (await dashboard.http.get(asset)).status_code == 200, asset


async def test_a_form_value_with_nul_characters_gets_its_message(dashboard: Dashboard) -> None:
    """The refusal quotes the value; PostgreSQL text cannot hold NUL (found by the form fuzz)."""
    response = await dashboard.http.post(
        "/dashboard/clock", data={"csrf_token": dashboard.csrf, "to": "\x00\x96Õ\x8e]Ón\U0006aca7"}
    )
    assert response.status_code == 303
    page = await dashboard.http.get(response.headers["location"])
    assert "Clock not moved" in page.text


async def test_a_favicon_is_served_and_named(web_client: httpx.AsyncClient) -> None:
    """Browsers asked for /favicon.ico on every page and logged the 404 as a console error."""
    icon = await web_client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert icon.content.startswith(b"<svg")
    login = await web_client.get("/dashboard/login")
    assert '<link rel="icon" href="/static/favicon.svg"' in login.text
    assert (await web_client.get("/static/favicon.svg")).status_code == 200
