"""Which source tracks which carrier, and which translator translates events."""

from __future__ import annotations

from dataclasses import dataclass

from parceltrace.carriers import registry as carriers
from parceltrace.sources.base import NoSource, Source
from parceltrace.sources.connectors.catalog import names_for_carrier
from parceltrace.sources.connectors.source import ConnectorSource
from parceltrace.sources.relay import RelaySource, UpstreamBook
from parceltrace.sources.simulator import Simulator
from parceltrace.sources.translate import LibreTranslator, PhraseBookTranslator, Translator


@dataclass(frozen=True, slots=True)
class SourceSettings:
    """Live mode's outside services (sandbox mode needs none)."""

    upstream_url: str | None = None
    """A 17TRACK-compatible API (https://api.17track.net/track/v2.2 or another parceltrace)."""
    upstream_key: str | None = None
    translate_url: str | None = None
    """A LibreTranslate-compatible endpoint; None: live events are not translated."""
    translate_key: str | None = None


def no_source_reason(carrier: int) -> str:
    """Why a live tracking of `carrier` cannot be fetched, and what would make it work."""
    known = carriers.get(carrier)
    name = f"{known.name} ({carrier})" if known else f"carrier {carrier}"
    names = names_for_carrier(carrier)
    if names:
        fix = f"add one with `parceltrace connectors add {names[0]} --credential ...`"
    else:
        fix = "no connector exists for it yet"
    return f"no connector is configured for {name}: {fix}, or serve with --upstream-url"


class SourceRegistry:
    """Sandbox mode: the simulator tracks every carrier and its phrase book translates.
    Live mode: a carrier's connector when one is configured, else the upstream relay when an
    upstream is set, else nothing (every fetch fails, visibly, with the reason); a translator
    when `translate_url` is set."""

    def __init__(
        self, sandbox: bool, settings: SourceSettings | None = None, book: UpstreamBook | None = None
    ) -> None:
        """`book`: where the relay keeps its upstream registrations (the store's, given by the
        service); without one there is no relay."""
        settings = settings or SourceSettings()
        self.sandbox = sandbox
        self.default: Source = Simulator() if sandbox else NoSource()
        """Every carrier's source in the sandbox; in live mode the relay (or nothing) for the
        carriers no connector serves."""
        self.connectors = ConnectorSource()
        self.relay: RelaySource | None = None
        self.translator: Translator | None = None
        if sandbox:
            self.translator = PhraseBookTranslator()
            return
        if settings.upstream_url and settings.upstream_key and book is not None:
            self.relay = RelaySource(book, settings.upstream_url, settings.upstream_key)
            self.default = self.relay
        if settings.translate_url:
            self.translator = LibreTranslator(settings.translate_url, settings.translate_key)

    def use_connectors(self, connectors: ConnectorSource) -> None:
        """The connectors configured now (the service keeps them in step with the table)."""
        self.connectors = connectors

    def for_carrier(self, carrier: int) -> Source:
        if not self.sandbox and self.connectors.for_carrier(carrier) is not None:
            return self.connectors
        if isinstance(self.default, NoSource):
            return NoSource(no_source_reason(carrier))
        return self.default

    async def close(self) -> None:
        if self.relay is not None:
            await self.relay.close()
        if self.translator is not None:
            await self.translator.close()
        self.connectors.close()
