"""The build's other formats: braille-ready files, Unicode braille, bilingual handouts
and readability, published with the handout, owned through the manifest, linked from
the handout page, and checked with the whole site."""

from __future__ import annotations

import json
from pathlib import Path

from publisher.braille_louis import back_translate, from_brf

from conftest import run_cli
from test_translation import ARABIC, SPANISH, build, fill, project_with, review_interface


def test_every_published_handout_gets_its_other_formats(tmp_path: Path) -> None:
    project = project_with(tmp_path, ["es", "ar"])
    fill(project, "es", SPANISH)
    fill(project, "ar", ARABIC)
    review_interface(project, "es")
    result = build(project, "--require", "translated")
    assert result.status == 0, result.output
    dist = project / "dist"
    manifest = json.loads((dist / "manifest.json").read_text())
    extras = {e["locale"]: e["extras"] for e in manifest["handouts"]}
    assert extras["en"] == {"brf": "en/care.brf", "braille": "en/care.braille.txt"}
    for locale in ("es", "ar"):
        assert set(extras[locale]) == {"brf", "braille", "bilingual-pdf", "bilingual-html"}
        page = (dist / locale / "care.html").read_text()
        assert 'href="care.bilingual.pdf"' in page and 'href="care.brf"' in page
    # The BRF reads back as the handout: 40 cells, 25 lines, form feeds between pages.
    brf = (dist / "en" / "care.brf").read_bytes().decode("ascii")
    pages = [page.split("\r\n")[:-1] for page in brf.split("\f")]  # each line ends CR LF
    assert all(len(page) <= 25 for page in pages)
    assert all(len(line) <= 40 for page in pages for line in page)
    words = " ".join(back_translate(from_brf(line), "en-ueb-g2.ctb")
                     for line in brf.replace("\f", "\r\n").split("\r\n"))
    assert "Drink water" in words and "500" in words
    # Readability is measured per handout and kept in the manifest.
    figures = {e["locale"]: e["readability"] for e in manifest["handouts"]}
    assert figures["en"]["formula"] == "Flesch–Kincaid grade"
    assert figures["ar"]["formula"] is None
    # The whole site passes the preflight, links to the new files included.
    assert run_cli("check", str(dist)).status == 0


def test_other_formats_are_owned_like_the_handout(tmp_path: Path) -> None:
    project = project_with(tmp_path, ["es"])
    fill(project, "es", SPANISH)
    review_interface(project, "es")
    assert build(project, "--require", "translated").status == 0
    bilingual = project / "dist" / "es" / "care.bilingual.pdf"
    assert bilingual.exists()
    # The translation is withdrawn: its bilingual handout and braille go with it.
    fill(project, "es", {})
    assert build(project, "--require", "translated").status == 0
    assert not bilingual.exists()
    assert not (project / "dist" / "es" / "care.brf").exists()
    assert (project / "dist" / "en" / "care.brf").exists()


def test_html_only_builds_make_no_other_format(tmp_path: Path) -> None:
    project = project_with(tmp_path, [])
    assert build(project, "--format", "html").status == 0
    assert sorted(p.name for p in (project / "dist" / "en").iterdir()) == \
        ["care.html", "index.html"]


def test_a_language_without_a_braille_table_is_named_and_the_rest_publishes(
        tmp_path: Path) -> None:
    project = project_with(tmp_path, [])
    (project / "publisher.toml").write_text(
        '[project]\nlocales = ["en"]\n[braille]\ntables = { en = "no-such-table.ctb" }\n')
    result = build(project)
    assert result.status == 0
    assert "publisher.toml: warning: braille.tables: no braille file for the en handout" in result.output
    assert (project / "dist" / "en" / "care.pdf").exists()
    assert not (project / "dist" / "en" / "care.brf").exists()
