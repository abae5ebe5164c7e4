"""What both clients share, without I/O: items -> batches of 40, responses -> results or errors."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import msgspec

from parceltrace.client.answers import Page, Quota, TrackInfoItem, TrackListItem, read
from parceltrace.client.errors import (
    AnswerTooLarge,
    AuthenticationError,
    ClientError,
    InvalidRequestError,
    MalformedAnswer,
    RateLimitError,
    ServerError,
    TransportError,
)
from parceltrace.protocol.errors import MESSAGES, ErrorCode
from parceltrace.protocol.status import DATA_ORIGIN_HEADER

DEFAULT_BASE_URL = "https://api.17track.net/track/v2.2"
BATCH_SIZE = 40
MAX_ANSWER = 8 * 1024 * 1024
"""Bytes of one answer read at most: 40 numbers' tracking details are a few hundred kilobytes;
a 50 MB answer from an upstream was stored whole."""
INTERNAL_ERROR = int(ErrorCode.INTERNAL_ERROR)
ALREADY_REGISTERED = int(ErrorCode.ALREADY_REGISTERED)
REFUSED_KEY = frozenset(
    int(c)
    for c in (
        ErrorCode.IP_NOT_WHITELISTED,
        ErrorCode.INVALID_KEY,
        ErrorCode.ACCOUNT_DISABLED,
        ErrorCode.UNAUTHORIZED_ACCESS,
    )
)
"""17TRACK codes that say the key cannot be used, whatever the HTTP status."""
T = TypeVar("T")

Item = str | Mapping[str, Any] | msgspec.Struct
"""A number alone, or a dict / protocol struct with the endpoint's fields."""


class Rejection(msgspec.Struct, frozen=True):
    """An item the server refused, or one of its answer the client could not read (`code`
    None): with every field the answered item carried (`item`), e.g. the `tag` a shop finds
    its order by."""

    number: str | None
    code: int | None
    message: str
    tag: str | None = None
    item: dict[str, Any] = msgspec.field(default_factory=dict)


@dataclass
class BatchResult(Generic[T]):
    """Per-item outcomes of a call, merged over all its batches of 40."""

    accepted: list[T] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    already_registered: list[str] = field(default_factory=list)
    """register(skip_registered=True): numbers that were registered already (not charged)."""

    def extend(self, other: BatchResult[T]) -> None:
        self.accepted.extend(other.accepted)
        self.rejected.extend(other.rejected)
        self.already_registered.extend(other.already_registered)


@dataclass(frozen=True)
class TrackListPage:
    page: Page
    items: list[TrackListItem]
    unreadable: list[Rejection] = field(default_factory=list)
    """Listed items the client could not read (the others are in `items`)."""


@dataclass(frozen=True)
class DryRun:
    """What register() would do: numbers already there (free) and the quota the rest would cost."""

    to_register: list[str]
    already_registered: list[str]
    cost: int


def as_dict(item: Item) -> dict[str, Any]:
    if isinstance(item, str):
        return {"number": item}
    if isinstance(item, msgspec.Struct):
        return {k: v for k, v in msgspec.to_builtins(item).items() if v is not None}
    return dict(item)


def batches(items: Iterable[Item], size: int = BATCH_SIZE) -> Iterator[list[dict[str, Any]]]:
    chunk: list[dict[str, Any]] = []
    for item in items:
        chunk.append(as_dict(item))
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def origin_headers(data_origin: str | None) -> dict[str, str] | None:
    """The header that tells parceltrace where registered numbers came from, if one is given."""
    return {DATA_ORIGIN_HEADER: data_origin} if data_origin else None


def registration_cost(items: list[dict[str, Any]]) -> int:
    """The most a registration can cost: 1 per number, 2 with `lang`."""
    return sum(2 if item.get("lang") else 1 for item in items)


def _error_of(payload: Any) -> tuple[int | None, str | None]:
    """17TRACK's error code and message in an answer: the first of `data.errors`, else a
    non-zero top-level `code` (`{"code": -18010002, "data": null}`). Codes that are not
    17TRACK's (an HTTP status copied into the envelope) are not taken for one."""
    if not isinstance(payload, dict):
        return None, None
    data = payload.get("data")
    errors = data.get("errors") if isinstance(data, dict) else None
    first = errors[0] if isinstance(errors, list) and errors and isinstance(errors[0], dict) else {}
    message = first.get("message")
    for candidate in (first.get("code"), payload.get("code")):
        code = _as_int(candidate)
        if code is not None and code < 0:
            return code, str(message) if message else _documented(code)
    return None, str(message) if message else None


def _as_int(value: Any) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _documented(code: int) -> str:
    try:
        return MESSAGES[ErrorCode(code)]
    except (ValueError, KeyError):
        return f"17TRACK error {code}"


def _retry_after(headers: Mapping[str, str]) -> float | None:
    try:
        return float(headers["retry-after"])
    except (KeyError, ValueError):
        return None


