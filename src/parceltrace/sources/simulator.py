"""The sandbox simulator: a deterministic, realistic journey for every number.

`SANDBOX-<SubStatus>-<seed>` numbers end in that sub-status within 10 days of registration;
numbers in real formats get a plausible journey for their carrier and countries (postal items
crossing a border get two providers: origin post and destination post). Everything follows
from the number (its seed) and the registration time, so tests can assert exact values.
"""

from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo

import msgspec

from parceltrace.carriers import registry
from parceltrace.carriers.formats import match_formats
from parceltrace.carriers.registry import provider_info
from parceltrace.carriers.sandbox import SANDBOX_CARRIER, parse_sandbox_number
from parceltrace.protocol.status import SubStatus
from parceltrace.protocol.structs import (
    Address,
    Coordinates,
    EstimatedDeliveryDate,
    Event,
    MiscInfo,
    ProviderTrack,
    ShippingInfo,
    TimeRaw,
)
from parceltrace.sources.base import TrackingRef
from parceltrace.sources.phrases import PHRASES
from parceltrace.sources.places import DESTINATIONS, Place, places_in
from parceltrace.tracking.model import SourceResult
from parceltrace.tracking.status_map import stage_of

S = SubStatus
H = 3600

DESCRIPTIONS: dict[SubStatus, str] = {status: texts["en"] for status, texts in PHRASES.items()}
CUSTOMS = {
    S.IN_TRANSIT_DEPARTURE,
    S.IN_TRANSIT_ARRIVAL,
    S.IN_TRANSIT_CUSTOMS_PROCESSING,
    S.IN_TRANSIT_CUSTOMS_RELEASED,
    S.IN_TRANSIT_CUSTOMS_REQUIRING_INFORMATION,
    S.EXCEPTION_SECURITY,
}
MAX_SPAN = timedelta(days=9, hours=20)
"""The last event of a journey comes no later than this after registration."""


class Step(msgspec.Struct, frozen=True, gc=False):
    """Untracked by the garbage collector, as a Plan: the plan cache holds many (no cycles)."""

    hours: float
    """Offset from registration."""
    status: SubStatus
    place: Place
    leg: int
    """0: origin carrier, 1: destination carrier."""


class Plan(msgspec.Struct, frozen=True, gc=False):
    steps: tuple[Step, ...]
    carriers: tuple[int, ...]
    """Provider carriers, origin first."""
    origin: Place
    destination: Place
    invalid_number: bool
    service_type: str
    weight_kg: float
    eta_days: tuple[int, int]


def seed_of(number: str) -> int:
    return zlib.crc32(number.upper().encode())


