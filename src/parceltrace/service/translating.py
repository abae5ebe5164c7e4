"""Translating fetched results for trackings that ask for it (`lang`), one translator call per
language per batch, reusing what each tracking had translated before."""

from __future__ import annotations

import asyncio
from collections import defaultdict

import structlog

from parceltrace.sources.translate import TranslationError, Translator
from parceltrace.store.records import Tracking
from parceltrace.tracking import translation
from parceltrace.tracking.model import SourceResult, decode_result

TRANSLATE_TIMEOUT = 30.0
log = structlog.get_logger("parceltrace.translate")


async def translate_results(
    translator: Translator | None, fetched: list[tuple[Tracking, SourceResult | None]]
) -> dict[int, SourceResult]:
    """Tracking id -> its result with translations, for every tracking that has a `lang`, a
    new result and at least one translated event. A translator that fails translates nothing
    this time (logged); the next poll tries again."""
    if translator is None:
        return {}
    wanted = [(row, row.lang, result) for row, result in fetched if row.lang and result is not None]
    known = {
        row.id: translation.known_translations(decode_result(row.source_data), lang)
        for row, lang, _ in wanted
    }
    missing: dict[str, list[str]] = defaultdict(list)
    for row, lang, result in wanted:
        missing[lang].extend(translation.untranslated(result, known[row.id]))
    new: dict[str, dict[str, str]] = {}
    for lang, texts in missing.items():
        distinct = list(dict.fromkeys(texts))
        new[lang] = await _translate(translator, distinct, lang) if distinct else {}
    out: dict[int, SourceResult] = {}
    for row, lang, result in wanted:
        done = translation.translated(result, lang, {**known[row.id], **new[lang]})
        if translation.has_translation(done):
            out[row.id] = done
    return out


async def _translate(translator: Translator, texts: list[str], lang: str) -> dict[str, str]:
    try:
        async with asyncio.timeout(TRANSLATE_TIMEOUT):
            answers = await translator.translate(texts, lang)
    except (TranslationError, TimeoutError) as exc:
        log.warning("translation failed", translator=translator.name, lang=lang, error=str(exc))
        return {}
    return {text: answer for text, answer in zip(texts, answers, strict=True) if answer}
