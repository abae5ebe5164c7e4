"""`lang`: events translated by the sandbox's phrase book or a LibreTranslate-compatible
service; the extra quota unit charged once, at the first translated result."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from aiohttp import web

from parceltrace.clock import FixedClock
from parceltrace.protocol.status import SubStatus
from parceltrace.protocol.structs import Address as Addr
from parceltrace.protocol.structs import (
    ChangeInfoItem,
    ChangeInfoItems,
    Event,
    NumberItem,
    ProviderInfo,
    ProviderTrack,
    RegisterItem,
    TimeRaw,
)
from parceltrace.service import queries
from parceltrace.service.accounts import AccountSettings, create_account, get_account
from parceltrace.service.context import Services
from parceltrace.service.manage import change_info
from parceltrace.service.register import register
from parceltrace.sources.base import TrackingRef
from parceltrace.sources.phrases import PHRASES
from parceltrace.sources.registry import SourceRegistry, SourceSettings
from parceltrace.tracking.model import SourceResult
from tests.conftest import Poll

NUMBER = "SANDBOX-DELIVERED-OTHER-3"


async def account(services: Services, quota: int = 100) -> int:
    created, _ = await create_account(services, "t", AccountSettings(quota_total=quota, rate_limit=0))
    return created.id


async def used(services: Services) -> int:
    found = await get_account(services, "t")
    assert found is not None
    return found.quota_used


async def track_info(services: Services, account_id: int, number: str = NUMBER) -> Any:
    result = await queries.get_track_info(services, account_id, [NumberItem(number=number)])
    return result["accepted"][0].track_info


def translations(info: Any) -> list[Any]:
    return [e.description_translation for p in info.tracking.providers for e in p.events]


async def play(clock: FixedClock, poll: Poll, hours: int) -> None:
    for _ in range(hours):
        clock.advance_to(clock.now() + timedelta(hours=1))
        await poll()


@pytest.mark.parametrize("lang", ["en", "ja", "fr", "da", "th", "de", "es", "zh-hans"])
async def test_sandbox_events_in_every_language(
    services: Services, clock: FixedClock, poll: Poll, lang: str
) -> None:
    account_id = await account(services)
    await register(services, account_id, [RegisterItem(number=NUMBER, lang=lang)])
    assert await used(services) == 1
    await play(clock, poll, 24 * 10)
    info = await track_info(services, account_id)
    assert info.latest_status.status == "Delivered"
    events = [e for p in info.tracking.providers for e in p.events]
    assert len(events) > 4
    for event in events:
        _, city = event.description.split(" [")
        status = SubStatus(event.sub_status)
        assert event.description_translation is not None
        assert event.description_translation.lang == lang
        assert event.description_translation.description == f"{PHRASES[status][lang]} [{city}"
    assert info.latest_event.description_translation.description.startswith(
        PHRASES[SubStatus.DELIVERED_OTHER][lang]
    )
    assert await used(services) == 2  # charged once, however many results followed


async def test_without_lang_nothing_is_translated_or_charged(
    services: Services, clock: FixedClock, poll: Poll
) -> None:
    account_id = await account(services)
    await register(services, account_id, [RegisterItem(number=NUMBER)])
    await play(clock, poll, 48)
    assert set(translations(await track_info(services, account_id))) == {None}
    assert await used(services) == 1


async def test_no_unit_left_means_no_translation_until_there_is(
    services: Services, clock: FixedClock, poll: Poll
) -> None:
    account_id = await account(services, quota=1)
    await register(services, account_id, [RegisterItem(number=NUMBER, lang="de")])
    await play(clock, poll, 24)
    info = await track_info(services, account_id)
    assert translations(info) and set(translations(info)) == {None}
    assert await used(services) == 1
    async with services.store.write() as conn:
        from sqlalchemy import update

        from parceltrace.store.tables import accounts

        await conn.execute(update(accounts).where(accounts.c.id == account_id).values(quota_total=5))
    await play(clock, poll, 24 * 9)
    assert None not in translations(await track_info(services, account_id))
    assert await used(services) == 2


async def test_lang_set_later_is_charged_at_the_next_result(
    services: Services, clock: FixedClock, poll: Poll
) -> None:
    account_id = await account(services)
    await register(services, account_id, [RegisterItem(number=NUMBER)])
    await play(clock, poll, 24)
    await change_info(services, account_id, [ChangeInfoItem(number=NUMBER, items=ChangeInfoItems(lang="fr"))])
    assert await used(services) == 1
    await play(clock, poll, 24 * 9)
    found = translations(await track_info(services, account_id))
    assert found and all(t is not None and t.lang == "fr" for t in found)
    assert await used(services) == 2
    await change_info(services, account_id, [ChangeInfoItem(number=NUMBER, items=ChangeInfoItems(lang="es"))])
    await play(clock, poll, 24 * 2)
    assert await used(services) == 2  # once per tracking, whatever the language


# ------------------------------------------------ live sources: a LibreTranslate-compatible service

LIVE_NUMBER = "RR123456789CN"


class FixedSource:
    """A live source whose carrier reports the events given to it."""

    name = "fixed"

    def __init__(self) -> None:
        self.descriptions = ["Item accepted"]

    async def fetch(self, ref: TrackingRef, now: datetime) -> SourceResult:
        events = [
            Event(
                time_iso=f"2026-03-0{i + 1}T10:00:00+08:00",
                time_utc=f"2026-03-0{i + 1}T02:00:00Z",
                time_raw=TimeRaw(date=f"2026-03-0{i + 1}", time="10:00:00", timezone="+08:00"),
                description=text,
                location="SHENZHEN",
                stage=None,
                sub_status="InTransit_Other",
                address=Addr(),
            )
            for i, text in reversed(list(enumerate(self.descriptions)))
        ]
        provider = ProviderInfo(3011, "China Post", None, None, None, "CN")
        return SourceResult(providers=[ProviderTrack(provider, None, "Success", None, 0, events)])


class Translations:
    """A LibreTranslate-compatible HTTP service on 127.0.0.1 that upper-cases and records."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.failing = False
        self.url = ""

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.requests.append(body)
        if self.failing:
            return web.json_response({"error": "overloaded"}, status=503)
        return web.json_response({"translatedText": [f"{body['target']}:{q.upper()}" for q in body["q"]]})


