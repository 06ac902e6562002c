"""Sign-off: `publisher review` stamps a complete, check-clean catalog."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Sequence

from babel.messages.catalog import Catalog

from .catalog_files import (catalog_bytes, catalog_path, parse_catalog, read_catalog, shown,
                            template_path)
from .catalog_state import message_problems
from .errors import CatalogError, Problem, error
from .review_stamps import entry_text, is_translated, stamp
from .write_dist import write_atomic


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
    text = entry_text(msgid).replace("\0", " / ").replace("\n", " ")
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

