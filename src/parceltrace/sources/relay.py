"""The relay: live tracking through any 17TRACK-compatible API (17TRACK itself or another
parceltrace), with the SDK.

- One upstream registration per (number, carrier) serves every local account tracking it, so
  upstream quota is spent once (`upstream_registrations`).
- Polls are `gettrackinfo` (free), batched 40 numbers a call from the poller's concurrent
  fetches; an answer (polled or pushed to `/hooks/upstream`) serves every account's tracking of
  that number for `cache_for`.
- When no local tracking is active any more the registration is stopped upstream, and deleted
  when none is left at all (`service.upstream.release_unneeded`, run by the worker); pushes
  to `/hooks/upstream` are `service.upstream.receive_push`.
- The source keeps its records through an `UpstreamBook` the caller gives it (the server's is
  `store.upstream.UpstreamRecords`): it fetches, its caller persists.
- Any upstream failure is a SourceError: the tracking shows `latest_sync_status: Failure` and
  is polled again later; nothing local is lost.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any, Protocol

import msgspec
import msgspec.inspect
import structlog

from parceltrace.client import answers
from parceltrace.client.async_client import AsyncClient
from parceltrace.client.core import Rejection
from parceltrace.client.errors import ClientError
from parceltrace.protocol.errors import ErrorCode
from parceltrace.protocol.status import SubStatus
from parceltrace.protocol.structs import TrackInfo
from parceltrace.sources.base import SourceError, TrackingRef
from parceltrace.sources.batching import MicroBatcher
from parceltrace.sources.redaction import redacted, secret_forms
from parceltrace.store.records import REGISTERED, RELEASED, STOPPED, UpstreamRegistration
from parceltrace.store.records import UpstreamKey as Key
from parceltrace.tracking.model import SourceResult, decode_result, encode_result

BATCH = 40
CACHE_FOR = timedelta(seconds=60)
"""An upstream answer serves every local tracking of its number polled within this time."""
log = structlog.get_logger("parceltrace.relay")

Outcome = SourceResult | SourceError


class UpstreamBook(Protocol):
    """Where the relay keeps which (number, carrier) it registered upstream and their newest
    answers; each call is one transaction."""

    async def registrations(self, keys: list[Key]) -> dict[Key, UpstreamRegistration]: ...
    async def registered(self, upstream_carriers: dict[Key, int], now: datetime) -> None: ...
    async def retracked(self, upstream_carriers: dict[Key, int], lost: list[Key], now: datetime) -> None: ...
    async def answered(self, results: dict[Key, str], lost: list[Key], now: datetime) -> None: ...


def as_served(info: answers.TrackInfo) -> TrackInfo:
    """An upstream's track_info (as the SDK read it: every field optional) as parceltrace
    serves one: a null where the served shape has no null takes the served default; a null it
    cannot do without raises msgspec.ValidationError (that number's answer is unusable)."""
    plain = msgspec.to_builtins(info)
    try:  # an upstream that fills every field (17TRACK's examples do) needs no fitting
        return msgspec.convert(plain, TrackInfo, strict=False)
    except msgspec.ValidationError:
        return msgspec.convert(_fit(plain, SERVED), TrackInfo, strict=False)


SERVED = msgspec.inspect.type_info(TrackInfo)
"""The served shape, inspected once (inspecting it costs more than fitting an answer to it)."""


def _fit(value: Any, kind: msgspec.inspect.Type) -> Any:
    """`value` with the nulls `kind` does not take but has a default for left out."""
    if isinstance(kind, msgspec.inspect.UnionType):
        structs = [t for t in kind.types if not isinstance(t, msgspec.inspect.NoneType)]
        return _fit(value, structs[0]) if len(structs) == 1 else value
    if isinstance(kind, msgspec.inspect.ListType) and isinstance(value, list):
        return [_fit(v, kind.item_type) for v in value]
    if isinstance(kind, msgspec.inspect.StructType) and isinstance(value, dict):
        fitted = {}
        for spec in kind.fields:
            if spec.encode_name not in value:
                continue
            field = value[spec.encode_name]
            if field is None and not _takes_none(spec.type) and not spec.required:
                continue
            fitted[spec.encode_name] = _fit(field, spec.type)
        return fitted
    return value


def _takes_none(kind: msgspec.inspect.Type) -> bool:
    return isinstance(kind, msgspec.inspect.NoneType) or (
        isinstance(kind, msgspec.inspect.UnionType)
        and any(isinstance(t, msgspec.inspect.NoneType) for t in kind.types)
    )


def result_from_track_info(info: TrackInfo) -> SourceResult:
    """An upstream's track_info as what a carrier reported (the local derivation recomputes
    statuses, milestones and metrics from the events, as for any source)."""
    return SourceResult(
        providers=info.tracking.providers,
        shipping_info=info.shipping_info,
        misc_info=info.misc_info,
        estimated_delivery=info.time_metrics.estimated_delivery_date,
        invalid_number=info.latest_status.sub_status == SubStatus.NOT_FOUND_INVALID_CODE.value,
    )


def _by_number(keys: list[Key]) -> dict[str, list[Key]]:
    grouped: dict[str, list[Key]] = defaultdict(list)
    for key in keys:
        grouped[key[0]].append(key)
    return grouped


def _refused(rejection: Rejection, what: str) -> SourceError:
    return SourceError(f"upstream {what} refused {rejection.number}: {rejection.code} {rejection.message}")


class RelaySource:
    name = "relay"

    def __init__(
        self,
        book: UpstreamBook,
        url: str,
        key: str,
        *,
        client: AsyncClient | None = None,
        cache_for: timedelta = CACHE_FOR,
        window: float = 0.05,
    ) -> None:
        self.book = book
        self.key = key
        self._secret_forms = secret_forms([key])
        """The upstream key: it signs the upstream's pushes too."""
        self.client = client or AsyncClient(key, url)
        self.cache_for = cache_for
        self.window = window
        self._batcher: MicroBatcher[tuple[TrackingRef, datetime], SourceResult] = MicroBatcher(
            BATCH, window, self._answer
        )

    async def close(self) -> None:
        await self.client.close()

    # ------------------------------------------------------------------ polling

    async def fetch(self, ref: TrackingRef, now: datetime) -> SourceResult:
        """Joins the next batch (40 numbers, or what arrived within `window` seconds)."""
        return await self._batcher.submit((ref, now))

    async def _answer(self, batch: list[tuple[TrackingRef, datetime]]) -> list[SourceResult | SourceError]:
        refs = {(ref.number, ref.carrier): ref for ref, _ in batch}
        try:
            outcomes = await self._resolve(refs, max(now for _, now in batch))
        except Exception as exc:  # the store or the SDK failed in a way not foreseen: fail the batch
            log.exception("relay batch failed")
            outcomes = {key: SourceError(f"relay failed: {exc}") for key in refs}
        answers: list[SourceResult | SourceError] = []
        for ref, _ in batch:
            outcome = outcomes.get((ref.number, ref.carrier)) or SourceError("upstream gave no answer")
            if isinstance(outcome, SourceError):
                outcome = SourceError(redacted(str(outcome), self._secret_forms))
            answers.append(outcome)
        return answers

    async def _resolve(self, refs: dict[Key, TrackingRef], now: datetime) -> dict[Key, Outcome]:
        keys = list(refs)
        rows = await self.book.registrations(keys)
        outcomes: dict[Key, Outcome] = {}
        upstream_carrier: dict[Key, int] = {}
        for key, row in rows.items():
            fresh = row.result_at is not None and row.result_at >= now - self.cache_for
            if row.state == REGISTERED and row.result and fresh:
                cached = decode_result(row.result)
                assert cached is not None
                outcomes[key] = cached
            upstream_carrier[key] = row.upstream_carrier
        new = [k for k in keys if k not in rows or rows[k].state == RELEASED]
        stopped = [k for k in keys if k in rows and rows[k].state == STOPPED]
        if new:
            outcomes.update(await self._register([refs[k] for k in new], upstream_carrier, now))
        if stopped:
            outcomes.update(await self._retrack(stopped, upstream_carrier, now))
        ask = [k for k in keys if k not in outcomes]
        if ask:
            outcomes.update(await self._track_info(ask, upstream_carrier, now))
        return outcomes

    async def _register(
        self, refs: list[TrackingRef], upstream_carrier: dict[Key, int], now: datetime
    ) -> dict[Key, Outcome]:
        items = [
            {"number": r.number, "carrier": r.carrier}
            | ({"final_carrier": r.final_carrier} if r.final_carrier else {})
            | ({"param": r.param} if r.param else {})
            for r in refs
        ]
        keys = [(r.number, r.carrier) for r in refs]
        try:
            result = await self.client.register(items, skip_registered=True)
        except ClientError as exc:
            return {key: SourceError(f"upstream register failed: {exc}") for key in keys}
        waiting = _by_number(keys)
        registered: dict[Key, int] = {}
        errors: dict[Key, Outcome] = {}
        for accepted in result.accepted:
            number = (accepted.number or "").upper()
            if waiting.get(number):
                key = waiting[number].pop(0)
                registered[key] = accepted.carrier or key[1]
        for number in result.already_registered:
            for key in waiting.pop(number.upper(), []):
                registered[key] = key[1]
        for rejection in result.rejected:
            for key in waiting.pop((rejection.number or "").upper(), []):
                errors[key] = _refused(rejection, "register")
        await self.book.registered(registered, now)
        upstream_carrier.update(registered)
        return errors

    async def _retrack(
        self, keys: list[Key], upstream_carrier: dict[Key, int], now: datetime
    ) -> dict[Key, Outcome]:
        """A local retrack of a number stopped upstream: retrack it there too."""
        items = [
            {"number": number, "carrier": upstream_carrier[(number, carrier)]} for number, carrier in keys
        ]
        try:
            result = await self.client.retrack(items)
        except ClientError as exc:
            return {key: SourceError(f"upstream retrack failed: {exc}") for key in keys}
        waiting = _by_number(keys)
        errors: dict[Key, Outcome] = {}
        lost: list[Key] = []
        for rejection in result.rejected:
            for key in waiting.pop((rejection.number or "").upper(), []):
                if rejection.code == ErrorCode.RETRACK_ONLY_STOPPED:
                    continue  # it is tracking upstream already
                if rejection.code == ErrorCode.NOT_REGISTERED:
                    lost.append(key)
                errors[key] = _refused(rejection, "retrack")
        await self.book.retracked({k: upstream_carrier[k] for k in keys if k not in errors}, lost, now)
        return errors

    async def _track_info(
        self, keys: list[Key], upstream_carrier: dict[Key, int], now: datetime
    ) -> dict[Key, Outcome]:
        items = [
            {"number": number, "carrier": upstream_carrier[(number, carrier)]} for number, carrier in keys
        ]
        try:
            result = await self.client.get_track_info(items)
        except ClientError as exc:
            return {key: SourceError(f"upstream gettrackinfo failed: {exc}") for key in keys}
        found = {((item.number or "").upper(), item.carrier): item.track_info for item in result.accepted}
        outcomes: dict[Key, Outcome] = {}
        lost: list[Key] = []
        refusals = {(r.number or "").upper(): r for r in result.rejected}
        for key in keys:
            info = found.get((key[0], upstream_carrier[key]))
            if info is not None:
                try:
                    outcomes[key] = result_from_track_info(as_served(info))
                except msgspec.ValidationError as problem:
                    outcomes[key] = SourceError(f"upstream answer for {key[0]} unusable: {problem}")
            elif (refusal := refusals.get(key[0])) is not None:
                if refusal.code == ErrorCode.NOT_REGISTERED:
                    lost.append(key)  # deleted upstream behind our back: registered again next poll
                outcomes[key] = _refused(refusal, "gettrackinfo")
            else:
                outcomes[key] = SourceError(f"upstream gave no answer for {key[0]}")
        encoded = {k: encode_result(r) for k, r in outcomes.items() if isinstance(r, SourceResult)}
        await self.book.answered(encoded, lost, now)
        return outcomes
