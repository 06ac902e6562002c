"""What a catalog offers: the usable entries, their checks, and its progress."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, NamedTuple

from babel.messages.catalog import Catalog, Message

from .catalog_files import catalog_path, read_catalog, shown, template_path
from .errors import Problem, error
from .model import Translation
from .review_stamps import ReviewStamp, is_reviewed, is_translated, review_stamp
from .translation_checks import check_message


def _pairs(message: Message, catalog: Catalog) -> Iterable[tuple[str, str]]:
    """(source, translation) pairs to check; plural forms against singular/plural."""
    if isinstance(message.id, str):
        yield message.id, message.string or ""
        return
    strings = message.string if isinstance(message.string, (list, tuple)) else [message.string]
    for index, string in enumerate(strings):
        source = message.id[0] if index == 0 and catalog.num_plurals > 1 else message.id[-1]
        yield source, string or ""


def message_problems(message: Message, catalog: Catalog, path: str | Path) -> list[Problem]:
    found = []
    for source, translation in _pairs(message, catalog):
        for check_id, text in check_message(source, translation):
            found.append(error(path, text, line=message.lineno, check=check_id))
    return found


class UsableTranslations(NamedTuple):
    #: msgid -> msgstr of every entry that is translated, not fuzzy and check-clean.
    strings: dict[str, str]
    #: msgid -> its valid review stamp, or None when the usable entry is not reviewed.
    reviewed: dict[str, ReviewStamp | None]
    #: One problem per failed check, with file and line; those entries are not usable.
    problems: list[Problem]


def usable_translations(catalog: Catalog, path: str | Path) -> UsableTranslations:
    strings: dict[str, str] = {}
    reviewed: dict[str, ReviewStamp | None] = {}
    problems: list[Problem] = []
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        if message.fuzzy or not is_translated(message):
            continue
        found = message_problems(message, catalog, path)
        if found:
            problems.extend(found)
            continue
        strings[message.id] = message.string
        reviewed[message.id] = review_stamp(message) if is_reviewed(message) else None
    return UsableTranslations(strings, reviewed, problems)


# --- status and review ------------------------------------------------------------------

@dataclass(frozen=True)
class CatalogStatus:
    locale: str
    slug: str
    path: Path
    entries: int
    translated: int
    fuzzy: int
    untranslated: int
    reviewed: int
    check_failures: tuple[Problem, ...]
    exists: bool = True
    #: Template messages the .po does not have yet (``publisher update`` adds them).
    missing: int = 0

    @property
    def complete(self) -> bool:
        return self.entries > 0 and self.translated == self.entries

    @property
    def check_clean(self) -> bool:
        return not self.check_failures

    @property
    def fully_reviewed(self) -> bool:
        return self.complete and self.check_clean and self.reviewed == self.entries

    def _percent(self, part: int) -> float:
        return round(100.0 * part / self.entries, 1) if self.entries else 0.0

    @property
    def percent_translated(self) -> float:
        return self._percent(self.translated)

    @property
    def percent_reviewed(self) -> float:
        return self._percent(self.reviewed)


def _status(catalog: Catalog | None, template: Catalog | None, locale: str, slug: str,
            path: Path, where: str) -> CatalogStatus:
    template_ids = [(m.id, m.context) for m in template if m.id] if template is not None else []
    if catalog is None:
        count = len(template_ids)
        return CatalogStatus(locale, slug, path, count, 0, 0, count, 0, (), exists=False)
    translated = fuzzy = untranslated = reviewed = 0
    failures: list[Problem] = []
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy and is_translated(message):
            fuzzy += 1
        elif not is_translated(message):
            untranslated += 1
        else:
            found = message_problems(message, catalog, where)
            failures.extend(found)
            translated += 1
            reviewed += is_reviewed(message) and not found
    missing = sum(1 for msgid, context in template_ids
                  if catalog.get(msgid, context=context) is None)
    return CatalogStatus(locale, slug, path, translated + fuzzy + untranslated + missing,
                         translated, fuzzy, untranslated + missing, reviewed, tuple(failures),
                         missing=missing)


def catalog_status(project: Path, locale: str, slug: str) -> CatalogStatus:
    """Progress of one catalog; a missing .po counts every template message untranslated."""
    path = catalog_path(project, locale, slug)
    template_file = template_path(project, slug)
    template = read_catalog(template_file, project=project) if template_file.exists() else None
    catalog = read_catalog(path, locale, project=project) if path.exists() else None
    return _status(catalog, template, locale, slug, path, shown(path, project))

# --- what the localize stage reads ------------------------------------------------------

def translation_state(project: Path, locale: str,
                      slug: str) -> tuple[Translation | None, CatalogStatus]:
    """What the localize stage may use, and the catalog's progress, from one reading.

    A catalog that cannot be read raises CatalogError naming its file and line.
    """
    path = catalog_path(project, locale, slug)
    template_file = template_path(project, slug)
    template = read_catalog(template_file, project=project) if template_file.exists() else None
    where = shown(path, project)
    if not path.exists():
        return None, _status(None, template, locale, slug, path, where)
    catalog = read_catalog(path, locale, project=project)
    usable = usable_translations(catalog, where)
    translation = Translation(
        path=where, usable=usable.strings,
        reviewed=frozenset(k for k, v in usable.reviewed.items() if v is not None),
        problems=tuple(usable.problems),
        fuzzy=sum(1 for m in catalog if m.id and m.fuzzy))
    return translation, _status(catalog, template, locale, slug, path, where)
