"""Which source tracks which carrier, and which translator translates events."""

from __future__ import annotations

from dataclasses import dataclass

from parceltrace.sources.base import NoSource, Source
from parceltrace.sources.simulator import Simulator
from parceltrace.sources.translate import LibreTranslator, PhraseBookTranslator, Translator


@dataclass(frozen=True, slots=True)
class SourceSettings:
    """Live mode's outside services (sandbox mode needs none)."""

    translate_url: str | None = None
    """A LibreTranslate-compatible endpoint; None: live events are not translated."""
    translate_key: str | None = None


class SourceRegistry:
    """Sandbox mode: the simulator tracks every carrier and its phrase book translates.
    Live mode: no source is wired in yet; a translator when `translate_url` is set."""

    def __init__(self, sandbox: bool, settings: SourceSettings | None = None) -> None:
        settings = settings or SourceSettings()
        self.default: Source = Simulator() if sandbox else NoSource()
        self.translator: Translator | None = None
        if sandbox:
            self.translator = PhraseBookTranslator()
        elif settings.translate_url:
            self.translator = LibreTranslator(settings.translate_url, settings.translate_key)

    def for_carrier(self, carrier: int) -> Source:
        return self.default

    async def close(self) -> None:
        if self.translator is not None:
            await self.translator.close()
