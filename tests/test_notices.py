"""What a handout says about its translation is readable and true: the notice strings
count only once reviewed; until then the translator's wording comes with the
original beside it, marked as English."""

from __future__ import annotations

from pathlib import Path

from test_translation import SPANISH, build, fill, project_with, review_interface

NOTICE = "This translation has not been reviewed yet."


def notice_of(project: Path) -> str:
    page = (project / "dist" / "es" / "care.html").read_text()
    start = page.index('class="notice"')
    end = page.index("</div>" if page[start - 5:start] == "<div " else "</p>", start)
    return page[start:end]


def test_an_unreviewed_notice_is_shown_with_its_original(tmp_path: Path) -> None:
    project = project_with(tmp_path, ["es"])
    fill(project, "es", SPANISH)
    fill(project, "es", {NOTICE: "Esta traducción todavía no ha sido revisada."},
         slug="messages")
    assert build(project, "--require", "translated").status == 0
    notice = notice_of(project)
    assert "Esta traducción todavía no ha sido revisada." in notice
    assert f'<p class="notice-original" lang="en" dir="ltr"><strong>{NOTICE}</strong>' in notice


def test_a_rewritten_notice_cannot_hide_the_true_one(tmp_path: Path) -> None:
    project = project_with(tmp_path, ["es"])
    fill(project, "es", SPANISH)
    fill(project, "es", {NOTICE: "Esta traducción ha sido revisada."}, slug="messages")
    assert build(project, "--require", "translated").status == 0
    assert f"<strong>{NOTICE}</strong>" in notice_of(project)


def test_a_reviewed_notice_stands_alone(tmp_path: Path) -> None:
    project = project_with(tmp_path, ["es"])
    fill(project, "es", SPANISH)
    review_interface(project, "es")  # identity translations, signed off
    assert build(project, "--require", "translated").status == 0
    notice = notice_of(project)
    assert NOTICE in notice and 'lang="en"' not in notice
