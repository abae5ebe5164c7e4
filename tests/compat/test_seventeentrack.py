"""PyPI `seventeentrack` 2022.4.6 (Home Assistant's former 17TRACK library), unchanged except for
its v1 base URL, against a live `parceltrace serve`. Every method it has that the API serves;
`login` calls 17TRACK's website account API, which is out of scope, so the key is set as
`login` would set it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import aiohttp
import pytest
from seventeentrack import Client
from seventeentrack import profile as profile_module
from seventeentrack.errors import InvalidTrackingNumberError

from tests.compat.conftest import Live

DELIVERED = "SANDBOX-DELIVERED-OTHER-11"
CHINA_POST = "RR123456789CN"
TRANSIT = "SANDBOX-INTRANSIT-OTHER-4"


@pytest.fixture
async def client(live: Live, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[Client]:
    monkeypatch.setattr(profile_module, "V1_API_URL", f"{live.base}/track/v1")
    async with aiohttp.ClientSession() as session:
        client = Client(session=session)
        client.profile._api_token = live.key
        yield client


def _latest(live: Live, number: str) -> Any:
    return live.v22("gettrackinfo", [{"number": number}])["data"]["accepted"][0]


async def test_add_rename_summarize_and_list(client: Client, live: Live) -> None:
    await client.profile.add_package(DELIVERED, friendly_name="gift")
    await client.profile.add_package_with_carrier(CHINA_POST, carrier="China Post", friendly_name="parts")
    await client.profile.add_package(TRANSIT)
    with pytest.raises(InvalidTrackingNumberError, match="1234 is invalid"):
        await client.profile.add_package("1234")
    await client.profile.set_friendly_name(CHINA_POST, "spare parts")
    with pytest.raises(InvalidTrackingNumberError, match="not registered"):
        await client.profile.set_friendly_name("RR000000000CN", "x")
    tags = {i["number"]: i["tag"] for i in live.v22("gettracklist", {})["data"]["accepted"]}
    assert tags == {DELIVERED: "gift", CHINA_POST: "spare parts", TRANSIT: None}

    live.advance(12)
    summary = await client.profile.summary()
    assert (summary["Delivered"], summary["In Transit"], sum(summary.values())) == (2, 1, 3)

    packages = {p.tracking_number: p for p in await client.profile.packages()}
    assert set(packages) == {DELIVERED, CHINA_POST, TRANSIT}
    for number, package in packages.items():
        latest = _latest(live, number)
        event = latest["track_info"]["latest_event"]
        assert isinstance(package.timestamp, datetime) and package.timestamp.tzinfo is not None
        local = datetime.fromisoformat(event["time_iso"])
        assert package.timestamp.replace(tzinfo=None) == local.replace(tzinfo=None, second=0)  # tz "UTC"
        assert package.location == event["location"] and "," in package.location
        assert package.info_text == event["description"]
    assert (packages[DELIVERED].status, packages[TRANSIT].status) == ("Delivered", "In Transit")
    assert packages[CHINA_POST].carrier == "China Post"
    assert packages[CHINA_POST].origin_country == "China"  # the library names it from track.b


async def test_package_state_and_archived(client: Client, live: Live) -> None:
    await client.profile.add_package(DELIVERED)
    await client.profile.add_package(TRANSIT)
    live.advance(12)
    delivered = await client.profile.packages(package_state=40)
    assert [p.tracking_number for p in delivered] == [DELIVERED]
    live.v22("stoptrack", [{"number": TRANSIT}])
    active = {p.tracking_number for p in await client.profile.packages()}
    everything = {p.tracking_number for p in await client.profile.packages(show_archived=True)}
    assert (active, everything) == ({DELIVERED}, {DELIVERED, TRANSIT})


async def test_time_zone_conversion(client: Client, live: Live) -> None:
    """The library reads `a` as local time in the zone the caller names."""
    await client.profile.add_package(DELIVERED)
    live.advance(12)
    [utc] = await client.profile.packages()
    [tokyo] = await client.profile.packages(tz="Asia/Tokyo")
    assert utc.timestamp - tokyo.timestamp == timedelta(hours=9)


async def test_nothing_yet(client: Client) -> None:
    """Registered, not yet polled: a package with no event, not a crash."""
    await client.profile.add_package("SANDBOX-NOTFOUND-OTHER-3")
    [package] = await client.profile.packages()
    assert (package.status, package.info_text, package.location) == ("Not Found", None, "")
