"""The dashboard's secrets (session cookie, CSRF token, the key it was opened with) stay out of
the log when a signed-in request fails inside."""

from __future__ import annotations

import io
from typing import Any

import pytest

from parceltrace.web import settings as settings_module
from tests.conftest import Dashboard
from tests.logcheck import assert_secret_free


class Broken(RuntimeError):
    pass


async def test_a_dashboard_crash_logs_no_cookie_csrf_token_or_key(
    log_lines: io.StringIO, dashboard: Dashboard, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The issue's repro: a signed-in settings POST that fails inside."""

    async def fail(*_: Any, **__: Any) -> Any:
        raise Broken("cannot save")

    monkeypatch.setattr(settings_module, "update_account", fail)
    response = await dashboard.post("/dashboard/settings/webhook", webhook_url="http://127.0.0.1:9/hook")
    assert response.status_code == 500
    cookie = dashboard.http.cookies.get("pt_session")
    assert cookie
    assert_secret_free(log_lines, cookie, dashboard.csrf, dashboard.key)
