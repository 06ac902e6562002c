"""Plan the handouts: for every document × locale, what is published and why not.

`build` renders what the plan publishes; `publisher status` and the dashboard show the
same plan, so the build summary and the status table never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Protocol, Sequence

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
         policy: str, cache: Cache | None = None, pool: Mapper | None = None) -> Plan:
    """What is published for every document × locale; with ``pool``, catalogs the
    cache lacks are read there in parallel first."""
    result = Plan()
    cache = cache or no_cache()
    pairs = [(document, locale) for document in documents
             for locale in dict.fromkeys([document.meta.language, *locales])]
    keys = {(locale, document.slug): catalog_key(project, locale, document.slug)
            for document, locale in pairs if not is_source(document, locale)}
    if pool is not None:
        read_catalogs_in_parallel(project, keys, cache, pool)
    for document, locale in pairs:
        if is_source(document, locale):
            result.handouts.append(localize(document, locale, None, policy))
            result.rows.append(StatusRow(locale, document.slug, None, "source"))
        else:
            _plan_translation(project, document, locale, policy, result, cache,
                              keys[(locale, document.slug)])
    return result


class Mapper(Protocol):
    """Runs a function over items elsewhere, in order (build.LocalPool)."""

    def map(self, function: Callable, items: Iterable) -> Iterator: ...


def catalog_key(project: Path, locale: str, slug: str) -> bytes:
    """What a catalog's state depends on: its bytes and its template's."""
    inputs = [catalog_path(project, locale, slug), template_path(project, slug)]
    return key_of(str(project), locale, slug,
                  *(p.read_bytes() if p.exists() else b"-" for p in inputs))


def read_catalogs_in_parallel(project: Path, keys: dict[tuple[str, str], bytes],
                              cache: Cache, pool: Mapper) -> None:
    """Fill the cache with the state of every catalog it lacks, in ``pool``;
    ``keys`` maps each (locale, slug) to its `catalog_key`.

    Reading and checking a catalog costs tens of milliseconds; on a cold build of a
    large corpus that would otherwise be serial work before any rendering starts.
    """
    missing = [pair for pair, key in keys.items() if not cache.has("catalog", key)]
    if cache.folder is None or len(missing) < 8:
        return
    states = pool.map(_state_or_error, [(project, *pair) for pair in missing])
    for pair, state in zip(missing, states):
        if state is not None:  # a broken catalog is read again, and reported, by plan
            cache.put("catalog", keys[pair], state)


def _state_or_error(arguments: tuple[Path, str, str]):
    try:
        return translation_state(*arguments)
    except CatalogError:
        return None


def _plan_translation(project: Path, document: Document, locale: str, policy: str,
                      result: Plan, cache: Cache, key: bytes) -> None:
    try:
        translation, status = cache.remember(
            "catalog", key, lambda: translation_state(project, locale, document.slug))
    except CatalogError as exc:
        result.problems.extend(exc.problems)
        result.failed += 1
        reason = "catalog cannot be read: " + exc.problems[0].message
        path = exc.problems[0].path
        result.not_published.append(NotPublished(document.slug, locale, reason, path,
                                                 failed=True))
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
