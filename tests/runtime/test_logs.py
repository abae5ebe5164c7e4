"""No secret reaches the log: each path that holds one is made to fail, and the log it writes is
searched for the secret (API keys, 17token headers, session cookies, CSRF tokens, webhook
signing keys and secrets, the relay's upstream key)."""

from __future__ import annotations

import asyncio
import io
import json
import logging
from datetime import timedelta
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from parceltrace.clock import FixedClock
from parceltrace.protocol.structs import RegisterItem
from parceltrace.runtime.logs import HANDLER_NAME, REDACTED, configure_logging, redact, scrub
from parceltrace.runtime.server import create_app
from parceltrace.service import deliveries
from parceltrace.service import register as register_service
from parceltrace.service.accounts import AccountSettings, get_account, update_account, webhook_secret
from parceltrace.service.context import Services
from parceltrace.sources.base import TrackingRef
from parceltrace.sources.relay import RelaySource
from parceltrace.store.urls import shown_database
from parceltrace.worker.runner import Worker
from tests.conftest import START, NewKey
from tests.logcheck import assert_secret_free, records

KEY_SHAPED = st.text(alphabet="0123456789ABCDEF", min_size=32, max_size=32)


# ---------------------------------------------------------------- the redaction step


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("17token: 0123456789ABCDEF0123456789ABCDEF", "17token: "),
        ("headers={'17token': 'abc'}", "17token"),
        ("Cookie: pt_session=AbC-dEf_123", "Cookie: "),
        ("Authorization: Bearer eyJhbGciOi", "Authorization: "),
        ("secret whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "secret "),
        ("csrf_token=abc123&next=/", "&next=/"),
        ("sign=9f86d081884c7d659a2feaa0c55ad015", "sign="),
    ],
)
def test_secret_text_is_scrubbed(text: str, kept: str) -> None:
    cleaned = scrub(text)
    assert REDACTED in cleaned
    assert kept in cleaned
    secret = text.split(kept, 1)[-1] if kept in text else text
    assert secret not in cleaned or not secret


@pytest.mark.parametrize("text", ["polled 40 trackings", "RR123456789CN delivered", "design: plain"])
def test_ordinary_text_is_kept(text: str) -> None:
    assert scrub(text) == text


@given(KEY_SHAPED, st.text(max_size=20), st.text(max_size=20))
def test_an_api_key_anywhere_in_a_value_is_scrubbed(key: str, before: str, after: str) -> None:
    event = redact(None, "error", {"event": f"{before} {key} {after}", "nested": {"list": [key]}})
    assert key not in json.dumps(event)


def test_secret_fields_lose_their_value_at_any_depth() -> None:
    event = redact(
        None,
        "error",
        {"event": "x", "api_key": "k", "ctx": {"webhook_secret": "s", "cookies": {"a": "b"}}, "path": "/p"},
    )
    assert event == {
        "event": "x",
        "api_key": REDACTED,
        "ctx": {"webhook_secret": REDACTED, "cookies": REDACTED},
        "path": "/p",
    }


# ---------------------------------------------------------------- each path that holds a secret


class Broken(RuntimeError):
    pass


