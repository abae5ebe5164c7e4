"""Replaying a carrier's recorded answer: a stand-in on 127.0.0.1 signs the connector in as the
carrier's stand-in does (its token or login answer) and answers every tracking call with the
recorded body, byte for byte, with the status the carrier sent it with."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime

from parceltrace.sources.base import TrackingRef
from parceltrace.sources.connectors.calls import Connection
from parceltrace.sources.connectors.catalog import BY_NAME, Pace
from parceltrace.sources.connectors.source import CarrierConnector, ConnectorSource
from parceltrace.tracking.model import SourceResult
from tests.sources.connectors.corpus import BY_CARRIER_FILE, Sample
from tests.sources.connectors.standin import Asked, Reply, StandIn, standing_in

NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)
SIGN_IN_PATHS = ("token", "authenticate", "LoginService")
"""Paths of the carriers' sign-in calls (OAuth token, Asendia's authenticate, DPD's login)."""


def stand_in_for(name: str) -> object:
    return importlib.import_module(f"tests.sources.connectors.carriers.{name}.standin")


def replaying(name: str, body: bytes, content_type: str, status: int = 200) -> object:
    fake = stand_in_for(name)

    def respond(asked: Asked) -> Reply:
        if any(part in asked.path for part in SIGN_IN_PATHS):
            return fake.respond(asked)  # type: ignore[attr-defined, no-any-return]
        return Reply(status, body, content_type)

    return respond


async def replay(
    name: str, numbers: list[str], body: bytes, content_type: str, status: int = 200
) -> tuple[list[SourceResult | BaseException], StandIn]:
    """What the connector makes of the recorded answer for each number asked (a batch when the
    carrier takes several numbers a call)."""
    import asyncio

    spec = BY_NAME[name]
    credentials = stand_in_for(name).CREDENTIALS  # type: ignore[attr-defined]
    with standing_in(replaying(name, body, content_type, status)) as stand_in:  # type: ignore[arg-type]
        connector = CarrierConnector(spec, Connection(name, credentials, stand_in.url), pace=Pace(1000, 1))
        source = ConnectorSource({spec.carriers[0]: connector})
        try:
            results = await asyncio.gather(
                *(source.fetch(TrackingRef(n, spec.carriers[0], 0, None, NOW), NOW) for n in numbers),
                return_exceptions=True,
            )
        finally:
            connector.close()
    return list(results), stand_in


BY_FILE = BY_CARRIER_FILE
CONTENT_TYPES = {"canadapost": "application/vnd.cpc.track-v2+xml"}


def content_type(sample: Sample) -> str:
    if sample.file.endswith(".json"):
        return "application/json"
    return CONTENT_TYPES.get(sample.carrier, "application/xml")


async def replayed(
    carrier: str, file: str, numbers: tuple[str, ...] = (), body: bytes | None = None
) -> list[SourceResult | BaseException]:
    """A sample of the corpus replayed (or `body`, a sample derived from it), for the numbers it
    is about or those given."""
    sample = BY_FILE[carrier, file]
    answer = body if body is not None else sample.local.read_bytes()
    results, _ = await replay(
        carrier, list(numbers or sample.numbers), answer, content_type(sample), sample.status
    )
    return results


async def one(carrier: str, file: str, number: str | None = None, body: bytes | None = None) -> SourceResult:
    """The one result of a replayed sample, which must be data (not a failure)."""
    [result] = await replayed(carrier, file, (number,) if number else (), body)
    assert isinstance(result, SourceResult), result
    return result


def events_of(result: SourceResult) -> list[tuple[str | None, str | None, str]]:
    """(description, time_iso, sub_status) of every event, newest first."""
    return [(e.description, e.time_iso, e.sub_status) for p in result.providers for e in p.events]
