"""The journey map: where a parcel has been, drawn on the server as an SVG over the vendored
country outlines (web/world.py) — no tile server, no script, nothing fetched from elsewhere.

The route joins the events' coordinates in time order. A carrier that gives no coordinates
still gets a map at country level: origin and destination countries, marked as approximate.
While the parcel is on its way, a dashed leg leads from where it was last seen to where it
is going. The projection is Mercator (the one shoppers know from every web map), the view
fits the journey, and a journey across the Pacific is drawn across it, not around the world."""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from datetime import datetime
from functools import cache, lru_cache
from itertools import pairwise

from markupsafe import Markup, escape

from parceltrace.protocol.status import MainStatus
from parceltrace.protocol.structs import Address, Event, TrackInfo
from parceltrace.tracking.derive import parse_utc
from parceltrace.web import world
from parceltrace.web.views import TROUBLE, local_time

WIDTH, HEIGHT = 720, 360
MAX_LATITUDE = 85.0
MIN_SPAN = 30.0
"""The narrowest view, in degrees of longitude: a journey inside one city still shows its region."""
MARGIN = 1.4
"""The view is this much wider than the journey, so markers do not touch the edge."""


@dataclass(frozen=True, slots=True)
class Stop:
    longitude: float
    latitude: float
    place: str
    country: str
    when: str = ""

    @property
    def label(self) -> str:
        return f"{self.place} — {self.when}" if self.when else self.place


@dataclass(frozen=True, slots=True)
class JourneyMap:
    svg: Markup
    caption: str


@dataclass(frozen=True, slots=True)
class View:
    """The part of the projected world shown, in projected degrees (x east, y south)."""

    left: float
    top: float
    width: float

    @property
    def scale(self) -> float:
        return WIDTH / self.width

    def point(self, longitude: float, latitude: float) -> tuple[float, float]:
        return (longitude - self.left) * self.scale, (mercator_y(latitude) - self.top) * self.scale


def mercator_y(latitude: float) -> float:
    """Mercator's y in degrees, growing southward as SVG's does."""
    clamped = max(-MAX_LATITUDE, min(MAX_LATITUDE, latitude))
    return -math.degrees(math.log(math.tan(math.pi / 4 + math.radians(clamped) / 2)))


WORLD_TOP = mercator_y(MAX_LATITUDE)
WORLD_BOTTOM = mercator_y(-MAX_LATITUDE)


def coordinates(address: Address) -> tuple[float, float] | None:
    """An address's (longitude, latitude), or None when missing, malformed, out of range or
    0,0 (a carrier's placeholder, not a place in the Gulf of Guinea)."""
    try:
        longitude = float(address.coordinates.longitude or "nan")
        latitude = float(address.coordinates.latitude or "nan")
    except ValueError:
        return None
    if not (-180 <= longitude <= 180 and -90 <= latitude <= 90) or (longitude, latitude) == (0.0, 0.0):
        return None
    return longitude, latitude


def _place(event: Event) -> str:
    if event.location:
        return event.location
    address = event.address
    return ", ".join(part for part in (address.city, address.state, address.country) if part) or "?"


def event_stops(info: TrackInfo) -> list[Stop]:
    """The events that have coordinates, oldest first; events in a row at one place are one
    stop, with the time of the last of them."""
    events = [event for track in info.tracking.providers for event in reversed(track.events)]
    moments = [parse_utc(event.time_utc) for event in events]
    if all(moments):
        order = sorted(range(len(events)), key=lambda i: moments[i] or datetime.min)
        events = [events[i] for i in order]
    stops: list[Stop] = []
    for event in events:
        point = coordinates(event.address)
        if point is None:
            continue
        stop = Stop(
            point[0], point[1], _place(event), event.address.country or "", local_time(event.time_iso)
        )
        if stops and (stops[-1].longitude, stops[-1].latitude) == point:
            stops[-1] = replace(stops[-1], when=stop.when)  # still there: the latest time counts
        else:
            stops.append(stop)
    return stops


def country_name(code: str) -> str:
    return next((country.name for country in world.countries() if country.code == code), code)


