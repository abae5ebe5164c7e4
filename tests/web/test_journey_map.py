"""The journey map: the vendored world outlines, the projection, the stops and the SVG."""

from __future__ import annotations

import re
from typing import Any

import msgspec
import pytest
from hypothesis import given
from hypothesis import strategies as st

from parceltrace.protocol.status import MainStatus
from parceltrace.protocol.structs import (
    Address,
    Coordinates,
    Event,
    LatestStatus,
    ProviderInfo,
    ProviderTrack,
    TimeRaw,
    TrackInfo,
)
from parceltrace.tracking.track_info import empty_track_info
from parceltrace.web import journey_map as jm
from parceltrace.web import world

SHANGHAI = (121.4737, 31.2304)
SHENZHEN = (114.0579, 22.5431)
LOS_ANGELES = (-118.2437, 34.0522)
CHICAGO = (-87.6298, 41.8781)
LONDON = (-0.1276, 51.5072)


def event(place: tuple[float, float], city: str, country: str, utc: str) -> Event:
    address = Address(country=country, city=city, coordinates=Coordinates(f"{place[0]}", f"{place[1]}"))
    return Event(utc, utc, TimeRaw(), f"At {city}", f"{city}, {country}", None, "InTransit_Other", address)


def track(key: int, country: str, *events: Event) -> ProviderTrack:
    """A provider's events, newest first as 003 orders them."""
    newest_first = sorted(events, key=lambda e: e.time_utc or "", reverse=True)
    return ProviderTrack(
        ProviderInfo(key, None, None, None, None, country), None, None, None, 0, newest_first
    )


def info(
    *tracks: ProviderTrack, status: str = MainStatus.IN_TRANSIT, origin: str = "CN", destination: str = "US"
) -> TrackInfo:
    base = empty_track_info(origin, destination)
    base.latest_status = LatestStatus(status, f"{status}_Other")
    base.tracking.providers = list(tracks)
    return base


def circles(svg: str) -> list[dict[str, Any]]:
    found = re.findall(
        r'<circle class="([^"]+)" cx="([-\d.]+)" cy="([-\d.]+)" r="[\d.]+"><title>([^<]*)</title>', svg
    )
    return [{"class": c, "x": float(x), "y": float(y), "title": t} for c, x, y, t in found]


# ------------------------------------------------------------------ the world


def test_the_vendored_outlines_decode_into_every_country() -> None:
    countries = world.countries()
    assert len(countries) == 176  # Natural Earth's 177 less Antarctica
    assert len({c.code for c in countries if c.code}) == 174
    assert all(len(ring) >= 4 for c in countries for ring in c.rings)
    france = next(c for c in countries if c.code == "FR")
    assert france.name == "France" and len(france.rings) >= 3  # mainland, Corsica, French Guiana


@pytest.mark.parametrize(
    ("code", "longitude", "latitude"),
    [("FR", 2.3, 46.6), ("US", -99.1, 39.5), ("DE", 10.3, 51.1), ("CN", 103.9, 36.6), ("RU", 99.9, 61.7)],
)
def test_a_country_s_point_is_the_middle_of_its_main_landmass(
    code: str, longitude: float, latitude: float
) -> None:
    """Mainland France, not French Guiana; the contiguous United States, not Alaska; Russia in
    Siberia, not off the map because its outline crosses the antimeridian."""
    assert world.centroids()[code] == pytest.approx((longitude, latitude), abs=0.2)


def test_rings_are_joined_from_arcs_forward_and_reversed() -> None:
    topology = {
        "transform": {"scale": [1, 1], "translate": [0, 0]},
        "arcs": [[[0, 0], [2, 0], [0, 2]], [[2, 2], [-2, 0], [0, -2]]],
    }
    arcs = world.decode_arcs(topology)
    assert arcs == [[(0, 0), (2, 0), (2, 2)], [(2, 2), (0, 2), (0, 0)]]
    assert world.ring_of([0, 1], arcs) == [(0, 0), (2, 0), (2, 2), (0, 2), (0, 0)]
    assert world.ring_of([~1, ~0], arcs) == [(0, 0), (0, 2), (2, 2), (2, 0), (0, 0)]


