"""stoptrack, retrack, deletetrack, changecarrier, changeinfo and push."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from parceltrace.protocol import validation
from parceltrace.protocol.errors import ApiError, ErrorCode
from parceltrace.protocol.parsing import rejection
from parceltrace.protocol.status import MainStatus, StopReason, TrackingStatus
from parceltrace.protocol.structs import (
    ChangeCarrierItem,
    ChangeInfoItem,
    NumberCarrier,
    NumberItem,
    Rejected,
)
from parceltrace.service.context import Services
from parceltrace.service.pushes import PushRequest, enqueue
from parceltrace.service.targets import matching, valid_numbers
from parceltrace.store.engine import Transaction
from parceltrace.store.notify import notify_in
from parceltrace.store.records import Tracking, TrackingChanges
from parceltrace.store.trackings import delete_trackings, rows_by_number, update_trackings
from parceltrace.tracking.model import decode_result
from parceltrace.tracking.registration import check_final_carrier, check_param, known_carrier

MAX_CARRIER_CHANGES = 5
RETRACK_FROM_SCRATCH: TrackingChanges = {
    "package_status": MainStatus.NOT_FOUND.value,
    "awaiting_result": True,
    "source_data": None,
    "latest_event_time": None,
    "latest_sync_status": None,
    "recipient_country": None,
    "lease_owner": None,
    "lease_until": None,
}
"""A carrier change re-tracks with the new carrier: the old carrier's result no longer applies."""


@dataclass
class Writes:
    """What the accepted rows of one request change, written in a few statements at the end:
    on SQLite every statement is a turn of the event loop while the single writer is held."""

    updates: list[tuple[int, TrackingChanges]] = field(default_factory=list)
    deletions: list[int] = field(default_factory=list)
    pushes: list[PushRequest] = field(default_factory=list)

    def set(self, tracking: Tracking, changes: TrackingChanges) -> None:
        self.updates.append((tracking.id, changes))

    async def apply(self, conn: Transaction) -> None:
        """Updates in request order, then deletions, then the pushes they cause."""
        await update_trackings(conn, self.updates)
        await delete_trackings(conn, self.deletions)
        if self.pushes:
            await enqueue(conn, self.pushes)


Action = Callable[[Tracking, datetime, Writes], ErrorCode | None]


async def _each(
    services: Services,
    account_id: int,
    items: list[NumberItem | Rejected],
    action: Action,
    *,
    wake_poller: bool = False,
) -> dict[str, Any]:
    """Apply `action` to every tracking each item names; collect accepted and rejected.
    `wake_poller`: the action left work for the worker (a poll or a push) to do at once."""
    accepted: list[NumberCarrier] = []
    rejected: list[Rejected] = []
    now = services.now_for(account_id)
    writes = Writes()
    async with services.store.write() as conn:
        grouped = await rows_by_number(conn, account_id, valid_numbers(items), lock=True)
        for item in items:
            rows = matching(item, grouped, None if isinstance(item, Rejected) else item.carrier)
            if isinstance(rows, Rejected):
                rejected.append(rows)
                continue
            for row in rows:
                error = action(row, now, writes)
                if error is None:
                    accepted.append(NumberCarrier(row.number, row.carrier))
                else:
                    rejected.append(rejection(row.number, error))
        await writes.apply(conn)
        if accepted and wake_poller:
            await notify_in(conn)
    if accepted and wake_poller:
        services.wake_poller()
    return {"accepted": accepted, "rejected": rejected}


def _stop(row: Tracking, now: datetime, writes: Writes) -> ErrorCode | None:
    if row.tracking_status != TrackingStatus.TRACKING:
        return ErrorCode.STOP_ONLY_TRACKING
    writes.set(
        row,
        {
            "tracking_status": TrackingStatus.STOPPED.value,
            "stop_track_time": now,
            "stop_track_reason": StopReason.BY_REQUEST.value,
            "next_poll_at": None,
            "lease_owner": None,
            "lease_until": None,
        },
    )
    return None


def _retrack(row: Tracking, now: datetime, writes: Writes) -> ErrorCode | None:
    if row.tracking_status != TrackingStatus.STOPPED:
        return ErrorCode.RETRACK_ONLY_STOPPED
    if row.is_retracked:
        return ErrorCode.RETRACK_ONCE
    writes.set(
        row,
        {
            "tracking_status": TrackingStatus.TRACKING.value,
            "stop_track_time": None,
            "stop_track_reason": None,
            "is_retracked": True,
            "tracking_since": now,
            "next_poll_at": now,
        },
    )
    return None


def _delete(row: Tracking, now: datetime, writes: Writes) -> ErrorCode | None:
    writes.deletions.append(row.id)
    return None


def _push(row: Tracking, now: datetime, writes: Writes) -> ErrorCode | None:
    """Queue a TRACKING_UPDATED with the tracking's current info."""
    writes.pushes.append(
        PushRequest.for_tracking(row, decode_result(row.source_data), updated=True, stopped=False, at=now)
    )
    return None


async def stop_track(
    services: Services, account_id: int, items: list[NumberItem | Rejected]
) -> dict[str, Any]:
    return await _each(services, account_id, items, _stop)


async def retrack(services: Services, account_id: int, items: list[NumberItem | Rejected]) -> dict[str, Any]:
    return await _each(services, account_id, items, _retrack, wake_poller=True)


async def delete_track(
    services: Services, account_id: int, items: list[NumberItem | Rejected]
) -> dict[str, Any]:
    return await _each(services, account_id, items, _delete)


