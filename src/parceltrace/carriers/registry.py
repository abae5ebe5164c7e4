"""The table of 17TRACK carrier codes (generated into carriers.tsv by scripts/gen_carriers.py)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

POSTAL_CODE_LIMIT = 100_000
"""17TRACK numbers postal operators below 100000 (country code * 10 + n); express carriers above."""


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


@cache
def all_carriers() -> dict[int, Carrier]:
    text = resources.files(__package__).joinpath("carriers.tsv").read_text(encoding="utf-8")
    table: dict[int, Carrier] = {}
    for line in text.splitlines()[1:]:
        code, name, numeric, iso, homepage = line.split("\t")
        table[int(code)] = Carrier(int(code), name, int(numeric), iso, homepage)
    return table


def get(code: int) -> Carrier | None:
    """A 17TRACK carrier, or parceltrace's own sandbox carrier."""
    from parceltrace.carriers.sandbox import SANDBOX_CARRIER

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
