"""POST /register: validate each item, then store rows and charge quota in one transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from parceltrace.protocol.errors import ApiError, ErrorCode
from parceltrace.protocol.parsing import rejection
from parceltrace.protocol.status import DataOrigin, MainStatus, PushStatus, TrackingStatus
from parceltrace.protocol.structs import RegisterAccepted, RegisterItem, Rejected
from parceltrace.service.context import Services
from parceltrace.service.quota import open_ledger
from parceltrace.store.tables import trackings
from parceltrace.tracking.registration import Registration, prepare


def _prepared(items: list[RegisterItem | Rejected]) -> list[Registration | Rejected]:
    out: list[Registration | Rejected] = []
    for item in items:
        if isinstance(item, Rejected):
            out.append(item)
            continue
        try:
            out.append(prepare(item))
        except ApiError as exc:
            tag = item.tag if isinstance(item.tag, str) and len(item.tag) <= 100 else None
            out.append(rejection(item.number, exc.code, *exc.args_, tag=tag))
    return out


async def register(
    services: Services,
    account_id: int,
    items: list[RegisterItem | Rejected],
    data_origin: DataOrigin = DataOrigin.API,
) -> dict[str, Any]:
    prepared = _prepared(items)
    numbers = {p.number for p in prepared if isinstance(p, Registration)}
    accepted: list[RegisterAccepted] = []
    rejected: list[Rejected] = []
    now = services.clock.now()
    async with services.store.write() as conn:
        taken: set[tuple[str, int]] = set()
        if numbers:
            result = await conn.execute(
                select(trackings.c.number, trackings.c.carrier).where(
                    trackings.c.account_id == account_id, trackings.c.number.in_(numbers)
                )
            )
            taken = {(r.number, r.carrier) for r in result}
        ledger = await open_ledger(conn, account_id, now)
        rows: list[dict[str, Any]] = []
        for reg in prepared:
            if isinstance(reg, Rejected):
                rejected.append(reg)
                continue
            if (reg.number, reg.carrier) in taken:
                rejected.append(rejection(reg.number, ErrorCode.ALREADY_REGISTERED, reg.number, tag=reg.tag))
                continue
            refusal = ledger.refusal(reg.cost)
            if refusal is not None:
                rejected.append(rejection(reg.number, refusal, tag=reg.tag))
                continue
            ledger.spend(reg.cost)
            taken.add((reg.number, reg.carrier))
            rows.append(_row(account_id, reg, data_origin, now))
            accepted.append(
                RegisterAccepted(reg.origin, reg.number, reg.carrier, reg.email, reg.tag, reg.lang)
            )
        if rows:
            await conn.execute(trackings.insert(), rows)
        await ledger.save(conn)
    return {"accepted": accepted, "rejected": rejected}


def _row(account_id: int, reg: Registration, data_origin: DataOrigin, now: Any) -> dict[str, Any]:
    return {
        "account_id": account_id,
        "number": reg.number,
        "carrier": reg.carrier,
        "final_carrier": reg.final_carrier,
        "origin": reg.origin,
        "param": reg.param,
        "tag": reg.tag,
        "remark": reg.remark,
        "email": reg.email,
        "lang": reg.lang,
        "order_no": reg.order_no,
        "order_time": reg.order_time,
        "data_origin": data_origin.value,
        "register_time": now,
        "tracking_status": TrackingStatus.TRACKING.value,
        "stop_track_time": None,
        "stop_track_reason": None,
        "is_retracked": False,
        "carrier_change_count": 0,
        "package_status": MainStatus.NOT_FOUND.value,
        "track_time": None,
        "push_time": None,
        "push_status": PushStatus.NOT_PUSHED.value,
        "push_status_code": None,
        "shipping_country": reg.shipping_country,
        "recipient_country": None,
    }
