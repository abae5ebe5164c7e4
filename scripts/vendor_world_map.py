"""Vendor the world outlines the journey map is drawn on, from npm's `world-atlas` package.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    pip install pycountry        # only for this script: ISO numeric -> alpha-2 codes
    python scripts/vendor_world_map.py package

`countries-110m.json` is copied byte for byte (Natural Earth 1:110m admin-0 countries, public
domain, as TopoJSON, ISC-licensed packaging). Its countries are keyed by ISO 3166 numeric
codes; the tracking data speaks alpha-2, so `iso3166.json` maps one to the other.
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pycountry

OUT = Path(__file__).resolve().parent.parent / "src/parceltrace/web/geo"
NOT_IN_ISO = {"Kosovo": "XK"}
"""Natural Earth gives these no numeric code; XK is the code in common use (CLDR, the EU)."""


def main(package_dir: str) -> None:
    package = Path(package_dir)
    source = package / "countries-110m.json"
    shutil.copyfile(source, OUT / "countries-110m.json")
    shutil.copyfile(package / "LICENSE", OUT / "world-atlas.LICENSE")
    geometries = json.loads(source.read_text())["objects"]["countries"]["geometries"]
    codes: dict[str, str] = {}
    for geometry in geometries:
        name = geometry["properties"]["name"]
        found = pycountry.countries.get(numeric=geometry["id"]) if "id" in geometry else None
        if found is not None:
            codes[geometry["id"]] = found.alpha_2
        elif name in NOT_IN_ISO:
            codes[name] = NOT_IN_ISO[name]
    (OUT / "iso3166.json").write_text(json.dumps(codes, indent=0, sort_keys=True) + "\n")
    print(f"{len(geometries)} countries, {len(codes)} with an alpha-2 code")


if __name__ == "__main__":
    main(sys.argv[1])
