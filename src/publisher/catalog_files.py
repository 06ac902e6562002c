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
from babel.messages.pofile import PoFileError, normalize, read_po, unescape, write_po

from .catalog_syntax import syntax_problems
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


# Babel reads a previous msgid (``#| msgid "..."``, written by msgmerge and Poedit) as a
# translator comment "| msgid ...", and Babel 2.19 writes one back wrapped as prose
# (``#| msgid "" "Recurrent …``) that msgfmt, msgcat and polib reject; a second run
# turned that into junk ``# | …`` comments.  It also rejects msgmerge's "#~|" lines on
# obsolete entries (python-babel/babel#206 and #566).  So we read every run of "|"
# comments back into ``previous_id`` (GNU's form and Babel's broken one alike), drop
# "#~|" (a hint on a dead entry), and write previous msgids ourselves, as GNU does.
OBSOLETE_PREVIOUS = re.compile(rb"^[ \t]*#~\|.*$", re.M)
PREVIOUS_PART = re.compile(r'(msgctxt|msgid_plural|msgid)\s+((?:"(?:[^"\\]|\\.)*"\s*)+)')
STRING = re.compile(r'"(?:[^"\\]|\\.)*"')
#: Where `catalog_bytes` puts a message's previous msgid; never left in a file.
PREVIOUS_MARK = "@@publisher-previous-msgid@@"


def _restore_previous(message: Message) -> None:
    run: list[str] = []
    kept: list[str] = []
    for comment in message.user_comments:
        if comment.startswith("|"):
            run.append(comment[1:].strip())
        elif run and _open_string(" ".join(run)):
            run.append(comment.strip())  # Babel wrapped this out of a "| ..." line
        else:
            kept.append(comment)
    if not run:
        return
    # Babel's wrapping broke lines at spaces, inside strings too: join them with one.
    parts = {key: "".join(unescape(s) for s in STRING.findall(body))
             for key, body in PREVIOUS_PART.findall(" ".join(run))}
    if "msgid" not in parts:
        return
    message.previous_id = [parts["msgid"], *([parts["msgid_plural"]]
                                              if "msgid_plural" in parts else [])]
    message.user_comments = kept


def _open_string(text: str) -> bool:
    """Whether ``text`` ends inside a quoted string."""
    return len(re.findall(r'(?<!\\)"', text.replace("\\\\", ""))) % 2 == 1


def parse_catalog(data: bytes, path: str | Path, locale: str | None = None) -> Catalog:
    """A catalog from bytes; a syntax error is a CatalogError with the file and line."""
    problems = syntax_problems(data, path)
    if problems:
        raise CatalogError(*problems)
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
    except (ValueError, TypeError, LookupError) as exc:
        raise CatalogError(error(path, f"cannot read catalog: {exc}")) from exc
    for message in [*catalog, *catalog.obsolete.values()]:
        _restore_previous(message)
    return catalog


#: Largest catalog read, in kilobytes (``limits.catalog_kb``; the build sets it from the
#: configuration in every process that reads catalogs).
_size_limit_kb = 10_240


def limit_catalog_size(kilobytes: int) -> int:
    """Set the limit; the previous one."""
    global _size_limit_kb
    previous, _size_limit_kb = _size_limit_kb, kilobytes
    return previous


def catalog_size_limit() -> int:
    """The largest catalog read, in kilobytes (what a cached judgement depends on)."""
    return _size_limit_kb


def read_catalog(path: Path, locale: str | None = None, *, project: Path | None = None) -> Catalog:
    try:
        if path.stat().st_size > _size_limit_kb * 1024:
            raise CatalogError(error(shown(path, project), f"is {path.stat().st_size // 1024} kB, "
                                     f"more than the limit of {_size_limit_kb} kB "
                                     "(limits.catalog_kb in publisher.toml)"))
        data = path.read_bytes()
    except OSError as exc:
        raise CatalogError(error(shown(path, project), f"cannot read: {exc.strerror}")) from exc
    return parse_catalog(data, shown(path, project), locale)


def catalog_bytes(catalog: Catalog, *, template: bool = False) -> bytes:
    """The catalog as Babel writes it, with previous msgids written as GNU gettext does."""
    marked = [] if template else [m for m in catalog if m.id and m.previous_id]
    for message in marked:
        message.user_comments.append(PREVIOUS_MARK)
    out = io.BytesIO()
    try:
        write_po(out, catalog, width=WIDTH, include_previous=False, ignore_obsolete=template)
    finally:
        for message in marked:
            message.user_comments.remove(PREVIOUS_MARK)
    if not marked:
        return out.getvalue()
    text = out.getvalue().decode(catalog.charset)
    return _with_previous(text, [m.previous_id for m in marked]).encode(catalog.charset)


def _with_previous(text: str, previous: list[list[str]]) -> str:
    """Each mark replaced by ``#| msgid`` lines just before its entry's msgctxt/msgid."""
    pending = iter(previous)
    lines: list[str] = []
    waiting: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.rstrip("\n") == f"# {PREVIOUS_MARK}":
            waiting = previous_lines(next(pending))
            continue
        if waiting and line.startswith(("msgctxt ", "msgid ")):
            lines.extend(waiting)
            waiting = []
        lines.append(line)
    return "".join(lines)


def previous_lines(previous_id: list[str]) -> list[str]:
    """``#| msgid ...`` lines, wrapped like the msgid itself."""
    lines = []
    for key, text in zip(("msgid", "msgid_plural"), previous_id):
        first, *rest = normalize(text, width=WIDTH).split("\n")
        lines.append(f"#| {key} {first}\n")
        lines.extend(f"#| {part}\n" for part in rest)
    return lines
