"""Translation progress, per language and document: the `status` table, its JSON and
`dist/translations.html`, all from the same plan rows."""

from __future__ import annotations

import dataclasses
import gettext
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .catalog_files import INTERFACE
from .errors import Problem
from .plan import Plan, StatusRow

if TYPE_CHECKING:  # `publisher status` prints a table: no textstat, Jinja or dist/ writer
    from .config import Config
    from .readability import Readability
    from .write_dist import DistWriter, ManifestEntry

COLUMNS = ("locale", "document", "entries", "translated", "fuzzy", "untranslated",
           "reviewed", "failures", "readability", "published")
#: Readability of each published handout, by (slug, locale).
Readabilities = Mapping[tuple[str, str], "Readability"]


def readabilities_of(entries: Sequence[ManifestEntry]) -> dict[tuple[str, str], Readability]:
    """The figures the workers measured, as the manifest keeps them."""
    from .readability import Readability
    return {(e.slug, e.locale): Readability(**e.readability) for e in entries if e.readability}


def row_data(row: StatusRow, policy: str = "reviewed",
             readability: Readability | None = None) -> dict[str, Any]:
    catalog = row.catalog
    return {
        "readability": dataclasses.asdict(readability) | {"summary": readability.summary}
        if readability else None,
        "locale": row.locale,
        "document": row.slug,
        "entries": catalog.entries if catalog else None,
        "translated": catalog.translated if catalog else None,
        "translated_pct": catalog.percent_translated if catalog else 100.0,
        "fuzzy": catalog.fuzzy if catalog else 0,
        "untranslated": catalog.untranslated if catalog else 0,
        "reviewed": catalog.reviewed if catalog else None,
        "reviewed_pct": catalog.percent_reviewed if catalog else 100.0,
        "failures": len(catalog.check_failures) if catalog else 0,
        "published": row.published,
        "state": row.state or None,
        "reason": row.reason or None,
        "catalog": catalog.path.as_posix() if catalog else None,
        # Every entry that is not publishable, as file:line and why.
        "not_publishable": [entry_data(p) for p in sorted(
            [*catalog.notes_for(policy), *catalog.check_failures],
            key=lambda p: p.line or 0)] if catalog else [],
    }


def entry_data(problem: Problem) -> dict[str, Any]:
    return {"path": problem.path, "line": problem.line,
            "reason": problem.check or problem.field or problem.severity.value,
            "message": problem.message, "severity": problem.severity.value}


def interface_rows(planned: Plan, policy: str) -> list[StatusRow]:
    """One row per translated locale for its interface catalog (messages.po)."""
    rows = []
    for locale, status in sorted(planned.interfaces.items()):
        state = "reviewed" if status.fully_reviewed else (
            "translated" if status.complete and status.check_clean else "")
        reason = "" if state else (
            "interface strings not all reviewed: translated handouts wait" if policy ==
            "reviewed" else "interface strings incomplete: the source text is shown for them")
        rows.append(StatusRow(locale, INTERFACE, status, state, reason))
    return rows


def to_json(rows: Sequence[StatusRow], policy: str = "reviewed",
            readability: Readabilities = {}) -> str:
    return json.dumps([row_data(r, policy, readability.get((r.slug, r.locale))) for r in rows],
                      indent=2, ensure_ascii=False) + "\n"


def to_table(rows: Sequence[StatusRow], readability: Readabilities = {}) -> str:
    lines = [COLUMNS]
    for row in rows:
        data = row_data(row)
        measured = readability.get((row.slug, row.locale))
        if row.catalog is None and row.state == "source":
            numbers = ("-",) * 6
        else:
            numbers = (str(data["entries"] or 0), f"{data['translated'] or 0} ({data['translated_pct']:.0f}%)",
                       str(data["fuzzy"]), str(data["untranslated"]),
                       f"{data['reviewed'] or 0} ({data['reviewed_pct']:.0f}%)", str(data["failures"]))
        outcome = row.state if row.published else f"no: {row.reason}"
        lines.append((row.locale, row.slug, *numbers, measured.short if measured else "-",
                       outcome))
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS) - 1)]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(line, widths))
                     + "  " + line[-1] for line in lines) + "\n"


def write_dashboard(writer: DistWriter, project: Path, config: Config, rows: Sequence[StatusRow],
                    interface: dict[str, gettext.NullTranslations],
                    readability: Readabilities = {}) -> None:
    from .locales import direction, native_name
    from .render_html import HtmlRenderer
    locale = config.source_language
    groups = []
    for language in dict.fromkeys(r.locale for r in rows):
        members = [row_data(r, config.require, readability.get((r.slug, r.locale)))
                   | {"slug": r.slug} for r in rows if r.locale == language]
        if members:
            groups.append({"locale": language, "name": native_name(language),
                           "dir": direction(language), "rows": members})
    renderer = HtmlRenderer(project / "templates", config)
    page = renderer.page("translations.html", locale,
                         interface.get(locale, gettext.NullTranslations()),
                         medium="web", groups=groups, policy=config.require)
    writer.write_page("translations.html", page)
