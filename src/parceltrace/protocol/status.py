"""The 9 main statuses, 30 sub-statuses and 9 milestone key stages of 17TRACK v2.2."""

from __future__ import annotations

from enum import StrEnum


class MainStatus(StrEnum):
    NOT_FOUND = "NotFound"
    INFO_RECEIVED = "InfoReceived"
    IN_TRANSIT = "InTransit"
    EXPIRED = "Expired"
    AVAILABLE_FOR_PICKUP = "AvailableForPickup"
    OUT_FOR_DELIVERY = "OutForDelivery"
    DELIVERY_FAILURE = "DeliveryFailure"
    DELIVERED = "Delivered"
    EXCEPTION = "Exception"


class SubStatus(StrEnum):
    NOT_FOUND_OTHER = "NotFound_Other"
    NOT_FOUND_INVALID_CODE = "NotFound_InvalidCode"
    INFO_RECEIVED = "InfoReceived"
    IN_TRANSIT_PICKED_UP = "InTransit_PickedUp"
    IN_TRANSIT_OTHER = "InTransit_Other"
    IN_TRANSIT_DEPARTURE = "InTransit_Departure"
    IN_TRANSIT_ARRIVAL = "InTransit_Arrival"
    IN_TRANSIT_CUSTOMS_PROCESSING = "InTransit_CustomsProcessing"
    IN_TRANSIT_CUSTOMS_RELEASED = "InTransit_CustomsReleased"
    IN_TRANSIT_CUSTOMS_REQUIRING_INFORMATION = "InTransit_CustomsRequiringInformation"
    EXPIRED_OTHER = "Expired_Other"
    AVAILABLE_FOR_PICKUP_OTHER = "AvailableForPickup_Other"
    OUT_FOR_DELIVERY_OTHER = "OutForDelivery_Other"
    DELIVERY_FAILURE_OTHER = "DeliveryFailure_Other"
    DELIVERY_FAILURE_NO_BODY = "DeliveryFailure_NoBody"
    DELIVERY_FAILURE_SECURITY = "DeliveryFailure_Security"
    DELIVERY_FAILURE_REJECTED = "DeliveryFailure_Rejected"
    DELIVERY_FAILURE_INVALID_ADDRESS = "DeliveryFailure_InvalidAddress"
    DELIVERED_OTHER = "Delivered_Other"
    EXCEPTION_OTHER = "Exception_Other"
    EXCEPTION_RETURNING = "Exception_Returning"
    EXCEPTION_RETURNED = "Exception_Returned"
    EXCEPTION_NO_BODY = "Exception_NoBody"
    EXCEPTION_SECURITY = "Exception_Security"
    EXCEPTION_DAMAGE = "Exception_Damage"
    EXCEPTION_REJECTED = "Exception_Rejected"
    EXCEPTION_DELAYED = "Exception_Delayed"
    EXCEPTION_LOST = "Exception_Lost"
    EXCEPTION_DESTROYED = "Exception_Destroyed"
    EXCEPTION_CANCEL = "Exception_Cancel"

    @property
    def main(self) -> MainStatus:
        """The main status this sub-status belongs to (the text before `_`)."""
        return MainStatus(self.value.split("_", 1)[0])


class KeyStage(StrEnum):
    """Milestone key stages, in the order 003 documents them."""

    INFO_RECEIVED = "InfoReceived"
    PICKED_UP = "PickedUp"
    DEPARTURE = "Departure"
    ARRIVAL = "Arrival"
    AVAILABLE_FOR_PICKUP = "AvailableForPickup"
    OUT_FOR_DELIVERY = "OutForDelivery"
    DELIVERED = "Delivered"
    RETURNING = "Returning"
    RETURNED = "Returned"


def other_sub_status(main: MainStatus) -> SubStatus:
    """The `_Other` sub-status of a main status, the landing place of unknown carrier statuses."""
    if main is MainStatus.INFO_RECEIVED:
        return SubStatus.INFO_RECEIVED
    return SubStatus(f"{main.value}_Other")


class TrackingStatus(StrEnum):
    TRACKING = "Tracking"
    STOPPED = "Stopped"


class StopReason(StrEnum):
    EXPIRED = "Expired"
    BY_REQUEST = "ByRequest"
    INVALID_CARRIER = "InvalidCarrier"


class PushStatus(StrEnum):
    NOT_PUSHED = "NotPushed"
    SUCCESS = "Success"
    FAILURE = "Failure"


class DataOrigin(StrEnum):
    API = "Api"
    MANUAL = "Manual"
    IMPORT = "Import"

    @classmethod
    def from_header(cls, value: str | None) -> DataOrigin:
        """The origin a register call names in DATA_ORIGIN_HEADER, any case; a missing or
        unknown value is an ordinary API call (17TRACK itself ignores the header)."""
        wanted = (value or "").strip().lower()
        return next((origin for origin in cls if origin.value.lower() == wanted), cls.API)


DATA_ORIGIN_HEADER = "X-Parceltrace-Data-Origin"
"""A parceltrace extension: `Import` or `Manual` on register marks where the numbers came from
(the CLI's `import` sends `Import`), shown as `data_origin` and filterable like the dashboard's."""


class OrderBy(StrEnum):
    REGISTER_TIME_ASC = "RegisterTimeAsc"
    REGISTER_TIME_DESC = "RegisterTimeDesc"
    PUSH_TIME_ASC = "PushTimeAsc"
    PUSH_TIME_DESC = "PushTimeDesc"
    TRACK_TIME_ASC = "TrackTimeAsc"
    TRACK_TIME_DESC = "TrackTimeDesc"


LANGUAGES: frozenset[str] = frozenset({"en", "ja", "fr", "da", "th", "de", "es", "zh-hans"})
