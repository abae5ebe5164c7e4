"""What both clients share, without I/O: items -> batches of 40, responses -> results or errors."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import msgspec

from parceltrace.client.errors import (
    AnswerTooLarge,
    AuthenticationError,
    ClientError,
    InvalidRequestError,
    RateLimitError,
    ServerError,
    TransportError,
)
from parceltrace.protocol.errors import ErrorCode
from parceltrace.protocol.status import DATA_ORIGIN_HEADER
from parceltrace.protocol.structs import (
    Page,
    Quota,
    TrackInfoItem,
    TrackListItem,
)

DEFAULT_BASE_URL = "https://api.17track.net/track/v2.2"
BATCH_SIZE = 40
MAX_ANSWER = 8 * 1024 * 1024
"""Bytes of one answer read at most: 40 numbers' tracking details are a few hundred kilobytes;
a 50 MB answer from an upstream was stored whole."""
INTERNAL_ERROR = int(ErrorCode.INTERNAL_ERROR)
ALREADY_REGISTERED = int(ErrorCode.ALREADY_REGISTERED)
T = TypeVar("T")

Item = str | Mapping[str, Any] | msgspec.Struct
"""A number alone, or a dict / protocol struct with the endpoint's fields."""


class Rejection(msgspec.Struct, frozen=True):
    number: str | None
    code: int
    message: str


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


def _first_error(payload: Any) -> tuple[int | None, str]:
    try:
        error = payload["data"]["errors"][0]
        return int(error["code"]), str(error["message"])
    except (KeyError, IndexError, TypeError, ValueError):
        return None, "no error details in the answer"


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


def check(status: int, headers: Mapping[str, str], content: bytes) -> Any:
    """The decoded payload of a successful answer; raises the matching ClientError otherwise."""
    try:
        payload = msgspec.json.decode(content) if content else None
    except msgspec.DecodeError as exc:
        if status >= 500:
            raise ServerError(
                f"HTTP {status} without a JSON body", status, None, _retry_after(headers)
            ) from exc
        raise TransportError(f"the answer (HTTP {status}) is not JSON", status) from exc
    code, message = _first_error(payload)
    if status == 401:
        raise AuthenticationError(message, status, code)
    if status == 429:
        raise RateLimitError(message, _retry_after(headers))
    if status >= 500:
        raise ServerError(message, status, code, _retry_after(headers))
    if status != 200:
        raise InvalidRequestError(message, status, code)
    if not isinstance(payload, dict) or "data" not in payload:
        raise TransportError("the answer is not a 17TRACK envelope", status)
    if isinstance(payload["data"], dict) and "errors" in payload["data"]:
        error_class: type[ClientError] = ServerError if code == INTERNAL_ERROR else InvalidRequestError
        raise error_class(message, status, code)
    return payload


def batch_result(payload: Any, accepted_type: type[T], skip_registered: bool = False) -> BatchResult[T]:
    data = payload["data"]
    accepted: list[T] = [msgspec.convert(item, accepted_type) for item in data.get("accepted") or []]
    result: BatchResult[T] = BatchResult(accepted=accepted)
    for raw in data.get("rejected") or []:
        error = raw.get("error") or {}
        rejection = Rejection(raw.get("number"), int(error.get("code", 0)), str(error.get("message", "")))
        if skip_registered and rejection.code == ALREADY_REGISTERED and rejection.number:
            result.already_registered.append(rejection.number)
        else:
            result.rejected.append(rejection)
    return result


def quota(payload: Any) -> Quota:
    return msgspec.convert(payload["data"], Quota)


def track_list_page(payload: Any) -> TrackListPage:
    return TrackListPage(
        page=msgspec.convert(payload["page"], Page),
        items=msgspec.convert(payload["data"].get("accepted") or [], list[TrackListItem]),
    )


def lookup_items(listed: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The gettrackinfo items that find what a registration of `listed` would collide with."""
    return [
        {"number": i["number"], **({"carrier": i["carrier"]} if i.get("carrier") else {})} for i in listed
    ]


def dry_run(listed: list[dict[str, Any]], known: BatchResult[TrackInfoItem]) -> DryRun:
    registered = {item.number.upper() for item in known.accepted}
    new = [i for i in listed if str(i["number"]).upper() not in registered]
    return DryRun([str(i["number"]) for i in new], sorted(registered), registration_cost(new))
