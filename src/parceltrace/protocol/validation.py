"""Field rules of 003 for tracking numbers and registration data, as pure checks.

Each check returns the normalized value or raises ApiError with the documented code.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta

from parceltrace.protocol.errors import ApiError, ErrorCode
from parceltrace.protocol.status import LANGUAGES

NUMBER = re.compile(r"[A-Za-z0-9-]{5,50}")
ORDER_NO = re.compile(r"[A-Za-z0-9-]{5,50}")
PARAM = re.compile(r"[A-Za-z0-9 /-]{1,12}")
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
LIMITS = {"tag": 100, "remark": 1000, "email": 250}


def plain_int(text: str, max_digits: int = 18) -> int | None:
    """`text` as a non-negative integer when it is only ASCII digits (at most `max_digits`);
    None otherwise. (`str.isdigit` also accepts "²", which `int` refuses.)"""
    if 0 < len(text) <= max_digits and text.isascii() and text.isdigit():
        return int(text)
    return None


def number(value: str) -> str:
    """5 to 50 letters, digits or hyphens; compared in upper case."""
    if not NUMBER.fullmatch(value):
        raise ApiError(ErrorCode.DATA_FORMAT_INVALID, value)
    return value.upper()


def shown(value: str) -> str:
    """A number as rejections echo it: upper case when it is a number at all, else as sent."""
    return value.upper() if isinstance(value, str) and NUMBER.fullmatch(value) else value


def _text(value: str, field: str) -> str:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise ApiError(ErrorCode.FIELD_VALUE_INVALID, "", field) from exc
    if "\x00" in value:
        raise ApiError(ErrorCode.FIELD_VALUE_INVALID, value.replace("\x00", ""), field)
    return value


def optional_text(value: str | None, field: str) -> str | None:
    """Free text within its documented length; empty means absent (the API answers null)."""
    if value is None or value == "":
        return None
    _text(value, field)
    if len(value) > LIMITS[field]:
        raise ApiError(ErrorCode.FIELD_VALUE_INVALID, value[:20] + "...", field)
    if field == "email" and not EMAIL.fullmatch(value):
        raise ApiError(ErrorCode.FIELD_VALUE_INVALID, value, field)
    return value


def param(value: str | None) -> str | None:
    """Up to 12 letters, digits and spaces (003); dates as yyyy-mm-dd or yyyy/m/d."""
    if value is None or value.strip() == "":
        return None
    if not PARAM.fullmatch(value):
        raise ApiError(ErrorCode.FIELD_VALUE_INVALID, _text(value, "param"), "param")
    return value


def lang(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if value.lower() not in LANGUAGES:
        raise ApiError(ErrorCode.FIELD_VALUE_INVALID, _text(value, "lang"), "lang")
    return value.lower()


def order_no(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if not ORDER_NO.fullmatch(value):
        raise ApiError(ErrorCode.FIELD_VALUE_INVALID, _text(value, "order_no"), "order_no")
    return value


def parse_time(value: str) -> datetime | None:
    """Dates and times as integrators send them: 2023/1/1, 2023-01-01, ISO 8601 with zone."""
    text = value.strip()
    for fmt in ("%Y/%m/%d", "%Y-%m-%d", "%Y/%m/%d %H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text, fmt).replace(tzinfo=UTC)
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def is_date_only(value: str) -> bool:
    return parse_time(value) is not None and len(value.strip()) <= 10


def order_time(value: str | None) -> str | None:
    if value is None or value == "":
        return None
    if parse_time(value) is None:
        raise ApiError(ErrorCode.FIELD_VALUE_INVALID, _text(value, "order_time"), "order_time")
    return value


def time_range(start: str | None, end: str | None, field: str) -> tuple[datetime | None, datetime | None]:
    """A `_from`/`_to` filter pair as a half-open range [low, high).

    Both ends are inclusive for the caller: a date-only `_to` includes that whole day.
    """
    low = high = None
    if start:
        low = parse_time(start)
        if low is None:
            raise ApiError(ErrorCode.FIELD_VALUE_INVALID, _text(start, field), f"{field}_from")
    if end:
        high = parse_time(end)
        if high is None:
            raise ApiError(ErrorCode.FIELD_VALUE_INVALID, _text(end, field), f"{field}_to")
        if is_date_only(end):
            high = datetime.combine(high.date(), time.min, UTC) + timedelta(days=1)
        else:
            high += timedelta(microseconds=1)
    return low, high


def utc_day(moment: datetime) -> date:
    return moment.astimezone(UTC).date()