async def test_an_api_crash_logs_no_key(
    log_lines: io.StringIO, client: httpx.AsyncClient, key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def fail(*_: Any, **__: Any) -> Any:
        raise Broken("the store went away")

    monkeypatch.setattr(register_service, "register", fail)
    response = await client.post(
        "/track/v2.2/register", json=[{"number": "RR123456789CN"}], headers={"17token": key}
    )
    assert response.status_code == 500
    assert response.json()["data"]["errors"][0]["code"] == -18010003
    assert_secret_free(log_lines, key)
    assert any(r["event"] == "unhandled error" for r in records(log_lines))


async def test_a_dispatcher_crash_logs_no_signing_key_or_secret(
    log_lines: io.StringIO,
    services: Services,
    clock: FixedClock,
    worker: Worker,
    new_key: NewKey,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A delivery is due, its keys are unsealed, then recording the attempts fails."""
    key = await new_key("hooks", quota_total=10)
    await update_account(services, "hooks", AccountSettings(webhook_url="http://127.0.0.1:9/hook"))
    secret = await webhook_secret(services, "hooks")
    account = await get_account(services, "hooks")
    assert account is not None
    await register_service.register(services, account.id, [RegisterItem(number="SANDBOX-Delivered-Other-1")])
    clock.advance_to(START + timedelta(days=20))
    monkeypatch.setattr(deliveries, "record", _failing_record)
    stop = asyncio.Event()
    task = asyncio.create_task(worker.run(stop, idle_seconds=0.05))
    for _ in range(200):
        if "recording webhook attempts failed" in log_lines.getvalue():
            break
        await asyncio.sleep(0.05)
    stop.set()
    worker.wake()
    await asyncio.wait_for(task, 10)
    assert "recording webhook attempts failed" in log_lines.getvalue()
    assert_secret_free(log_lines, key, secret)


async def _failing_record(services: Any, owner: Any, rows: Any, attempts: Any) -> None:
    raise Broken(f"cannot record {len(attempts)} attempts")


async def test_a_relay_crash_logs_no_upstream_key(
    log_lines: io.StringIO, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    upstream_key = "00112233445566778899AABBCCDDEEFF"
    relay = RelaySource(services.store, "http://127.0.0.1:9/track/v2.2", upstream_key, window=0)

    async def fail(*_: Any, **__: Any) -> Any:
        raise Broken("upstream book unreadable")

    monkeypatch.setattr(relay, "_resolve", fail)
    ref = TrackingRef("RR123456789CN", 3011, 0, None, START)
    with pytest.raises(Exception, match="relay failed"):
        await relay.fetch(ref, START)
    await relay.close()
    assert_secret_free(log_lines, upstream_key)


def test_the_banner_masks_a_database_password() -> None:
    assert (
        shown_database("postgresql://app:hunter2@db.internal/track")
        == "postgresql://app:***@db.internal/track"
    )
    assert shown_database("sqlite:///./parceltrace.db") == "sqlite:///./parceltrace.db"


@pytest.mark.parametrize(
    "logger", ["uvicorn.error", "uvicorn", "litestar", "parceltrace.api", "aiohttp.client", ""]
)
def test_no_handler_bypasses_the_redaction(log_lines: io.StringIO, services: Services, logger: str) -> None:
    """Once the app exists (Litestar's default logging config used to replace the root handler),
    a record with a key through any logger reaches only the redacting handler."""
    create_app(services)
    key = "0123456789ABCDEF0123456789ABCDEF"
    logging.getLogger(logger).error("refused key %s", key)
    assert key not in log_lines.getvalue()
    assert "refused key [redacted]" in log_lines.getvalue()
    seen = logging.getLogger(logger)
    while seen is not None:
        others = [h for h in seen.handlers if h.get_name() != HANDLER_NAME and not _pytests(h)]
        assert others == [], seen.name
        seen = seen.parent if seen.propagate else None


def _pytests(handler: logging.Handler) -> bool:
    """pytest's own capture handlers (on the root logger while tests run)."""
    return type(handler).__module__.startswith("_pytest")


def test_an_access_line_keeps_no_query_string_or_share_token(log_lines: io.StringIO) -> None:
    configure_logging(json_lines=True, stream=log_lines, cache=False, access_log=True)
    access = logging.getLogger("uvicorn.access")
    token = "Zb3kq0x9Lr4TtYw2mN8pQv1sHc6eJd5A"
    access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", f"/p/{token}?key=abc", "1.1", 200)
    access.info(
        '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/track/v2.2/getquota?17token=x1", "1.1", 200
    )
    text = log_lines.getvalue()
    assert token not in text and "key=abc" not in text and "17token=x1" not in text
    assert "/p/[redacted]?[redacted]" in text and "/track/v2.2/getquota?[redacted]" in text