def test_a_ring_across_the_antimeridian_continues_instead_of_jumping_back() -> None:
    ring = [(178.0, 65.0), (-179.0, 66.0), (-175.0, 65.0), (179.0, 64.0)]
    assert world.unwrapped(ring) == [(178.0, 65.0), (181.0, 66.0), (185.0, 65.0), (179.0, 64.0)]


# ------------------------------------------------------------------ projection and stops


@given(st.floats(min_value=-89.9, max_value=89.9), st.floats(min_value=-89.9, max_value=89.9))
def test_mercator_is_symmetric_and_grows_southward(a: float, b: float) -> None:
    assert jm.mercator_y(-a) == pytest.approx(-jm.mercator_y(a), abs=1e-9)
    if a < b:
        assert jm.mercator_y(a) >= jm.mercator_y(b)


@pytest.mark.parametrize(
    ("longitude", "latitude", "expected"),
    [
        ("121.47", "31.23", (121.47, 31.23)),
        ("-118.24", "34.05", (-118.24, 34.05)),
        (None, "31.2", None),
        ("east", "31.2", None),
        ("181", "10", None),
        ("10", "-91", None),
        ("0", "0", None),
        ("nan", "1", None),
    ],
)
def test_coordinates_are_read_only_when_they_are_a_place(
    longitude: str | None, latitude: str | None, expected: tuple[float, float] | None
) -> None:
    assert jm.coordinates(Address(coordinates=Coordinates(longitude, latitude))) == expected


def test_stops_are_in_time_order_across_providers_one_per_place_in_a_row() -> None:
    origin = track(
        3011,
        "CN",
        event(SHANGHAI, "Shanghai", "CN", "2026-12-01T02:00:00Z"),
        event(SHENZHEN, "Shenzhen", "CN", "2026-12-02T02:00:00Z"),
        event(SHENZHEN, "Shenzhen", "CN", "2026-12-03T02:00:00Z"),
    )
    destination = track(21051, "US", event(CHICAGO, "Chicago", "US", "2026-12-06T02:00:00Z"))
    stops = jm.event_stops(info(origin, destination))
    assert [s.place for s in stops] == ["Shanghai, CN", "Shenzhen, CN", "Chicago, US"]
    assert stops[1].when.startswith("2026-12-03 02:00"), "the last time at a place counts"


# ------------------------------------------------------------------ the map


def test_a_journey_is_drawn_from_origin_to_where_it_was_last_seen_and_on_to_its_destination() -> None:
    origin = track(3011, "CN", event(SHANGHAI, "Shanghai", "CN", "2026-12-01T02:00:00Z"))
    later = track(3011, "CN", event(SHENZHEN, "Shenzhen", "CN", "2026-12-02T02:00:00Z"))
    drawn = jm.journey_map(info(origin, later, destination="GB"))
    assert drawn is not None
    marks = circles(drawn.svg)
    assert [m["class"] for m in marks] == ["stop origin", "stop current", "stop destination"]
    assert marks[2]["title"] == "Destination: United Kingdom"
    assert drawn.svg.count('class="route"') == 1 and drawn.svg.count('class="route planned"') == 1
    assert drawn.caption.startswith("From Shanghai, CN · last seen in Shenzhen, CN, 2026-12-02")
    assert drawn.caption.endswith("to United Kingdom")
    assert "<title>France</title>" in drawn.svg and "<title>China</title>" in drawn.svg
    assert 'class="land lit"' in drawn.svg


