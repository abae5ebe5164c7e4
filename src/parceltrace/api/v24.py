"""The v2.4 version (`/track/v2.4/...`): v2.2's operations, with v2.4's added answer fields."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from parceltrace.api.operations import Call, Version, table
from parceltrace.carriers import params
from parceltrace.protocol import v24
from parceltrace.protocol.parsing import parse_items, parse_object
from parceltrace.protocol.structs import RealTimeItem, TrackInfoItem, TrackListQuery, ok
from parceltrace.service import queries, realtime
from parceltrace.service.context import Services
from parceltrace.store.records import Account, Tracking


def registration_facts(
    carrier: int, param: str | None, lang: str | None, origin: str | None, destination: str | None
) -> v24.Registration:
    """What is known of a tracking beyond its events, as v2.4 answers it: the given language
    and countries, and what the carrier's kind of `param` says."""
    facts = params.param_facts(carrier, param)
    return v24.Registration(
        lang=lang or None,
        origin_country=origin,
        destination_country=facts.get("destination_country") or destination,
        destination_postal_code=facts.get("destination_postal_code"),
        phone_number_last_4=facts.get("phone_number_last_4"),
        ship_date=facts.get("ship_date"),
    )


def registration(tracking: Tracking) -> v24.Registration:
    return registration_facts(
        tracking.carrier, tracking.param, tracking.lang, tracking.shipping_country, tracking.recipient_country
    )


def track_info_item(tracking: Tracking, now: datetime) -> v24.TrackInfoItemV24:
    return v24.track_info_item(queries.track_info_item(tracking, now), registration(tracking))


def track_list_item(tracking: Tracking, now: datetime) -> v24.TrackListItemV24:
    return v24.track_list_item(
        queries.track_list_item(tracking, now), tracking.latest_sync_status == "Success"
    )


async def get_track_list(services: Services, account: Account, call: Call) -> dict[str, Any]:
    query = parse_object(call.body, TrackListQuery)
    page, items = await queries.get_track_list(services, account.id, query, track_list_item)
    return {"page": page, "code": 0, "data": {"accepted": items}}


def _realtime_item(item: TrackInfoItem) -> v24.TrackInfoItemV24:
    """A fetched item: what the request and the answer tell (a fetch carries no lang)."""
    shipping = item.track_info.shipping_info
    known = registration_facts(
        item.carrier, item.param, None, shipping.shipper_address.country, shipping.recipient_address.country
    )
    return v24.track_info_item(item, known)


async def get_realtime(services: Services, account: Account, call: Call) -> dict[str, Any]:
    result = await realtime.realtime_track_info(services, account, parse_items(call.body, RealTimeItem))
    return ok(
        {"accepted": [_realtime_item(item) for item in result["accepted"]], "rejected": result["rejected"]}
    )


V24 = Version(
    track_info=track_info_item, own={"gettracklist": get_track_list, "getrealtimetrackinfo": get_realtime}
)
V24_OPERATIONS = table(V24)
