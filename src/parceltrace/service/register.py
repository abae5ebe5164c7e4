"""POST /register: validate each item, then store rows and charge quota in one transaction.

Registrations go through a group commit: requests that arrive while a write runs are
decided in arrival order within the next transaction, each with the same rules as alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from parceltrace.carriers.sandbox import SANDBOX_CARRIER
from parceltrace.protocol.errors import ApiError, ErrorCode
from parceltrace.protocol.parsing import rejection
from parceltrace.protocol.status import DataOrigin
from parceltrace.protocol.structs import RegisterAccepted, RegisterItem, Rejected
from parceltrace.service.context import Services
from parceltrace.service.quota import REGISTRATION_COST, QuotaLedger, open_ledger
from parceltrace.store.engine import Transaction
from parceltrace.store.notify import notify_in
from parceltrace.store.records import NewTracking
from parceltrace.store.trackings import insert_registrations, registered_keys
from parceltrace.tracking.registration import Registration, prepare

Result = dict[str, list[Any]]


@dataclass(frozen=True, slots=True)
class RegisterJob:
    account_id: int
    prepared: list[Registration | Rejected]
    data_origin: DataOrigin
    now: datetime


def prepared(items: list[RegisterItem | Rejected], sandbox: bool = True) -> list[Registration | Rejected]:
    """Each item checked as `register` checks it before the store: validated, its carrier
    detected or checked; a failing item becomes its rejection (with its tag). A sandbox number
    outside the sandbox is refused: nothing would ever track it, yet it would be charged."""
    out: list[Registration | Rejected] = []
    for item in items:
        if isinstance(item, Rejected):
            out.append(item)
            continue
        tag = item.tag if isinstance(item.tag, str) and len(item.tag) <= 100 else None
        try:
            registration = prepare(item)
        except ApiError as exc:
            out.append(rejection(item.number, exc.code, *exc.args_, tag=tag, detail=exc.detail))
            continue
        if not sandbox and registration.carrier == SANDBOX_CARRIER.code:
            out.append(
                rejection(item.number, ErrorCode.CARRIER_NOT_REGISTRABLE, tag=tag, detail=LIVE_SANDBOX)
            )
            continue
        out.append(registration)
    return out


LIVE_SANDBOX = (
    "SANDBOX- numbers are tracked only by a server in sandbox mode; this one tracks real parcels (live mode)."
)


async def register(
    services: Services,
    account_id: int,
    items: list[RegisterItem | Rejected],
    data_origin: DataOrigin = DataOrigin.API,
) -> Result:
    job = RegisterJob(
        account_id, prepared(items, services.sandbox), data_origin, services.now_for(account_id)
    )
    result: Result = await services.group_commit(commit_registrations).submit(job)
    if result["accepted"]:
        services.wake_poller()
    return result


async def commit_registrations(conn: Transaction, jobs: list[RegisterJob]) -> list[Result]:
    """Decide every job's items in order: duplicates, quota, daily limit; then write once."""
    numbers = {p.number for job in jobs for p in job.prepared if isinstance(p, Registration)}
    taken = await registered_keys(conn, {job.account_id for job in jobs}, numbers)
    ledgers: dict[int, QuotaLedger] = {}
    for account_id in sorted({job.account_id for job in jobs}):
        ledgers[account_id] = await open_ledger(conn, account_id, jobs[0].now)
    new: list[NewTracking] = []
    results: list[Result] = []
    for job in jobs:
        accepted: list[RegisterAccepted] = []
        rejected: list[Rejected] = []
        ledger = ledgers[job.account_id]
        for reg in job.prepared:
            if isinstance(reg, Rejected):
                rejected.append(reg)
                continue
            key = (job.account_id, reg.number, reg.carrier)
            if key in taken:
                rejected.append(rejection(reg.number, ErrorCode.ALREADY_REGISTERED, reg.number, tag=reg.tag))
                continue
            refusal = ledger.refusal(REGISTRATION_COST)
            if refusal is not None:
                rejected.append(rejection(reg.number, refusal, tag=reg.tag))
                continue
            ledger.spend(REGISTRATION_COST)
            taken.add(key)
            new.append(_new_tracking(job.account_id, reg, job.data_origin, job.now))
            accepted.append(
                RegisterAccepted(reg.origin, reg.number, reg.carrier, reg.email, reg.tag, reg.lang)
            )
        results.append({"accepted": accepted, "rejected": rejected})
    if new:
        await insert_registrations(conn, new)
        await notify_in(conn)
    for ledger in ledgers.values():
        await ledger.save(conn)
    return results


def _new_tracking(account_id: int, reg: Registration, data_origin: DataOrigin, now: datetime) -> NewTracking:
    return NewTracking(
        account_id=account_id,
        number=reg.number,
        carrier=reg.carrier,
        final_carrier=reg.final_carrier,
        origin=reg.origin,
        param=reg.param,
        tag=reg.tag,
        remark=reg.remark,
        email=reg.email,
        lang=reg.lang,
        order_no=reg.order_no,
        order_time=reg.order_time,
        data_origin=data_origin.value,
        register_time=now,
        shipping_country=reg.shipping_country,
        next_poll_at=now,
    )