def _pick(options: tuple[Place, ...], seed: int, salt: int) -> Place:
    return options[(seed // (salt + 1)) % len(options)]


def _route(origin: Place, destination: Place, seed: int, international: bool) -> list[Step]:
    """The full path of a delivered parcel; scenarios cut it or branch from it."""
    hub_out = _pick(places_in(origin.country), seed, 3)
    hub_in = _pick(places_in(destination.country), seed, 5)
    j = (seed % 7) / 10  # up to 0.6 h of spread, fixed per number
    steps = [Step(-3 - j, S.INFO_RECEIVED, origin, 0), Step(9 + j, S.IN_TRANSIT_PICKED_UP, origin, 0)]
    if international:
        steps += [
            Step(22 + j, S.IN_TRANSIT_OTHER, hub_out, 0),
            Step(46 + j, S.IN_TRANSIT_DEPARTURE, hub_out, 0),
            Step(94 + j, S.IN_TRANSIT_ARRIVAL, hub_in, 1),
            Step(99 + j, S.IN_TRANSIT_CUSTOMS_PROCESSING, hub_in, 1),
            Step(118 + j, S.IN_TRANSIT_CUSTOMS_RELEASED, hub_in, 1),
            Step(138 + j, S.IN_TRANSIT_OTHER, destination, 1),
            Step(160 + j, S.OUT_FOR_DELIVERY_OTHER, destination, 1),
            Step(165 + j, S.DELIVERED_OTHER, destination, 1),
        ]
    else:
        steps += [
            Step(21 + j, S.IN_TRANSIT_OTHER, hub_out, 0),
            Step(33 + j, S.IN_TRANSIT_OTHER, hub_in, 0),
            Step(46 + j, S.IN_TRANSIT_OTHER, destination, 0),
            Step(57 + j, S.OUT_FOR_DELIVERY_OTHER, destination, 0),
            Step(61 + j, S.DELIVERED_OTHER, destination, 0),
        ]
    return steps


def _until(steps: list[Step], status: SubStatus) -> list[Step]:
    """The path up to and including the first step in `status`."""
    for index, step in enumerate(steps):
        if step.status is status:
            return steps[: index + 1]
    return steps


def _scenario(route: list[Step], target: SubStatus) -> list[Step]:
    """Cut or branch the delivered route so that it ends in `target`."""
    main = target.main.value
    last_leg = route[-1].leg
    at_door = route[-1].place
    if target in (S.NOT_FOUND_OTHER, S.NOT_FOUND_INVALID_CODE):
        return []
    if main in ("InfoReceived", "InTransit") and target is not S.IN_TRANSIT_CUSTOMS_REQUIRING_INFORMATION:
        return _until(route, target)
    if target is S.IN_TRANSIT_CUSTOMS_REQUIRING_INFORMATION:
        held = _until(route, S.IN_TRANSIT_CUSTOMS_PROCESSING)
        return [*held, Step(held[-1].hours + 20, target, held[-1].place, held[-1].leg)]
    if target is S.OUT_FOR_DELIVERY_OTHER:
        return _until(route, S.OUT_FOR_DELIVERY_OTHER)
    if target is S.DELIVERED_OTHER:
        return route
    if target is S.AVAILABLE_FOR_PICKUP_OTHER:
        before = route[:-2]
        return [*before, Step(before[-1].hours + 14, target, at_door, last_leg)]
    if target is S.EXPIRED_OTHER:
        moving = _until(route, S.IN_TRANSIT_DEPARTURE) if len(route) > 7 else route[:3]
        return [*moving, Step(9 * 24 + 6, target, moving[-1].place, moving[-1].leg)]
    out = _until(route, S.OUT_FOR_DELIVERY_OTHER)
    if main == "DeliveryFailure":
        return [*out, Step(out[-1].hours + 5, target, at_door, last_leg)]
    if target in (S.EXCEPTION_RETURNING, S.EXCEPTION_RETURNED):
        failed = [*out, Step(out[-1].hours + 5, S.DELIVERY_FAILURE_NO_BODY, at_door, last_leg)]
        returning = [*failed, Step(failed[-1].hours + 20, S.EXCEPTION_RETURNING, at_door, last_leg)]
        if target is S.EXCEPTION_RETURNING:
            return returning
        return [*returning, Step(returning[-1].hours + 40, S.EXCEPTION_RETURNED, route[0].place, 0)]
    if target in (S.EXCEPTION_SECURITY, S.EXCEPTION_DELAYED):
        held = _until(route, S.IN_TRANSIT_CUSTOMS_PROCESSING)
        return [*held, Step(held[-1].hours + 30, target, held[-1].place, held[-1].leg)]
    moving = route[:4]
    return [*moving, Step(moving[-1].hours + 18, target, moving[-1].place, moving[-1].leg)]


def _fit(steps: list[Step]) -> tuple[Step, ...]:
    """Squeeze a journey so that its last event falls within MAX_SPAN of registration."""
    if not steps or steps[-1].hours * H <= MAX_SPAN.total_seconds():
        return tuple(steps)
    scale = MAX_SPAN.total_seconds() / H / steps[-1].hours
    return tuple(Step(s.hours * scale if s.hours > 0 else s.hours, s.status, s.place, s.leg) for s in steps)


def _countries(ref: TrackingRef, seed: int) -> tuple[str, str, bool]:
    """(origin, destination, postal) for a number: from its S10 suffix or its carrier's country."""
    for found in match_formats(ref.number):
        if found.format.courier == "s10" and found.lookups_ok:
            origin = found.groups["CountryCode"]
            return origin, _other_country(origin, seed), True
    carrier = registry.get(ref.carrier)
    origin = carrier.country_iso if carrier and carrier.country_iso else "CN"
    postal = carrier is not None and carrier.is_postal
    domestic = seed % 3 == 0 and not postal
    return origin, origin if domestic else _other_country(origin, seed), postal


def _other_country(origin: str, seed: int) -> str:
    choices = [c for c in DESTINATIONS if c != origin]
    return choices[seed % len(choices)]


def _service(number: str, carrier: int, international: bool) -> str:
    if number[:1] == "E":
        return "EMS"
    if number[:1] in ("R", "L"):
        return "International Registered Mail" if international else "Registered Mail"
    if carrier == 100002:
        return "UPS Worldwide Express" if international else "UPS Ground"
    if carrier == 100003:
        return "FedEx International Priority" if international else "FedEx Ground"
    return "International Parcel" if international else "Standard Parcel"


PLAN_CACHE = 16_384
"""Bound of the plan cache (about 2 KB a plan, ~32 MB at most): enough for the numbers a
sandbox keeps busy at once. A plan takes ~70 us to build. Events are not cached: each is built
from its plan step in ~14 us, and a cache of 65,536 built events (~52 MB) made repeated polls
no measurably faster (median 543 vs 572 us a poll, 3 runs each, noise larger than the gap)
while the server's memory kept rising for ten minutes of a soak as it filled."""


@lru_cache(maxsize=PLAN_CACHE)
def plan_for(number: str, carrier: int, final_carrier: int) -> Plan:
    """The whole journey of a number, independent of time (cached: polls re-use it)."""
    seed = seed_of(number)
    ref = TrackingRef(number, carrier, final_carrier, None, datetime.min.replace(tzinfo=UTC))
    sandbox = parse_sandbox_number(number)
    if sandbox is not None:
        target, sandbox_seed = sandbox
        seed = zlib.crc32(f"{sandbox_seed}".encode())
        origin_country = ("CN", "US", "GB", "DE", "NL", "JP")[seed % 6]
        destination_country = _other_country(origin_country, seed // 11)
        international = target in CUSTOMS or seed % 4 != 0
        if not international:
            destination_country = origin_country
        carriers: tuple[int, ...] = (SANDBOX_CARRIER.code,)
    else:
        target = S.DELIVERED_OTHER
        origin_country, destination_country, postal = _countries(ref, seed)
        international = origin_country != destination_country
        destination_post = registry.national_post_by_iso().get(destination_country)
        if postal and international and (final_carrier or destination_post):
            carriers = (carrier, final_carrier or (destination_post.code if destination_post else carrier))
        else:
            carriers = (carrier,)
    origin = _pick(places_in(origin_country), seed, 0)
    destination = _pick(places_in(destination_country), seed, 1)
    steps = _fit(_scenario(_route(origin, destination, seed, international), target))
    if len(carriers) == 1:
        steps = tuple(Step(s.hours, s.status, s.place, 0) for s in steps)
    days = 7 if international else 3
    return Plan(
        steps=steps,
        carriers=carriers,
        origin=origin,
        destination=destination,
        invalid_number=target is S.NOT_FOUND_INVALID_CODE,
        service_type=_service(number, carrier, international),
        weight_kg=round(0.1 + (seed % 97) / 20, 2),
        eta_days=(days - 1, days + 2),
    )


@cache
def _address(place: Place) -> Address:
    """One Address per place, shared by every event there (never mutated)."""
    return Address(
        country=place.country,
        state=place.state,
        city=place.city,
        street=None,
        postal_code=place.postal_code,
        coordinates=Coordinates(longitude=f"{place.longitude:.6f}", latitude=f"{place.latitude:.6f}"),
    )


@cache
def _zone(name: str) -> ZoneInfo:
    """Zones held for good: the standard library's own cache keeps only a few."""
    return ZoneInfo(name)


def _offset(local: datetime) -> str:
    delta = local.utcoffset() or timedelta(0)
    minutes = int(delta.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def _event(moment: datetime, step: Step) -> Event:
    local = moment.astimezone(_zone(step.place.tz))
    zone = _offset(local)
    day = f"{local.year:04d}-{local.month:02d}-{local.day:02d}"
    clock = f"{local.hour:02d}:{local.minute:02d}:{local.second:02d}"
    stage = stage_of(step.status)
    place = step.place
    return Event(
        time_iso=f"{day}T{clock}{zone}",
        time_utc=f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}Z",
        time_raw=TimeRaw(date=day, time=clock, timezone=zone),
        description=f"{DESCRIPTIONS[step.status]} [{place.city}]",
        location=", ".join(p for p in (place.city, place.state, place.country) if p),
        stage=stage.value if stage else None,
        sub_status=step.status.value,
        address=_address(place),
    )


def journey(ref: TrackingRef, now: datetime) -> SourceResult:
    """What the simulated carriers report at `now` for a tracking registered at `registered_at`."""
    plan = plan_for(ref.number, ref.carrier, ref.final_carrier)
    start = ref.registered_at.replace(microsecond=0)
    timed = [(start + timedelta(hours=s.hours), s) for s in plan.steps]
    visible = [(moment, step) for moment, step in timed if moment <= now]
    upcoming = [moment for moment, _ in timed if moment > now]
    sync_time = now.strftime("%Y-%m-%dT%H:%M:%SZ")
    if not plan.steps:
        return never_found(plan, sync_time)
    legs = []
    for leg, code in enumerate(plan.carriers):
        events = [_event(moment, step) for moment, step in reversed(visible) if step.leg == leg]
        if events or leg == 0:
            legs.append(
                ProviderTrack(
                    provider=provider_info(code),
                    service_type=plan.service_type,
                    latest_sync_status="Success",
                    latest_sync_time=sync_time,
                    events_hash=0,
                    events=events,
                )
            )
    providers = legs[::-1]
    destination_tz = _zone(plan.destination.tz)
    low, high = plan.eta_days
    local_number = ref.number if len(plan.carriers) > 1 else None
    local_carrier = registry.get(plan.carriers[-1]) if len(plan.carriers) > 1 else None
    return SourceResult(
        providers=providers,
        shipping_info=ShippingInfo(
            shipper_address=_address(plan.origin), recipient_address=_address(plan.destination)
        ),
        misc_info=MiscInfo(
            risk_factor=0,
            service_type=plan.service_type,
            weight_raw=f"{plan.weight_kg} KG",
            weight_kg=f"{plan.weight_kg}",
            pieces="1",
            dimensions="30*20*10 CM",
            local_number=local_number,
            local_provider=local_carrier.name if local_carrier else None,
            local_key=local_carrier.code if local_carrier else 0,
        ),
        estimated_delivery=EstimatedDeliveryDate(
            source="Official",
            from_=(start + timedelta(days=low))
            .astimezone(destination_tz)
            .replace(hour=9, minute=0, second=0)
            .isoformat(),
            to=(start + timedelta(days=high))
            .astimezone(destination_tz)
            .replace(hour=18, minute=0, second=0)
            .isoformat(),
        ),
        invalid_number=plan.invalid_number,
        changes_at=min(upcoming) if upcoming else None,
        complete=not upcoming,
    )


def never_found(plan: Plan, sync_time: str) -> SourceResult:
    """A number the carrier has nothing on, as 003's NotFound example answers it: the carrier
    asked (a successful sync, no events) and no shipping details beyond registration's."""
    return SourceResult(
        providers=[
            ProviderTrack(
                provider=provider_info(plan.carriers[0]),
                service_type=None,
                latest_sync_status="Success",
                latest_sync_time=sync_time,
                events_hash=0,
                events=[],
            )
        ],
        shipping_info=ShippingInfo(),
        misc_info=MiscInfo(),
        estimated_delivery=EstimatedDeliveryDate(),
        invalid_number=plan.invalid_number,
        changes_at=None,
        complete=True,
    )


class Simulator:
    """The sandbox source."""

    name = "sandbox"

    async def fetch(self, ref: TrackingRef, now: datetime) -> SourceResult:
        return journey(ref, now)
