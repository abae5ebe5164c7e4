"""The trackings: the list, one tracking and what can be done to it, and registering numbers
(pasted or uploaded). Thin handlers over the same service functions as the API, so the
dashboard follows the API's rules and shows its error messages."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

import msgspec
from litestar import Response, get
from litestar.handlers import HTTPRouteHandler

from parceltrace.protocol.errors import ApiError, ErrorCode
from parceltrace.protocol.parsing import parse_items
from parceltrace.protocol.status import DataOrigin, OrderBy, TrackingStatus
from parceltrace.protocol.structs import (
    ChangeCarrierItem,
    ChangeInfoItem,
    NumberItem,
    RegisterItem,
    Rejected,
    TrackListQuery,
)
from parceltrace.protocol.validation import plain_int
from parceltrace.service import browse, manage, register, sharing
from parceltrace.service.context import Services
from parceltrace.service.csv_items import CsvProblem, pasted_items
from parceltrace.service.queries import track_info_item, track_list_item
from parceltrace.service.refresh import refresh
from parceltrace.service.uploads import uploaded_items
from parceltrace.service.web_sessions import WebSession
from parceltrace.store.records import Tracking
from parceltrace.web import views
from parceltrace.web.journey_map import journey_map
from parceltrace.web.pages import (
    HTML,
    REFUSED,
    AnyRequest,
    _describe,
    back,
    current,
    dashboard_of,
    form_action,
    page,
    show,
    to_login,
)

MAX_REGISTER = 5_000


"""Numbers per paste or upload (larger files: `parceltrace import`, which resumes)."""


BATCH = 40


LIST_FILTERS = ("status", "tracking", "origin", "carrier", "from", "to", "tag", "q", "order", "fetch")


def _query_from(params: dict[str, str]) -> TrackListQuery:
    """The list page's query string -> the API's gettracklist filters (validated by the API; a
    carrier that is no code is refused as the API refuses it, not ignored)."""
    carrier = params.get("carrier", "").strip()
    if carrier and plain_int(carrier, max_digits=9) is None:
        raise ApiError(ErrorCode.FIELD_VALUE_INVALID, carrier, "carrier")
    page_text = params.get("page", "1")
    return TrackListQuery(
        package_status=params.get("status") or None,
        tracking_status=params.get("tracking") or None,
        data_origin=params.get("origin") or None,
        carrier=plain_int(carrier, max_digits=9),
        register_time_from=params.get("from") or None,
        register_time_to=params.get("to") or None,
        order_by=params.get("order") or OrderBy.REGISTER_TIME_DESC.value,
        page_no=plain_int(page_text, max_digits=7) or 1,
    )


@get("/dashboard/trackings", media_type=HTML)
async def tracking_list(request: AnyRequest) -> Response[Any]:
    session = await current(request)
    if session is None:
        return to_login(request)
    services = dashboard_of(request).services
    params = {k: v for k, v in request.query_params.items() if isinstance(v, str)}
    filters = {k: params.get(k, "") for k in LIST_FILTERS}
    error = None
    try:
        page_info, rows = await browse.tracking_page(
            services,
            session.account.id,
            _query_from(params),
            filters["tag"] or None,
            filters["q"] or None,
            fetch_failed=filters["fetch"] == "failed",
        )
    except ApiError as exc:
        error = f"{exc.message} ({exc.code.value})"
        page_info, rows = None, []
    now = services.now_for(session.account.id)
    context: dict[str, Any] = {
        "filters": filters,
        "page": page_info,
        "items": [(row.id, track_list_item(row, now)) for row in rows],
        "failed_ids": {row.id for row in rows if row.latest_sync_status == "Failure"},
        "error": error,
        "query_without_page": urlencode({k: v for k, v in filters.items() if v}),
    }
    if request.headers.get("hx-target") == "results":
        return page("_results.html", **context)
    counts = await browse.status_counts(services, session.account.id)
    return await show(request, session, "list.html", counts=counts, orders=views.ORDER_LABEL, **context)


@get("/dashboard/trackings/{tracking_id:int}", media_type=HTML)
async def tracking_detail(request: AnyRequest) -> Response[Any]:
    tracking_id = int(request.path_params["tracking_id"])
    session = await current(request)
    if session is None:
        return to_login(request)
    services = dashboard_of(request).services
    row = await browse.tracking_by_id(services, session.account.id, tracking_id)
    if row is None:
        return await show(request, session, "error.html", 404, message="No such tracking in this account.")
    now = services.now_for(session.account.id)
    info = track_info_item(row, now).track_info
    return await show(
        request,
        session,
        "detail.html",
        row=row,
        item=track_list_item(row, now),
        info=info,
        milestones=views.milestone_bar(info),
        providers=views.timeline(info),
        window=views.delivery_window(info),
        journey=journey_map(info),
        share_url=f"{str(request.base_url).rstrip('/')}/p/{row.share_token}" if row.share_token else None,
    )


TrackingRun = Callable[[Services, Tracking, WebSession, dict[str, str]], Awaitable[str]]


"""What an action on one tracking does; it returns the message to show."""


def tracking_action(suffix: str, run: TrackingRun) -> HTTPRouteHandler:
    async def action(request: AnyRequest, session: WebSession, fields: dict[str, str]) -> Response[Any]:
        services = dashboard_of(request).services
        tracking_id = int(request.path_params["tracking_id"])
        row = await browse.tracking_by_id(services, session.account.id, tracking_id)
        if row is None:
            return await back(
                request, session, "/dashboard/trackings", "No such tracking in this account.", error=True
            )
        message = await run(services, row, session, fields)
        destination = (
            "/dashboard/trackings"
            if suffix == "delete" and message.startswith("Deleted")
            else f"/dashboard/trackings/{row.id}"
        )
        return await back(request, session, destination, message, error=message.startswith(REFUSED))

    return form_action(f"/dashboard/trackings/{{tracking_id:int}}/{suffix}", action)


def _one(row: Tracking, **extra: Any) -> bytes:
    return msgspec.json.encode([{"number": row.number, "carrier": row.carrier, **extra}])


def number_action(
    operation: Callable[[Services, int, list[NumberItem | Rejected]], Awaitable[dict[str, Any]]],
    done: str,
) -> TrackingRun:
    """stoptrack, retrack or deletetrack of this one tracking, as the API does them."""

    async def run(services: Services, row: Tracking, session: WebSession, fields: dict[str, str]) -> str:
        result = await operation(services, session.account.id, parse_items(_one(row), NumberItem))
        return _describe(result, done.format(number=row.number))

    return run


async def do_push(services: Services, row: Tracking, session: WebSession, fields: dict[str, str]) -> str:
    result = await manage.push(
        services, session.account.id, session.account.webhook_url, parse_items(_one(row), NumberItem)
    )
    return _describe(result, "Push queued to the webhook.")


async def do_info(services: Services, row: Tracking, session: WebSession, fields: dict[str, str]) -> str:
    body = msgspec.json.encode(
        [
            {
                "number": row.number,
                "carrier": row.carrier,
                "items": {"tag": fields.get("tag", ""), "remark": fields.get("remark", "")},
            }
        ]
    )
    result = await manage.change_info(services, session.account.id, parse_items(body, ChangeInfoItem))
    return _describe(result, "Saved tag and remark.")


async def do_carrier(services: Services, row: Tracking, session: WebSession, fields: dict[str, str]) -> str:
    text = fields.get("carrier_new", "").strip()
    code = plain_int(text, max_digits=9)
    new: Any = text if code is None else code
    body = msgspec.json.encode([{"number": row.number, "carrier_old": row.carrier, "carrier_new": new}])
    try:
        result = await manage.change_carrier(
            services, session.account.id, parse_items(body, ChangeCarrierItem)
        )
    except ApiError as exc:
        return f"{REFUSED}{exc.message} ({exc.code.value})"
    return _describe(
        result, f"Carrier changed to {views.carrier_name(new) if isinstance(new, int) else new}."
    )


async def do_share(services: Services, row: Tracking, session: WebSession, fields: dict[str, str]) -> str:
    await sharing.share(services, session.account.id, row.id)
    return "Public link created: anyone with the link can see this parcel's journey."


async def do_unshare(services: Services, row: Tracking, session: WebSession, fields: dict[str, str]) -> str:
    await sharing.unshare(services, session.account.id, row.id)
    return "Public link revoked."


@get("/dashboard/register", media_type=HTML)
async def register_form(request: AnyRequest) -> Response[Any]:
    session = await current(request)
    if session is None:
        return to_login(request)
    return await show(request, session, "register.html", results=None, pasted="")


async def run_registration(
    request: AnyRequest,
    session: WebSession,
    items: list[dict[str, Any]],
    origin: DataOrigin,
    pasted: str,
    read_as: str | None = None,
    notes: list[str] | None = None,
) -> Response[Any]:
    """Registrations go 40 numbers at a time at the key's API rate limit, as through the API;
    `read_as` says how an uploaded file was read, `notes` what was tidied in it."""
    if not items:
        return await show(
            request, session, "register.html", results=None, pasted=pasted, error="No numbers found."
        )
    if len(items) > MAX_REGISTER:
        error = f"{len(items)} numbers: at most {MAX_REGISTER} at once (use `parceltrace import` for more)."
        return await show(request, session, "register.html", results=None, pasted=pasted, error=error)
    web = dashboard_of(request)
    accepted: list[Any] = []
    rejected: list[Rejected] = []
    for first in range(0, len(items), BATCH):
        await web.limiter.take_turn(session.account.id, session.account.rate_limit)
        body = msgspec.json.encode(items[first : first + BATCH])
        result = await register.register(
            web.services, session.account.id, parse_items(body, RegisterItem), origin
        )
        accepted.extend(result["accepted"])
        rejected.extend(result["rejected"])
    ids = await browse.tracking_ids(web.services, session.account.id, [item.number for item in accepted])
    return await show(
        request,
        session,
        "register.html",
        results={"accepted": accepted, "rejected": rejected, "ids": ids},
        pasted=pasted,
        read_as=read_as,
        notes=notes or [],
    )


async def do_register(request: AnyRequest, session: WebSession, fields: dict[str, str]) -> Response[Any]:
    text = fields.get("numbers", "")
    return await run_registration(request, session, pasted_items(text), DataOrigin.MANUAL, text)


async def do_import(request: AnyRequest, session: WebSession, fields: dict[str, str]) -> Response[Any]:
    try:
        upload = uploaded_items(getattr(request.state, "upload", b""))
    except CsvProblem as problem:
        return await show(request, session, "register.html", results=None, pasted="", error=str(problem))
    return await run_registration(
        request, session, upload.items, DataOrigin.IMPORT, "", read_as=upload.read_as, notes=upload.notes
    )


async def do_refresh(services: Services, row: Tracking, session: WebSession, fields: dict[str, str]) -> str:
    if row.tracking_status != TrackingStatus.TRACKING.value:
        return REFUSED + "only a tracking being tracked can be polled; retrack it first."
    await refresh(services, services.now_for(session.account.id), session.account.id, ids=[row.id])
    services.wake_poller()
    return "Polling it now (no quota is used): reload in a few seconds."


TRACKING_ACTIONS: list[tuple[str, TrackingRun]] = [
    ("refresh", do_refresh),
    ("stop", number_action(manage.stop_track, "Stopped tracking.")),
    ("retrack", number_action(manage.retrack, "Tracking again.")),
    ("delete", number_action(manage.delete_track, "Deleted {number}.")),
    ("push", do_push),
    ("info", do_info),
    ("carrier", do_carrier),
    ("share", do_share),
    ("unshare", do_unshare),
]
