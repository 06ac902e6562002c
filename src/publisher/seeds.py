"""Load seeds: read each Markdown file, validate its front matter, segment its body.

One bad seed never stops the others: `load_seeds` returns the documents it could
load and a problem for each one it could not.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from .cache import Cache, key_of, no_cache
from .config import Limits
from .errors import Problem, SeedError, error, warning
from .model import Document, FrontMatter, segments
from .segment import segment_body

SEED_SUFFIXES = (".md", ".markdown", ".txt")
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
STATUSES = ("active", "draft", "retired")
#: reviewFrequency -> months until the next review.
REVIEW_MONTHS = {
    "monthly": 1, "quarterly": 3, "semiannual": 6, "semiannually": 6,
    "biannual": 6, "annual": 12, "annually": 12, "yearly": 12,
    "biennial": 24, "biennially": 24,
}
_STRING_FIELDS = {
    "source": "source", "citation": "citation", "url": "url", "license": "license",
    "audienceLevel": "audience_level", "version": "version",
}
_LIST_FIELDS = {"tags": "tags", "cancerTypes": "cancer_types"}
#: File names the site itself uses in dist/<lang>/: a seed may not take them.
RESERVED_SLUGS = frozenset({"index", "translations", "manifest", "messages", "assets",
                            "sitemap", "search", "favicon", "robots", "pagefind"})


@dataclass(frozen=True)
class LoadedSeeds:
    documents: tuple[Document, ...]
    problems: tuple[Problem, ...]
    #: Seeds left out on purpose (draft or retired), with the reason.
    skipped: tuple[tuple[str, str], ...]
    #: Seeds that could not be loaded (their problems are in ``problems``).
    failed: tuple[str, ...] = ()


def find_seeds(seed_dir: Path) -> list[Path]:
    return sorted(p for p in seed_dir.iterdir()
                  if p.is_file() and p.suffix in SEED_SUFFIXES) if seed_dir.is_dir() else []


def load_seeds(project: Path, *, statuses: tuple[str, ...] = ("active",),
               default_language: str = "en", cache: Cache | None = None,
               limits: Limits = Limits()) -> LoadedSeeds:
    documents: list[Document] = []
    problems: list[Problem] = []
    skipped: list[tuple[str, str]] = []
    failed: list[str] = []
    cache = cache or no_cache()
    paths = find_seeds(project / "seeds")
    clashes = slug_clashes(paths, project)
    for path in paths:
        if path in clashes:
            problems.append(clashes[path])
            failed.append(path.name)
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(error(_shown(path, project), f"cannot be read: {exc.strerror}"))
            failed.append(path.name)
            continue
        key = key_of(path.name, data, default_language, repr(limits))
        document, notes = cache.remember(
            "seed", key, lambda: _load_outcome(path, data, project, default_language, limits))
        problems.extend(notes)
        if document is None:
            failed.append(path.name)
            continue
        if document.meta.status not in statuses:
            skipped.append((document.path, f"status is {document.meta.status}"))
            continue
        documents.append(document)
    return LoadedSeeds(tuple(documents), tuple(problems), tuple(skipped), tuple(failed))


def _shown(path: Path, project: Path) -> str:
    return path.relative_to(project).as_posix() if path.is_relative_to(project) else str(path)


def slug_clashes(paths: list[Path], project: Path) -> dict[Path, Problem]:
    """Seeds that would publish to the same file: two with one slug (``x.md`` and
    ``x.txt``), or a slug the site uses for its own pages (``index``)."""
    by_slug: dict[str, list[Path]] = {}
    for path in paths:
        by_slug.setdefault(path.stem, []).append(path)
    clashes = {}
    for slug, same in by_slug.items():
        if len(same) > 1:
            names = " and ".join(_shown(p, project) for p in same)
            for path in same:
                clashes[path] = error(_shown(path, project), f"{names} would publish to the "
                                      f"same handout {slug!r}: rename one of them")
        elif slug in RESERVED_SLUGS:
            clashes[same[0]] = error(_shown(same[0], project), f"the name {slug!r} is "
                                     "reserved for the site's own pages: rename the seed")
    return clashes


def _load_outcome(path: Path, data: bytes, project: Path, default_language: str,
                  limits: Limits) -> tuple[Document | None, list[Problem]]:
    try:
        return load_seed(path, project, default_language=default_language, data=data,
                         limits=limits)
    except SeedError as exc:
        return None, list(exc.problems)
    except RecursionError:
        return None, [error(_shown(path, project), "is nested too deeply to read")]
    except Exception as exc:  # one seed's failure, never the build's (README: --debug)
        return None, [error(_shown(path, project),
                            f"cannot be read: {type(exc).__name__}: {exc}")]


def load_seed(path: Path, project: Path, *, default_language: str = "en",
              data: bytes | None = None,
              limits: Limits = Limits()) -> tuple[Document, list[Problem]]:
    """The document in one seed file and the warnings about it; SeedError if unusable."""
    shown = _shown(path, project)
    slug = path.stem
    if not SLUG.fullmatch(slug):
        raise SeedError(error(shown, f"file name {slug!r} is not a slug: use a-z, 0-9 and -"))
    raw = path.read_bytes() if data is None else data
    check_size(raw, shown, limits)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise SeedError(error(shown, "is not UTF-8 text", line=line)) from exc
    if text.startswith("\ufeff"):
        text = text[1:]  # a byte order mark from a Windows editor is not content
    if not text.strip():
        raise SeedError(error(shown, "is empty"))
    meta_text, body, body_line = split_front_matter(text, shown)
    meta_line = text[: text.find(meta_text)].count("\n") + 1
    values, lines = parse_yaml(meta_text, shown, first_line=meta_line,
                               max_aliases=limits.yaml_aliases)
    meta, problems = validate_front_matter(values, lines, shown, default_language)
    blocks, title, notes = segment_body(body, first_line=body_line, path=shown,
                                        title=meta.title, title_line=lines.get("title", 2),
                                        base_url=meta.url)
    document = Document(slug=slug, path=shown, meta=meta, title=title, blocks=blocks,
                        digest=hashlib.sha256(raw).hexdigest())
    check_segments(document, limits)
    return document, [*problems, *notes]


def check_size(raw: bytes, shown: str, limits: Limits) -> None:
    if len(raw) > limits.seed_kb * 1024:
        raise SeedError(error(shown, f"is {len(raw) // 1024} kB, more than the limit of "
                              f"{limits.seed_kb} kB (limits.seed_kb in publisher.toml)"))
    start = 0
    for number, line in enumerate(raw.split(b"\n"), start=1):
        if len(line) > limits.line_chars and len(line.decode("utf-8", "replace")) > \
                limits.line_chars:
            raise SeedError(error(shown, f"line is longer than {limits.line_chars} characters "
                                  "(limits.line_chars in publisher.toml)", line=number))
        start += len(line) + 1


def check_segments(document: Document, limits: Limits) -> None:
    count = len(segments(document.blocks))
    if count > limits.segments:
        raise SeedError(error(document.path, f"has {count} blocks of text, more than the limit "
                              f"of {limits.segments} (limits.segments in publisher.toml): "
                              "split it into several handouts"))
    depth = _depth(document.blocks)
    if depth > limits.nesting:
        raise SeedError(error(document.path, f"lists or quotes are nested {depth} deep, more "
                              f"than the limit of {limits.nesting} (limits.nesting)"))


def _depth(blocks) -> int:
    deepest = 0
    for block in blocks:
        inner = getattr(block, "blocks", None)
        items = getattr(block, "items", None)
        if inner is not None:
            deepest = max(deepest, 1 + _depth(inner))
        if items is not None:
            deepest = max(deepest, 1 + max((_depth(i.blocks) for i in items), default=0))
    return deepest


def split_front_matter(text: str, shown: str) -> tuple[str, str, int]:
    """(front matter YAML, body, line number where the body starts)."""
    handler = frontmatter.YAMLHandler()
    if not handler.detect(text):
        raise SeedError(error(shown, "has no YAML front matter (--- ... --- at the top)",
                              line=1))
    try:
        meta_text, body = handler.split(text)
    except ValueError as exc:
        raise SeedError(error(shown, "front matter has no closing --- line", line=1)) from exc
    # The body is what follows the closing fence; count the lines before it.
    body_line = text[: len(text) - len(body)].count("\n") + 1 if body else text.count("\n") + 1
    return meta_text, body, body_line


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, with dates left as text (our own check reports a bad date
    with its field and line) and a bound on aliases (no "billion laughs")."""

    max_aliases = 10

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.aliases = 0

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > self.max_aliases:
                event = self.peek_event()
                raise yaml.composer.ComposerError(
                    None, None, f"more than {self.max_aliases} YAML aliases "
                    "(limits.yaml_aliases in publisher.toml)", event.start_mark)
        return super().compose_node(parent, index)