@pytest.mark.parametrize(
    ("status", "kind"),
    [(MainStatus.DELIVERED, "stop current delivered"), (MainStatus.EXCEPTION, "stop current problem")],
)
def test_the_last_stop_shows_the_outcome(status: str, kind: str) -> None:
    journey = track(
        3011,
        "CN",
        event(SHANGHAI, "Shanghai", "CN", "2026-12-01T02:00:00Z"),
        event(CHICAGO, "Chicago", "US", "2026-12-05T02:00:00Z"),
    )
    drawn = jm.journey_map(info(journey, status=status))
    assert drawn is not None
    assert circles(drawn.svg)[-1]["class"] == kind
    assert "planned" not in drawn.svg, "no leg ahead once it arrived in the destination country"


def test_a_delivered_parcel_has_no_leg_ahead_even_when_the_countries_disagree() -> None:
    journey = track(3011, "CN", event(SHANGHAI, "Shanghai", "CN", "2026-12-01T02:00:00Z"))
    drawn = jm.journey_map(info(journey, status=MainStatus.DELIVERED, destination="GB"))
    assert drawn is not None and "planned" not in drawn.svg and "destination" not in drawn.svg


def test_without_coordinates_the_countries_are_shown_and_said_to_be_approximate() -> None:
    drawn = jm.journey_map(info(origin="DE", destination="FR"))
    assert drawn is not None
    assert [m["class"] for m in circles(drawn.svg)] == ["stop origin", "stop destination"]
    assert drawn.caption == "From Germany · to France (countries only: the carrier gives no places)"


def test_nothing_known_means_no_map() -> None:
    assert jm.journey_map(info(origin="", destination="")) is None
    assert jm.journey_map(info(origin="XX", destination="")) is None


def test_a_journey_across_the_pacific_goes_across_it() -> None:
    journey = track(
        3011,
        "CN",
        event(SHANGHAI, "Shanghai", "CN", "2026-12-01T02:00:00Z"),
        event(LOS_ANGELES, "Los Angeles", "US", "2026-12-03T02:00:00Z"),
    )
    drawn = jm.journey_map(info(journey))
    assert drawn is not None
    shanghai, los_angeles = circles(drawn.svg)
    assert los_angeles["x"] > shanghai["x"], "Los Angeles east of Shanghai, over the Pacific"
    assert los_angeles["x"] - shanghai["x"] < jm.WIDTH * 0.8
    assert "<title>United States of America</title>" in drawn.svg


def test_place_names_are_escaped() -> None:
    hostile = track(3011, "CN", event(SHANGHAI, "<script>alert(1)</script>", "CN", "2026-12-01T02:00:00Z"))
    drawn = jm.journey_map(info(hostile))
    assert drawn is not None and "<script>" not in drawn.svg and "&lt;script&gt;" in drawn.svg


places = st.tuples(
    st.floats(min_value=-180, max_value=180).filter(lambda x: x != 0),
    st.floats(min_value=-84, max_value=84),
)


@given(st.lists(places, min_size=1, max_size=8))
def test_every_stop_is_inside_the_picture(points: list[tuple[float, float]]) -> None:
    events = [event(p, f"P{i}", "", f"2026-12-{i + 1:02d}T00:00:00Z") for i, p in enumerate(points)]
    drawn = jm.journey_map(info(track(3011, "", *events), origin="", destination=""))
    assert drawn is not None
    for mark in circles(drawn.svg):
        assert 0 <= mark["x"] <= jm.WIDTH and 0 <= mark["y"] <= jm.HEIGHT, mark


def test_the_map_is_small_enough_to_inline() -> None:
    """The widest view (the whole world) stays well under the page budget."""
    journey = track(
        3011,
        "CN",
        event((-150.0, 61.0), "Anchorage", "US", "2026-12-01T02:00:00Z"),
        event((30.0, -30.0), "Durban", "ZA", "2026-12-02T02:00:00Z"),
        event((170.0, -45.0), "Dunedin", "NZ", "2026-12-03T02:00:00Z"),
    )
    drawn = jm.journey_map(info(journey))
    assert drawn is not None
    assert len(drawn.svg.encode()) < 120_000
    msgspec.json.encode(drawn.caption)
