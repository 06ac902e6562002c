"""Stylesheets parsed once per worker give the PDF WeasyPrint gives parsing them for
every document (css_cache.py)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from publisher import css_cache, render_pdf
from publisher.errors import Severity
from publisher.render_pdf import PdfRenderer

PAGE = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<meta name="dcterms.created" content="2026-01-02">
<link rel="stylesheet" href="print.css">
<style>@page {{ @bottom-center {{ content: "{page} " counter(page) " / " counter(pages);
  font-size: 18pt }} }} {extra}</style></head>
<body><h1>{title}</h1><p>{text}</p><ul><li>{text}</li></ul></body></html>"""


def page(lang: str, extra: str = "") -> str:
    words = {"es": ("Cáncer de mama", "Página", "Puede volver en la pared torácica."),
             "en": ("Breast cancer", "Page", "It can come back in the chest wall.")}[lang]
    return PAGE.format(lang=lang, title=words[0], page=words[1], text=words[2] * 30,
                       extra=extra)


@pytest.fixture()
def templates(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "print.css").write_text('@import url("typography.css");\n'
                                      "@page { size: letter; margin: 1in }\n"
                                      "h1 { font-size: 28pt }\n", encoding="utf-8")
    (folder / "typography.css").write_text('body { font-family: "Noto Sans"; '
                                           "font-size: 18pt; line-height: 1.4 }\n",
                                           encoding="utf-8")
    return folder


def render(renderer: PdfRenderer, html: str, templates: Path) -> render_pdf.RenderedPdf:
    return renderer.render(html, source_path="seeds/x.md", base_url=templates.as_uri() + "/")


def parsing_every_time(html: str, templates: Path, monkeypatch) -> render_pdf.RenderedPdf:
    with monkeypatch.context() as patch:
        patch.setattr(render_pdf.css_cache, "reusing", lambda cache: contextlib.nullcontext())
        return render(PdfRenderer([templates]), html, templates)


def test_reused_stylesheets_give_the_same_bytes(templates: Path, monkeypatch) -> None:
    parsed = []
    real = css_cache._parse_css
    monkeypatch.setattr(css_cache, "_parse_css", lambda **k: parsed.append(k) or real(**k))
    renderer = PdfRenderer([templates])
    # Each language has its own <style> (its own @page rule): the order must not leak
    # one document's page rules into another's.
    ours = [render(renderer, page(lang), templates).data for lang in ("es", "en", "es", "en")]
    assert len(parsed) == 4  # print.css and its import once, each language's <style> once
    monkeypatch.setattr(css_cache, "_parse_css", real)
    theirs = {lang: parsing_every_time(page(lang), templates, monkeypatch).data
              for lang in ("es", "en")}
    assert ours == [theirs["es"], theirs["en"], theirs["es"], theirs["en"]]


def test_an_edited_stylesheet_or_import_is_read_again(templates: Path, monkeypatch) -> None:
    renderer = PdfRenderer([templates])
    first = render(renderer, page("en"), templates).data
    typography = templates / "typography.css"
    typography.write_text(typography.read_text().replace("18pt", "20pt"), encoding="utf-8")
    second = render(renderer, page("en"), templates).data
    assert second != first
    assert second == parsing_every_time(page("en"), templates, monkeypatch).data


def test_a_stylesheet_warning_is_reported_for_every_handout(templates: Path) -> None:
    renderer = PdfRenderer([templates])
    for _ in range(2):
        result = render(renderer, page("en", extra="p { colour: red }"), templates)
        warnings = [p for p in result.problems if p.severity == Severity.WARNING
                    and "colour" in p.message]
        assert len(warnings) == 1, result.problems