_Loader.add_constructor("tag:yaml.org,2002:timestamp",
                        lambda loader, node: loader.construct_scalar(node))


def parse_yaml(meta_text: str, shown: str, *, first_line: int = 2,
               max_aliases: int = 10) -> tuple[dict[str, Any], dict[str, int]]:
    """The front matter's values and the line of each top-level key (the file's lines)."""
    loader = None
    try:
        loader = type("Loader", (_Loader,), {"max_aliases": max_aliases})(meta_text)
        node = loader.get_single_node()
        values = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        if exc.context_mark and (mark is None or mark.index >= len(meta_text.rstrip())):
            mark = exc.context_mark  # "unclosed [" is found at the end; point at its start
        line = mark.line + first_line if mark else None
        what = "; ".join(filter(None, (exc.context, exc.problem)))
        raise SeedError(error(shown, f"front matter is not valid YAML: {what}",
                              line=line)) from exc
    except yaml.YAMLError as exc:
        raise SeedError(error(shown, f"front matter is not valid YAML: {exc}")) from exc
    finally:
        if loader is not None:
            loader.dispose()
    if values is None:
        values = {}
    if not isinstance(values, dict) or node is None or not isinstance(node, yaml.MappingNode):
        raise SeedError(error(shown, "front matter must be a mapping of fields", line=2))
    lines = {key.value: key.start_mark.line + first_line for key, _ in node.value
             if isinstance(key, yaml.ScalarNode)}
    return values, lines


