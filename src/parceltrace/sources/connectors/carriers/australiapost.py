"""Australia Post: the connector's catalog entry and its status table (with its sources)."""

from __future__ import annotations

from typing import Any

from parceltrace.sources.connectors.carrier import (
    COMMON_PHRASES,
    Carrier,
    ConnectorSpec,
    Pace,
    S,
    StatusTable,
)

SPEC = ConnectorSpec(
    "australiapost",
    "Australia Post",
    (1151,),
    "developers.auspost.com.au: Shipping and Tracking API (API key, password, account number)",
    "Australia/Melbourne",
    Pace(10, 60),
    "developers.auspost.com.au: Track Items allows 10 requests per minute",
    batch=10,
    invalid_number_codes=frozenset({"ESB-10001"}),  # "Invalid tracking ID"
)

# developers.auspost.com.au Track Items: events carry a description and no code.
STATUSES = StatusTable(
    source="descriptions only (Australia Post's events carry no code), from a recorded answer",
    phrases=(
        ("shipping information received", S.INFO_RECEIVED),
        ("shipping information approved", S.INFO_RECEIVED),
        ("received by australia post", S.IN_TRANSIT_PICKED_UP),
        ("item received", S.IN_TRANSIT_PICKED_UP),
        ("onboard for delivery", S.OUT_FOR_DELIVERY_OTHER),
        ("on board for delivery", S.OUT_FOR_DELIVERY_OTHER),
        ("awaiting collection", S.AVAILABLE_FOR_PICKUP_OTHER),
        ("attempted delivery", S.DELIVERY_FAILURE_NO_BODY),
        ("card left", S.DELIVERY_FAILURE_NO_BODY),
        ("cannot be delivered", S.DELIVERY_FAILURE_OTHER),
        ("possible delay", S.EXCEPTION_DELAYED),
        ("article damaged", S.EXCEPTION_DAMAGE),
        ("cancelled", S.EXCEPTION_CANCEL),
        ("cleared by customs", S.IN_TRANSIT_CUSTOMS_RELEASED),  # samples/karrio_tracking.json
        ("customs", S.IN_TRANSIT_CUSTOMS_PROCESSING),
        ("in transit", S.IN_TRANSIT_OTHER),
        ("processed through", S.IN_TRANSIT_OTHER),
        *COMMON_PHRASES,
    ),
    event_status_is_karrios=False,
)


def consignments_as_items(answer: Any) -> Any:
    """Australia Post answers a consignment with its articles' events under
    `trackable_items[].items[]`, where karrio's parser does not look (8 events of karrio's own
    recorded answer were lost, the parcel shown as not found): such a trackable item gets its
    articles' events, newest first, and their status when it has none."""
    for result in answer.get("tracking_results") or [] if isinstance(answer, dict) else []:
        for trackable in result.get("trackable_items") or []:
            articles = trackable.get("items") or []
            if trackable.get("events") or not articles:
                continue
            events = [event for article in articles for event in article.get("events") or []]
            trackable["events"] = sorted(events, key=lambda event: str(event.get("date") or ""), reverse=True)
            trackable.setdefault("status", next((a.get("status") for a in articles if a.get("status")), None))
    return answer


CARRIER = Carrier(SPEC, STATUSES, adapt_answer=consignments_as_items)
