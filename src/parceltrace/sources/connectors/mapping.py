"""karrio's tracking details as what a carrier reported (pure): events with 003's times,
17TRACK sub-statuses from the carrier's codes, shipping countries, weight, estimated delivery.

Input is karrio's `TrackingDetails` as a plain dict (`attrs.asdict`), so this module needs
neither karrio nor the network to be tested."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from parceltrace.carriers.registry import provider_info
from parceltrace.protocol.structs import (
    Address,
    Coordinates,
    EstimatedDeliveryDate,
    Event,
    MiscInfo,
    ProviderTrack,
    ShippingInfo,
)
from parceltrace.sources.connectors.catalog import ConnectorSpec
from parceltrace.sources.connectors.places import Place, country_code, place_of
from parceltrace.sources.connectors.statuses import sub_status_for
from parceltrace.sources.connectors.times import Clocks, Hints, event_time, local_clock
from parceltrace.sources.connectors.zones import zone_of
from parceltrace.tracking.derive import parse_utc
from parceltrace.tracking.model import SourceResult
from parceltrace.tracking.status_map import stage_of

KILOGRAMS_PER = {"KG": 1.0, "KGS": 1.0, "G": 0.001, "LB": 0.45359237, "LBS": 0.45359237, "OZ": 0.028349523125}


@dataclass(frozen=True, slots=True)
class Leg:
    """One carrier's part of a journey: its 17TRACK code and what its connector reported."""

    carrier: int
    spec: ConnectorSpec
    detail: dict[str, Any]
    hints: Hints
    places: list[Place] = field(default_factory=list)
    """The places the carrier's answer names (see `places`), read once per call."""
    clocks: Clocks = field(default_factory=dict)
    """Each record's seconds by its minute and texts (see `times.clocks_by_text`)."""


def _text(value: Any) -> str | None:
    """A carrier's text as it reads: runs of whitespace (TNT's CDATA padding and newlines)
    as one space."""
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _country(value: Any) -> str | None:
    """003's two-letter country, whatever the carrier wrote (Hermes: `DEU`)."""
    text = _text(value)
    return country_code(text) or (text if text and len(text) == 2 else None)


MARKUP = re.compile(r"<[^>]{0,200}>")


def _plain(value: Any) -> str | None:
    """Text a carrier wrote as HTML (USPS's `USPS Ground Advantage<SUP>&#153;</SUP>`, from
    karrio's recorded USPS answer) as the words it shows: tags dropped, entities read."""
    text = _text(value)
    return _text(html.unescape(MARKUP.sub("", text))) if text and ("<" in text or "&" in text) else text


MappedEvent = tuple[Event, str | None, bool]
"""An event, the carrier's code, and whether the carrier's table knew it."""


def _event(leg: Leg, raw: dict[str, Any], home: str | None, places: dict[str | None, Place]) -> MappedEvent:
    """One karrio event as 003's; `places`: the places of this leg's locations so far (a
    carrier repeats a location across events)."""
    code = _text(raw.get("code"))
    description = _text(raw.get("description"))
    mapped = sub_status_for(leg.spec.name, code, description, raw.get("status"))
    stage = stage_of(mapped.sub_status)
    location = _text(raw.get("location"))
    place = places.get(location) or places.setdefault(location, place_of(location, leg.places, home))
    date, clock = _text(raw.get("date")), local_clock(raw.get("time"))
    offset_given = f"{date}T{clock}" in leg.hints
    own = _text(raw.get("timestamp"))
    if own is None and (seconds := leg.clocks.get((f"{date}T{clock}", (description or "").lower()))):
        own = f"{date}T{seconds}"  # the record's own seconds, found by its description
    when = event_time(
        date,
        clock,
        leg.hints,
        leg.spec.zone if offset_given else zone_of(place, home) or leg.spec.zone,
        own,
    )
    latitude, longitude = raw.get("latitude"), raw.get("longitude")
    return (
        Event(
            time_iso=when.time_iso,
            time_utc=when.time_utc,
            time_raw=when.time_raw,
            description=description,
            location=location,
            stage=stage.value if stage else None,
            sub_status=mapped.sub_status.value,
            address=Address(
                country=place.country,
                state=place.state,
                city=place.city,
                postal_code=place.postal_code,
                coordinates=Coordinates(
                    longitude=None if longitude is None else f"{float(longitude):.6f}",
                    latitude=None if latitude is None else f"{float(latitude):.6f}",
                ),
            ),
        ),
        code,
        mapped.known,
    )


