"""Interface translations: messages.po compiled in memory for the templates."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.support import NullTranslations, Translations

from .catalog_files import INTERFACE, catalog_path, read_catalog, shown
from .catalog_state import message_problems
from .errors import Problem
from .plural_forms import set_plural_forms
from .review_stamps import is_translated


def compile_translations(catalog: Catalog, path: str | Path) -> tuple[Translations, list[Problem]]:
    """In-memory Translations of the usable entries: not fuzzy, translated, check-clean."""
    usable = Catalog(locale=catalog.locale, domain=catalog.domain, charset="utf-8",
                     fuzzy=False)
    # The catalog's own rule: its strings were written for it, not for CLDR's.
    set_plural_forms(usable, catalog.plural_forms)
    problems: list[Problem] = []
    for message in catalog:
        if not message.id or message.fuzzy or not is_translated(message):
            continue
        found = message_problems(message, catalog, path)
        if found:
            problems.extend(found)
            continue
        usable.add(message.id, message.string, context=message.context)
    buffer = io.BytesIO()
    write_mo(buffer, usable, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=catalog.domain or INTERFACE), problems


def load_interface(project: Path, locale: str) -> tuple[NullTranslations, list[Problem]]:
    """The interface translations for a locale and the problems with them."""
    path = catalog_path(project, locale, INTERFACE)
    if not path.exists():
        return NullTranslations(), []
    where = shown(path, project)
    catalog = read_catalog(path, locale, project=project)
    return compile_translations(catalog, where)


def interface_translations(project: Path, locale: str) -> NullTranslations:
    """Babel Translations compiled in memory from messages.po; NullTranslations if none.

    Use `load_interface` to also get the problems of the entries left out.
    """
    return load_interface(project, locale)[0]

