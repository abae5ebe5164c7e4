"""canadapost: what parceltrace makes of its real answers (`samples/`, see `SOURCES.md` there)."""

from __future__ import annotations

import re
from pathlib import Path

from parceltrace.tracking.derive import derive_track_info
from tests.sources.connectors.replay import NOW, events_of, one

SAMPLES = Path(__file__).parent / "samples"


def cut_back(xml: str, last_day: str) -> bytes:
    """A derived sample: the recorded answer as it stood at the end of `last_day` (the
    occurrences of later days removed, nothing else changed)."""
    kept = [
        part
        for part in re.split(r"(?=<occurrence>)", xml)
        if not part.startswith("<occurrence>")
        or re.search(r"<event-date>(.*?)</event-date>", part).group(1) <= last_day  # type: ignore[union-attr]
    ]
    text = "".join(kept)
    if not text.rstrip().endswith("</tracking-detail>"):
        raise AssertionError("the cut lost the document's end")
    return text.encode()


async def test_canada_post_delivery_and_signature_in_the_same_second_delivered_wins() -> None:
    """Derived from Canada Post's karrio_tracking_detail.xml, cut back to 2011-02-01: the
    delivery (1496) and the signature scan (20) share 07:59:52, the delivery listed first."""
    xml = (SAMPLES / "karrio_tracking_detail.xml").read_text()
    result = await one("canadapost", "karrio_tracking_detail.xml", body=cut_back(xml, "2011-02-01"))
    info = derive_track_info(result, NOW, None, None)
    assert info.latest_event is not None
    assert info.latest_event.description == "Item successfully delivered"
    assert info.latest_status.status == "Delivered"


async def test_canada_post_codes_read_as_its_answer_describes_them() -> None:
    """0100 "Item processed at postal facility" is a step in transit (it was read as the
    pick-up); 20 "Signature image recorded for Online viewing" comes with a delivery."""
    result = await one("canadapost", "karrio_tracking_detail.xml")
    by_text = {text: sub for text, _, sub in events_of(result)}
    assert by_text["Item processed at postal facility"] == "InTransit_Other"
    assert by_text["Signature image recorded for Online viewing"] == "Delivered_Other"
