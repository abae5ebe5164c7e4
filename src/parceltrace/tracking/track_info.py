"""track_info documents built from what is known about a tracking (pure)."""

from __future__ import annotations

from parceltrace.protocol.status import MainStatus, SubStatus
from parceltrace.protocol.structs import (
    Address,
    LatestStatus,
    MiscInfo,
    ShippingInfo,
    TimeMetrics,
    TrackInfo,
    Tracking,
)


def empty_track_info(shipping_country: str | None, recipient_country: str | None) -> TrackInfo:
    """The documented "nothing yet" shape: NotFound_Other, no events, no providers."""
    return TrackInfo(
        shipping_info=ShippingInfo(
            shipper_address=Address(country=shipping_country),
            recipient_address=Address(country=recipient_country),
        ),
        latest_status=LatestStatus(MainStatus.NOT_FOUND.value, SubStatus.NOT_FOUND_OTHER.value),
        latest_event=None,
        time_metrics=TimeMetrics(),
        milestone=[],
        misc_info=MiscInfo(),
        tracking=Tracking(),
    )
