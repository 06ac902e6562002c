"""Plural forms: each catalog's own ``Plural-Forms`` header is the rule its strings follow.

CLDR's rules (Babel's `get_plural`) changed under the catalogs' feet: Babel 2.19
gives Spanish, French, Italian and Portuguese a third form ("many", for millions)
where gettext, Poedit and every catalog written before have two.  A catalog's
strings were written for its own header, so that header is what we compile with;
a header that differs from CLDR is reported so a person can decide to follow CLDR.
New catalogs get the gettext convention (Translate Toolkit's table, the same as
GNU msginit's), which every PO editor expects.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.plurals import get_plural
from translate.lang import data as language_data

from .errors import Problem, warning


def conventional_plural_forms(locale: str) -> str | None:
    """``nplurals=N; plural=EXPR;`` as gettext tools write it for the locale, if known."""
    for code in (locale, locale.split("_")[0]):
        known = language_data.languages.get(code)
        if known:
            return f"nplurals={known[1]}; plural={known[2]};"
    return None


def set_plural_forms(catalog: Catalog, forms: str) -> None:
    """Give the catalog this Plural-Forms header (Babel parses it into num_plurals)."""
    catalog.mime_headers = [*((name, value) for name, value in catalog.mime_headers
                              if name.lower() != "plural-forms"), ("Plural-Forms", forms)]


def cldr_plural_problems(catalog: Catalog, path: str | Path, data: bytes) -> list[Problem]:
    """A warning when the catalog's number of plural forms is not CLDR's for its language."""
    if catalog.locale is None or not any(isinstance(m.id, (list, tuple)) for m in catalog):
        return []
    cldr = get_plural(catalog.locale)
    if cldr.num_plurals == catalog.num_plurals:
        return []
    line = next((n for n, text in enumerate(data.splitlines(), 1)
                 if text.lstrip().startswith(b'"Plural-Forms:')), None)
    return [warning(
        path, f"{catalog.num_plurals} forms here, but CLDR (Babel) has "
        f"{cldr.num_plurals} for {catalog.locale}: the catalog's own rule is used, so its "
        f"strings stay right; to follow CLDR, set \"Plural-Forms: {cldr.plural_forms}\" "
        f"and give every plural entry {cldr.num_plurals} forms (msgfmt --check verifies it)",
        line=line, field="Plural-Forms")]
