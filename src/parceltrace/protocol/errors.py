"""Error codes of 17TRACK v2.2 with their documented messages (003, the canonical table).

Messages keep the documented `{0}`/`{1}` placeholders; `message()` fills them with the real
values, quoted the way the documentation's own examples quote them.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from parceltrace.protocol.failures import ParceltraceError


class ErrorCode(IntEnum):
    SUCCESS = 0
    IP_NOT_WHITELISTED = -18010001
    INVALID_KEY = -18010002
    INTERNAL_ERROR = -18010003
    ACCOUNT_DISABLED = -18010004
    UNAUTHORIZED_ACCESS = -18010005
    DATA_REQUIRED = -18010010
    DATA_VALUE_INVALID = -18010011
    DATA_FORMAT_INVALID = -18010012
    SUBMITTED_DATA_INVALID = -18010013
    OVER_40_LIMIT = -18010014
    FIELD_VALUE_INVALID = -18010015
    FINAL_CARRIER_POSTAL_ONLY = -18010016
    PARAM_COUNTRY_POSTAL_REQUIRED = -18010018
    PARAM_POSTAL_REQUIRED = -18010019
    PARAM_PHONE_REQUIRED = -18010020
    PARAM_ADDITIONAL_REQUIRED = -18010022
    WEBHOOK_URL_REQUIRED = -18010201
    WEBHOOK_URL_FORMAT = -18010202
    WEBHOOK_TEST_FAILED = -18010203
    WEBHOOK_NOT_SET = -18010204
    IP_FORMAT_INVALID = -18010205
    PUSH_FAILED = -18010206
    ALREADY_REGISTERED = -18019901
    NOT_REGISTERED = -18019902
    CARRIER_NOT_DETECTED = -18019903
    RETRACK_ONLY_STOPPED = -18019904
    RETRACK_ONCE = -18019905
    STOP_ONLY_TRACKING = -18019906
    DAILY_LIMIT_EXCEEDED = -18019907
    QUOTA_EXHAUSTED = -18019908
    NO_TRACKING_INFO = -18019909
    CARRIER_CODE_INCORRECT = -18019910
    CARRIER_NOT_REGISTRABLE = -18019911
    MULTIPLE_CARRIERS = -18019801
    CARRIER_NEW_INCORRECT = -18019802
    CARRIER_SAME_AS_CURRENT = -18019803
    CARRIER_NEW_MISSING = -18019804
    CARRIER_OLD_NOT_REGISTERED = -18019805
    CARRIER_CHANGE_STOPPED = -18019806
    CARRIER_CHANGE_LIMIT = -18019807
    CARRIER_CHANGE_PENDING = -18019808
    CARRIER_CHANGE_DUPLICATE = -18019809
    UPDATE_NOT_UNIQUE = -18019810
    UPDATE_DATA_INVALID = -18019811
    REALTIME_CARRIER_UNSUPPORTED = -18019818
    REALTIME_CHARGE_NOT_PROCESSED = -18019817
    REALTIME_CARRIER_ERROR = -18019816
    REALTIME_CARRIER_TIMEOUT = -18019815
    REALTIME_NOT_ALLOWED = -18019912


MESSAGES: dict[ErrorCode, str] = {
    ErrorCode.SUCCESS: "Success",
    ErrorCode.IP_NOT_WHITELISTED: "Your IP is not in the whitelist. You can set it in the dashboard.",
    ErrorCode.INVALID_KEY: "Invalid security key.",
    ErrorCode.INTERNAL_ERROR: "Internal service error. Please try again later.",
    ErrorCode.ACCOUNT_DISABLED: "The account is disabled.",
    ErrorCode.UNAUTHORIZED_ACCESS: "Unauthorized access.",
    ErrorCode.DATA_REQUIRED: "Please provide the data {0}.",
    ErrorCode.DATA_VALUE_INVALID: "The value of data {0} is invalid.",
    ErrorCode.DATA_FORMAT_INVALID: "The format of the data {0} is invalid.",
    ErrorCode.SUBMITTED_DATA_INVALID: "Invalid submitted data.",
    ErrorCode.OVER_40_LIMIT: "Tracking numbers exceed 40 limit.",
    ErrorCode.FIELD_VALUE_INVALID: "The value {0} of the field {1} is invalid.",
    ErrorCode.FINAL_CARRIER_POSTAL_ONLY: "Last-mile carrier can only be set for postal services.",
    ErrorCode.PARAM_COUNTRY_POSTAL_REQUIRED: (
        "The '{1}' field is required for this tracking. "
        "Please provide Alpha-2 country code and postal code. Example: '{0}'."
    ),
    ErrorCode.PARAM_POSTAL_REQUIRED: (
        "The '{1}' field is required for this tracking. Please provide postal code. Example: '{0}'."
    ),
    ErrorCode.PARAM_PHONE_REQUIRED: (
        "The '{1}' field is required for this tracking. Please provide phone number. Example: '{0}'."
    ),
    ErrorCode.PARAM_ADDITIONAL_REQUIRED: (
        "Additional information is needed to continue tracking your package. Example: '2024-01-01'."
    ),
    ErrorCode.WEBHOOK_URL_REQUIRED: "Webhook URL is required.",
    ErrorCode.WEBHOOK_URL_FORMAT: "Incorrect URL format of 'Webhook'.",
    ErrorCode.WEBHOOK_TEST_FAILED: "WebHook test failed, Http status code: {0}.",
    ErrorCode.WEBHOOK_NOT_SET: "Webhook URL not set, can't push data.",
    ErrorCode.IP_FORMAT_INVALID: "Incorrect IP format.",
    ErrorCode.PUSH_FAILED: "Push failed.",
    ErrorCode.ALREADY_REGISTERED: "Tracking number {0} is already registered.",
    ErrorCode.NOT_REGISTERED: "Tracking number {0} is not registered yet. Please register first.",
    ErrorCode.CARRIER_NOT_DETECTED: (
        "The carrier can not be detected, please visit "
        "https://res.17track.net/asset/carrier/info/apicarrier.all.json "
        "for the carrier code and send in as the parameter."
    ),
    ErrorCode.RETRACK_ONLY_STOPPED: "Only stopped numbers can be re-tracked.",
    ErrorCode.RETRACK_ONCE: "Each tracking number can only be re-tracked once.",
    ErrorCode.STOP_ONLY_TRACKING: "Only numbers being tracked can be stopped.",
    ErrorCode.DAILY_LIMIT_EXCEEDED: "Tracking amount exceeds your daily limit.",
    ErrorCode.QUOTA_EXHAUSTED: "Your quotas have ran out.",
    ErrorCode.NO_TRACKING_INFO: "No tracking info at the moment.",
    ErrorCode.CARRIER_CODE_INCORRECT: "Carrier Code {0} is incorrect.",
    ErrorCode.CARRIER_NOT_REGISTRABLE: (
        "The tracking number of this carrier can not be registered at the moment."
    ),
    ErrorCode.MULTIPLE_CARRIERS: (
        "The tracking number is registered with multiple carriers. Please specify which tracking "
        "number you want to change the carrier code for by specifying the carrier_old parameter."
    ),
    ErrorCode.CARRIER_NEW_INCORRECT: "The parameter carrier_new {0} is incorrect.",
    ErrorCode.CARRIER_SAME_AS_CURRENT: (
        "The Carrier Code to be changed can not be the same of the current one."
    ),
    ErrorCode.CARRIER_NEW_MISSING: (
        "The Carrier Code to be changed must be specified to carrier_new or final_carrier_new."
    ),
    ErrorCode.CARRIER_OLD_NOT_REGISTERED: (
        "The tracking number {1} for the specified carrier {0} is not registered, "
        "or the existing carrier parameter carrier_old is incorrect."
    ),
    ErrorCode.CARRIER_CHANGE_STOPPED: (
        "Carrier can not be changed for stopped numbers. "
        "Please retrack the number before changing the carrier."
    ),
    ErrorCode.CARRIER_CHANGE_LIMIT: "The times for changing carrier exceed limit.",
    ErrorCode.CARRIER_CHANGE_PENDING: (
        "The tracking result has not been returned after the latest registration or "
        "modification. Please wait for the tracking result to be returned before changing it."
    ),
    ErrorCode.CARRIER_CHANGE_DUPLICATE: (
        "The registration information of the carrier with tracking number {0} already exists "
        "and cannot be changed to a duplicate registration information."
    ),
    ErrorCode.UPDATE_NOT_UNIQUE: "Data that meet the update condition are not unique.",
    ErrorCode.UPDATE_DATA_INVALID: "The data need to be changed is not valid.",
    ErrorCode.REALTIME_CARRIER_UNSUPPORTED: (
        "The carrier is not supported in the real-time tracking interface."
    ),
    ErrorCode.REALTIME_CHARGE_NOT_PROCESSED: ("System error; the charge for this request was not processed."),
    ErrorCode.REALTIME_CARRIER_ERROR: (
        "The carrier interface encountered an error, and no tracking results were retrieved."
    ),
    ErrorCode.REALTIME_CARRIER_TIMEOUT: "The carrier interface response timed out.",
    ErrorCode.REALTIME_NOT_ALLOWED: ("Unauthorized account access to the real-time tracking interface."),
}


def message(code: ErrorCode, *args: Any) -> str:
    """The documented message of `code` with `{0}`, `{1}` filled by `args`, each quoted."""
    template = MESSAGES[code]
    for index, value in enumerate(args):
        slot = "{" + str(index) + "}"
        template = template.replace(f"'{slot}'", slot).replace(slot, f"'{value}'")
    return template


class ApiError(ParceltraceError):
    """A whole-request or per-item failure carrying a 17TRACK error code."""

    def __init__(self, code: ErrorCode, *args: Any, detail: str = "") -> None:
        """`detail` follows the documented message, for what it alone cannot tell (a limit)."""
        self.code = code
        self.args_ = args
        self.detail = detail
        super().__init__(f"{message(code, *args)} {detail}".rstrip())

    @property
    def message(self) -> str:
        return str(self)
