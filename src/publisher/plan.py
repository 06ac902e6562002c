"""Plan the handouts: for every document × locale, what is published and why not.

`build` renders what the plan publishes; `publisher status` and the dashboard show the
same plan, so the build summary and the status table never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from .cache import Cache, key_of, no_cache
from .catalogs import CatalogStatus, catalog_path, template_path, translation_state
from .errors import CatalogError, Problem
from .localize import NotPublished, is_source, localize
from .model import Document, LocalizedDocument


@dataclass(frozen=True)
class StatusRow:
    locale: str
    slug: str
    #: Catalog progress; None for the document's own language.
    catalog: CatalogStatus | None
    #: source, reviewed, translated or draft when published; "" when not.
    state: str
    reason: str = ""

    @property
    def published(self) -> bool:
        return bool(self.state)


@dataclass
class Plan:
    handouts: list[LocalizedDocument] = field(default_factory=list)
    not_published: list[NotPublished] = field(default_factory=list)
    rows: list[StatusRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: Catalogs that could not be read, or have entries that fail their checks.
    failed: int = 0


def plan(project: Path, documents: Sequence[Document], locales: Sequence[str],
         policy: str, cache: Cache | None = None) -> Plan:
    result = Plan()
    cache = cache or no_cache()
    for document in documents:
        wanted = list(dict.fromkeys([document.meta.language, *locales]))
        for locale in wanted:
            if is_source(document, locale):
                result.handouts.append(localize(document, locale, None, policy))
                result.rows.append(StatusRow(locale, document.slug, None, "source"))
                continue
            _plan_translation(project, document, locale, policy, result, cache)
    return result


def _plan_translation(project: Path, document: Document, locale: str, policy: str,
                      result: Plan, cache: Cache) -> None:
    inputs = [catalog_path(project, locale, document.slug),
              template_path(project, document.slug)]
    key = key_of(str(project), locale, document.slug,
                 *(p.read_bytes() if p.exists() else b"-" for p in inputs))
    try:
        translation, status = cache.remember(
            "catalog", key, lambda: translation_state(project, locale, document.slug))
    except CatalogError as exc:
        result.problems.extend(exc.problems)
        result.failed += 1
        reason = "catalog cannot be read: " + exc.problems[0].message
        path = exc.problems[0].path
        result.not_published.append(NotPublished(document.slug, locale, reason, path))
        result.rows.append(StatusRow(locale, document.slug, None, "", reason))
        return
    if translation is not None:
        result.problems.extend(translation.problems)
        # Entries failing their checks are a failed input, though the rest is used.
        result.failed += any(p.is_error for p in translation.problems)
    outcome = localize(document, locale, translation, policy)
    if isinstance(outcome, NotPublished):
        result.not_published.append(outcome)
        result.rows.append(StatusRow(locale, document.slug, status, "", outcome.reason))
    else:
        result.handouts.append(outcome)
        result.rows.append(StatusRow(locale, document.slug, status, outcome.translation))
