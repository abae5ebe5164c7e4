"""Request bodies -> typed items, with 17TRACK's errors instead of framework errors.

A body that is not the expected JSON shape fails as a whole (-18010013, -18010014); an item
that is malformed is rejected on its own, so one bad item never sinks its 39 neighbours.
"""

from __future__ import annotations

import re
from typing import Any, TypeVar

import msgspec

from parceltrace.protocol.errors import ApiError, ErrorCode, message
from parceltrace.protocol.structs import ErrorBody, Rejected
from parceltrace.protocol.validation import shown

MAX_ITEMS = 40
T = TypeVar("T", bound=msgspec.Struct)
_FIELD_IN_ERROR = re.compile(r"at `\$\.([A-Za-z_]+)")
_MISSING_FIELD = re.compile(r"missing required field `([A-Za-z_]+)`")


def decode_json(body: bytes) -> Any:
    if not body.strip():
        raise ApiError(ErrorCode.SUBMITTED_DATA_INVALID)
    try:
        return msgspec.json.decode(body)
    except (msgspec.DecodeError, RecursionError, UnicodeDecodeError) as exc:
        raise ApiError(ErrorCode.SUBMITTED_DATA_INVALID) from exc


def rejection(
    number: object, code: ErrorCode, *args: Any, tag: str | None = None, detail: str = ""
) -> Rejected:
    """An item's rejection, echoing its number (in upper case when it is a valid number);
    `detail` follows the documented message, for what it alone cannot tell."""
    echoed = shown(number) if isinstance(number, str) else None
    return Rejected(echoed, ErrorBody(int(code), f"{message(code, *args)} {detail}".rstrip()), tag)


def convert_item(raw: Any, item_type: type[T]) -> T | Rejected:
    """One list item -> its struct, or a rejection naming the field that is wrong."""
    if not isinstance(raw, dict):
        return rejection(None, ErrorCode.SUBMITTED_DATA_INVALID)
    number = raw.get("number")
    if number is None or number == "":
        return rejection(None, ErrorCode.DATA_REQUIRED, "number")
    try:
        return msgspec.convert(raw, item_type, strict=False)
    except msgspec.ValidationError as exc:
        text = str(exc)
        if missing := _MISSING_FIELD.search(text):
            return rejection(number, ErrorCode.DATA_REQUIRED, missing.group(1))
        field = _FIELD_IN_ERROR.search(text)
        return rejection(number, ErrorCode.DATA_VALUE_INVALID, field.group(1) if field else "item")


def parse_items(body: bytes, item_type: type[T]) -> list[T | Rejected]:
    """A JSON array of at most 40 items; each converted or rejected in its place."""
    data = decode_json(body)
    if not isinstance(data, list):
        raise ApiError(ErrorCode.SUBMITTED_DATA_INVALID)
    if not data:
        raise ApiError(ErrorCode.DATA_REQUIRED, "number")
    if len(data) > MAX_ITEMS:
        raise ApiError(ErrorCode.OVER_40_LIMIT)
    return [convert_item(raw, item_type) for raw in data]


def parse_object(body: bytes, object_type: type[T]) -> T:
    """A JSON object (gettracklist's filters); an empty body means no filter."""
    data: Any = decode_json(body) if body.strip() else {}
    if not isinstance(data, dict):
        raise ApiError(ErrorCode.SUBMITTED_DATA_INVALID)
    try:
        return msgspec.convert(data, object_type, strict=False)
    except msgspec.ValidationError as exc:
        field = _FIELD_IN_ERROR.search(str(exc))
        name = field.group(1) if field else "data"
        raise ApiError(ErrorCode.FIELD_VALUE_INVALID, data.get(name, ""), name) from exc
