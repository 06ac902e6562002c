"""Message catalogs: extract templates, merge translations, read them, review them.

Layout (Sphinx/gettext style, so pybabel and Poedit work on the same files)::

    locales/templates/messages.pot          interface strings (templates/*.html, src/publisher/*.py)
    locales/templates/<slug>.pot            one per seed: every segment of the document
    locales/<dir>/LC_MESSAGES/messages.po   <dir> is the locale with - replaced by _ (zh_Hans)
    locales/<dir>/LC_MESSAGES/<slug>.po

Everything goes through Babel (read_po/write_po, Catalog.update, extract).  I/O stays
at the edges (`extract`, `update`, `read_catalog`, `review`, `catalog_status`); building
catalogs from documents and deciding what is usable are pure functions.

Stability: writing is skipped when the bytes would not change, and a template keeps
its previous POT-Creation-Date when its messages did not change, so running
``extract`` and ``update`` twice leaves every file byte-identical.

Review sign-off is a translator comment on each entry, ``# reviewed: NAME DATE
sha256:HASH``, whose hash covers the entry's msgid and msgstr: it survives Babel,
msgmerge and Poedit, and stops counting as soon as either text changes.
"""

from __future__ import annotations

import hashlib
import io
import re
import tokenize
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

import jinja2.ext
from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, Message
from babel.messages.extract import DEFAULT_KEYWORDS, extract as babel_extract
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po, unescape, write_po
from babel.support import NullTranslations, Translations
from babel.util import LOCALTZ
from jinja2 import TemplateSyntaxError

import publisher

from .translation_checks import check_message
from .errors import CatalogError, Problem, error
from .locales import catalog_name
from .model import Document, Translation, segments
from .write_dist import write_atomic

INTERFACE = "messages"
LOCALES_DIR = "locales"
TEMPLATES_DIR = "templates"
#: Line width of written catalogs (Babel's and pybabel's default): fixed, so output is stable.
WIDTH = 76
#: Options for Babel's Jinja extractor; babel.cfg at the project root says the same.
JINJA_OPTIONS = {"extensions": "jinja2.ext.i18n", "trimmed": "true", "silent": "false"}
KEYWORDS = DEFAULT_KEYWORDS
COMMENT_TAGS = ("Translators:",)
HEADER_COMMENT = (
    "# Translations template for PROJECT.\n"
    "# Made by `publisher extract` from the seeds and the templates.\n"
    "#")
HASH_LENGTH = 8
STAMP = re.compile(r"^reviewed:\s+(?P<by>\S.*?)\s+(?P<date>\d{4}-\d{2}-\d{2})\s+"
                   r"sha256:(?P<hash>[0-9a-f]{8,64})\s*$")


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


# --- extraction --------------------------------------------------------------------------

def _new_template(project_name: str, version: str) -> Catalog:
    return Catalog(project=project_name, version=version, header_comment=HEADER_COMMENT,
                   msgid_bugs_address="", copyright_holder="", charset="utf-8",
                   fuzzy=True)


def _package_dir() -> Path:
    return Path(publisher.__file__).resolve().parent


def _extract_file(catalog: Catalog, path: Path, location: str, method, options) -> None:
    with path.open("rb") as fileobj:
        try:
            found = list(babel_extract(method, fileobj, KEYWORDS, COMMENT_TAGS, options,
                                       strip_comment_tags=True))
        except TemplateSyntaxError as exc:
            raise CatalogError(error(location, f"template syntax error: {exc.message}",
                                     line=exc.lineno)) from exc
        except (SyntaxError, tokenize.TokenError, UnicodeDecodeError) as exc:
            line = getattr(exc, "lineno", None)
            raise CatalogError(error(location, f"cannot extract messages: {exc}",
                                     line=line)) from exc
    for lineno, message, comments, context in found:
        catalog.add(message, None, [(location, lineno)], auto_comments=comments,
                    context=context)


def interface_template(project: Path) -> Catalog:
    """Interface strings: the project's Jinja templates and the package's Python code."""
    catalog = _new_template("publisher", "interface")
    for path in sorted((project / "templates").glob("*.html")):
        _extract_file(catalog, path, shown(path, project), jinja2.ext.babel_extract,
                      JINJA_OPTIONS)
    package = _package_dir()
    for path in sorted(package.glob("*.py")):
        location = shown(path, project.resolve()) if path.is_relative_to(project.resolve()) \
            else path.relative_to(package.parent).as_posix()
        _extract_file(catalog, path, location, "python", None)
    return catalog


def document_template(document: Document) -> Catalog:
    """One message per distinct segment text, title first, in reading order."""
    catalog = _new_template("publisher", document.slug)
    for segment in [document.title, *segments(document.blocks)]:
        if not segment.text.strip():
            continue
        catalog.add(segment.text, None, [(document.path, segment.line)],
                    auto_comments=[segment.kind])
    return catalog


