"""Connectors fed answers nobody here wrote (see `real/SOURCES.md`): each is replayed by a
stand-in on 127.0.0.1 exactly as recorded, and what parceltrace makes of it is checked against
what the answer itself says."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from pathlib import Path

from parceltrace.sources.base import TrackingRef
from parceltrace.sources.connectors.calls import Connection
from parceltrace.sources.connectors.catalog import BY_NAME, Pace
from parceltrace.sources.connectors.source import CarrierConnector, ConnectorSource
from parceltrace.tracking.derive import derive_track_info
from parceltrace.tracking.model import SourceResult
from tests.sources.connectors.fakes import bpost
from tests.sources.connectors.standin import Asked, Reply, standing_in

REAL = Path(__file__).parent / "real"
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def replaying(path: Path, content_type: str, credentials: dict[str, str]) -> object:
    body = path.read_bytes()
    expected = base64.b64encode(f"{credentials['account_id']}:{credentials['passphrase']}".encode()).decode()

    def respond(asked: Asked) -> Reply:
        if asked.header("Authorization") != f"Basic {expected}":
            return Reply(401, b"", content_type)
        return Reply(200, body, content_type)

    return respond


async def fetch_real(name: str, number: str, path: Path, content_type: str) -> SourceResult:
    spec = BY_NAME[name]
    credentials = bpost.CREDENTIALS
    with standing_in(replaying(path, content_type, credentials)) as stand_in:  # type: ignore[arg-type]
        connector = CarrierConnector(spec, Connection(name, credentials, stand_in.url), pace=Pace(1000, 1))
        try:
            return await ConnectorSource({spec.carriers[0]: connector}).fetch(
                TrackingRef(number, spec.carriers[0], 0, None, NOW), NOW
            )
        finally:
            connector.close()


async def test_bpost_a_parcel_on_its_delivery_round_is_out_for_delivery() -> None:
    """karrio's recorded bpost answer: T00 "Sorted - sorted_out", L00 "BoundToRound -
    out_for_distribution", U01 "DistributedNormally - regular". L00 was read as an exception
    (karrio calls it on_hold); bpost says the item is bound to its round, out for distribution."""
    result = await fetch_real(
        "bpost",
        "323212345659900040669030",
        REAL / "bpost" / "karrio_tracking_delivered.xml",
        "application/xml",
    )
    events = result.providers[0].events
    by_code = {e.description: e for e in events}
    assert by_code["BoundToRound - out_for_distribution"].sub_status == "OutForDelivery_Other"
    assert by_code["DistributedNormally - regular"].sub_status == "Delivered_Other"
    assert by_code["Sorted - sorted_out"].sub_status.startswith("InTransit")
    # the seconds each record carries, each with its own offset (none borrowed from another)
    assert sorted(e.time_iso for e in events if e.time_iso) == [
        "2012-11-22T23:19:29+01:00",
        "2012-11-23T07:11:18+01:00",
        "2012-11-23T09:31:07+01:00",
    ]
    info = derive_track_info(result, NOW, None, None)
    assert (info.latest_status.status, info.latest_status.sub_status) == ("Delivered", "Delivered_Other")