@pytest.fixture
async def libre() -> AsyncIterator[Translations]:
    service = Translations()
    app = web.Application()
    app.router.add_post("/translate", service.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    service.url = f"http://127.0.0.1:{port}"
    yield service
    await runner.cleanup()


def go_live(services: Services, translate_url: str | None) -> FixedSource:
    """Live mode with a fixed source (the fixture's `services.close()` closes the translator)."""
    services.sources = SourceRegistry(False, SourceSettings(translate_url=translate_url))
    source = FixedSource()
    services.sources.default = source
    return source


async def test_live_events_translated_by_the_service(
    services: Services, clock: FixedClock, poll: Poll, libre: Translations
) -> None:
    source = go_live(services, libre.url)
    account_id = await account(services)
    await register(services, account_id, [RegisterItem(number=LIVE_NUMBER, lang="zh-hans")])
    await poll()
    info = await track_info(services, account_id, LIVE_NUMBER)
    assert [(t.lang, t.description) for t in translations(info)] == [("zh-hans", "zh-Hans:ITEM ACCEPTED")]
    assert libre.requests == [
        {"q": ["Item accepted"], "source": "auto", "target": "zh-Hans", "format": "text"}
    ]
    assert await used(services) == 2
    source.descriptions = ["Item accepted", "Departed"]
    await play(clock, poll, 24)
    info = await track_info(services, account_id, LIVE_NUMBER)
    assert [t.description for t in translations(info)] == ["zh-Hans:DEPARTED", "zh-Hans:ITEM ACCEPTED"]
    assert [r["q"] for r in libre.requests] == [["Item accepted"], ["Departed"]]  # never twice
    assert await used(services) == 2


async def test_a_failing_service_translates_and_charges_nothing_until_it_answers(
    services: Services, clock: FixedClock, poll: Poll, libre: Translations
) -> None:
    go_live(services, libre.url)
    libre.failing = True
    account_id = await account(services)
    await register(services, account_id, [RegisterItem(number=LIVE_NUMBER, lang="de")])
    await poll()
    info = await track_info(services, account_id, LIVE_NUMBER)
    assert info.latest_status.status == "InTransit"
    assert translations(info) == [None]
    assert await used(services) == 1
    libre.failing = False
    await play(clock, poll, 24)
    assert [t.description for t in translations(await track_info(services, account_id, LIVE_NUMBER))] == [
        "de:ITEM ACCEPTED"
    ]
    assert await used(services) == 2


async def test_live_without_a_translator_keeps_translation_null_and_free(
    services: Services, clock: FixedClock, poll: Poll
) -> None:
    go_live(services, None)
    account_id = await account(services)
    await register(services, account_id, [RegisterItem(number=LIVE_NUMBER, lang="de")])
    await play(clock, poll, 24)
    assert translations(await track_info(services, account_id, LIVE_NUMBER)) == [None]
    assert await used(services) == 1