class Capped:
    """An answer's body, read chunk by chunk up to MAX_ANSWER bytes (AnswerTooLarge past it)."""

    def __init__(self, status: int) -> None:
        self.status = status
        self.chunks: list[bytes] = []
        self.size = 0

    def add(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self.size > MAX_ANSWER:
            raise AnswerTooLarge(f"the answer is over {MAX_ANSWER // (1024 * 1024)} MiB", status=self.status)
        self.chunks.append(chunk)

    @property
    def content(self) -> bytes:
        return b"".join(self.chunks)


def check(status: int, headers: Mapping[str, str], content: bytes) -> dict[str, Any]:
    """The decoded payload of a successful answer; raises the matching ClientError otherwise,
    with the 17TRACK code wherever the answer has one."""
    try:
        payload = msgspec.json.decode(content) if content else None
    except msgspec.DecodeError as exc:
        if status >= 500:
            raise ServerError(
                f"HTTP {status} without a JSON body", status, None, _retry_after(headers)
            ) from exc
        raise TransportError(f"the answer (HTTP {status}) is not JSON", status) from exc
    code, said = _error_of(payload)
    message = said or f"HTTP {status} without error details"
    if status == 401:
        raise AuthenticationError(message, status, code)
    if status == 429:
        raise RateLimitError(message, _retry_after(headers), status, code)
    if status >= 500:
        raise ServerError(message, status, code, _retry_after(headers))
    if status != 200:
        raise InvalidRequestError(message, status, code)
    if code is not None:
        raise _error_class(code)(message, status, code)
    if not isinstance(payload, dict) or not isinstance(payload.get("data"), dict | list):
        raise MalformedAnswer("the answer is not a 17TRACK envelope (no data)", status)
    return payload


def _error_class(code: int) -> type[ClientError]:
    if code == INTERNAL_ERROR:
        return ServerError
    return AuthenticationError if code in REFUSED_KEY else InvalidRequestError


def _data(payload: dict[str, Any]) -> dict[str, Any]:
    data = payload["data"]
    if not isinstance(data, dict):
        raise MalformedAnswer("the answer's data is not an object")
    return data


def _items(data: dict[str, Any], key: str) -> list[Any]:
    items = data.get(key)
    if items is None:
        return []
    if not isinstance(items, list):
        raise MalformedAnswer(f"the answer's {key} is not a list")
    return items


def _unreadable(raw: Any, problem: Exception) -> Rejection:
    item = raw if isinstance(raw, dict) else {"value": raw}
    number = item.get("number")
    return Rejection(
        str(number) if number is not None else None,
        None,
        f"the answer's item could not be read: {problem}",
        item=item,
    )


def _read_each(items: list[Any], kind: type[T]) -> tuple[list[T], list[Rejection]]:
    """Each item read on its own: one that cannot be read is that item's problem, not the
    batch's."""
    read_ok: list[T] = []
    unreadable: list[Rejection] = []
    for raw in items:
        try:
            read_ok.append(read(raw, kind))
        except msgspec.ValidationError as problem:
            unreadable.append(_unreadable(raw, problem))
    return read_ok, unreadable


def _rejection(raw: Any) -> Rejection:
    if not isinstance(raw, dict):
        return _unreadable(raw, ValueError("not an object"))
    error = raw.get("error")
    if not isinstance(error, dict):
        error = {}
    code = _as_int(error.get("code"))
    message = error.get("message")
    number, tag = raw.get("number"), raw.get("tag")
    return Rejection(
        str(number) if number is not None else None,
        code,
        str(message) if message else (_documented(code) if code is not None else "no reason given"),
        str(tag) if tag is not None else None,
        item=raw,
    )


def batch_result(
    payload: dict[str, Any], accepted_type: type[T], skip_registered: bool = False
) -> BatchResult[T]:
    data = _data(payload)
    accepted, unreadable = _read_each(_items(data, "accepted"), accepted_type)
    result: BatchResult[T] = BatchResult(accepted=accepted, rejected=unreadable)
    for raw in _items(data, "rejected"):
        rejection = _rejection(raw)
        if skip_registered and rejection.code == ALREADY_REGISTERED and rejection.number:
            result.already_registered.append(rejection.number)
        else:
            result.rejected.append(rejection)
    return result


def quota(payload: dict[str, Any]) -> Quota:
    try:
        return read(_data(payload), Quota)
    except msgspec.ValidationError as problem:
        raise MalformedAnswer(f"the quota could not be read: {problem}") from problem


def track_list_page(payload: dict[str, Any]) -> TrackListPage:
    try:
        page = read(payload.get("page") or {}, Page)
    except msgspec.ValidationError as problem:
        raise MalformedAnswer(f"the page could not be read: {problem}") from problem
    items, unreadable = _read_each(_items(_data(payload), "accepted"), TrackListItem)
    return TrackListPage(page, items, unreadable)


def lookup_items(listed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The gettrackinfo items that find what a registration of `listed` would collide with."""
    return [
        {"number": i["number"], **({"carrier": i["carrier"]} if i.get("carrier") else {})} for i in listed
    ]


def dry_run(listed: list[dict[str, Any]], known: BatchResult[TrackInfoItem]) -> DryRun:
    """Counted from the request: a number of `listed` is already registered when the answer
    holds it; whatever else the answer holds is not counted."""
    registered = {item.number.upper() for item in known.accepted if item.number}
    new = [i for i in listed if str(i["number"]).upper() not in registered]
    there = [str(i["number"]) for i in listed if str(i["number"]).upper() in registered]
    return DryRun([str(i["number"]) for i in new], there, registration_cost(new))
