"""Sign-off: `publisher review` stamps the entries of a complete, check-clean catalog
that need it, and only those.

An entry needs a stamp when it has none, or its stamp no longer matches (the source or
the translation changed, or the stamp was edited), or, when the project requires
signed reviews, its signature does not verify.  A valid stamp is never replaced, so
an earlier reviewer's sign-off stays theirs.  `plan_review` says what would be
stamped (the command shows it and asks), `apply_review` writes it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from babel.messages.catalog import Catalog, Message

from .catalog_files import catalog_bytes, catalog_path, parse_catalog, shown
from .catalog_state import assess, read_template, short
from .errors import CatalogError, Problem, error
from .review_signatures import SignatureError, sign
from .review_stamps import VALID, ReviewStamp, signed_data, stamp, stamp_state
from .write_dist import write_atomic


LABELS = {"untranslated": "not translated", "fuzzy": "fuzzy"}


@dataclass(frozen=True)
class ToReview:
    """One entry that will be stamped, with what the reviewer should see."""
    line: int
    msgid: str | tuple[str, ...]
    msgstr: str | tuple[str, ...]
    #: The source text before the last change, where the catalog keeps it (``#|``).
    previous: str | tuple[str, ...] | None
    #: The stamp it carries now (out of date, or failing its signature), if any.
    old: ReviewStamp | None


@dataclass(frozen=True)
class ReviewPlan:
    path: Path
    where: str
    by: str
    entries: tuple[ToReview, ...]
    #: Entries whose valid stamp stays as it is (this reviewer's or someone else's).
    kept: int
    catalog: Catalog
    data: bytes


@dataclass(frozen=True)
class ReviewResult:
    path: Path
    #: How many entries now carry a fresh stamp.
    stamped: int
    by: str
    date: date
    #: Entries whose earlier valid stamp was kept.
    kept: int = 0


def review_problems(catalog: Catalog, template: Catalog | None, where: str) -> list[Problem]:
    """Why a catalog cannot be signed off: untranslated, fuzzy, failing, out of date."""
    found = assess(catalog, where)
    problems = [error(where, f"{LABELS[n.field]}: {n.message}", line=n.line)
                for n in found.notes if n.field in LABELS]
    problems += found.check_failures
    if template is not None:
        for message in template:
            if message.id and catalog.get(message.id, context=message.context) is None:
                problems.append(error(where, f"not in the catalog yet (run publisher update): "
                                      f"{short(message.id)}"))
    if not any(message.id for message in catalog):
        problems.append(error(where, "has no messages"))
    return sorted(problems, key=lambda p: p.line or 0)


def plan_review(project: Path, locale: str, slug: str, by: str,
                signers: Path | None = None, signing: bool = False) -> ReviewPlan:
    """What `apply_review` would stamp; a CatalogError listing every problem (with
    file:line) when the catalog is incomplete, fuzzy, failing or behind its template."""
    path = catalog_path(project, locale, slug)
    where = shown(path, project)
    by = " ".join(by.split())
    if not by:
        raise CatalogError(error(where, "a reviewer's name is required"))
    if not path.exists():
        raise CatalogError(error(where, "no catalog to review (run publisher update)"))
    data = path.read_bytes()
    catalog = parse_catalog(data, where, locale)
    problems = review_problems(catalog, read_template(project, slug), where)
    if problems:
        raise CatalogError(*problems)
    verified = assess(catalog, where, signers).reviewed if signers else None
    entries, kept = [], 0
    for message in catalog:
        if not message.id:
            continue
        state, old = stamp_state(message)
        valid = state == VALID and (verified is None or (message.context, message.id) in verified)
        if valid and not (signing and old is not None and old.by == by and not old.signature):
            kept += 1
            continue
        entries.append(ToReview(message.lineno, message.id, message.string,
                                _previous(message), old))
    return ReviewPlan(path, where, by, tuple(entries), kept, catalog, data)


def _previous(message: Message) -> str | tuple[str, ...] | None:
    if not message.previous_id:
        return None
    return message.previous_id[0] if len(message.previous_id) == 1 else tuple(message.previous_id)


def apply_review(plan: ReviewPlan, today: date, key: Path | None = None) -> ReviewResult:
    """Stamp the planned entries (signed with ``key`` when given) and write the catalog."""
    lines = {entry.line for entry in plan.entries}  # the catalog is the one planned
    for message in plan.catalog:
        if message.id and message.lineno in lines:
            new = stamp(message, plan.by, today)
            if key is not None:
                try:
                    signature = sign(signed_data(message, new), key)
                except SignatureError as exc:
                    raise CatalogError(error(plan.where, str(exc), line=message.lineno)) from exc
                stamp(message, plan.by, today, signature)
    data = catalog_bytes(plan.catalog)
    if data != plan.data:
        write_atomic(plan.path, data)
    return ReviewResult(plan.path, len(plan.entries), plan.by, today, plan.kept)


def review(project: Path, locale: str, slug: str, by: str, today: date, *,
           key: Path | None = None, signers: Path | None = None) -> ReviewResult:
    """Sign off a complete, check-clean catalog: stamp every entry that needs it.

    Refuses, writing nothing, with a CatalogError listing every problem when an entry
    is untranslated, fuzzy or fails a check, or the catalog lags behind its template.
    """
    return apply_review(plan_review(project, locale, slug, by, signers, key is not None),
                        today, key)
