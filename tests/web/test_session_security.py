"""A dashboard session obeys what the API key obeys: the account's IP whitelist at sign-in and
on every signed-in request, and a key rotation (the old key opens no new session; the sessions
it opened end with its grace period)."""

from __future__ import annotations

from datetime import timedelta

from parceltrace.clock import FixedClock
from parceltrace.service.accounts import AccountSettings, rotate_key, update_account
from parceltrace.service.context import Services
from tests.conftest import Dashboard, NewKey


async def test_the_ip_whitelist_refuses_a_sign_in_from_elsewhere(
    dashboard: Dashboard, new_key: NewKey
) -> None:
    fenced = Dashboard(dashboard.http, await new_key("fenced", ip_whitelist="10.0.0.0/8"))
    dashboard.http.cookies.clear()
    answer = await fenced.sign_in()
    assert answer.status_code == 403
    assert "IP whitelist" in answer.text
    assert "pt_session" not in answer.cookies


async def test_a_whitelist_set_later_ends_the_session_from_elsewhere(
    dashboard: Dashboard, services: Services
) -> None:
    assert (await dashboard.http.get("/dashboard/trackings")).status_code == 200
    await update_account(services, "shop", AccountSettings(ip_whitelist="10.0.0.0/8"))
    answer = await dashboard.http.get("/dashboard/settings")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/dashboard/login")
    await update_account(services, "shop", AccountSettings(ip_whitelist="127.0.0.0/8"))
    assert (await dashboard.http.get("/dashboard/settings")).status_code == 200


async def test_a_rotation_ends_the_old_keys_sessions_after_its_grace(
    dashboard: Dashboard, services: Services, clock: FixedClock
) -> None:
    old_key = dashboard.key
    new = await rotate_key(services, "shop", grace_seconds=300)
    assert (await dashboard.http.get("/dashboard/settings")).status_code == 200  # within the grace

    dashboard.http.cookies.clear()
    refused = await dashboard.sign_in(old_key)
    assert refused.status_code == 403 and "replaced by a rotation" in refused.text

    newcomer = Dashboard(dashboard.http, new)
    dashboard.http.cookies.clear()
    assert (await newcomer.sign_in()).status_code == 303
    new_session = dict(dashboard.http.cookies)

    clock.advance_to(clock.now() + timedelta(seconds=301))
    for name, value in new_session.items():
        dashboard.http.cookies.set(name, value)
    assert (await dashboard.http.get("/dashboard/settings")).status_code == 200  # the new key's


async def test_a_session_opened_by_the_old_key_ends_with_the_grace(
    web_client: object, services: Services, clock: FixedClock, new_key: NewKey
) -> None:
    import httpx

    assert isinstance(web_client, httpx.AsyncClient)
    board = Dashboard(web_client, await new_key("shop"))
    assert (await board.sign_in()).status_code == 303
    await rotate_key(services, "shop", grace_seconds=300)
    assert (await web_client.get("/dashboard/settings")).status_code == 200
    clock.advance_to(clock.now() + timedelta(seconds=301))
    answer = await web_client.get("/dashboard/settings")
    assert answer.status_code == 303 and answer.headers["location"].startswith("/dashboard/login")