def catalog_bytes(catalog: Catalog, *, template: bool = False) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=WIDTH, include_previous=not template,
             ignore_obsolete=template)
    return out.getvalue()


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
    wanted = {INTERFACE: interface_template(project)}
    for document in documents:
        if document.slug == INTERFACE:
            raise CatalogError(error(document.path, f"the seed name {INTERFACE!r} is reserved "
                                     "for the interface catalog"))
        wanted[document.slug] = document_template(document)
    written = []
    for name, catalog in sorted(wanted.items()):
        path = folder / f"{name}.pot"
        previous = path.read_bytes() if path.exists() else None
        data = template_bytes(catalog, previous)
        if data != previous:
            write_atomic(path, data)
            written.append(path)
    seeds = {p.stem for p in (project / "seeds").glob("*") if p.is_file()}
    for path in sorted(folder.glob("*.pot")):
        if path.stem != INTERFACE and path.stem not in wanted and path.stem not in seeds:
            path.unlink()
    return written


# --- reading and merging ------------------------------------------------------------

def _babel_locale(locale: str | None) -> str | None:
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
                          locale=_babel_locale(locale), abort_invalid=True)
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


def merge(catalog: Catalog, template: Catalog) -> Catalog:
    """``catalog`` brought up to ``template`` (in place): Babel's update plus two fixes.

    A translation that was obsolete comes back when its msgid does (as msgmerge does),
    and an entry that is still fuzzy keeps its previous msgid (``#|``), which Babel
    would otherwise drop on the second update.
    """
    for key, message in list(catalog.obsolete.items()):
        if template.get(message.id, context=message.context) is not None and \
                catalog.get(message.id, context=message.context) is None:
            del catalog.obsolete[key]
            catalog[message.id] = message
    before = {message.id: message for message in catalog if message.id}
    catalog.update(template, no_fuzzy_matching=False, update_header_comment=False,
                   keep_user_comments=True, update_creation_date=True)
    for message in catalog:
        old = before.get(message.id)
        if (message.fuzzy and not message.previous_id and old is not None
                and old.fuzzy and old.previous_id):
            message.previous_id = list(old.previous_id)
    for key, message in list(catalog.obsolete.items()):
        if catalog.get(message.id, message.context) is not None:
            del catalog.obsolete[key]
    return catalog


def new_catalog(template: Catalog, locale: str, now: datetime | None = None) -> Catalog:
    """What ``pybabel init`` makes: the template's messages in an empty catalog for the locale."""
    catalog = Catalog(locale=_babel_locale(locale), domain=template.domain,
                      header_comment=template.header_comment, project=template.project,
                      version=template.version, copyright_holder=template.copyright_holder,
                      msgid_bugs_address=template.msgid_bugs_address,
                      creation_date=template.creation_date,
                      revision_date=(now or datetime.now(LOCALTZ)).replace(second=0,
                                                                           microsecond=0),
                      charset="utf-8", fuzzy=False)
    catalog.update(template, no_fuzzy_matching=True)
    return catalog


def update(project: Path, locales: Sequence[str]) -> list[Path]:
    """Create or merge every .po of each locale from the templates; return the paths written."""
    folder = project / LOCALES_DIR / TEMPLATES_DIR
    templates = sorted(folder.glob("*.pot"))
    written = []
    problems: list[Problem] = []
    for locale in locales:
        if _babel_locale(locale) is None:
            problems.append(error("publisher.toml", f"{locale!r} is not a locale Babel knows",
                                  field="locales"))
            continue
        for template_file in templates:
            path = catalog_path(project, locale, template_file.stem)
            try:
                template = parse_catalog(template_file.read_bytes(), shown(template_file, project))
                if path.exists():
                    previous = path.read_bytes()
                    catalog = merge(parse_catalog(previous, shown(path, project), locale),
                                    template)
                else:
                    previous = None
                    catalog = new_catalog(template, locale)
            except CatalogError as exc:
                problems.extend(exc.problems)
                continue
            data = catalog_bytes(catalog)
            if data != previous:
                write_atomic(path, data)
                written.append(path)
    if problems:
        raise CatalogError(*problems)
    return written


# --- review stamps ------------------------------------------------------------------------

@dataclass(frozen=True)
class ReviewStamp:
    by: str
    date: date
    hash: str

    def __str__(self) -> str:
        return f"reviewed: {self.by} {self.date.isoformat()} sha256:{self.hash}"


def _text(value: str | Sequence[str] | None) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else "\0".join(value)


