"""Translations from catalog to handout: the publication policy, checks, scripts."""

from __future__ import annotations

import json
import subprocess
from datetime import date
from pathlib import Path
from typing import Callable

import pikepdf
import pytest
from babel.messages.pofile import read_po, write_po

from publisher import catalogs

from conftest import make_project, run_cli
from pdfread import elements, structure

CARE = """\
    ---
    title: Caring for yourself
    language: en
    lastReviewed: '2026-01-15'
    reviewFrequency: annual
    source: Test clinic
    ---

    # Caring for yourself

    ## Medicine

    Take **500 mg** every day. Call [the clinic](https://example.org/clinic) at 555-0100.

    - Drink water
    - Rest well
    """
SPANISH = {
    "Caring for yourself": "Cuidarse",
    "Medicine": "Medicamentos",
    "Take **500 mg** every day. Call [the clinic](https://example.org/clinic) at 555-0100.":
        "Tome **500 mg** cada día. Llame a [la clínica](https://example.org/clinic) al 555-0100.",
    "Drink water": "Beba agua",
    "Rest well": "Descanse bien",
}
ARABIC = {
    "Caring for yourself": "العناية بنفسك",
    "Medicine": "الدواء",
    "Take **500 mg** every day. Call [the clinic](https://example.org/clinic) at 555-0100.":
        "تناول **500 mg** كل يوم. اتصل [بالعيادة](https://example.org/clinic) على 555-0100.",
    "Drink water": "اشرب الماء",
    "Rest well": "استرح جيدا",
}
CHINESE = {
    "Caring for yourself": "照顾好自己",
    "Medicine": "药物",
    "Take **500 mg** every day. Call [the clinic](https://example.org/clinic) at 555-0100.":
        "每天服用 **500 mg**。请拨打 555-0100 联系[诊所](https://example.org/clinic)。",
    "Drink water": "多喝水",
    "Rest well": "好好休息",
}
MEDICINE = "Take **500 mg** every day. Call [the clinic](https://example.org/clinic) at 555-0100."


def project_with(tmp_path: Path, locales: list[str]) -> Path:
    config = f'[project]\nlocales = {json.dumps(["en", *locales])}\n'
    project = make_project(tmp_path, {"care.md": CARE}, config=config)
    assert run_cli("update", "--project", str(project)).status == 0
    return project


def fill(project: Path, locale: str, strings: dict[str, str] | Callable[[str], str],
         slug: str = "care") -> Path:
    path = catalogs.catalog_path(project, locale, slug)
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id:
            message.string = strings(message.id) if callable(strings) else strings.get(
                message.id, "")
    with path.open("wb") as handle:
        write_po(handle, catalog, width=76)
    return path


def review_interface(project: Path, locale: str, by: str = "Test Reviewer") -> Path:
    """Translate (identically: the English text passes every check) and sign off the
    interface catalog, which a reviewed handout needs."""
    path = fill(project, locale, lambda msgid: msgid, slug="messages")
    catalogs.review(project, locale, "messages", by, date(2026, 11, 20))
    return path


def edit(path: Path, old: str, new: str) -> None:
    path.write_text(path.read_text(encoding="utf-8").replace(old, new, 1), encoding="utf-8")


def build(project: Path, *extra: str):
    return run_cli("build", "--project", str(project), "--jobs", "1", *extra)


def manifest(project: Path) -> dict:
    return json.loads((project / "dist" / "manifest.json").read_text())


def line_of(path: Path, text: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line)


def entry_line(path: Path, text: str) -> int:
    """The line of the msgid of the entry whose text contains ``text`` (Babel's lineno)."""
    lines = path.read_text().splitlines()
    index = line_of(path, text) - 1
    while not lines[index].startswith("msgid "):
        index -= 1
    return index + 1


def test_identity_translation_renders_the_source_text(tmp_path: Path) -> None:
    project = project_with(tmp_path, ["es"])
    fill(project, "es", lambda msgid: msgid)
    assert build(project, "--require", "translated").status == 0
    english = structure(project / "dist" / "en" / "care.pdf")
    spanish = structure(project / "dist" / "es" / "care.pdf")
    body = lambda tree: [e.text for e in tree.walk() if e.type in ("H1", "H2", "LI")]
    assert body(english) == body(spanish)


