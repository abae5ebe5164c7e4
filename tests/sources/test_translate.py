from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from aiohttp import web

from parceltrace.protocol.status import LANGUAGES
from parceltrace.sources.phrases import LANGS, PHRASES
from parceltrace.sources.simulator import DESCRIPTIONS
from parceltrace.sources.translate import LibreTranslator, TranslationError, phrase_book_translation


def test_the_phrase_book_covers_every_documented_language_and_simulated_status() -> None:
    assert set(LANGS) == LANGUAGES
    assert set(PHRASES) == set(DESCRIPTIONS)
    for status, texts in PHRASES.items():
        assert set(texts) == LANGUAGES
        assert all(text.strip() for text in texts.values()), status
        assert len(set(texts.values())) == len(LANGUAGES), f"{status}: a language repeats another"
    assert len({texts["de"] for texts in PHRASES.values()}) == len(PHRASES)


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Delivered, signed for by the recipient [LYON]", "de", "Zugestellt, vom Empfänger quittiert [LYON]"),
        ("Out for delivery [SÃO PAULO]", "ja", "配達中です [SÃO PAULO]"),
        ("Picked up by carrier", "zh-hans", "承运商已揽收"),
        ("Picked up by carrier [X]", "en", "Picked up by carrier [X]"),
        ("Something a real carrier said", "de", None),
        ("Picked up by carrier", "pt", None),
    ],
)
def test_phrase_book_translation(text: str, lang: str, expected: str | None) -> None:
    assert phrase_book_translation(text, lang) == expected


Reply = Callable[[web.Request], Awaitable[web.StreamResponse]]


@pytest.fixture
async def serve() -> AsyncIterator[Callable[[Reply], Awaitable[str]]]:
    runners: list[web.AppRunner] = []

    async def start(reply: Reply) -> str:
        app = web.Application()
        app.router.add_post("/translate", reply)
        runner = web.AppRunner(app)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        runners.append(runner)
        return f"http://127.0.0.1:{site._server.sockets[0].getsockname()[1]}"  # type: ignore[union-attr]

    yield start
    for runner in runners:
        await runner.cleanup()


async def test_libre_sends_one_request_per_batch_with_api_key(serve: Any) -> None:
    seen: list[Any] = []

    async def reply(request: web.Request) -> web.Response:
        seen.append(await request.json())
        return web.json_response({"translatedText": ["un", ""]})

    translator = LibreTranslator(await serve(reply) + "/", api_key="k")
    try:
        assert await translator.translate(["one", "two"], "fr") == ["un", None]
    finally:
        await translator.close()
    assert seen == [{"q": ["one", "two"], "source": "auto", "target": "fr", "format": "text", "api_key": "k"}]


@pytest.mark.parametrize(
    "answer",
    [
        web.json_response({"translatedText": ["only one"]}),
        web.json_response({"error": "Too many requests"}, status=429),
        web.Response(text="<html>gateway</html>", content_type="text/html"),
        web.json_response(["not", "an", "object"]),
    ],
)
async def test_libre_failures_are_translation_errors(serve: Any, answer: web.Response) -> None:
    async def reply(request: web.Request) -> web.Response:
        return answer

    translator = LibreTranslator(await serve(reply))
    try:
        with pytest.raises(TranslationError):
            await translator.translate(["a", "b"], "de")
    finally:
        await translator.close()


async def test_libre_unreachable_is_a_translation_error() -> None:
    translator = LibreTranslator("http://127.0.0.1:9/translate")
    try:
        with pytest.raises(TranslationError):
            await translator.translate(["a"], "de")
    finally:
        await translator.close()


def test_libre_url_forms() -> None:
    assert LibreTranslator("http://h:5000").url == "http://h:5000/translate"
    assert LibreTranslator("http://h:5000/translate/").url == "http://h:5000/translate"
    assert isinstance(httpx.URL(LibreTranslator("http://h").url), httpx.URL)