def stamp_hash(msgid: str | Sequence[str], msgstr: str | Sequence[str],
               length: int = HASH_LENGTH) -> str:
    """Short SHA-256 over an entry's msgid and msgstr (plural forms joined by NUL)."""
    digest = hashlib.sha256(f"{_text(msgid)}\x04{_text(msgstr)}".encode("utf-8"))
    return digest.hexdigest()[:length]


def review_stamp(message: Message) -> ReviewStamp | None:
    """The entry's (last) review stamp, valid or not."""
    for comment in reversed(message.user_comments):
        match = STAMP.match(comment.strip())
        if match:
            try:
                when = date.fromisoformat(match.group("date"))
            except ValueError:
                continue
            return ReviewStamp(match.group("by"), when, match.group("hash"))
    return None


def is_translated(message: Message) -> bool:
    strings = [message.string] if isinstance(message.string, str) else list(message.string or [])
    return bool(strings) and all(strings)


def is_reviewed(message: Message) -> bool:
    """Translated, not fuzzy, and stamped for exactly this msgid and msgstr."""
    stamp = review_stamp(message)
    if stamp is None or message.fuzzy or not is_translated(message):
        return False
    return stamp_hash(message.id, message.string, 64).startswith(stamp.hash)


def stamp(message: Message, by: str, today: date) -> ReviewStamp:
    """Put a fresh stamp on the entry, replacing any older one (in place)."""
    new = ReviewStamp(by, today, stamp_hash(message.id, message.string))
    message.user_comments = [c for c in message.user_comments if not STAMP.match(c.strip())]
    message.user_comments.append(str(new))
    return new


# --- checks and what is usable -----------------------------------------------------------

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


@dataclass(frozen=True)
class ReviewResult:
    path: Path
    #: How many entries now carry a fresh stamp (all of them).
    stamped: int
    by: str
    date: date


def review_problems(catalog: Catalog, template: Catalog | None, where: str) -> list[Problem]:
    """Why a catalog cannot be signed off: untranslated, fuzzy, failing, out of date."""
    problems = []
    for message in catalog:
        if not message.id:
            continue
        if not is_translated(message):
            problems.append(error(where, f"not translated: {_short(message.id)}",
                                  line=message.lineno))
        elif message.fuzzy:
            problems.append(error(where, f"fuzzy (needs a translator's check): "
                                  f"{_short(message.id)}", line=message.lineno))
        else:
            problems.extend(message_problems(message, catalog, where))
    if template is not None:
        for message in template:
            if message.id and catalog.get(message.id, context=message.context) is None:
                problems.append(error(where, f"not in the catalog yet (run publisher update): "
                                      f"{_short(message.id)}"))
    if not any(message.id for message in catalog):
        problems.append(error(where, "has no messages"))
    return problems


def _short(msgid: str | Sequence[str], limit: int = 60) -> str:
    text = _text(msgid).replace("\0", " / ").replace("\n", " ")
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def review(project: Path, locale: str, slug: str, by: str, today: date) -> ReviewResult:
    """Sign off a complete, check-clean catalog: every entry gets a fresh stamp.

    Refuses, writing nothing, with a CatalogError listing every problem when an entry
    is untranslated, fuzzy or fails a check, or the catalog lags behind its template.
    """
    path = catalog_path(project, locale, slug)
    where = shown(path, project)
    by = " ".join(by.split())
    if not by:
        raise CatalogError(error(where, "a reviewer's name is required"))
    if not path.exists():
        raise CatalogError(error(where, "no catalog to review (run publisher update)"))
    previous = path.read_bytes()
    catalog = parse_catalog(previous, where, locale)
    template_file = template_path(project, slug)
    template = read_catalog(template_file, project=project) if template_file.exists() else None
    problems = review_problems(catalog, template, where)
    if problems:
        raise CatalogError(*problems)
    stamped = 0
    for message in catalog:
        if message.id:
            stamp(message, by, today)
            stamped += 1
    data = catalog_bytes(catalog)
    if data != previous:
        write_atomic(path, data)
    return ReviewResult(path, stamped, by, today)


# --- interface translations ---------------------------------------------------------------

def compile_translations(catalog: Catalog, path: str | Path) -> tuple[Translations, list[Problem]]:
    """In-memory Translations of the usable entries: not fuzzy, translated, check-clean."""
    usable = Catalog(locale=catalog.locale, domain=catalog.domain, charset="utf-8",
                     fuzzy=False)
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
    return compile_translations(read_catalog(path, locale, project=project),
                                shown(path, project))


def interface_translations(project: Path, locale: str) -> NullTranslations:
    """Babel Translations compiled in memory from messages.po; NullTranslations if none.

    Use `load_interface` to also get the problems of the entries left out.
    """
    return load_interface(project, locale)[0]


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
