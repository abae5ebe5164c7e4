"""Every carrier parceltrace tracks through karrio, one module each (its catalog entry, status
table with sources, and any change to karrio's module or answers for it), so adding or fixing a
carrier touches one place. The order is the order of preference when two serve one code.

A carrier's real answers, their sources and its stand-in are in the tests beside it
(`tests/sources/connectors/carriers/<name>/`: `samples/` with its `SOURCES.md`, `standin.py`,
and its tests); a module's comments name its samples as `samples/<file>`."""

from __future__ import annotations

from parceltrace.sources.connectors.carrier import Carrier
from parceltrace.sources.connectors.carriers import (
    asendia,
    australiapost,
    bpost,
    canadapost,
    dhl_universal,
    dpd,
    fedex,
    gls,
    hermes,
    laposte,
    purolator,
    royalmail,
    sendle,
    tnt,
    ups,
    usps,
)

ALL: tuple[Carrier, ...] = (
    dhl_universal.CARRIER,
    ups.CARRIER,
    fedex.CARRIER,
    usps.CARRIER,
    canadapost.CARRIER,
    australiapost.CARRIER,
    laposte.CARRIER,
    royalmail.CARRIER,
    gls.CARRIER,
    hermes.CARRIER,
    purolator.CARRIER,
    asendia.CARRIER,
    bpost.CARRIER,
    dpd.CARRIER,
    sendle.CARRIER,
    tnt.CARRIER,
)
BY_NAME: dict[str, Carrier] = {carrier.spec.name: carrier for carrier in ALL}
