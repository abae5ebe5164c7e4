"""The carriers parceltrace tracks through karrio: which 17TRACK codes each karrio carrier
serves, where its credentials come from, its headquarters' time zone (003: events without an
offset are read in it), how many numbers one call takes and the rate its API allows.

Credential field names are karrio's own settings fields (read from karrio at run time, so they
never drift from the installed version); this table holds only what karrio does not know."""

from __future__ import annotations

from parceltrace.sources.connectors.carrier import ConnectorSpec, Pace
from parceltrace.sources.connectors.carriers import ALL

__all__ = ["BY_NAME", "INSTALL_HINT", "SPECS", "ConnectorSpec", "Pace", "names_for_carrier", "spec"]

INSTALL_HINT = "pip install 'parceltrace[carriers]'"

SPECS: tuple[ConnectorSpec, ...] = tuple(carrier.spec for carrier in ALL)
BY_NAME: dict[str, ConnectorSpec] = {spec.name: spec for spec in SPECS}


def spec(name: str) -> ConnectorSpec | None:
    return BY_NAME.get(name)


def names_for_carrier(code: int) -> list[str]:
    """Connectors that track 17TRACK carrier `code`, in order of preference."""
    return [spec.name for spec in SPECS if code in spec.carriers]
