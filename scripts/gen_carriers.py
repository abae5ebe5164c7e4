"""Generate the carrier and country facts tables of src/parceltrace/carriers/ from 17TRACK's
public lists.

Run once when the lists change:  python scripts/gen_carriers.py ../shared/data/17track
Only interoperability facts are kept, each value exactly as published (untrimmed names, a null
country, an empty ISO code) and in the published order, so that `/asset/carrier/info/*.json`
are byte for byte what clients read from 17TRACK: carriers (code, name, country, ISO country,
homepage) and countries (code, name). Contact data is not kept.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src/parceltrace/carriers"
CARRIER_FIELDS = ("key", "_name", "_country", "_country_iso", "_url")
COUNTRY_FIELDS = ("key", "_name")


def table(rows: list[dict[str, object]], fields: tuple[str, ...]) -> str:
    """One JSON array per line: the values of `fields`, in the source's order."""
    return "".join(json.dumps([row[f] for f in fields], ensure_ascii=False) + "\n" for row in rows)


def main(source_dir: str) -> None:
    source = Path(source_dir)
    carriers = json.loads((source / "apicarrier.all.json").read_text(encoding="utf-8"))
    countries = json.loads((source / "country.all.json").read_text(encoding="utf-8"))
    (OUT / "carriers.jsonl").write_text(table(carriers, CARRIER_FIELDS), encoding="utf-8")
    (OUT / "countries.jsonl").write_text(table(countries, COUNTRY_FIELDS), encoding="utf-8")
    print(f"wrote {len(carriers)} carriers and {len(countries)} countries to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/17track")
