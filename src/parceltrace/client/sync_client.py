"""Client: the 17TRACK v2.2 API (the real one or parceltrace) from ordinary, blocking code.

The same methods and results as AsyncClient; both are thin I/O around `client.core`."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import httpx
import msgspec

from parceltrace.client import core
from parceltrace.client.answers import NumberCarrier, Quota, RegisterAccepted, TrackInfoItem, TrackListItem
from parceltrace.client.core import BatchResult, DryRun, Item, TrackListPage
from parceltrace.client.errors import ClientError, QuotaError, TransportError
from parceltrace.client.limiter import Limiter
from parceltrace.client.retry import RetryPolicy

T = TypeVar("T")


class Client:
    def __init__(
        self,
        key: str,
        base_url: str = core.DEFAULT_BASE_URL,
        *,
        rate_limit: float = 3.0,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        transport: httpx.BaseTransport | None = None,
        limiter: Limiter | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self._http = httpx.Client(
            base_url=base_url.rstrip("/") + "/",
            headers={"17token": key, "content-type": "application/json"},
            timeout=timeout,
            transport=transport,
        )
        self._limiter = limiter or Limiter(rate_limit)
        self._retry = retry or RetryPolicy()
        self._sleep = sleep

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def _call(self, operation: str, body: Any, headers: dict[str, str] | None = None) -> Any:
        content = msgspec.json.encode(body)
        for attempt in range(1, self._retry.attempts + 1):
            self._limiter.wait()
            try:
                try:
                    with self._http.stream("POST", operation, content=content, headers=headers) as response:
                        body = core.Capped(response.status_code)
                        for chunk in response.iter_bytes():
                            body.add(chunk)
                except httpx.HTTPError as exc:
                    raise TransportError(f"{type(exc).__name__}: {exc}") from exc
                return core.check(response.status_code, response.headers, body.content)
            except ClientError as error:
                if not error.retryable or attempt == self._retry.attempts:
                    raise
                self._sleep(self._retry.delay(attempt, error.retry_after))
        raise AssertionError("unreachable")

    def _batched(
        self,
        operation: str,
        items: Iterable[Item],
        accepted: type[T],
        skip_registered: bool = False,
        headers: dict[str, str] | None = None,
    ) -> BatchResult[T]:
        merged: BatchResult[T] = BatchResult()
        for batch in core.batches(items):
            answer = self._call(operation, batch, headers)
            merged.extend(core.batch_result(answer, accepted, skip_registered))
        return merged

    def register(
        self,
        items: Iterable[Item],
        *,
        skip_registered: bool = False,
        max_quota: int | None = None,
        data_origin: str | None = None,
    ) -> BatchResult[RegisterAccepted]:
        """Register numbers (any count; sent 40 at a time). `skip_registered`: -18019901 is not
        an error but lands in `already_registered`; `max_quota`: refuse before spending more;
        `data_origin` ("Import", "Manual"): a parceltrace extension, ignored by 17TRACK."""
        listed = [core.as_dict(i) for i in items]
        cost = core.registration_cost(listed)
        if max_quota is not None and cost > max_quota:
            raise QuotaError(f"registering these could cost {cost} quota (max_quota={max_quota})")
        headers = core.origin_headers(data_origin)
        return self._batched("register", listed, RegisterAccepted, skip_registered, headers)

    def register_dry_run(self, items: Iterable[Item]) -> DryRun:
        """What register() would charge, found with the free gettrackinfo."""
        listed = [core.as_dict(i) for i in items]
        known = self.get_track_info(core.lookup_items(listed))
        return core.dry_run(listed, known)

    def change_carrier(self, items: Iterable[Item]) -> BatchResult[NumberCarrier]:
        return self._batched("changecarrier", items, NumberCarrier)

    def change_info(self, items: Iterable[Item]) -> BatchResult[NumberCarrier]:
        return self._batched("changeinfo", items, NumberCarrier)

    def stop_track(self, items: Iterable[Item]) -> BatchResult[NumberCarrier]:
        return self._batched("stoptrack", items, NumberCarrier)

    def retrack(self, items: Iterable[Item]) -> BatchResult[NumberCarrier]:
        return self._batched("retrack", items, NumberCarrier)

    def delete_track(self, items: Iterable[Item]) -> BatchResult[NumberCarrier]:
        return self._batched("deletetrack", items, NumberCarrier)

    def push(self, items: Iterable[Item]) -> BatchResult[NumberCarrier]:
        return self._batched("push", items, NumberCarrier)

    def get_track_info(self, items: Iterable[Item]) -> BatchResult[TrackInfoItem]:
        return self._batched("gettrackinfo", items, TrackInfoItem)

    def get_realtime_track_info(self, items: Iterable[Item]) -> BatchResult[TrackInfoItem]:
        return self._batched("getRealTimeTrackInfo", items, TrackInfoItem)

    def get_quota(self) -> Quota:
        return core.quota(self._call("getquota", []))

    def get_track_list(self, **filters: Any) -> TrackListPage:
        return core.track_list_page(self._call("gettracklist", filters))

    def iter_track_list(self, **filters: Any) -> Iterator[TrackListItem]:
        """Every tracking matching the filters, page after page."""
        page_no = int(filters.pop("page_no", 1))
        while True:
            page = self.get_track_list(page_no=page_no, **filters)
            yield from page.items
            if page.page.page_total is None or page_no >= page.page.page_total:
                return
            page_no += 1
