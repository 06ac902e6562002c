"""The preflight's fast paths read what the slow ones read: the glyphs from pdfminer's
layout are pdfplumber's ``page.chars`` (text, size, box, MCID), and a file checked in
memory gets the problems it gets on disk."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from publisher.preflight import check_html, check_pdf
from publisher.preflight.pdf_model import read_pdf
from publisher.render_pdf import PdfRenderer

ARABIC_BODY = """
<h1>Handout</h1><p>Text in 18 pt with a <a href="https://example.org/">link</a>.</p>
<p lang="ar" dir="rtl">لا تتناول الدواء على معدة فارغة.</p>
<p style="font-size: 9pt">Small print the check must see.</p>
"""


def page(body: str) -> str:
    return ('<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>T</title>'
            '<style>@page { size: letter; margin: 1in } body { font-family: "Noto Sans"; '
            f'font-size: 18pt }}</style></head><body>{body}</body></html>')


@pytest.fixture(scope="module")
def pdf_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    renderer = PdfRenderer([tmp_path_factory.mktemp("templates")])
    return renderer.render(page(ARABIC_BODY), source_path="x", base_url="file:///").data


def test_glyphs_are_pdfplumbers_chars(pdf_bytes: bytes, tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(pdf_bytes)
    doc = read_pdf(path)
    with pdfplumber.open(path) as plumber:
        chars = [char for page in plumber.pages for char in page.chars]
        expected_text: dict[tuple[int, int], str] = {}
        for index, plumber_page in enumerate(plumber.pages):
            for char in plumber_page.chars:
                if char.get("mcid") is not None:
                    key = (index, char["mcid"])
                    expected_text[key] = expected_text.get(key, "") + char["text"]
    glyphs = [glyph for page_glyphs in doc.glyphs for glyph in page_glyphs]
    assert len(chars) > 50
    assert [(g.text, g.x0, g.top, g.x1, g.bottom) for g in glyphs] == \
        [(c["text"], c["x0"], c["top"], c["x1"], c["bottom"]) for c in chars]
    assert [s for sizes in doc.char_sizes for s in sizes] == [c["size"] for c in chars]
    assert doc.text == expected_text
    doc.pdf.close()


def test_pdf_in_memory_gets_the_problems_it_gets_on_disk(pdf_bytes: bytes,
                                                         tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(pdf_bytes)
    on_disk = check_pdf(path)
    in_memory = check_pdf(path, data=pdf_bytes)
    assert "text-size" in {p.check for p in on_disk}  # the 9 pt line: it can fail
    assert [(p.check, p.message) for p in in_memory] == [(p.check, p.message) for p in on_disk]


def test_html_in_memory_gets_the_problems_it_gets_on_disk(tmp_path: Path) -> None:
    text = page('<h2>No h1</h2><img src="x.png"><a href="#nowhere">x</a>')
    path = tmp_path / "a.html"
    path.write_text(text, encoding="utf-8")
    on_disk = check_html(path, alone=True)
    assert {"heading-h1", "img-alt", "html-link"} <= {p.check for p in on_disk}
    assert check_html(path, alone=True, text=text) == on_disk


def test_glyphs_come_from_pikepdfs_parser(pdf_bytes: bytes, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The fast path runs (pdfminer's tokenizer is not asked for the page content)."""
    from publisher.preflight import pdf_glyphs
    asked = []
    monkeypatch.setattr(pdf_glyphs.PDFPageInterpreter, "execute",
                        lambda self, streams: asked.append(streams))
    path = tmp_path / "a.pdf"
    path.write_bytes(pdf_bytes)
    doc = read_pdf(path, data=pdf_bytes)
    assert asked == [] and sum(map(len, doc.glyphs)) > 50
    doc.pdf.close()


def test_a_stream_qpdf_cannot_parse_cleanly_is_left_to_pdfminer(
        pdf_bytes: bytes, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A content stream cut short: pikepdf's parser stops with a warning where pdfminer
    reads on, so pdfminer reads it and the glyphs stay pdfplumber's."""
    import pikepdf
    with pikepdf.open(__import__("io").BytesIO(pdf_bytes)) as pdf:
        page = pdf.pages[0]
        content = page.obj.Contents
        data = content.read_bytes() + b"\nBT /F1 6 Tf [<0001"
        content.write(data)
        path = tmp_path / "cut.pdf"
        pdf.save(path)
    from publisher.preflight import pdf_glyphs
    pdfminer_read = pdf_glyphs.PDFPageInterpreter.execute
    asked = []
    monkeypatch.setattr(pdf_glyphs.PDFPageInterpreter, "execute",
                        lambda self, streams: (asked.append(1), pdfminer_read(self, streams)))
    doc = read_pdf(path)
    assert len(asked) == 1  # the cut page, and only it
    monkeypatch.undo()
    with pdfplumber.open(path) as plumber:
        chars = plumber.pages[0].chars
    assert [(g.text, g.x0, g.top) for g in doc.glyphs[0]] == \
        [(c["text"], c["x0"], c["top"]) for c in chars]
    doc.pdf.close()