def _country_stop(code: str | None) -> Stop | None:
    middle = world.centroids().get((code or "").upper())
    if middle is None or code is None:
        return None
    return Stop(middle[0], middle[1], country_name(code.upper()), code.upper())


def _destination(info: TrackInfo, stops: list[Stop]) -> Stop | None:
    """Where the parcel is going, while it is still going there."""
    if info.latest_status.status == MainStatus.DELIVERED:
        return None
    recipient = info.shipping_info.recipient_address
    country = (recipient.country or "").upper()
    if stops and (not country or stops[-1].country.upper() == country):
        return None
    point = coordinates(recipient)
    if point is not None:
        return Stop(point[0], point[1], _place_of(recipient), country)
    return _country_stop(country)


def _place_of(address: Address) -> str:
    return ", ".join(part for part in (address.city, address.country) if part) or "?"


def _view(points: list[tuple[float, float]]) -> View:
    xs = [x for x, _ in points]
    ys = [mercator_y(lat) for _, lat in points]
    width = max((max(xs) - min(xs)) * MARGIN, (max(ys) - min(ys)) * MARGIN * WIDTH / HEIGHT, MIN_SPAN)
    width = min(width, 720.0)  # two worlds side by side are as tall as the whole projection
    height = width * HEIGHT / WIDTH
    top = (max(ys) + min(ys)) / 2 - height / 2
    top = max(WORLD_TOP, min(top, WORLD_BOTTOM - height))
    return View((max(xs) + min(xs)) / 2 - width / 2, top, width)


def _unwrapped(stops: list[Stop]) -> list[Stop]:
    """A journey spanning more than half the world crosses the antimeridian: western
    longitudes move east by 360 so the route takes the short way."""
    longitudes = [stop.longitude for stop in stops]
    if max(longitudes) - min(longitudes) <= 180:
        return stops
    return [replace(stop, longitude=stop.longitude + 360) if stop.longitude < 0 else stop for stop in stops]


@dataclass(frozen=True, slots=True)
class _Outline:
    """A country with its rings already projected (x = longitude, y = Mercator's y)."""

    code: str
    name: str
    rings: list[list[tuple[float, float]]]
    west: float
    east: float
    top: float
    bottom: float


@cache
def _outlines() -> list[_Outline]:
    """Projected once: the logarithms are most of the cost of drawing a world."""
    return [
        _Outline(
            country.code,
            country.name,
            [[(lon, mercator_y(lat)) for lon, lat in ring] for ring in country.rings],
            country.west,
            country.east,
            mercator_y(country.north),
            mercator_y(country.south),
        )
        for country in world.countries()
    ]


def _ring_path(ring: list[tuple[float, float]], view: View, shift: float) -> str:
    """A ring in whole units of the picture (one unit is at most a pixel or so), each point
    relative to the one before: a whole-world map stays a few tens of kilobytes."""
    scale, left, top = view.scale, view.left - shift, view.top
    moves: list[tuple[int, int]] = []
    last_x = last_y = None
    for x, y in ring:
        here_x, here_y = round((x - left) * scale), round((y - top) * scale)
        if last_x is None or last_y is None:
            moves.append((here_x, here_y))
        elif here_x != last_x or here_y != last_y:
            moves.append((here_x - last_x, here_y - last_y))
        else:
            continue
        last_x, last_y = here_x, here_y
    if len(moves) < 3:
        return ""
    (x0, y0), rest = moves[0], moves[1:]
    return f"M{x0} {y0}l" + " ".join(f"{dx} {dy}" for dx, dy in rest) + "z"


@lru_cache(maxsize=256)
def land(view: View, lit: frozenset[str]) -> str:
    """The countries in view, and their copies whole worlds to the east or west where the view
    reaches past the antimeridian."""
    bottom = view.top + view.width * HEIGHT / WIDTH
    right = view.left + view.width
    paths: list[str] = []
    for country in _outlines():
        if country.top > bottom or country.bottom < view.top:
            continue
        first = math.floor((view.left - country.east) / 360)
        last = math.ceil((right - country.west) / 360)
        for shift in (360.0 * copy for copy in range(first, last + 1)):
            if country.east + shift < view.left or country.west + shift > right:
                continue
            drawn = "".join(_ring_path(ring, view, shift) for ring in country.rings)
            if drawn:
                kind = "land lit" if country.code in lit else "land"
                paths.append(f'<path class="{kind}" d="{drawn}"><title>{escape(country.name)}</title></path>')
    return "".join(paths)


