"""The dashboard's carriers page (connector health) and a tracking's reason for a failed fetch."""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import update

from parceltrace.service.connectors import ConnectorSettings, add_connector, list_connectors
from parceltrace.service.context import Services
from parceltrace.store.connectors import HealthUpdate, record_health
from parceltrace.store.tables import trackings
from tests.conftest import Api, Dashboard, NewKey
from tests.sources.connectors.carriers.ups import standin as ups


async def test_connectors_and_their_health(dashboard: Dashboard, services: Services) -> None:
    await add_connector(services, ConnectorSettings("ups", ups.CREDENTIALS))
    await record_health(
        services.store,
        [
            HealthUpdate(
                "ups", None, services.clock.now(), "the carrier refused the credentials: HTTP 401", 1, 1
            )
        ],
    )
    page = await dashboard.http.get("/dashboard/carriers")
    assert page.status_code == 200
    text = re.sub(r"\s+", " ", page.text)
    ups_row = text[text.index("<code>ups</code>") :].split("</tr>")[0]
    assert "configured" in ups_row and "not configured" not in ups_row
    assert "the carrier refused the credentials" in ups_row
    assert "HTTP 401" not in ups_row  # the carrier's own text is the operator's (connectors list)
    assert ups.CREDENTIALS["client_secret"] not in page.text
    fedex_row = text[text.index("<code>fedex</code>") :].split("</tr>")[0]
    assert "not configured" in fedex_row
    assert "sandbox" in text


async def test_a_failed_fetch_shows_its_reason(dashboard: Dashboard, services: Services) -> None:
    await dashboard.post("/dashboard/register", numbers="1Z999AA10123456784")
    reason = "no connector is configured for UPS (100002): add one with `parceltrace connectors add ups`"
    async with services.store.write() as conn:
        await conn.execute(update(trackings).values(latest_sync_status="Failure", sync_error=reason))
    listing = await dashboard.http.get("/dashboard/trackings")
    tracking_id = re.search(r'href="/dashboard/trackings/(\d+)"', listing.text).group(1)  # type: ignore[union-attr]
    page = await dashboard.http.get(f"/dashboard/trackings/{tracking_id}")
    assert "The last fetch failed: no connector is configured for UPS (100002)" in page.text


async def test_a_tenant_sees_only_its_own_waiting_trackings(
    dashboard: Dashboard, services: Services, new_key: NewKey, client: Any
) -> None:
    """Another account's failed trackings (their count, and the reason naming their number)
    are not on this account's page; the operator's `connectors list` still counts them all."""
    other = Api(client, await new_key("other"))
    await other.call("register", [{"number": "1Z999AA10123456784"}])
    async with services.store.write() as conn:
        await conn.execute(
            update(trackings).values(
                latest_sync_status="Failure", sync_error="upstream refused 1Z999AA10123456784: -18019909"
            )
        )
    page = await dashboard.http.get("/dashboard/carriers")
    assert "1Z999AA10123456784" not in page.text
    text = re.sub(r"\s+", " ", page.text)
    ups_row = text[text.index("<code>ups</code>") :].split("</tr>")[0]
    assert "tracking" not in ups_row.split("</td>")[-2]
    views, _ = await list_connectors(services)
    assert next(v for v in views if v.spec.name == "ups").waiting == 1
