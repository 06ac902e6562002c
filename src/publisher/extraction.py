"""Extraction: the translation templates (.pot) from the seeds and the templates.

Stability: writing is skipped when the bytes would not change, and a template keeps
its previous POT-Creation-Date when its messages did not change, so running
``extract`` twice leaves every file byte-identical.
"""

from __future__ import annotations

import io
import tokenize
from datetime import datetime
from pathlib import Path
from typing import Sequence

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po
from babel.util import LOCALTZ

import publisher

from . import memo
from .catalog_files import INTERFACE, LOCALES_DIR, TEMPLATES_DIR, catalog_bytes, shown
from .errors import CatalogError, error
from .model import Document, segments
from .write_dist import write_atomic

#: Options for Babel's Jinja extractor; babel.cfg at the project root says the same.
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trimmed": "true", "silent": "false"}
#: Babel's extractors by name ("module:function" is imported by Babel when it is used):
#: Jinja is loaded only when a template has to be read.
JINJA_EXTRACTOR = "jinja2.ext:babel_extract"
PYTHON_EXTRACTOR = "python"
COMMENT_TAGS = ("Translators:",)
HEADER_COMMENT = (
    "# Translations template for PROJECT.\n"
    "# Made by `publisher extract` from the seeds and the templates.\n"
    "#")


def _new_template(project_name: str, version: str) -> Catalog:
    return Catalog(project=project_name, version=version, header_comment=HEADER_COMMENT,
                   msgid_bugs_address="", copyright_holder="", charset="utf-8",
                   fuzzy=True)


def _package_dir() -> Path:
    return Path(publisher.__file__).resolve().parent


#: One message as the extractors found it: (msgid, [(file, line)], comments, context);
#: a plural message's msgid is a tuple of its forms.
Found = tuple[str | tuple[str, ...], list[tuple[str, int]], list[str], str | None]


def _extract_file(path: Path, location: str, method: str, options) -> list[Found]:
    from babel.messages.extract import DEFAULT_KEYWORDS, extract as babel_extract
    from jinja2 import TemplateSyntaxError
    with path.open("rb") as fileobj:
        try:
            found = list(babel_extract(method, fileobj, DEFAULT_KEYWORDS, COMMENT_TAGS,
                                       options, strip_comment_tags=True))
        except TemplateSyntaxError as exc:
            raise CatalogError(error(location, f"template syntax error: {exc.message}",
                                     line=exc.lineno)) from exc
        except (SyntaxError, tokenize.TokenError, UnicodeDecodeError) as exc:
            line = getattr(exc, "lineno", None)
            raise CatalogError(error(location, f"cannot extract messages: {exc}",
                                     line=line)) from exc
    return [(message, [(location, lineno)], comments, context)
            for lineno, message, comments, context in found]


def interface_sources(project: Path) -> list[tuple[Path, str, str, dict | None]]:
    """Where the interface strings are: (file, location shown, extractor, its options)
    for the project's Jinja templates, then the package's Python code."""
    sources = [(path, shown(path, project), JINJA_EXTRACTOR, JINJA_OPTIONS)
               for path in sorted((project / "templates").glob("*.html"))]
    package = _package_dir()
    for path in sorted(package.glob("*.py")):
        location = shown(path, project.resolve()) if path.is_relative_to(project.resolve()) \
            else path.relative_to(package.parent).as_posix()
        sources.append((path, location, PYTHON_EXTRACTOR, None))
    return sources


def interface_messages(project: Path) -> list[Found]:
    """Every interface message found, in the order found.

    Babel's extractors take about half a second over the templates and the code, so the
    answer is kept in a slot (`memo`) under the bytes and names of every file read, the
    package's code and the versions of Babel and Jinja: any edit is a new key.
    """
    sources = interface_sources(project)
    key = memo.digest_of("interface messages", str(project.resolve()), str(_package_dir()),
                         repr(JINJA_OPTIONS), repr(COMMENT_TAGS),
                         *(part for path, location, method, _ in sources
                           for part in (location, method, path.read_bytes())))
    return memo.remember(project, "interface-messages", key, lambda: [
        found for path, location, method, options in sources
        for found in _extract_file(path, location, method, options)])