def _leg(start: tuple[float, float], end: tuple[float, float]) -> str:
    """A segment bowed northward, the way flight maps draw routes; short hops stay straight."""
    (x0, y0), (x1, y1) = start, end
    length = math.hypot(x1 - x0, y1 - y0)
    if length < 8:
        return f"L{x1:.1f} {y1:.1f}"
    nx, ny = -(y1 - y0) / length, (x1 - x0) / length
    if ny > 0:
        nx, ny = -nx, -ny
    bow = 0.18 * length
    cx, cy = (x0 + x1) / 2 + nx * bow, (y0 + y1) / 2 + ny * bow
    return f"Q{cx:.1f} {cy:.1f} {x1:.1f} {y1:.1f}"


def _route(points: list[tuple[float, float]], kind: str) -> str:
    if len(points) < 2:
        return ""
    d = f"M{points[0][0]:.1f} {points[0][1]:.1f}" + "".join(_leg(a, b) for a, b in pairwise(points))
    return f'<path class="{kind}" d="{d}"/>'


def _marker(point: tuple[float, float], kind: str, radius: float, label: str) -> str:
    x, y = point
    title = f"<title>{escape(label)}</title>"
    return f'<circle class="{kind}" cx="{x:.1f}" cy="{y:.1f}" r="{radius}">{title}</circle>'


def _current_kind(info: TrackInfo) -> str:
    status = info.latest_status.status
    if status == MainStatus.DELIVERED:
        return "stop current delivered"
    return "stop current problem" if status in TROUBLE else "stop current"


def journey_map(info: TrackInfo) -> JourneyMap | None:
    """The map of a tracking's journey, or None when nothing about it has a place."""
    stops = event_stops(info)
    approximate = not stops
    if approximate:
        origin = _country_stop(info.shipping_info.shipper_address.country)
        stops = [origin] if origin else []
    destination = _destination(info, stops)
    if not stops and destination is None:
        return None
    everything = _unwrapped(stops + ([destination] if destination else []))
    stops, destination = everything[: len(stops)], (everything[-1] if destination else None)
    view = _view([(stop.longitude, stop.latitude) for stop in everything])
    points = [view.point(stop.longitude, stop.latitude) for stop in stops]
    lit = frozenset(stop.country.upper() for stop in everything if stop.country)
    body = [f'<rect class="sea" width="{WIDTH}" height="{HEIGHT}"/>', land(view, lit)]
    body.append(_route(points, "route"))
    if destination is not None:
        ahead = [points[-1]] if points else []
        body.append(
            _route([*ahead, view.point(destination.longitude, destination.latitude)], "route planned")
        )
    for index, (stop, point) in enumerate(zip(stops, points, strict=True)):
        if index == len(stops) - 1 and not approximate:
            body.append(_marker(point, _current_kind(info), 6, stop.label))
        else:
            body.append(
                _marker(point, "stop origin" if index == 0 else "stop", 5 if index == 0 else 3.5, stop.label)
            )
    if destination is not None:
        body.append(
            _marker(
                view.point(destination.longitude, destination.latitude),
                "stop destination",
                5,
                f"Destination: {destination.label}",
            )
        )
    caption = _caption(stops, destination, approximate)
    svg = (
        f'<svg class="journey" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(caption)}">'
        + "".join(body)
        + "</svg>"
    )
    return JourneyMap(Markup(svg), caption)


def _caption(stops: list[Stop], destination: Stop | None, approximate: bool) -> str:
    parts: list[str] = []
    if stops:
        parts.append(f"From {stops[0].place}")
    if len(stops) > 1:
        parts.append(f"last seen in {stops[-1].place}, {stops[-1].when}")
    if destination is not None:
        parts.append(f"to {destination.place}")
    caption = " · ".join(parts)
    if approximate:
        caption += " (countries only: the carrier gives no places)"
    return caption
