"""Load seeds: read each Markdown file, validate its front matter, segment its body.

One bad seed never stops the others: `load_seeds` returns the documents it could
load and a problem for each one it could not.
"""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import frontmatter
import yaml

from .cache import Cache, key_of, no_cache
from .errors import Problem, SeedError, error, warning
from .model import Document, FrontMatter
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
               default_language: str = "en", cache: Cache | None = None) -> LoadedSeeds:
    documents: list[Document] = []
    problems: list[Problem] = []
    skipped: list[tuple[str, str]] = []
    failed: list[str] = []
    cache = cache or no_cache()
    for path in find_seeds(project / "seeds"):
        key = key_of(path.name, path.read_bytes(), default_language)
        document, notes = cache.remember(
            "seed", key, lambda: _load_outcome(path, project, default_language))
        problems.extend(notes)
        if document is None:
            failed.append(path.name)
            continue
        if document.meta.status not in statuses:
            skipped.append((document.path, f"status is {document.meta.status}"))
            continue
        documents.append(document)
    return LoadedSeeds(tuple(documents), tuple(problems), tuple(skipped), tuple(failed))


def _load_outcome(path: Path, project: Path,
                  default_language: str) -> tuple[Document | None, list[Problem]]:
    try:
        return load_seed(path, project, default_language=default_language)
    except SeedError as exc:
        return None, list(exc.problems)


def load_seed(path: Path, project: Path, *,
              default_language: str = "en") -> tuple[Document, list[Problem]]:
    """The document in one seed file and the warnings about it; SeedError if unusable."""
    shown = path.relative_to(project).as_posix() if path.is_relative_to(project) else str(path)
    slug = path.stem
    if not SLUG.fullmatch(slug):
        raise SeedError(error(shown, f"file name {slug!r} is not a slug: use a-z, 0-9 and -"))
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise SeedError(error(shown, "is not UTF-8 text", line=line)) from exc
    if not text.strip():
        raise SeedError(error(shown, "is empty"))
    meta_text, body, body_line = split_front_matter(text, shown)
    meta_line = text[: text.find(meta_text)].count("\n") + 1
    values, lines = parse_yaml(meta_text, shown, first_line=meta_line)
    meta, problems = validate_front_matter(values, lines, shown, default_language)
    blocks, title, notes = segment_body(body, first_line=body_line, path=shown,
                                        title=meta.title, title_line=lines.get("title", 2),
                                        base_url=meta.url)
    document = Document(slug=slug, path=shown, meta=meta, title=title, blocks=blocks,
                        digest=hashlib.sha256(raw).hexdigest())
    return document, [*problems, *notes]


def split_front_matter(text: str, shown: str) -> tuple[str, str, int]:
    """(front matter YAML, body, line number where the body starts)."""
    handler = frontmatter.YAMLHandler()
    if not handler.detect(text):
        raise SeedError(error(shown, "has no YAML front matter (--- ... --- at the top)",
                              line=1))
    meta_text, body = handler.split(text)
    # The body is what follows the closing fence; count the lines before it.
    body_line = text[: len(text) - len(body)].count("\n") + 1 if body else text.count("\n") + 1
    return meta_text, body, body_line


def parse_yaml(meta_text: str, shown: str, *,
               first_line: int = 2) -> tuple[dict[str, Any], dict[str, int]]:
    """The front matter's values and the line of each top-level key (the file's lines)."""
    try:
        node = yaml.compose(meta_text, Loader=yaml.SafeLoader)
        values = yaml.safe_load(meta_text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        if exc.context_mark and (mark is None or mark.index >= len(meta_text.rstrip())):
            mark = exc.context_mark  # "unclosed [" is found at the end; point at its start
        line = mark.line + first_line if mark else None
        what = "; ".join(filter(None, (exc.context, exc.problem)))
        raise SeedError(error(shown, f"front matter is not valid YAML: {what}",
                              line=line)) from exc
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
    if frequency is not None and frequency not in REVIEW_MONTHS:
        fail("reviewFrequency", f"{frequency!r} is not one of "
             f"{', '.join(sorted(set(REVIEW_MONTHS)))}")
    status = values.get("status", "active")
    if status not in STATUSES:
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


def _date(value: Any, fail, field: str) -> date | None:
    if value is None or isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            pass
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
