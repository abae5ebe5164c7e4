"""Generate src/parceltrace/carriers/carriers.tsv from 17TRACK's public carrier list.

Run once when the list changes:  python scripts/gen_carriers.py ../shared/data/17track
Only interoperability facts are kept (code, name, ISO country, homepage); contact data is not.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "src/parceltrace/carriers/carriers.tsv"


def clean(text: object) -> str:
    return ("" if text is None else str(text)).replace("\t", " ").replace("\n", " ").strip()


def main(source_dir: str) -> None:
    rows = json.loads((Path(source_dir) / "apicarrier.all.json").read_text(encoding="utf-8"))
    lines = ["code\tname\tcountry_numeric\tcountry_iso\thomepage"]
    for row in sorted(rows, key=lambda r: int(r["key"])):
        fields = (
            row["key"],
            row["_name"],
            row.get("_country") or 0,
            row["_country_iso"],
            row["_url"],
        )
        lines.append("\t".join(clean(f) for f in fields))
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(rows)} carriers to {OUT}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/17track")