def _newest_first(pairs: list[MappedEvent]) -> list[MappedEvent]:
    undated = [pair for pair in pairs if parse_utc(pair[0].time_utc) is None]
    dated = [pair for pair in pairs if parse_utc(pair[0].time_utc) is not None]
    dated.sort(key=lambda pair: parse_utc(pair[0].time_utc), reverse=True)  # type: ignore[arg-type,return-value]
    return dated + undated


def weight(info: dict[str, Any]) -> tuple[str | None, str | None]:
    """(weight_raw, weight_kg) from karrio's package weight and unit."""
    value, unit = _text(info.get("package_weight")), (_text(info.get("package_weight_unit")) or "").upper()
    if value is None:
        return None, None
    raw = f"{value} {unit}".strip()
    try:
        kilograms = float(value) * KILOGRAMS_PER[unit or "KG"]
    except (KeyError, ValueError):
        return raw, None
    return raw, f"{kilograms:.3f}".rstrip("0").rstrip(".")


def estimated_delivery(leg: Leg) -> EstimatedDeliveryDate:
    """The carrier's expected delivery day, as the whole day in its headquarters' zone. Once
    delivered there is none: what karrio then gives is the day it was delivered (Sendle's
    `delivered_on`, in karrio's recorded Sendle parse: `estimated_delivery` 2023-04-05 with
    `delivered: true`; UPS's "DEL" date), not an estimate."""
    if leg.detail.get("delivered") is True:
        return EstimatedDeliveryDate()
    info = leg.detail.get("info") or {}
    day = _text(leg.detail.get("estimated_delivery")) or _text(info.get("expected_delivery"))
    if day is None:
        return EstimatedDeliveryDate()
    start = event_time(day[:10], "00:00", {}, leg.spec.zone).time_iso
    end = event_time(day[:10], "23:59", {}, leg.spec.zone).time_iso
    if start is None or end is None:
        return EstimatedDeliveryDate()
    return EstimatedDeliveryDate(source="Official", from_=start, to=end.replace(":59:00", ":59:59"))


def source_result(legs: list[Leg], now: datetime) -> SourceResult:
    """The journey from one or two carriers' reports, the carrier that has it now first."""
    sync_time = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    providers: list[ProviderTrack] = []
    codes: list[list[str | None]] = []
    unmapped: list[tuple[str, str, str]] = []
    for leg in legs:
        raws = leg.detail.get("events") or []
        if leg.spec.undated_are_plans:
            raws = [raw for raw in raws if _text(raw.get("date"))]
        seen: dict[str | None, Place] = {}
        home = provider_info(leg.carrier).country  # the carrier's country, for places without one
        pairs = _newest_first([_event(leg, raw, home, seen) for raw in raws])
        info = leg.detail.get("info") or {}
        providers.append(
            ProviderTrack(
                provider=provider_info(leg.carrier),
                service_type=_plain(info.get("shipment_service")),
                latest_sync_status="Success",
                latest_sync_time=sync_time,
                events_hash=0,
                events=[event for event, _, _ in pairs],
            )
        )
        codes.append([code for _, code, _ in pairs])
        unmapped += [
            (leg.spec.name, code or "", event.description or "") for event, code, known in pairs if not known
        ]
    first = legs[-1] if legs else None
    last = legs[0] if legs else None
    first_info = (first.detail.get("info") or {}) if first else {}
    last_info = (last.detail.get("info") or {}) if last else {}
    weight_raw, weight_kg = weight(first_info)
    return SourceResult(
        providers=providers,
        shipping_info=ShippingInfo(
            shipper_address=Address(
                country=_country(first_info.get("shipment_origin_country")),
                postal_code=_text(first_info.get("shipment_origin_postal_code")),
            ),
            recipient_address=Address(
                country=_country(last_info.get("shipment_destination_country")),
                postal_code=_text(last_info.get("shipment_destination_postal_code")),
            ),
        ),
        misc_info=MiscInfo(
            service_type=_plain(first_info.get("shipment_service")),
            weight_raw=weight_raw,
            weight_kg=weight_kg,
            local_number=_text(last.detail.get("tracking_number")) if len(legs) > 1 and last else None,
            local_provider=providers[0].provider.name if len(legs) > 1 else None,
            local_key=legs[0].carrier if len(legs) > 1 else 0,
        ),
        estimated_delivery=estimated_delivery(last) if last else EstimatedDeliveryDate(),
        carrier_codes=codes,
        unmapped=unmapped,
        signed_by=_text(last_info.get("signed_by")),
    )
