"""Bilingual handouts: rendered by WeasyPrint, read back with our preflight, pdfplumber's
structure tree, Poppler and axe-core in Debian's chromium."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from publisher.bilingual import RenderedBilingual, render_bilingual
from publisher.catalogs import load_interface
from publisher.config import Config
from publisher.preflight import check_html, check_pdf
from publisher.render_html import HtmlRenderer

from formats_fixtures import (ARABIC, ROOT, SPANISH, example_document, example_spanish,
                              medicine_document, source, translated)
from pdfread import structure

import chromium_job

CHROMIUM = chromium_job.CHROMIUM


@pytest.fixture(scope="module")
def renderers():
    from publisher.render_pdf import PdfRenderer
    return (HtmlRenderer(ROOT / "templates", Config()),
            PdfRenderer([ROOT / "templates", ROOT / "seeds" / "assets"]))


def render(renderers, original, translation) -> RenderedBilingual:
    html_renderer, pdf_renderer = renderers
    return render_bilingual(original, translation, html_renderer=html_renderer,
                            pdf_renderer=pdf_renderer, project=ROOT,
                            translations=load_interface(ROOT, translation.locale)[0])


@pytest.fixture(scope="module")
def built(renderers, tmp_path_factory) -> dict[str, tuple[Path, Path, RenderedBilingual]]:
    """en/es and en/ar of the seed with a table, a nested list and a picture, and the
    example in en/es: each written as dist/<lang>/<slug>.bilingual.{pdf,html}."""
    folder = tmp_path_factory.mktemp("bilingual")
    medicine = medicine_document(folder)
    cases = {
        "es": (source(medicine), translated(medicine, "es", SPANISH)),
        "ar": (source(medicine), translated(medicine, "ar", ARABIC)),
        "example-es": (source(example_document()), example_spanish()),
    }
    out = {}
    for name, (original, translation) in cases.items():
        result = render(renderers, original, translation)
        assert result.problems == ()
        target = folder / "dist" / name
        target.mkdir(parents=True)
        pdf = target / f"{translation.slug}.bilingual.pdf"
        html = target / f"{translation.slug}.bilingual.html"
        pdf.write_bytes(result.pdf)
        html.write_text(result.html, encoding="utf-8")
        out[name] = (pdf, html, result)
    return out


def test_publisher_check_passes(built) -> None:
    # Rendered on their own, outside a site: links to other files are checked by the
    # build test (test_more_formats.py), in-page links here.
    problems = [str(p) for pdf, html, _ in built.values()
                for p in [*check_pdf(pdf), *check_html(html, alone=True)] if p.is_error]
    assert problems == []


@pytest.mark.parametrize("name, lang", [("es", "es"), ("ar", "ar")])
def test_every_block_is_tagged_in_its_own_language(built, name, lang) -> None:
    pdf, _, _ = built[name]
    tree = structure(pdf)
    strings = SPANISH if lang == "es" else ARABIC
    by_text: dict[str, set[str | None]] = {}
    for element in tree.walk():
        by_text.setdefault(element.text.strip(), set()).add(element.lang)
    for english in ("Your doses", "Drink water and rest.", "Morning", "a fever"):
        assert "en" in by_text.get(english, set()), english
        ours = strings[english].strip()
        # pdfplumber gives right-to-left glyphs in the order they are drawn.
        assert lang in by_text.get(ours, set()) | by_text.get(ours[::-1], set()), ours


@pytest.mark.parametrize("name", ["es", "ar", "example-es"])
def test_one_h1_and_headings_that_pair_up(built, name) -> None:
    pdf, _, _ = built[name]
    tree = structure(pdf)
    h1 = [e for e in tree.walk() if e.type == "H1"]
    assert len(h1) == 1
    if name != "example-es":
        strings = SPANISH if name == "es" else ARABIC
        drawn = (lambda t: t[::-1]) if name == "ar" else (lambda t: t)
        assert h1[0].text.replace(" ", "") == (
            drawn(strings["Taking your medicine"]) + "Taking your medicine").replace(" ", "")
        h2 = [e.text.replace(" ", "") for e in tree.walk() if e.type == "H2"]
        for english in ("Your doses", "If you feel unwell"):
            assert (drawn(strings[english]) + english).replace(" ", "") in h2


def test_html_twin_marks_language_and_direction(built) -> None:
    _, html, _ = built["ar"]

    class Tags(HTMLParser):
        found: list[tuple[str, dict]] = []

        def handle_starttag(self, tag, attrs):
            self.found.append((tag, dict(attrs)))

    parser = Tags()
    parser.found = []
    parser.feed(html.read_text(encoding="utf-8"))
    root = parser.found[0][1]
    assert root["lang"] == "ar" and root["dir"] == "rtl"
    ours = [a for _, a in parser.found if "tr" in (a.get("class") or "").split()]
    theirs = [a for _, a in parser.found if "src" in (a.get("class") or "").split()]
    assert ours and all(a["lang"] == "ar" and a["dir"] == "rtl" for a in ours)
    assert theirs and all(a["lang"] == "en" and a["dir"] == "ltr" for a in theirs)
    assert len(ours) == len(theirs) == 1 + 14  # the title and every text of the seed
    assert sum(1 for tag, _ in parser.found if tag == "h1") == 1


def test_arabic_and_english_both_extract_in_reading_order(built) -> None:
    pdf, _, _ = built["ar"]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    squeezed = re.sub(r"\s+", " ", text)
    assert "تناول دوائك" in squeezed and "Taking your medicine" in squeezed
    assert squeezed.index("جرعاتك") < squeezed.index("Your doses")
    assert "إذا شعرت بتوعك" in squeezed and "If you feel unwell" in squeezed


def test_the_example_in_two_languages_keeps_large_print(built) -> None:
    pdf, _, result = built["example-es"]
    assert 20 <= result.pages <= 32  # measured 28 (the English handout alone: 13)
    assert not [p for p in check_pdf(pdf, min_text_pt=18.0) if p.is_error]


def test_blocks_that_do_not_match_are_an_error(renderers, tmp_path: Path) -> None:
    medicine = medicine_document(tmp_path)
    translation = translated(medicine, "es", SPANISH)
    broken = dataclasses.replace(translation, blocks=translation.blocks[:-1])
    result = render(renderers, source(medicine), broken)
    assert result.pdf is None and result.html is None
    assert "blocks do not match the source's" in str(result.problems[0])


@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed")
@pytest.mark.parametrize("name", ["es", "ar"])
def test_axe_finds_no_violation(built, name) -> None:
    pytest.importorskip("axe_playwright_python.sync_playwright")
    _, html, _ = built[name]
    results = json.loads(chromium_job.run("axe", str(html)))
    assert [v["id"] for v in results["violations"]] == []
    assert results["passes"]


def test_a_draft_shows_untranslated_text_once(renderers, tmp_path: Path) -> None:
    from publisher.localize import localize
    from publisher.model import Translation
    medicine = medicine_document(tmp_path)
    partial = {k: v for k, v in SPANISH.items() if k != "Drink water and rest."}
    draft = localize(medicine, "es", Translation("es.po", partial, frozenset(partial)), "draft")
    result = render(renderers, source(medicine), draft)
    assert result.html.count("Drink water and rest.") == 1
    assert result.html.count("Call the clinic if you have:") == 1
    assert 'class="tr" lang="en" dir="ltr">Drink water and rest.' in result.html
