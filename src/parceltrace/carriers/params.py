"""Carriers that need an extra `param` with the number (the table "Additional parameters" of 003)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from parceltrace.protocol.errors import ErrorCode


class ParamKind(StrEnum):
    POSTAL_CODE = "PostalCode"
    PHONE_NUMBER = "PhoneNumber"
    DEST_COUNTRY = "DestCountry"
    SHIP_DATE = "ShipDate"


@dataclass(frozen=True, slots=True)
class ParamRule:
    carrier: int
    kind: ParamKind
    sample: str
    required: bool


_P, _T, _C, _D = (
    ParamKind.POSTAL_CODE,
    ParamKind.PHONE_NUMBER,
    ParamKind.DEST_COUNTRY,
    ParamKind.SHIP_DATE,
)

RULES: tuple[ParamRule, ...] = (
    ParamRule(2061, _P, "1000", False),
    ParamRule(7041, _P, "1000 AA", False),
    ParamRule(14041, _C, "FR", True),
    ParamRule(14041, _P, "1000 AA", False),
    ParamRule(100003, _D, "2024/1/1", False),
    ParamRule(100005, _P, "", True),
    ParamRule(100024, _P, "", False),
    ParamRule(100026, _P, "1000 AA", False),
    ParamRule(100027, _P, "12345", False),
    ParamRule(100074, _T, "8888", True),
    ParamRule(100078, _P, "1000", False),
    ParamRule(100155, _P, "1000", False),
    ParamRule(100167, _P, "LS27 0BN", True),
    ParamRule(100189, _P, "123456", True),
    ParamRule(100207, _P, "", True),
    ParamRule(100271, _T, "8888", True),
    ParamRule(100280, _P, "", True),
    ParamRule(100281, _P, "", True),
    ParamRule(100282, _P, "", True),
    ParamRule(100283, _P, "", True),
    ParamRule(100284, _P, "", True),
    ParamRule(100304, _P, "123456", True),
    ParamRule(100316, _P, "", True),
    ParamRule(100321, _P, "1000 AA", False),
    ParamRule(100356, _P, "1000 AA", False),
    ParamRule(100364, _P, "12345", True),
    ParamRule(100384, _P, "12345", True),
    ParamRule(100388, _T, "8888", True),
    ParamRule(100394, _P, "CO14 8LF", True),
    ParamRule(100396, _P, "1000 AA", False),
    ParamRule(100431, _P, "", True),
    ParamRule(100436, _P, "1234", True),
    ParamRule(100438, _T, "8888", True),
    ParamRule(100438, _P, "28001", True),
    ParamRule(100456, _T, "8888", True),
    ParamRule(100466, _P, "1000 AA", True),
    ParamRule(100483, _P, "1000 AA", False),
    ParamRule(100484, _P, "12345", True),
    ParamRule(100522, _P, "88888", True),
    ParamRule(100524, _P, "S27 1BZ", True),
    ParamRule(100552, _P, "H4E 5R4", True),
    ParamRule(100556, _P, "1000 AA", False),
    ParamRule(100580, _P, "LS27 0BN", True),
    ParamRule(100584, _P, "1000 AA", False),
    ParamRule(100594, _P, "51900", True),
    ParamRule(100598, _P, "51900", True),
    ParamRule(100619, _T, "8888", True),
    ParamRule(100623, _P, "1000", True),
    ParamRule(100646, _P, "1000-205", True),
    ParamRule(100688, _P, "1000", False),
    ParamRule(100797, _P, "CPF/CNPJ", True),
    ParamRule(100807, _P, "1000 AA", False),
    ParamRule(100808, _P, "1000 AA", False),
    ParamRule(100809, _P, "1000 AA", False),
    ParamRule(100810, _P, "1000 AA", False),
    ParamRule(100811, _P, "1000 AA", False),
    ParamRule(100812, _P, "1000 AA", False),
    ParamRule(100813, _P, "1000 AA", False),
    ParamRule(100815, _P, "1000 AA", False),
    ParamRule(100842, _C, "ID", True),
    ParamRule(100862, _P, "LS27 0BN", True),
    ParamRule(100881, _P, "LS27 0BN", True),
    ParamRule(100900, _P, "1000 AA", False),
    ParamRule(100932, _P, "51900", True),
    ParamRule(100936, _P, "1000 AA", False),
    ParamRule(100959, _P, "12345", False),
    ParamRule(101003, _T, "8888888888", True),
    ParamRule(101010, _P, "S27 1BZ", True),
    ParamRule(101035, _P, "1000", True),
    ParamRule(101038, _P, "10000", True),
    ParamRule(101039, _P, "10000", True),
    ParamRule(101040, _P, "1000000", True),
    ParamRule(101065, _P, "1000 AA", True),
    ParamRule(101076, _P, "1000 AA", False),
    ParamRule(190415, _T, "8888", True),
    ParamRule(190766, _T, "8888", True),
    ParamRule(190845, _T, "8888", True),
)

_BY_CARRIER: dict[int, tuple[ParamRule, ...]] = {}
for _rule in RULES:
    _BY_CARRIER[_rule.carrier] = (*_BY_CARRIER.get(_rule.carrier, ()), _rule)

_GENERIC_SAMPLE = {_P: "1000 AA", _T: "8888", _C: "FR 1000 AA", _D: "2024-01-01"}
_MISSING_ERROR = {
    _P: ErrorCode.PARAM_POSTAL_REQUIRED,
    _T: ErrorCode.PARAM_PHONE_REQUIRED,
    _C: ErrorCode.PARAM_COUNTRY_POSTAL_REQUIRED,
    _D: ErrorCode.PARAM_ADDITIONAL_REQUIRED,
}
_PARAM_TYPE = {_P: "PostalCode", _T: "PhoneLast4Digits", _C: "Alpha-2CountryCode&PostalCode"}


def rules_for(carrier: int) -> tuple[ParamRule, ...]:
    return _BY_CARRIER.get(carrier, ())


def missing_param_error(carrier: int, param: str | None) -> tuple[ErrorCode, str] | None:
    """The error code and example for a carrier that requires a param none was given for."""
    if param:
        return None
    for rule in rules_for(carrier):
        if rule.required:
            return _MISSING_ERROR[rule.kind], rule.sample or _GENERIC_SAMPLE[rule.kind]
    return None


def param_type(carrier: int, param: str | None) -> str:
    """The `param_type` gettracklist reports: what kind of extra parameter the tracking carries."""
    if not param:
        return "None"
    for rule in rules_for(carrier):
        if rule.kind in _PARAM_TYPE:
            return _PARAM_TYPE[rule.kind]
    return "None"


_COUNTRY_THEN_POSTAL = re.compile(r"([A-Za-z]{2})(?:[\s\-_/,]+(.+))?")


def param_facts(carrier: int, param: str | None) -> dict[str, str]:
    """What a tracking's `param` says, by the names v2.4 answers it under: the destination's
    postal code or country, the last digits of the recipient's phone, or the ship date. The
    carrier's rules tell which one its param is; a carrier without rules says nothing."""
    if not param:
        return {}
    kinds = {rule.kind for rule in rules_for(carrier)}
    if ParamKind.DEST_COUNTRY in kinds:
        found = _COUNTRY_THEN_POSTAL.fullmatch(param.strip())
        if found is not None:
            facts = {"destination_country": found.group(1).upper()}
            if found.group(2):
                facts["destination_postal_code"] = found.group(2)
            return facts
    if ParamKind.PHONE_NUMBER in kinds:
        return {"phone_number_last_4": param}
    if ParamKind.SHIP_DATE in kinds:
        return {"ship_date": param}
    if ParamKind.POSTAL_CODE in kinds:
        return {"destination_postal_code": param}
    return {}
