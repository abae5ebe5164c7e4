"""Translators of event descriptions (`lang`): the sandbox's own phrase book, or a
LibreTranslate-compatible HTTP service (`--translate-url`). Without either, nothing is translated
and nothing extra is charged."""

from __future__ import annotations

from typing import Any, Protocol

import httpx

from parceltrace.protocol.failures import ParceltraceError
from parceltrace.sources.phrases import BY_ENGLISH

TIMEOUT = 20.0
LIBRE_CODES = {"zh-hans": "zh-Hans"}
"""Our (17TRACK's) language codes where LibreTranslate spells them differently."""


class TranslationError(ParceltraceError):
    """The translator could not answer now; the events stay untranslated until the next change."""


class Translator(Protocol):
    name: str

    async def translate(self, texts: list[str], lang: str) -> list[str | None]:
        """Each text in `lang`, in order (None: this one cannot be translated)."""
        ...

    async def close(self) -> None: ...


def phrase_book_translation(text: str, lang: str) -> str | None:
    """A simulator event text (`<phrase> [<CITY>]`) in `lang`; None for any other text."""
    phrase, bracket, rest = text.partition(" [")
    texts = BY_ENGLISH.get(phrase)
    if texts is None or lang not in texts:
        return None
    return texts[lang] + (bracket + rest if bracket else "")


class PhraseBookTranslator:
    """The sandbox: every simulated event text exists in all 8 languages."""

    name = "sandbox"

    async def translate(self, texts: list[str], lang: str) -> list[str | None]:
        return [phrase_book_translation(text, lang) for text in texts]

    async def close(self) -> None:
        return None


class LibreTranslator:
    """Any LibreTranslate-compatible `/translate` endpoint; all texts of a batch in one request."""

    name = "libretranslate"

    def __init__(
        self, url: str, api_key: str | None = None, transport: httpx.AsyncBaseTransport | None = None
    ):
        base = url.rstrip("/")
        self.url = base if base.endswith("/translate") else f"{base}/translate"
        self.api_key = api_key
        self._http = httpx.AsyncClient(timeout=TIMEOUT, transport=transport)

    async def translate(self, texts: list[str], lang: str) -> list[str | None]:
        body: dict[str, Any] = {
            "q": texts,
            "source": "auto",
            "target": LIBRE_CODES.get(lang, lang),
            "format": "text",
        }
        if self.api_key:
            body["api_key"] = self.api_key
        try:
            response = await self._http.post(self.url, json=body)
        except httpx.HTTPError as exc:
            raise TranslationError(f"{self.url}: {exc}") from exc
        if response.status_code != 200:
            raise TranslationError(f"{self.url} answered HTTP {response.status_code}")
        try:
            translated = response.json().get("translatedText")
        except (ValueError, AttributeError) as exc:
            raise TranslationError(f"{self.url} answered something other than a translation") from exc
        if isinstance(translated, str):
            translated = [translated]
        if not isinstance(translated, list) or len(translated) != len(texts):
            raise TranslationError(f"{self.url} answered {len(texts)} texts with something else")
        return [t if isinstance(t, str) and t else None for t in translated]

    async def close(self) -> None:
        await self._http.aclose()
