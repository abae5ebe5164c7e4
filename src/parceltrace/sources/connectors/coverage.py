"""How much of 17TRACK's carrier list parceltrace can track without an upstream 17TRACK
account: the codes a first-party connector serves, the codes an aggregator serves (none yet:
no aggregator connector exists), and which of the most common carriers have neither.

COMMON is a choice, written down here: the carriers a shop in Europe, North America or
Asia-Pacific most often ships with or receives from. The four integrators and Aramex; the
national posts of the largest e-commerce markets (the US, Canada, Mexico, Brazil, Argentina,
the UK with Parcelforce, Germany with DHL Paket, France, the Netherlands, Belgium, Spain,
Italy, Switzerland, Austria, Poland, the Nordics, Ireland, Portugal, China with EMS, Hong
Kong, Japan, Korea, Singapore, India, Australia and New Zealand); the consolidators that
carry most cross-border e-commerce out of China, and Asendia; and the largest regional parcel
networks (GLS, DPD in Germany and the UK, Evri, Hermes, InPost, Amazon Shipping, OnTrac,
SF Express, Chronopost). 17TRACK publishes no ranking, so this is not derived from one."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from parceltrace.carriers import registry
from parceltrace.sources.connectors.catalog import SPECS, ConnectorSpec

COMMON: tuple[int, ...] = (
    # integrators
    100001, 100002, 100003, 100004, 100006,
    # national posts, the Americas
    21051, 3041, 13141, 2151, 1121,
    # national posts, Europe
    11031, 11033, 7041, 7044, 6051, 14041, 2061, 19181, 9071, 19251, 1161, 16081, 19241,
    4011, 14081, 6041, 9051, 16101,
    # national posts, Asia-Pacific
    3011, 3013, 8011, 10021, 11051, 19131, 9021, 1151, 14061,
    # cross-border consolidators
    190271, 190008, 190094, 190012, 100029,
    # regional parcel networks
    100005, 100007, 100010, 100331, 100018, 100043, 100308, 100049, 100012, 100273,
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class CommonCarrier:
    code: int
    name: str
    connectors: tuple[str, ...]
    """First-party connectors that serve it, in order of preference (none: not covered)."""


@dataclass(frozen=True, slots=True)
class Coverage:
    listed: int
    """17TRACK carrier codes in its published list."""
    first_party: frozenset[int]
    """Codes at least one first-party connector serves."""
    aggregator: frozenset[int]
    """Codes only an aggregator serves."""
    common: tuple[CommonCarrier, ...]

    @property
    def neither(self) -> int:
        return self.listed - len(self.first_party) - len(self.aggregator)

    @property
    def common_uncovered(self) -> tuple[CommonCarrier, ...]:
        return tuple(c for c in self.common if not c.connectors)


def coverage(specs: Iterable[ConnectorSpec] = SPECS, aggregated: Iterable[int] = ()) -> Coverage:
    """The coverage of `specs` (the catalog's connectors) and of aggregators serving `aggregated`."""
    listed = registry.all_carriers()
    by_code: dict[int, list[str]] = {}
    for spec in specs:
        for code in spec.carriers:
            if code in listed:
                by_code.setdefault(code, []).append(spec.name)
    first_party = frozenset(by_code)
    aggregator = frozenset(code for code in aggregated if code in listed) - first_party
    common = tuple(CommonCarrier(code, listed[code].name, tuple(by_code.get(code, ()))) for code in COMMON)
    return Coverage(len(listed), first_party, aggregator, common)
