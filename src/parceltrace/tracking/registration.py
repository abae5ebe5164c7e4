"""The rules a registration must pass before it touches the store (pure)."""

from __future__ import annotations

from dataclasses import dataclass

from parceltrace.carriers import detect, params, registry
from parceltrace.carriers.formats import FormatMatch, match_formats
from parceltrace.carriers.sandbox import sandbox_hint
from parceltrace.protocol import validation
from parceltrace.protocol.errors import ApiError, ErrorCode
from parceltrace.protocol.structs import RegisterItem


@dataclass(frozen=True, slots=True)
class Registration:
    number: str
    carrier: int
    origin: int
    final_carrier: int
    param: str | None
    tag: str | None
    remark: str | None
    email: str | None
    lang: str | None
    order_no: str | None
    order_time: str | None
    shipping_country: str | None


def known_carrier(code: int) -> registry.Carrier:
    carrier = registry.get(code)
    if carrier is None:
        raise ApiError(ErrorCode.CARRIER_CODE_INCORRECT, code)
    return carrier


def resolve_carrier(
    number: str, given: int | None, auto_detection: bool, matches: list[FormatMatch] | None = None
) -> tuple[int, int]:
    """(carrier, origin): the caller's carrier, corrected when the number proves it wrong."""
    if given:
        known_carrier(given)
    elif not auto_detection:
        raise ApiError(ErrorCode.CARRIER_NOT_DETECTED, detail=sandbox_hint(number) or "")
    found = detect.resolve(number, given or None, matches)
    if found is None:
        raise ApiError(ErrorCode.CARRIER_NOT_DETECTED, detail=sandbox_hint(number) or "")
    return found


def check_final_carrier(carrier: int, final_carrier: int | None) -> int:
    if not final_carrier:
        return 0
    known_carrier(final_carrier)
    if not known_carrier(carrier).is_postal:
        raise ApiError(ErrorCode.FINAL_CARRIER_POSTAL_ONLY)
    return final_carrier


def check_param(carrier: int, value: str | None) -> str | None:
    cleaned = validation.param(value)
    missing = params.missing_param_error(carrier, cleaned)
    if missing is not None:
        code, sample = missing
        raise ApiError(code, sample, "param")
    return cleaned


def shipping_country(matches: list[FormatMatch]) -> str | None:
    """The origin country an S10 number states in its last two letters."""
    for found in matches:
        if found.format.courier == "s10" and found.lookups_ok:
            return found.groups.get("CountryCode")
    return None


def prepare(item: RegisterItem) -> Registration:
    number = validation.number(item.number)
    matches = match_formats(number)
    carrier, origin = resolve_carrier(number, item.carrier, item.auto_detection, matches)
    return Registration(
        number=number,
        carrier=carrier,
        origin=origin,
        final_carrier=check_final_carrier(carrier, item.final_carrier),
        param=check_param(carrier, item.param),
        tag=validation.optional_text(item.tag, "tag"),
        remark=validation.optional_text(item.remark, "remark"),
        email=validation.optional_text(item.email, "email"),
        lang=validation.lang(item.lang),
        order_no=validation.order_no(item.order_no),
        order_time=validation.order_time(item.order_time),
        shipping_country=shipping_country(matches),
    )
