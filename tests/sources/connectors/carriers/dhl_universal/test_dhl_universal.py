"""dhl_universal: what parceltrace makes of its real answers (`samples/`, see `SOURCES.md` there)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.sources.connectors.replay import events_of, one

SAMPLES = Path(__file__).parent / "samples"


async def test_dhl_a_label_only_parcel_is_info_received() -> None:
    """Derived from DHL's karrio_tracking.json: its one event given statusCode "unknown" and
    the status and description "LABEL CREATED" (row 238 of DHL's published status list,
    karrio `modules/connectors/mydhl/vendors/status_1.csv`). karrio reads unknown as a delay
    and it was shown as Exception_Other."""
    answer = json.loads((SAMPLES / "karrio_tracking.json").read_text())
    shipment = answer["shipments"][0]
    for record in (shipment["status"], *shipment["events"]):
        record.update(statusCode="unknown", status="LABEL CREATED", description="LABEL CREATED")
    result = await one("dhl_universal", "karrio_tracking.json", body=json.dumps(answer).encode())
    assert [sub for *_, sub in events_of(result)] == ["InfoReceived"]
