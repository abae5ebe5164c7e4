"""17TRACK's carrier codes and numeric country codes (generated into carriers.jsonl and
countries.jsonl by scripts/gen_carriers.py, each value exactly as published)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from parceltrace.protocol.structs import ProviderInfo

POSTAL_CODE_LIMIT = 100_000
"""17TRACK numbers postal operators below 100000 (country code * 10 + n); express carriers above."""
CARRIER_FIELDS = ("key", "_name", "_country", "_country_iso", "_url")
COUNTRY_FIELDS = ("key", "_name")


@dataclass(frozen=True, slots=True)
class Carrier:
    code: int
    name: str
    country_numeric: int
    country_iso: str
    homepage: str

    @property
    def is_postal(self) -> bool:
        return self.code < POSTAL_CODE_LIMIT


def _rows(file_name: str) -> list[list[Any]]:
    text = resources.files(__package__).joinpath(file_name).read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


@cache
def carrier_rows() -> tuple[tuple[Any, ...], ...]:
    """The published carrier list's rows (CARRIER_FIELDS), untouched, in the published order."""
    return tuple(tuple(row) for row in _rows("carriers.jsonl"))


@cache
def country_rows() -> tuple[tuple[int, str], ...]:
    """17TRACK's numeric country codes and names (COUNTRY_FIELDS), in the published order."""
    return tuple((int(key), str(name)) for key, name in _rows("countries.jsonl"))


@cache
def all_carriers() -> dict[int, Carrier]:
    """Carrier code -> its facts, names and homepages trimmed and an unknown country as 0/""."""
    return {
        int(code): Carrier(int(code), name.strip(), int(country or 0), iso or "", (url or "").strip())
        for code, name, country, iso, url in carrier_rows()
    }


SANDBOX_CARRIER = Carrier(
    code=999001,
    name="parceltrace Sandbox",
    country_numeric=0,
    country_iso="",
    homepage="https://parceltrace.invalid/",
)
"""parceltrace's own carrier for sandbox numbers (carriers/sandbox.py), outside 17TRACK's list."""


def get(code: int) -> Carrier | None:
    """A 17TRACK carrier, or parceltrace's own sandbox carrier."""
    return SANDBOX_CARRIER if code == SANDBOX_CARRIER.code else all_carriers().get(code)


@cache
def national_post_by_iso() -> dict[str, Carrier]:
    """ISO country -> its national postal operator: the carrier numbered `country * 10 + 1`."""
    table = all_carriers()
    posts: dict[str, Carrier] = {}
    for carrier in table.values():
        post = table.get(carrier.country_numeric * 10 + 1)
        if carrier.country_iso and post is not None and post.country_iso == carrier.country_iso:
            posts[carrier.country_iso] = post
    return posts


@cache
def numeric_country_by_iso() -> dict[str, int]:
    """ISO 3166 alpha-2 -> 17TRACK's numeric country code, as the carrier list pairs them (the
    national post's pairing first: a country's own post names its code)."""
    pairs: dict[str, int] = {}
    for carrier in national_post_by_iso().values():
        pairs[carrier.country_iso] = carrier.country_numeric
    for carrier in all_carriers().values():
        if carrier.country_iso and carrier.country_numeric:
            pairs.setdefault(carrier.country_iso, carrier.country_numeric)
    return pairs


def _entry(fields: tuple[str, ...], row: tuple[Any, ...]) -> str:
    pairs = (
        f"{json.dumps(k)}: {json.dumps(v, ensure_ascii=False)}" for k, v in zip(fields, row, strict=True)
    )
    return "{\n" + ",\n".join(pairs) + "\n}"


@cache
def carrier_list_json() -> bytes:
    """apicarrier.all.json as 17TRACK publishes it: one field a line, in the published order."""
    return ("[\n" + ",\n".join(_entry(CARRIER_FIELDS, row) for row in carrier_rows()) + "\n]").encode()


@cache
def country_list_json() -> bytes:
    """apicountry.all.json as 17TRACK publishes it: compact, in the published order."""
    rows = [dict(zip(COUNTRY_FIELDS, row, strict=True)) for row in country_rows()]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode()


@cache
def website_carrier_list_json() -> bytes:
    """The carrier list as 17TRACK's website serves it (`/en/apicarrier`, where django-ok-17track
    reads it): the same rows with `_canTrack`, 1 for every carrier the API lists."""
    rows = [{**dict(zip(CARRIER_FIELDS, row, strict=True)), "_canTrack": 1} for row in carrier_rows()]
    return json.dumps(rows, ensure_ascii=False, separators=(",", ":")).encode()


def provider_info(code: int) -> ProviderInfo:
    """A carrier as `track_info.tracking.providers[].provider` names it, from the carrier list."""
    carrier = get(code)
    name = carrier.name if carrier else str(code)
    return ProviderInfo(
        key=code,
        name=name,
        alias=name,
        tel=None,
        homepage=carrier.homepage if carrier else None,
        country=(carrier.country_iso or None) if carrier else None,
    )
