"""Plan the handouts: for every document × locale, what is published and why not.

`build` renders what the plan publishes; `publisher status` and the dashboard show the
same plan, so the build summary and the status table never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Iterator, Protocol, Sequence

from .cache import Cache, key_of, no_cache
from .catalogs import (INTERFACE, CatalogStatus, catalog_path, shown, template_path,
                       translation_state)
from .config import load_config
from .errors import CatalogError, Problem
from .interface import interface_status
from .localize import NotPublished, is_source, localize
from .locales import language
from .model import Document, LocalizedDocument
from .review_signatures import required_signers

#: The language the interface strings (the templates' msgids) are written in.
INTERFACE_LANGUAGE = "en"


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
    #: Each translated locale's interface catalog (messages.po), review included.
    interfaces: dict[str, CatalogStatus] = field(default_factory=dict)
    #: Locales whose interface entries were already listed in ``problems``.
    interfaces_noted: set[str] = field(default_factory=set)


def plan(project: Path, documents: Sequence[Document], locales: Sequence[str],
         policy: str, cache: Cache | None = None, pool: Mapper | None = None) -> Plan:
    """What is published for every document × locale; with ``pool``, catalogs the
    cache lacks are read there in parallel first."""
    result = Plan()
    cache = cache or no_cache()
    signers = project_signers(project)
    pairs = [(document, locale) for document in documents
             for locale in dict.fromkeys([document.meta.language, *locales])]
    keys = {(locale, document.slug): catalog_key(project, locale, document.slug, signers)
            for document, locale in pairs if not is_source(document, locale)}
    if pool is not None:
        read_catalogs_in_parallel(project, keys, cache, pool, signers)
    for locale in sorted({locale for locale, _ in keys}):
        _plan_interface(project, locale, signers, result, cache)
    for document, locale in pairs:
        if is_source(document, locale):
            result.handouts.append(localize(document, locale, None, policy))
            result.rows.append(StatusRow(locale, document.slug, None, "source"))
        else:
            _plan_translation(project, document, locale, policy, result, cache,
                              keys[(locale, document.slug)], signers)
    return result


def project_signers(project: Path) -> Path | None:
    """The allowed_signers file when publisher.toml requires signed reviews."""
    config = load_config(project)
    return required_signers(project, config.signed_reviews, config.allowed_signers)


def _plan_interface(project: Path, locale: str, signers: Path | None, result: Plan,
                    cache: Cache | None = None) -> None:
    if language(locale) == INTERFACE_LANGUAGE:
        return
    try:
        status, warnings = interface_status(project, locale, signers, cache)
    except CatalogError:
        return  # reported by the build's interface stage, which falls back to the source
    result.interfaces[locale] = status
    result.problems.extend(warnings)


def interface_blocks(result: Plan, locale: str, policy: str) -> str:
    """Why the interface catalog keeps a translated handout from publishing ("" if not)."""
    status = result.interfaces.get(locale)
    if policy != "reviewed" or status is None or status.fully_reviewed:
        return ""
    if not status.exists:
        return (f"requires reviewed: no interface catalog {INTERFACE}.po for {locale} "
                "yet (run publisher update, translate it, then publisher review "
                f"--locale {locale} --doc {INTERFACE})")
    return (f"requires reviewed: the interface catalog is not fully reviewed "
            f"({status.entries - status.reviewed} of {status.entries} entries; "
            f"publisher status --locale {locale} lists them, publisher review --locale "
            f"{locale} --doc {INTERFACE} signs them off)")


def notes_worth_listing(status: CatalogStatus, policy: str) -> list[Problem]:
    """The entries a build lists: all but "not reviewed" ones while nothing in the catalog
    is reviewed yet (the reason counts them; `publisher status` lists them all)."""
    notes = status.notes_for(policy)
    if status.reviewed == 0:
        notes = [n for n in notes if n.field != "not reviewed"]
    return notes


class Mapper(Protocol):
    """Runs a function over items elsewhere, in order (build.LocalPool)."""

    def map(self, function: Callable, items: Iterable) -> Iterator: ...


def catalog_key(project: Path, locale: str, slug: str, signers: Path | None = None) -> bytes:
    """What a catalog's state depends on: its bytes, its template's and, when reviews
    must be signed, the allowed signers."""
    inputs = [catalog_path(project, locale, slug), template_path(project, slug),
              *([signers] if signers else [])]
    return key_of(str(project), locale, slug, str(signers),
                  *(p.read_bytes() if p.is_file() else b"-" for p in inputs))


def read_catalogs_in_parallel(project: Path, keys: dict[tuple[str, str], bytes],
                              cache: Cache, pool: Mapper, signers: Path | None = None) -> None:
    """Fill the cache with the state of every catalog it lacks, in ``pool``;
    ``keys`` maps each (locale, slug) to its `catalog_key`.

    Reading and checking a catalog costs tens of milliseconds; on a cold build of a
    large corpus that would otherwise be serial work before any rendering starts.
    """
    missing = [pair for pair, key in keys.items() if not cache.has("catalog", key)]
    if cache.folder is None or len(missing) < 8:
        return
    states = pool.map(_state_or_error, [(project, *pair, signers) for pair in missing])
    for pair, state in zip(missing, states):
        if state is not None:  # a broken catalog is read again, and reported, by plan
            cache.put("catalog", keys[pair], state)


def _state_or_error(arguments: tuple[Path, str, str, Path | None]):
    try:
        return translation_state(*arguments)
    except CatalogError:
        return None


def _plan_translation(project: Path, document: Document, locale: str, policy: str,
                      result: Plan, cache: Cache, key: bytes,
                      signers: Path | None = None) -> None:
    try:
        translation, status = cache.remember(
            "catalog", key, lambda: translation_state(project, locale, document.slug, signers))
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
    if not isinstance(outcome, NotPublished) and (why := interface_blocks(result, locale,
                                                                           policy)):
        interface = result.interfaces[locale]
        outcome = NotPublished(document.slug, locale, why, shown(interface.path, project))
        if locale not in result.interfaces_noted and interface.translated:
            result.interfaces_noted.add(locale)
            result.problems.extend(notes_worth_listing(interface, policy))
    if isinstance(outcome, NotPublished):
        result.not_published.append(outcome)
        result.rows.append(StatusRow(locale, document.slug, status, "", outcome.reason))
        # Name the entries that stand in the way, unless none is there yet (the
        # reason says so, and `publisher status` lists them all).
        if translation is not None and translation.usable:
            result.problems.extend(notes_worth_listing(status, policy))
    else:
        result.handouts.append(outcome)
        result.rows.append(StatusRow(locale, document.slug, status, outcome.translation))
