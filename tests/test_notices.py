"""What a handout says about its translation is true: the notice strings count only once
reviewed; until then the notice is the original English, marked as English so a
screen reader reads it with the right voice."""

from __future__ import annotations

from pathlib import Path

from datetime import date

from publisher import catalogs

from test_translation import SPANISH, build, fill, project_with

NOTICE = "This translation has not been reviewed yet."


def notice_of(project: Path) -> str:
    page = (project / "dist" / "es" / "care.html").read_text()
    start = page.index('<p class="notice"')
    return page[start:page.index("</p>", start)]


def test_an_unreviewed_notice_is_the_original_marked_english(tmp_path: Path) -> None:
    project = project_with(tmp_path, ["es"])
    fill(project, "es", SPANISH)
    fill(project, "es", {NOTICE: "Un médico revisó esta traducción."}, slug="messages")
    assert build(project, "--require", "translated").status == 0
    notice = notice_of(project)
    assert "médico" not in notice
    assert notice.startswith('<p class="notice" role="note" lang="en" dir="ltr">')
    assert f"<strong>{NOTICE}</strong>" in notice


def test_a_reviewed_notice_is_in_the_patients_language(tmp_path: Path) -> None:
    project = project_with(tmp_path, ["es"])
    fill(project, "es", SPANISH)
    spanish = "Esta traducción todavía no ha sido revisada."
    fill(project, "es", lambda msgid: spanish if msgid == NOTICE else msgid, slug="messages")
    catalogs.review(project, "es", "messages", "Ana Pérez", date(2026, 11, 20))
    assert build(project, "--require", "translated").status == 0
    notice = notice_of(project)
    assert f"<strong>{spanish}</strong>" in notice and 'lang="en"' not in notice
