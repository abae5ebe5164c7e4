"""The world's country outlines for the journey map: Natural Earth 1:110m, vendored as TopoJSON
(web/geo/SOURCE), decoded once into rings of (longitude, latitude)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

Point = tuple[float, float]
ANTARCTICA = "010"
"""Left out: its ring circles the pole, which a flat map cannot close, and no parcel goes there."""
Ring = list[Point]


@dataclass(frozen=True, slots=True)
class Country:
    code: str
    """ISO 3166 alpha-2, "" for the few Natural Earth gives none."""
    name: str
    rings: list[Ring]
    """Outer rings and holes alike (drawn with the even-odd rule)."""
    west: float
    south: float
    east: float
    north: float


def decode_arcs(topology: dict[str, Any]) -> list[Ring]:
    """TopoJSON's quantized, delta-encoded arcs as absolute (longitude, latitude) points."""
    (scale_x, scale_y), (shift_x, shift_y) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs: list[Ring] = []
    for arc in topology["arcs"]:
        x = y = 0
        points: Ring = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def ring_of(arc_indexes: list[int], arcs: list[Ring]) -> Ring:
    """A ring from its arcs; a negative index (~i) is arc i reversed, and each arc after the
    first starts where the last ended, so its first point is dropped."""
    ring: Ring = []
    for index in arc_indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def unwrapped(ring: Ring) -> Ring:
    """A ring that crosses the antimeridian jumps from 180 to -180 (Russia's Chukotka, Fiji);
    drawn flat, that is a line across the world. Each jump shifts the rest by 360 degrees
    instead, so Chukotka lies at 190 (the map draws the world again beside itself)."""
    shift = 0.0
    out: Ring = []
    previous = ring[0][0] if ring else 0.0
    for lon, lat in ring:
        if lon - previous > 180:
            shift -= 360
        elif previous - lon > 180:
            shift += 360
        previous = lon
        out.append((lon + shift, lat))
    return out


def countries_of(topology: dict[str, Any], codes: dict[str, str]) -> list[Country]:
    arcs = decode_arcs(topology)
    countries = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") == ANTARCTICA:
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [unwrapped(ring_of(ring, arcs)) for polygon in polygons for ring in polygon]
        longitudes = [lon for ring in rings for lon, _ in ring]
        latitudes = [lat for ring in rings for _, lat in ring]
        name = geometry["properties"]["name"]
        code = codes.get(geometry.get("id", ""), codes.get(name, ""))
        countries.append(
            Country(code, name, rings, min(longitudes), min(latitudes), max(longitudes), max(latitudes))
        )
    return countries


@cache
def countries() -> list[Country]:
    geo = files("parceltrace.web") / "geo"
    topology = json.loads((geo / "countries-110m.json").read_text(encoding="utf-8"))
    codes = json.loads((geo / "iso3166.json").read_text(encoding="utf-8"))
    return countries_of(topology, codes)


def ring_area_and_centroid(ring: Ring) -> tuple[float, Point]:
    """The shoelace formula in degrees: enough to find a country's main landmass and its middle."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if area == 0:
        return 0.0, ring[0]
    return abs(area) / 2, (cx / (3 * area), cy / (3 * area))


@cache
def centroids() -> dict[str, Point]:
    """Each country's point for a journey that knows only countries: the middle of its largest
    ring (mainland France, not French Guiana; the contiguous United States, not Alaska)."""
    middles: dict[str, Point] = {}
    for country in countries():
        if country.code:
            middles[country.code] = max(ring_area_and_centroid(ring) for ring in country.rings)[1]
    return middles
