"""Which source tracks which carrier, and which translator translates events."""

from __future__ import annotations

from dataclasses import dataclass

from parceltrace.sources.base import NoSource, Source
from parceltrace.sources.relay import RelaySource
from parceltrace.sources.simulator import Simulator
from parceltrace.sources.translate import LibreTranslator, PhraseBookTranslator, Translator
from parceltrace.store.engine import Store


@dataclass(frozen=True, slots=True)
class SourceSettings:
    """Live mode's outside services (sandbox mode needs none)."""

    upstream_url: str | None = None
    """A 17TRACK-compatible API (https://api.17track.net/track/v2.2 or another parceltrace)."""
    upstream_key: str | None = None
    translate_url: str | None = None
    """A LibreTranslate-compatible endpoint; None: live events are not translated."""
    translate_key: str | None = None


class SourceRegistry:
    """Sandbox mode: the simulator tracks every carrier and its phrase book translates.
    Live mode: the upstream relay when an upstream is set (otherwise every fetch fails,
    visibly), and a translator when `translate_url` is set."""

    def __init__(
        self, sandbox: bool, settings: SourceSettings | None = None, store: Store | None = None
    ) -> None:
        settings = settings or SourceSettings()
        self.default: Source = Simulator() if sandbox else NoSource()
        self.relay: RelaySource | None = None
        self.translator: Translator | None = None
        if sandbox:
            self.translator = PhraseBookTranslator()
            return
        if settings.upstream_url and settings.upstream_key and store is not None:
            self.relay = RelaySource(store, settings.upstream_url, settings.upstream_key)
            self.default = self.relay
        if settings.translate_url:
            self.translator = LibreTranslator(settings.translate_url, settings.translate_key)

    def for_carrier(self, carrier: int) -> Source:
        return self.default

    async def close(self) -> None:
        if self.relay is not None:
            await self.relay.close()
        if self.translator is not None:
            await self.translator.close()
