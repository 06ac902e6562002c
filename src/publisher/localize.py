"""Localize: a document and a locale's reviewed translations give the handout text.

The publication policy decides what is good enough to publish:

- ``reviewed`` (default): every segment translated, check-clean and signed off;
- ``translated``: every segment translated and check-clean (the handout says it
  has not been reviewed);
- ``draft``: missing segments fall back to the source language, tagged with it.

What cannot be published comes back as a `NotPublished` with a reason a person can act on.
"""

from __future__ import annotations

import dataclasses

from .locales import language
from .model import (Document, LocalizedDocument, NotPublished, Segment, Translation,
                    map_segments, segments)

LEVELS = {"draft": 0, "translated": 1, "reviewed": 2}


def source_handout(document: Document) -> LocalizedDocument:
    """The document in the language it was written in: always publishable."""
    return LocalizedDocument(document=document, locale=document.meta.language,
                             title=document.title, blocks=document.blocks,
                             translation="source")


def is_source(document: Document, locale: str) -> bool:
    return locale == document.meta.language or (
        language(locale) == language(document.meta.language) and "-" not in locale)


def localize(document: Document, locale: str, translation: Translation | None,
             policy: str) -> LocalizedDocument | NotPublished:
    if is_source(document, locale):
        return dataclasses.replace(source_handout(document), locale=locale)
    wanted = _msgids(document)
    if translation is None:
        return NotPublished(document.slug, locale, "no translation catalog yet "
                            "(run publisher update)")
    missing = [m for m in wanted if m not in translation.usable]
    unreviewed = [m for m in wanted if m in translation.usable and m not in translation.reviewed]
    if not missing and not unreviewed:
        state = "reviewed"
    elif not missing:
        state = "translated"
    else:
        state = "draft"
    if LEVELS[state] < LEVELS[policy] or (state == "draft" and len(missing) == len(wanted)):
        return NotPublished(document.slug, locale,
                            _why(state, policy, len(wanted), missing, unreviewed, translation),
                            translation.path)
    source_lang = document.meta.language
    fallbacks = 0

    def translate(segment: Segment) -> Segment:
        nonlocal fallbacks
        text = translation.usable.get(segment.text)
        if text is None and segment.text:
            fallbacks += 1
            return dataclasses.replace(segment, lang=source_lang)
        return dataclasses.replace(segment, text=text or segment.text)

    blocks = map_segments(document.blocks, translate)
    title = translate(document.title)
    return LocalizedDocument(document=document, locale=locale, title=title, blocks=blocks,
                             translation=state, fallbacks=fallbacks)


def _msgids(document: Document) -> list[str]:
    return list(dict.fromkeys(s.text for s in [document.title, *segments(document.blocks)]
                              if s.text))


def _why(state: str, policy: str, total: int, missing: list[str], unreviewed: list[str],
         translation: Translation) -> str:
    """Counts of entries, never of problems: one entry can fail several checks."""
    failing = len({p.line for p in translation.problems if p.is_error and p.check})
    parts = []
    if missing:
        untranslated = max(0, len(missing) - translation.fuzzy - failing)
        kinds = [f"{count} {what}" for count, what in ((translation.fuzzy, "fuzzy"),
                 (failing, "failing a check"), (untranslated, "untranslated")) if count]
        parts.append(f"{len(missing)} of {total} entries not usable ({', '.join(kinds)})")
    if unreviewed and policy == "reviewed":
        parts.append(f"{len(unreviewed)} of {total} entries not reviewed for the current text")
    if state == "draft" and len(missing) == total:
        parts = [f"nothing translated yet ({total} entries)"]
    return f"requires {policy}: " + "; ".join(parts)