async def push(
    services: Services, account_id: int, webhook_url: str | None, items: list[NumberItem | Rejected]
) -> dict[str, Any]:
    """Queues a push of each tracking's current info; the dispatcher delivers it."""
    if not webhook_url:
        raise ApiError(ErrorCode.WEBHOOK_NOT_SET)
    result = await _each(services, account_id, items, _push, wake_poller=True)
    if result["accepted"]:
        services.wake_deliveries()
    return result


async def change_info(
    services: Services, account_id: int, items: list[ChangeInfoItem | Rejected]
) -> dict[str, Any]:
    accepted: list[NumberCarrier] = []
    rejected: list[Rejected] = []
    writes = Writes()
    async with services.store.write() as conn:
        grouped = await rows_by_number(conn, account_id, valid_numbers(items), lock=True)
        for item in items:
            rows = matching(item, grouped, None if isinstance(item, Rejected) else item.carrier)
            if isinstance(rows, Rejected):
                rejected.append(rows)
                continue
            assert isinstance(item, ChangeInfoItem)
            if len(rows) > 1:
                rejected.append(rejection(item.number, ErrorCode.UPDATE_NOT_UNIQUE))
                continue
            row = rows[0]
            try:
                values = _info_changes(item, row.carrier)
            except ApiError as exc:
                rejected.append(rejection(row.number, exc.code, *exc.args_))
                continue
            writes.set(row, values)
            accepted.append(NumberCarrier(row.number, row.carrier))
        await writes.apply(conn)
    return {"accepted": accepted, "rejected": rejected}


def _info_changes(item: ChangeInfoItem, carrier: int) -> TrackingChanges:
    changes = item.items
    values: TrackingChanges = {}
    if changes.tag is not None:
        values["tag"] = validation.optional_text(changes.tag, "tag")
    if changes.remark is not None:
        values["remark"] = validation.optional_text(changes.remark, "remark")
    if changes.lang is not None:
        values["lang"] = validation.lang(changes.lang)
    if changes.param is not None:
        values["param"] = check_param(carrier, changes.param)
    if not values:
        raise ApiError(ErrorCode.UPDATE_DATA_INVALID)
    return values


async def change_carrier(
    services: Services, account_id: int, items: list[ChangeCarrierItem | Rejected]
) -> dict[str, Any]:
    accepted: list[NumberCarrier] = []
    rejected: list[Rejected] = []
    now = services.now_for(account_id)
    async with services.store.write() as conn:
        grouped = await rows_by_number(conn, account_id, valid_numbers(items), lock=True)
        for item in items:
            if isinstance(item, Rejected):
                rejected.append(item)
                continue
            try:
                row, values = _carrier_change(item, grouped, now)
            except ApiError as exc:
                rejected.append(rejection(item.number.upper(), exc.code, *exc.args_))
                continue
            await update_trackings(conn, [(row.id, values)])
            new_carrier = values.get("carrier", row.carrier)
            grouped.update(await rows_by_number(conn, account_id, {row.number}))
            accepted.append(NumberCarrier(row.number, new_carrier))
        if accepted:
            await notify_in(conn)
    if accepted:
        services.wake_poller()
    return {"accepted": accepted, "rejected": rejected}


def _carrier_change(
    item: ChangeCarrierItem, grouped: dict[str, list[Tracking]], now: datetime
) -> tuple[Tracking, TrackingChanges]:
    number = validation.number(item.number)
    if not item.carrier_new and not item.final_carrier_new:
        raise ApiError(ErrorCode.CARRIER_NEW_MISSING)
    rows = grouped.get(number, [])
    if item.carrier_old:
        rows = [r for r in rows if r.carrier == item.carrier_old]
        if not rows:
            raise ApiError(ErrorCode.CARRIER_OLD_NOT_REGISTERED, item.carrier_old, number)
    if not rows:
        raise ApiError(ErrorCode.NOT_REGISTERED, number)
    if len(rows) > 1:
        raise ApiError(ErrorCode.MULTIPLE_CARRIERS)
    row = rows[0]
    values: TrackingChanges = {}
    if item.carrier_new:
        if known_carrier_or_none(item.carrier_new) is None:
            raise ApiError(ErrorCode.CARRIER_NEW_INCORRECT, item.carrier_new)
        if item.carrier_new == row.carrier:
            raise ApiError(ErrorCode.CARRIER_SAME_AS_CURRENT)
        values["carrier"] = item.carrier_new
        check_param(item.carrier_new, row.param)
    carrier = values.get("carrier", row.carrier)
    if item.final_carrier_new:
        if item.final_carrier_old and item.final_carrier_old != row.final_carrier:
            raise ApiError(ErrorCode.CARRIER_OLD_NOT_REGISTERED, item.final_carrier_old, number)
        final = check_final_carrier(carrier, item.final_carrier_new)
        if final == row.final_carrier and "carrier" not in values:
            raise ApiError(ErrorCode.CARRIER_SAME_AS_CURRENT)
        values["final_carrier"] = final
    if row.tracking_status != TrackingStatus.TRACKING:
        raise ApiError(ErrorCode.CARRIER_CHANGE_STOPPED)
    if row.carrier_change_count >= MAX_CARRIER_CHANGES:
        raise ApiError(ErrorCode.CARRIER_CHANGE_LIMIT)
    if row.awaiting_result:
        raise ApiError(ErrorCode.CARRIER_CHANGE_PENDING)
    if any(r.carrier == carrier and r.id != row.id for r in grouped.get(number, [])):
        raise ApiError(ErrorCode.CARRIER_CHANGE_DUPLICATE, number)
    values.update(RETRACK_FROM_SCRATCH)
    values.update({"carrier_change_count": row.carrier_change_count + 1, "next_poll_at": now})
    return row, values


def known_carrier_or_none(code: int) -> int | None:
    try:
        return known_carrier(code).code
    except ApiError:
        return None
