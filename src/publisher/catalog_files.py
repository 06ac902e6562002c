"""Catalog files: where they live, reading them (with Babel, strictly) and writing them.

Layout (Sphinx/gettext style, so pybabel and Poedit work on the same files)::

    locales/templates/messages.pot          interface strings (templates/*.html, src/publisher/*.py)
    locales/templates/<slug>.pot            one per seed: every segment of the document
    locales/<dir>/LC_MESSAGES/messages.po   <dir> is the locale with - replaced by _ (zh_Hans)
    locales/<dir>/LC_MESSAGES/<slug>.po
"""

from __future__ import annotations

import io
import re
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po, unescape, write_po

from .errors import CatalogError, error
from .locales import catalog_name

INTERFACE = "messages"
LOCALES_DIR = "locales"
TEMPLATES_DIR = "templates"
#: Line width of written catalogs (Babel's and pybabel's default): fixed, so output is stable.
WIDTH = 76

# --- paths -----------------------------------------------------------------------------

def template_path(project: Path, name: str) -> Path:
    return project / LOCALES_DIR / TEMPLATES_DIR / f"{name}.pot"


def catalog_path(project: Path, locale: str, name: str) -> Path:
    return project / LOCALES_DIR / catalog_name(locale) / "LC_MESSAGES" / f"{name}.po"


def shown(path: Path, project: Path | None = None) -> str:
    """A path as reports show it: relative to the project when it is inside."""
    if project is not None and path.is_relative_to(project):
        return path.relative_to(project).as_posix()
    return str(path)


# --- reading and merging ------------------------------------------------------------

def babel_locale_name(locale: str | None) -> str | None:
    if not locale:
        return None
    name = catalog_name(locale)
    try:
        Locale.parse(name)
        return name
    except (UnknownLocaleError, ValueError):
        language = name.split("_")[0]
        try:
            Locale.parse(language)
            return language
        except (UnknownLocaleError, ValueError):
            return None


# Babel reads a previous msgid (``#| msgid "..."``, written by msgmerge, Poedit and by
# Babel itself) as a translator comment "| msgid ..." and would write it back as
# "# | msgid", and it rejects msgmerge's "#~|" lines on obsolete entries
# (python-babel/babel#206 and #566).  We turn the first back into ``previous_id``
# and drop the second (a hint on a dead entry) before Babel sees it.
PREVIOUS = re.compile(r'^\|\s*(?:(?P<key>msgctxt|msgid|msgid_plural)\s+)?(?P<string>".*")\s*$')
OBSOLETE_PREVIOUS = re.compile(rb"^[ \t]*#~\|.*$", re.M)


def _restore_previous(message: Message) -> None:
    kept: list[str] = []
    parts: dict[str, list[str]] = {}
    key = None
    for comment in message.user_comments:
        match = PREVIOUS.match(comment)
        if match is None or (match.group("key") or key) is None:
            kept.append(comment)
            key = None
            continue
        key = match.group("key") or key
        parts.setdefault(key, []).append(unescape(match.group("string")))
    if "msgid" in parts:
        previous = ["".join(parts["msgid"])]
        if "msgid_plural" in parts:
            previous.append("".join(parts["msgid_plural"]))
        message.previous_id = previous
        message.user_comments = kept


def parse_catalog(data: bytes, path: str | Path, locale: str | None = None) -> Catalog:
    """A catalog from bytes; a syntax error is a CatalogError with the file and line."""
    try:
        catalog = read_po(io.BytesIO(OBSOLETE_PREVIOUS.sub(b"", data)),
                          locale=babel_locale_name(locale), abort_invalid=True)
    except PoFileError as exc:
        # Babel counts the lines of a PoFileError from 0.
        raise CatalogError(error(path, str(exc).rsplit(" on ", 1)[0],
                                 line=exc.lineno + 1)) from exc
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        raise CatalogError(error(path, "is not UTF-8 text", line=line)) from exc
    except (ValueError, TypeError) as exc:
        raise CatalogError(error(path, f"cannot read catalog: {exc}")) from exc
    for message in [*catalog, *catalog.obsolete.values()]:
        _restore_previous(message)
    return catalog


def read_catalog(path: Path, locale: str | None = None, *, project: Path | None = None) -> Catalog:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(error(shown(path, project), f"cannot read: {exc.strerror}")) from exc
    return parse_catalog(data, shown(path, project), locale)

def catalog_bytes(catalog: Catalog, *, template: bool = False) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=WIDTH, include_previous=not template,
             ignore_obsolete=template)
    return out.getvalue()

