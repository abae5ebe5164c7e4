"""Queueing pushes (webhook messages and status mails) in the outbox, inside the transaction
that changed the tracking; the worker's dispatcher and mailer send them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from parceltrace.outbox.mail import status_mail
from parceltrace.store.deliveries import NewMessage, configured_webhook_urls, insert_messages
from parceltrace.store.engine import Transaction
from parceltrace.store.mails import NewMail, insert_mails
from parceltrace.store.records import Tracking
from parceltrace.tracking.derive import derive_track_info
from parceltrace.tracking.model import SourceResult
from parceltrace.webhooks.payload import WebhookEvent, new_message_id, stopped_body, updated_body

DELIVERY_RETENTION = timedelta(days=30)
"""How long delivered and failed messages stay in the outbox (and the delivery log): `push` is
free, so without an end the table grew by about 36 GB a day per tenant at 3 requests/s."""


@dataclass(frozen=True, slots=True)
class PushRequest:
    """One tracking's change to announce: its new result (TRACKING_UPDATED) and/or its stop."""

    account_id: int
    tracking_id: int
    number: str
    carrier: int
    param: str | None
    tag: str | None
    shipping_country: str | None
    result: SourceResult | None
    updated: bool
    stopped: bool
    at: datetime
    email: str | None = None

    @classmethod
    def for_tracking(
        cls, tracking: Tracking, result: SourceResult | None, *, updated: bool, stopped: bool, at: datetime
    ) -> PushRequest:
        return cls(
            account_id=tracking.account_id,
            tracking_id=tracking.id,
            number=tracking.number,
            carrier=tracking.carrier,
            param=tracking.param,
            tag=tracking.tag,
            shipping_country=tracking.shipping_country,
            result=result,
            updated=updated,
            stopped=stopped,
            at=at,
            email=tracking.email,
        )


def _message(request: PushRequest, event: WebhookEvent, body: bytes) -> NewMessage:
    return NewMessage(
        message_id=new_message_id(),
        account_id=request.account_id,
        tracking_id=request.tracking_id,
        number=request.number,
        carrier=request.carrier,
        event=event.value,
        body=body.decode(),
        created_at=request.at,
        due_at=request.at,
    )


async def enqueue(conn: Transaction, requests: list[PushRequest], mail: bool = False) -> int:
    """Queue the pushes of accounts that have a webhook URL, and (`mail`: the server can send
    mail) a status mail for each updated tracking that has an e-mail address."""
    wanted = [r for r in requests if r.updated or r.stopped]
    if mail:
        await _enqueue_mails(conn, [r for r in wanted if r.updated and r.email])
    urls = await configured_webhook_urls(conn, {r.account_id for r in wanted})
    messages: list[NewMessage] = []
    for request in wanted:
        if request.account_id not in urls:
            continue
        if request.updated:
            info = derive_track_info(request.result, request.at, request.shipping_country, None)
            body = updated_body(request.number, request.carrier, request.param, request.tag, info)
            messages.append(_message(request, WebhookEvent.TRACKING_UPDATED, body))
        if request.stopped:
            body = stopped_body(request.number, request.carrier, request.param, request.tag)
            messages.append(_message(request, WebhookEvent.TRACKING_STOPPED, body))
    await insert_messages(conn, messages)
    return len(messages)


async def _enqueue_mails(conn: Transaction, requests: list[PushRequest]) -> None:
    mails = []
    for request in requests:
        assert request.email is not None
        info = derive_track_info(request.result, request.at, request.shipping_country, None)
        content = status_mail(request.number, request.tag, info)
        mails.append(
            NewMail(
                account_id=request.account_id,
                tracking_id=request.tracking_id,
                to_address=request.email,
                subject=content.subject,
                text_body=content.text,
                html_body=content.html,
                created_at=request.at,
                due_at=request.at,
            )
        )
    await insert_mails(conn, mails)