def test_reviewed_translation_is_published_in_the_target_language(tmp_path: Path) -> None:
    project = project_with(tmp_path, ["es"])
    fill(project, "es", SPANISH)
    catalogs.review(project, "es", "care", "Test Reviewer", date(2026, 11, 20))
    review_interface(project, "es")
    result = build(project)
    assert result.status == 0, result.output
    pdf = project / "dist" / "es" / "care.pdf"
    with pikepdf.open(pdf) as opened:
        assert str(opened.Root.Lang) == "es"
    assert [e.text for e in elements(pdf, "H1")] == ["Cuidarse"]
    assert "Descanse bien" in structure(pdf).text
    entry = next(e for e in manifest(project)["handouts"] if e["locale"] == "es")
    assert entry["translation"] == "reviewed"
    page = (project / "dist" / "es" / "care.html").read_text()
    assert '<html lang="es" dir="ltr">' in page
    assert "has not been reviewed" not in page


def test_unreviewed_translation_waits_unless_policy_allows(tmp_path: Path) -> None:
    project = project_with(tmp_path, ["es"])
    fill(project, "es", SPANISH)
    result = build(project)
    assert result.status == 0
    assert "not published: care (es): requires reviewed: 5 of 5 entries not reviewed" \
        in result.output
    assert not (project / "dist" / "es" / "care.pdf").exists()
    result = build(project, "--require", "translated")
    entry = next(e for e in manifest(project)["handouts"] if e["locale"] == "es")
    assert entry["translation"] == "translated"
    page = (project / "dist" / "es" / "care.html").read_text()
    assert "This translation has not been reviewed yet." in page
    assert "This translation has not been reviewed yet." in structure(
        project / "dist" / "es" / "care.pdf").text.replace("\n", " ")


BREAKAGES = {
    "stale stamp": (None, None),
    "fuzzy entry": ("msgid \"Rest well\"", "#, fuzzy\nmsgid \"Rest well\""),
    "changed number": ("Tome **500 mg**", "Tome **50 mg**"),
    "changed link target": ("(https://example.org/clinic) al", "(https://evil.example/clinic) al"),
    "injected script": ("Descanse bien", "Descanse bien<script>alert(1)</script>"),
    "unbalanced emphasis": ("Tome **500 mg**", "Tome **500 mg"),
}


@pytest.mark.parametrize("breakage", BREAKAGES, ids=list(BREAKAGES))
def test_each_broken_entry_keeps_the_handout_from_publishing(tmp_path: Path,
                                                             breakage: str) -> None:
    project = project_with(tmp_path, ["es"])
    path = fill(project, "es", SPANISH)
    catalogs.review(project, "es", "care", "Test Reviewer", date(2026, 11, 20))
    old, new = BREAKAGES[breakage]
    if breakage == "stale stamp":
        old, new = "Beba agua", "Beba mucha agua"  # edited after the sign-off
    edit(path, old, new)
    result = build(project)
    assert not (project / "dist" / "es" / "care.pdf").exists(), breakage
    skipped = [s for s in manifest(project)["skipped"] if s["locale"] == "es"]
    assert skipped and skipped[0]["reason"].startswith("requires reviewed")
    if breakage not in ("stale stamp", "fuzzy entry"):
        line = entry_line(path, new.splitlines()[-1])
        assert f"locales/es/LC_MESSAGES/care.po:{line}: error: [" in result.output, \
            result.output
        assert result.status == 1
    assert (project / "dist" / "en" / "care.pdf").exists()


def test_placeholder_checks_guard_interface_strings(tmp_path: Path) -> None:
    project = project_with(tmp_path, ["es"])
    path = catalogs.catalog_path(project, "es", "messages")
    with path.open("rb") as handle:
        catalog = read_po(handle)
    catalog["Last reviewed: %(date)s"].string = "Última revisión: %(fecha)s"
    with path.open("wb") as handle:
        write_po(handle, catalog, width=76)
    fill(project, "es", SPANISH)
    result = build(project, "--require", "translated")
    line = line_of(path, 'msgid "Last reviewed: %(date)s"')
    assert f"locales/es/LC_MESSAGES/messages.po:{line}: error: [placeholders]" in result.output
    page = (project / "dist" / "es" / "care.html").read_text()
    assert "%(fecha)s" not in page and "Last reviewed:" in page


