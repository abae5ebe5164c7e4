"""Status mails through a real local SMTP server (aiosmtpd)."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from datetime import timedelta
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from parceltrace.clock import FixedClock
from parceltrace.outbox.mail import MailSettings
from parceltrace.service.context import Services
from parceltrace.worker.runner import Worker
from tests import stored
from tests.conftest import Api, NewKey, Poll


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.refuse = False

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refuse:
            return "451 try again later"
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def inbox(services: Services) -> Iterator[Inbox]:
    box = Inbox()
    port = free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    services.mail = MailSettings("127.0.0.1", port, "tracking@shop.example")
    yield box
    controller.stop()


def parts(message: Message) -> dict[str, str]:
    return {
        p.get_content_type(): p.get_payload(decode=True).decode()
        for p in message.walk()
        if not p.is_multipart()
    }  # type: ignore[union-attr]


async def test_a_mail_per_change_in_text_and_html(
    api: Api, inbox: Inbox, worker: Worker, clock: FixedClock
) -> None:
    await api.call(
        "register", [{"number": "SANDBOX-Delivered-Other-1", "email": "buyer@example.com", "tag": "A-1"}]
    )
    await api.call("register", [{"number": "SANDBOX-Delivered-Other-2"}])  # no e-mail: no mail
    await worker.advance(clock, clock.now() + timedelta(days=10))
    subjects = [m["Subject"] for m in inbox.messages]
    assert subjects[0] == "Parcel SANDBOX-DELIVERED-OTHER-1: InfoReceived"
    assert subjects[-1] == "Parcel SANDBOX-DELIVERED-OTHER-1: Delivered"
    assert {m["To"] for m in inbox.messages} == {"buyer@example.com"}
    assert {m["From"] for m in inbox.messages} == {"tracking@shop.example"}
    body = parts(inbox.messages[-1])
    assert "Delivered_Other" in body["text/plain"] and "(A-1)" in body["text/plain"]
    assert "<h1>Parcel SANDBOX-DELIVERED-OTHER-1: Delivered</h1>" in body["text/html"]
    quota = (await api.call("getquota", []))["data"]
    assert quota["free_email_quotaused"] == len(inbox.messages)


async def test_the_free_mail_quota_limits_mails(
    client: Any, new_key: NewKey, services: Services, inbox: Inbox, worker: Worker, clock: FixedClock
) -> None:
    from sqlalchemy import update

    from parceltrace.store.tables import accounts

    api = Api(client, await new_key("small"))
    async with services.store.write() as conn:
        await conn.execute(update(accounts).where(accounts.c.name == "small").values(free_email_quota=2))
    await api.call("register", [{"number": "SANDBOX-Delivered-Other-1", "email": "buyer@example.com"}])
    await worker.advance(clock, clock.now() + timedelta(days=10))
    assert len(inbox.messages) == 2
    quota = (await api.call("getquota", []))["data"]
    assert (quota["free_email_quota"], quota["free_email_quotaused"]) == (2, 2)


async def test_a_refused_mail_is_retried_and_refunds_its_quota(
    api: Api, inbox: Inbox, worker: Worker, clock: FixedClock, poll: Poll
) -> None:
    inbox.refuse = True
    await api.call("register", [{"number": "SANDBOX-InfoReceived-3", "email": "buyer@example.com"}])
    await poll()
    assert inbox.messages == []
    assert (await api.call("getquota", []))["data"]["free_email_quotaused"] == 0
    inbox.refuse = False
    await worker.advance(clock, clock.now() + timedelta(seconds=601))
    assert len(inbox.messages) == 1
    assert (await api.call("getquota", []))["data"]["free_email_quotaused"] == 1


async def test_no_mail_without_smtp_settings(api: Api, services: Services, poll: Poll) -> None:
    assert services.mail is None
    await api.call("register", [{"number": "SANDBOX-InfoReceived-3", "email": "buyer@example.com"}])
    await poll()
    assert await stored.mails(services.store) == []


def test_smtp_url_parsing() -> None:
    assert MailSettings.from_url("smtp://mail.local:2525", "a@b.c") == MailSettings(
        "mail.local", 2525, "a@b.c"
    )
    with pytest.raises(ValueError):
        MailSettings.from_url("http://mail.local", "a@b.c")
    # the host as the client connects to it (IDNA maps U+3002 to a dot), as for every other URL
    assert MailSettings.from_url("smtp://127\u30020\u30020\u30021:25", "a@b.c").host == "127.0.0.1"
    with pytest.raises(ValueError):
        MailSettings.from_url("smtp://:25", "a@b.c")
