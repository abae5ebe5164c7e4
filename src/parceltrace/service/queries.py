"""gettrackinfo, gettracklist and getquota: reads that never charge."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from parceltrace.carriers import params
from parceltrace.protocol import validation
from parceltrace.protocol.errors import ApiError, ErrorCode
from parceltrace.protocol.status import DataOrigin, MainStatus, OrderBy, PushStatus, TrackingStatus
from parceltrace.protocol.structs import (
    NumberItem,
    Page,
    Rejected,
    TrackInfoItem,
    TrackListItem,
    TrackListQuery,
)
from parceltrace.service.context import Services
from parceltrace.service.targets import matching, valid_numbers
from parceltrace.store.records import Tracking
from parceltrace.store.track_list import TrackFilter, list_page
from parceltrace.store.trackings import rows_by_number
from parceltrace.tracking.derive import derive_track_info, list_facts
from parceltrace.tracking.model import decode_result
from parceltrace.tracking.registration import known_carrier

T = TypeVar("T")
PAGE_SIZE = 40
MAX_FILTER_NUMBERS = 200


def iso(moment: datetime | None) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def track_info_item(row: Tracking, now: datetime) -> TrackInfoItem:
    result = decode_result(row.source_data)
    failed = row.latest_sync_status == "Failure"
    return TrackInfoItem(
        number=row.number,
        carrier=row.carrier,
        param=row.param,
        tag=row.tag,
        track_info=derive_track_info(
            result, now, row.shipping_country, row.recipient_country, failed, row.carrier
        ),
    )


async def get_track_info(
    services: Services,
    account_id: int,
    items: list[NumberItem | Rejected],
    shape: Callable[[Tracking, datetime], Any] = track_info_item,
) -> dict[str, Any]:
    """`shape`: one stored tracking -> its answer item (v2.2's, or another version's)."""
    accepted: list[Any] = []
    rejected: list[Rejected] = []
    now = services.now_for(account_id)
    async with services.store.read() as conn:
        grouped = await rows_by_number(conn, account_id, valid_numbers(items))
    for item in items:
        rows = matching(item, grouped, None if isinstance(item, Rejected) else item.carrier)
        if isinstance(rows, Rejected):
            rejected.append(rows)
        else:
            accepted.extend(shape(row, now) for row in rows)
    return {"accepted": accepted, "rejected": rejected}


def _enum(value: str | None, allowed: type[Any], field: str) -> str | None:
    if value is None or value == "":
        return None
    if value not in {m.value for m in allowed}:
        raise ApiError(ErrorCode.FIELD_VALUE_INVALID, value, field)
    return value


def _numbers(text: str | None) -> list[str]:
    if not text:
        return []
    numbers = [n.strip() for n in text.split(",") if n.strip()]
    if len(numbers) > MAX_FILTER_NUMBERS:
        raise ApiError(ErrorCode.FIELD_VALUE_INVALID, f"{len(numbers)} numbers", "number")
    return [validation.number(n) for n in numbers]


def track_list_filter(account_id: int, query: TrackListQuery) -> TrackFilter:
    """gettracklist's filters, validated in the order 003 lists them: the first invalid value
    fails the whole request."""
    numbers = tuple(_numbers(query.number))
    if query.carrier:
        known_carrier(query.carrier)
    data_origin = _enum(query.data_origin, DataOrigin, "data_origin")
    package_status = _enum(query.package_status, MainStatus, "package_status")
    tracking_status = _enum(query.tracking_status, TrackingStatus, "tracking_status")
    push_status = _enum(query.push_status, PushStatus, "push_status")
    ranges = {
        "register_time": (query.register_time_from, query.register_time_to),
        "track_time": (query.track_time_from, query.track_time_to),
        "push_time": (query.push_time_from, query.push_time_to),
        "stop_track_time": (query.stop_track_time_from, query.stop_track_time_to),
    }
    return TrackFilter(
        account_id,
        numbers=numbers,
        carrier=query.carrier or None,
        data_origin=data_origin,
        package_statuses=None if package_status is None else (package_status,),
        tracking_status=tracking_status,
        push_status=push_status,
        push_status_code=query.push_status_code,
        between={name: validation.time_range(start, end, name) for name, (start, end) in ranges.items()},
    )


def order_of(order_by: str | None) -> OrderBy:
    return OrderBy(_enum(order_by, OrderBy, "order_by") or OrderBy.REGISTER_TIME_ASC)


def track_list_item(row: Tracking, now: datetime) -> TrackListItem:
    facts = list_facts(decode_result(row.source_data), now)
    metrics = facts.metrics
    return TrackListItem(
        number=row.number,
        param=row.param,
        param_type=params.param_type(row.carrier, row.param),
        data_origin=row.data_origin,
        carrier=row.carrier,
        shipping_country=row.shipping_country,
        final_carrier=row.final_carrier,
        recipient_country=row.recipient_country or facts.recipient_country,
        register_time=iso(row.register_time) or "",
        tracking_status=row.tracking_status,
        package_status=row.package_status,
        track_time=iso(row.track_time),
        push_time=iso(row.push_time),
        push_status=row.push_status,
        push_status_code=row.push_status_code,
        stop_track_time=iso(row.stop_track_time),
        stop_track_reason=row.stop_track_reason,
        is_retracked=row.is_retracked,
        carrier_change_count=row.carrier_change_count,
        tag=row.tag,
        email=row.email or "",
        order_no=row.order_no,
        order_time=row.order_time,
        lang=row.lang or "",
        remark=row.remark,
        latest_event_time=facts.latest_event_time,
        latest_event_info=facts.latest_event_info,
        days_after_order=metrics.days_after_order,
        days_after_last_update=metrics.days_after_last_update,
        days_of_transit=metrics.days_of_transit,
        days_of_transit_done=metrics.days_of_transit_done,
        delievery_time=facts.delivery_time,
        pickup_time=facts.pickup_time or "",
    )


async def get_track_list(
    services: Services,
    account_id: int,
    query: TrackListQuery,
    shape: Callable[[Tracking, datetime], T],
) -> tuple[Page, list[T]]:
    wanted = track_list_filter(account_id, query)
    page, rows = await list_page(services.store, wanted, order_of(query.order_by), query.page_no, PAGE_SIZE)
    now = services.now_for(account_id)
    return page, [shape(r, now) for r in rows]


async def get_track_list_by_status(
    services: Services,
    account_id: int,
    statuses: list[MainStatus] | None,
    tracking: TrackingStatus | None,
    page_no: int,
    page_size: int,
) -> tuple[Page, list[TrackListItem]]:
    """v1's gettracklist: filters on a set of main statuses and on tracking or stopped, pages
    of up to 40."""
    wanted = TrackFilter(
        account_id,
        package_statuses=None if statuses is None else tuple(status.value for status in statuses),
        tracking_status=None if tracking is None else tracking.value,
    )
    page, rows = await list_page(services.store, wanted, OrderBy.REGISTER_TIME_ASC, page_no, page_size)
    now = services.now_for(account_id)
    return page, [track_list_item(r, now) for r in rows]
