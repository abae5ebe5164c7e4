"""AsyncClient: the 17TRACK v2.2 API (the real one or parceltrace) from asyncio code."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable
from typing import Any, TypeVar

import httpx
import msgspec

from parceltrace.client import core
from parceltrace.client.answers import NumberCarrier, Quota, RegisterAccepted, TrackInfoItem, TrackListItem
from parceltrace.client.core import BatchResult, DryRun, Item, TrackListPage
from parceltrace.client.errors import ClientError, QuotaError, TransportError
from parceltrace.client.limiter import AsyncLimiter
from parceltrace.client.retry import RetryPolicy

T = TypeVar("T")


class AsyncClient:
    def __init__(
        self,
        key: str,
        base_url: str = core.DEFAULT_BASE_URL,
        *,
        rate_limit: float = 3.0,
        retry: RetryPolicy | None = None,
        timeout: float = 30.0,
        transport: httpx.AsyncBaseTransport | None = None,
        limiter: AsyncLimiter | None = None,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self._http = httpx.AsyncClient(
            base_url=base_url.rstrip("/") + "/",
            headers={"17token": key, "content-type": "application/json"},
            timeout=timeout,
            transport=transport,
        )
        self._limiter = limiter or AsyncLimiter(rate_limit)
        self._retry = retry or RetryPolicy()
        self._sleep = sleep

    async def __aenter__(self) -> AsyncClient:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        await self._http.aclose()

    async def _call(self, operation: str, body: Any, headers: dict[str, str] | None = None) -> Any:
        """One request, spaced by the limiter, retried when the failure says it may help."""
        content = msgspec.json.encode(body)
        for attempt in range(1, self._retry.attempts + 1):
            await self._limiter.wait()
            try:
                try:
                    async with self._http.stream(
                        "POST", operation, content=content, headers=headers
                    ) as response:
                        body = core.Capped(response.status_code)
                        async for chunk in response.aiter_bytes():
                            body.add(chunk)
                except httpx.HTTPError as exc:
                    raise TransportError(f"{type(exc).__name__}: {exc}") from exc
                return core.check(response.status_code, response.headers, body.content)
            except ClientError as error:
                if not error.retryable or attempt == self._retry.attempts:
                    raise
                await self._sleep(self._retry.delay(attempt, error.retry_after))
        raise AssertionError("unreachable")

    async def _batched(
        self,
        operation: str,
        items: Iterable[Item],
        accepted: type[T],
        skip_registered: bool = False,
        headers: dict[str, str] | None = None,
    ) -> BatchResult[T]:
        merged: BatchResult[T] = BatchResult()
        for batch in core.batches(items):
            answer = await self._call(operation, batch, headers)
            merged.extend(core.batch_result(answer, accepted, skip_registered))
        return merged

    async def register(
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
        return await self._batched("register", listed, RegisterAccepted, skip_registered, headers)

    async def register_dry_run(self, items: Iterable[Item]) -> DryRun:
        """What register() would charge, found with the free gettrackinfo."""
        listed = [core.as_dict(i) for i in items]
        known = await self.get_track_info(core.lookup_items(listed))
        return core.dry_run(listed, known)

    async def change_carrier(self, items: Iterable[Item]) -> BatchResult[NumberCarrier]:
        return await self._batched("changecarrier", items, NumberCarrier)

    async def change_info(self, items: Iterable[Item]) -> BatchResult[NumberCarrier]:
        return await self._batched("changeinfo", items, NumberCarrier)

    async def stop_track(self, items: Iterable[Item]) -> BatchResult[NumberCarrier]:
        return await self._batched("stoptrack", items, NumberCarrier)

    async def retrack(self, items: Iterable[Item]) -> BatchResult[NumberCarrier]:
        return await self._batched("retrack", items, NumberCarrier)

    async def delete_track(self, items: Iterable[Item]) -> BatchResult[NumberCarrier]:
        return await self._batched("deletetrack", items, NumberCarrier)

    async def push(self, items: Iterable[Item]) -> BatchResult[NumberCarrier]:
        return await self._batched("push", items, NumberCarrier)

    async def get_track_info(self, items: Iterable[Item]) -> BatchResult[TrackInfoItem]:
        return await self._batched("gettrackinfo", items, TrackInfoItem)

    async def get_realtime_track_info(self, items: Iterable[Item]) -> BatchResult[TrackInfoItem]:
        return await self._batched("getRealTimeTrackInfo", items, TrackInfoItem)

    async def get_quota(self) -> Quota:
        return core.quota(await self._call("getquota", []))

    async def get_track_list(self, **filters: Any) -> TrackListPage:
        return core.track_list_page(await self._call("gettracklist", filters))

    async def iter_track_list(self, **filters: Any) -> AsyncIterator[TrackListItem]:
        """Every tracking matching the filters, page after page."""
        page_no = int(filters.pop("page_no", 1))
        while True:
            page = await self.get_track_list(page_no=page_no, **filters)
            for item in page.items:
                yield item
            if page.page.page_total is None or page_no >= page.page.page_total:
                return
            page_no += 1