def test_draft_fallback_blocks_carry_the_source_language(tmp_path: Path) -> None:
    project = project_with(tmp_path, ["es"])
    fill(project, "es", {k: v for k, v in SPANISH.items() if k != MEDICINE})
    assert build(project).status == 0
    assert not (project / "dist" / "es" / "care.pdf").exists()
    assert build(project, "--require", "draft").status == 0
    page = (project / "dist" / "es" / "care.html").read_text()
    assert '<p lang="en" dir="ltr">Take <strong>500 mg</strong>' in page
    assert "DRAFT" in page
    pdf = project / "dist" / "es" / "care.pdf"
    paragraphs = [e for e in structure(pdf).walk() if e.type == "P" and "500" in e.text]
    assert paragraphs and paragraphs[0].lang == "en"
    others = [e for e in structure(pdf).walk() if e.type == "LI"]
    assert others and all(e.lang in (None, "es") for e in others)
    assert "DRAFT" in structure(pdf).text
    entry = next(e for e in manifest(project)["handouts"] if e["locale"] == "es")
    assert entry["translation"] == "draft"


def test_arabic_handout_is_right_to_left_and_extracts_in_logical_order(tmp_path: Path) -> None:
    project = project_with(tmp_path, ["ar"])
    fill(project, "ar", ARABIC)
    assert build(project, "--require", "translated").status == 0
    page = (project / "dist" / "ar" / "care.html").read_text()
    assert '<html lang="ar" dir="rtl">' in page
    pdf = project / "dist" / "ar" / "care.pdf"
    with pikepdf.open(pdf) as opened:
        assert str(opened.Root.Lang) == "ar"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "العناية بنفسك" in text and "اشرب الماء" in text


def test_chinese_handout_uses_a_cjk_font_and_no_missing_glyphs(tmp_path: Path) -> None:
    project = project_with(tmp_path, ["zh-Hans"])
    fill(project, "zh-Hans", CHINESE)
    assert build(project, "--require", "translated").status == 0
    pdf = project / "dist" / "zh-Hans" / "care.pdf"
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True,
                           check=True).stdout
    assert "Noto-Sans-CJK-SC" in fonts
    text = structure(pdf).text
    for words in CHINESE.values():
        plain = words.replace("**", "").replace("[诊所](https://example.org/clinic)", "诊所")
        assert plain.replace(" ", "") in text.replace(" ", "")
    assert "\ufffd" not in text


def test_text_without_a_glyph_fails_that_handout_naming_the_package(tmp_path: Path) -> None:
    project = project_with(tmp_path, ["es"])
    fill(project, "es", {**SPANISH, "Rest well": "Descanse bien \U0001F6B8"})
    result = build(project, "--require", "translated")
    assert result.status == 1
    assert "no font for U+1F6B8 CHILDREN CROSSING" in result.output
    assert (project / "dist" / "en" / "care.pdf").exists()
    assert not (project / "dist" / "es" / "care.pdf").exists()


def test_broken_catalog_is_reported_and_other_languages_still_build(tmp_path: Path) -> None:
    project = project_with(tmp_path, ["es", "ar"])
    spanish = fill(project, "es", SPANISH)
    fill(project, "ar", ARABIC)
    edit(spanish, 'msgid "Rest well"', 'msgstring "Rest well"')
    result = build(project, "--require", "translated")
    assert result.status == 1
    line = line_of(spanish, "msgstring")
    assert f"locales/es/LC_MESSAGES/care.po:{line}: error:" in result.output, result.output
    assert (project / "dist" / "ar" / "care.pdf").exists()
    assert not (project / "dist" / "es" / "care.pdf").exists()