def validate_front_matter(values: dict[str, Any], lines: dict[str, int], shown: str,
                          default_language: str) -> tuple[FrontMatter, list[Problem]]:
    """Every check runs; all errors are raised together, warnings returned."""
    errors: list[Problem] = []

    def fail(field: str, message: str) -> None:
        errors.append(error(shown, message, line=lines.get(field, 2), field=field))

    title = values.get("title")
    if not isinstance(title, str) or not title.strip():
        fail("title", "missing" if title is None else "must be non-empty text")
    language = values.get("language")
    if language is None:
        fail("language", "missing")
    elif not isinstance(language, str) or not re.fullmatch(r"[A-Za-z]{2,3}([-_][A-Za-z0-9]{2,8})*",
                                                           language):
        fail("language", f"{language!r} is not a language code such as en or es")
    last_reviewed = _date(values.get("lastReviewed"), fail, "lastReviewed")
    frequency = values.get("reviewFrequency")
    if frequency is not None and (not isinstance(frequency, str) or frequency not in REVIEW_MONTHS):
        fail("reviewFrequency", f"{frequency!r} is not one of "
             f"{', '.join(sorted(set(REVIEW_MONTHS)))}")
    status = values.get("status", "active")
    if not isinstance(status, str) or status not in STATUSES:
        fail("status", f"{status!r} is not one of {', '.join(STATUSES)}")
    strings = {}
    for key, name in _STRING_FIELDS.items():
        value = values.get(key, "")
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            fail(key, "must be text")
        strings[name] = str(value)
    lists = {}
    for key, name in _LIST_FIELDS.items():
        value = values.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            fail(key, "must be a list of words")
            value = []
        lists[name] = tuple(value)
    for key, value in [("title", title), *((k, values.get(k)) for k in _STRING_FIELDS),
                       *((k, v) for k in _LIST_FIELDS for v in lists[_LIST_FIELDS[k]])]:
        if isinstance(value, str) and (bad := _unprintable(value)):
            fail(key, f"contains a character that is not text ({bad})")
    url = strings["url"]
    if url and not re.match(r"https?://[^/\s]+", url):
        fail("url", f"{url!r} is not an http(s) address")
    if errors:
        raise SeedError(*errors)
    due = add_months(last_reviewed, REVIEW_MONTHS[frequency]) \
        if last_reviewed and frequency else None
    meta = FrontMatter(title=title.strip(), language=language.replace("_", "-") or default_language,
                       last_reviewed=last_reviewed, review_frequency=frequency, review_due=due,
                       status=status, **strings, **lists)
    return meta, []


def _unprintable(text: str) -> str:
    """The first character that no reader can show (a lone surrogate, a control)."""
    for char in text:
        category = unicodedata.category(char)
        if category == "Cs" or (category == "Cc" and char not in "\t\n\r"):
            return f"U+{ord(char):04X}"
    return ""


def _date(value: Any, fail, field: str) -> date | None:
    if value is None or (isinstance(value, date) and not isinstance(value, datetime)):
        return value
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        text = value.strip()
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
        try:
            return datetime.fromisoformat(text).date()
        except ValueError:
            pass
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            fail(field, f"{value!r} is not a date of the calendar")
            return None
    fail(field, f"{value!r} is not a date (YYYY-MM-DD)")
    return None


def add_months(start: date, months: int) -> date:
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def overdue(document: Document, today: date) -> Problem | None:
    due = document.meta.review_due
    if due is None or due >= today:
        return None
    return warning(document.path, f"content review was due on {due.isoformat()} "
                   f"(last reviewed {document.meta.last_reviewed.isoformat()}, "
                   f"{document.meta.review_frequency})", field="lastReviewed")