def _template(version: str, found: Sequence[Found]) -> Catalog:
    catalog = _new_template("publisher", version)
    for message, locations, comments, context in found:
        catalog.add(message, None, locations, auto_comments=comments, context=context)
    return catalog


def interface_template(project: Path) -> Catalog:
    """Interface strings: the project's Jinja templates and the package's Python code."""
    return _template("interface", interface_messages(project))


def document_messages(document: Document) -> list[Found]:
    """One message per segment with text, title first, in reading order (a text that
    comes back adds its location to the first)."""
    return [(segment.text, [(document.path, segment.line)], [segment.kind], None)
            for segment in [document.title, *segments(document.blocks)]
            if segment.text.strip()]


def document_template(document: Document) -> Catalog:
    """One message per distinct segment text, title first, in reading order."""
    return _template(document.slug, document_messages(document))


def _with_creation_date(catalog: Catalog, when: datetime) -> bytes:
    catalog.creation_date = when
    return catalog_bytes(catalog, template=True)


def template_bytes(catalog: Catalog, previous: bytes | None, now: datetime | None = None) -> bytes:
    """The .pot bytes; the previous file's date is kept when nothing else changed."""
    if previous is not None:
        try:
            old = read_po(io.BytesIO(previous))
        except Exception:  # an unreadable old template is simply replaced
            old = None
        if old is not None and isinstance(old.creation_date, datetime):
            data = _with_creation_date(catalog, old.creation_date)
            if data == previous:
                return data
    return _with_creation_date(catalog, (now or datetime.now(LOCALTZ)).replace(
        second=0, microsecond=0))


def extract(project: Path, documents: Sequence[Document]) -> list[Path]:
    """Write locales/templates/*.pot; return the paths written (unchanged ones are not)."""
    folder = project / LOCALES_DIR / TEMPLATES_DIR
    wanted = {INTERFACE: ("interface", interface_messages(project))}
    for document in documents:
        if document.slug == INTERFACE:
            raise CatalogError(error(document.path, f"the seed name {INTERFACE!r} is reserved "
                                     "for the interface catalog"))
        wanted[document.slug] = (document.slug, document_messages(document))
    written = []
    for name, (version, found) in sorted(wanted.items()):
        path = folder / f"{name}.pot"
        previous = path.read_bytes() if path.exists() else None
        if previous is not None and _known_unchanged(project, name, version, found, previous):
            continue
        data = template_bytes(_template(version, found), previous)
        if data != previous:
            write_atomic(path, data)
            written.append(path)
        else:
            _remember_unchanged(project, name, version, found, previous)
    seeds = {p.stem for p in (project / "seeds").glob("*") if p.is_file()}
    for path in sorted(folder.glob("*.pot")):
        if path.stem != INTERFACE and path.stem not in wanted and path.stem not in seeds:
            path.unlink()
    return written


# A template whose messages and file are as they were when it was last found unchanged is
# unchanged: reading it back and writing it again with Babel (tens of milliseconds a
# template, for every seed) is skipped.  The key is the messages themselves, the file's
# bytes and the code (`memo`), so any edit to a seed, a template or the program is a miss.

def _unchanged_key(name: str, version: str, found: Sequence[Found], previous: bytes) -> bytes:
    return memo.digest_of("template unchanged", name, version, repr(list(found)), previous)


def _known_unchanged(project: Path, name: str, version: str, found: Sequence[Found],
                     previous: bytes) -> bool:
    return memo.recall(project, f"templates/{name}",
                       _unchanged_key(name, version, found, previous)) == (True, True)


def _remember_unchanged(project: Path, name: str, version: str, found: Sequence[Found],
                        previous: bytes) -> None:
    memo.store(project, f"templates/{name}", _unchanged_key(name, version, found, previous),
               True)