def test_status_reports_every_language_and_document(tmp_path: Path) -> None:
    project = project_with(tmp_path, ["es", "ar"])
    fill(project, "es", SPANISH)
    catalogs.review(project, "es", "care", "Test Reviewer", date(2026, 11, 20))
    review_interface(project, "es")
    fill(project, "ar", {k: v for k, v in ARABIC.items() if k != "Rest well"})
    result = run_cli("status", "--project", str(project), "--format", "json")
    rows = {(r["locale"], r["document"]): r for r in json.loads(result.output)}
    assert rows[("es", "care")]["reviewed_pct"] == 100.0
    assert rows[("es", "care")]["published"] is True
    assert rows[("ar", "care")]["untranslated"] == 1
    assert rows[("ar", "care")]["published"] is False
    assert "1 of 5 entries not usable" in rows[("ar", "care")]["reason"]
    table = run_cli("status", "--project", str(project)).output
    assert "es      care" in table and "reviewed" in table
    build(project)
    dashboard = (project / "dist" / "translations.html").read_text()
    assert "العربية" in dashboard and "care" in dashboard


def test_review_refuses_an_incomplete_catalog_and_names_the_entries(tmp_path: Path) -> None:
    project = project_with(tmp_path, ["es"])
    fill(project, "es", {k: v for k, v in SPANISH.items() if k != "Rest well"})
    result = run_cli("review", "--project", str(project), "--locale", "es", "--doc", "care",
                     "--by", "Ana Pérez")
    assert result.status == 1
    path = catalogs.catalog_path(project, "es", "care")
    assert "reviewed:" not in path.read_text()
    fill(project, "es", SPANISH)
    result = run_cli("review", "--project", str(project), "--locale", "es", "--doc", "care",
                     "--by", "Ana Pérez", "--yes")
    assert result.status == 0, result.output
    assert path.read_text().count("# reviewed: Ana Pérez") == 5


SPANISH_SEED = """\
    ---
    title: Cuidarse en casa
    language: es
    lastReviewed: '2026-02-01'
    ---

    ## Medicamentos

    Tome **500 mg** cada día.
    """


def test_a_spanish_seed_publishes_in_spanish_and_can_be_translated(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"casa.md": SPANISH_SEED},
                           config='[project]\nlocales = ["en", "es"]\n')
    assert run_cli("update", "--project", str(project)).status == 0
    english = catalogs.catalog_path(project, "en", "casa")
    assert english.exists()
    assert build(project).status == 0
    pdf = project / "dist" / "es" / "casa.pdf"
    with pikepdf.open(pdf) as opened:
        assert str(opened.Root.Lang) == "es"
    skipped = [s for s in manifest(project)["skipped"] if s["slug"] == "casa"]
    assert [s["locale"] for s in skipped] == ["en"]
    fill(project, "en", {"Cuidarse en casa": "Caring for yourself at home",
                         "Medicamentos": "Medicines",
                         "Tome **500 mg** cada día.": "Take **500 mg** every day."},
         slug="casa")
    catalogs.review(project, "en", "casa", "Test Reviewer", date(2026, 11, 20))
    assert build(project).status == 0
    english_pdf = project / "dist" / "en" / "casa.pdf"
    assert [e.text for e in elements(english_pdf, "H1")] == ["Caring for yourself at home"]
    with pikepdf.open(english_pdf) as opened:
        assert str(opened.Root.Lang) == "en"


def test_vietnamese_diacritics_survive_into_the_pdf(tmp_path: Path) -> None:
    project = project_with(tmp_path, ["vi"])
    vietnamese = {
        "Caring for yourself": "Tự chăm sóc bản thân",
        "Medicine": "Thuốc",
        MEDICINE: "Uống **500 mg** mỗi ngày. Gọi [phòng khám](https://example.org/clinic) "
                  "theo số 555-0100.",
        "Drink water": "Uống nước",
        "Rest well": "Nghỉ ngơi đầy đủ",
    }
    fill(project, "vi", vietnamese)
    assert build(project, "--require", "translated").status == 0
    text = structure(project / "dist" / "vi" / "care.pdf").text
    for words in ("Tự chăm sóc bản thân", "Nghỉ ngơi đầy đủ", "Uống nước"):
        assert words.replace(" ", "") in text.replace(" ", "")
