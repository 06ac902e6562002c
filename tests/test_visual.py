"""Look at every built PDF: no blank page, no glyph outside the page, large print.

Pages are rendered with poppler's ``pdftoppm -r 50`` and measured with Pillow; glyph
positions and sizes are read with pdfplumber.  Each check is a helper returning
problems, and the last tests prove the helpers fail on deliberately bad PDFs.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image, ImageStat

from test_site import built_multi

PRINT_PT = 18.0         # the "large" print size: body text, footers, everything
TOLERANCE_PT = 0.05     # rounding in the PDF's text matrices
MIN_VARIANCE = 1.0      # a page with any ink at all is far above this; white is 0
EDGE_IN = 0.5           # most printers cannot print closer to the paper edge
DPI = 50                # pdftoppm resolution of the page images
INK = 160               # grey level under which a pixel counts as ink

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                reason="poppler-utils is not installed (pdftoppm)")


@pytest.fixture(scope="session")
def built_pdfs(example: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    pdfs = sorted((example / "dist").rglob("*.pdf")) + \
        sorted(built_multi(tmp_path_factory).rglob("*.pdf"))
    assert len(pdfs) >= 6  # the example and the several-language site, RTL included
    return pdfs


def render_pages(pdf: Path, folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(folder / "page")],
                   check=True, capture_output=True, timeout=120)
    return sorted(folder.glob("page-*.png"))


def blank_pages(pdf: Path, folder: Path) -> list[str]:
    problems = []
    pngs = render_pages(pdf, folder)
    with pdfplumber.open(pdf) as document:
        if len(pngs) != len(document.pages):
            problems.append(f"{pdf.name}: {len(document.pages)} pages but {len(pngs)} images")
    for number, png in enumerate(pngs, start=1):
        with Image.open(png) as image:
            variance = ImageStat.Stat(image.convert("L")).var[0]
        if variance < MIN_VARIANCE:
            problems.append(f"{pdf.name}: page {number} is blank (pixel variance {variance:.2f})")
    return problems


def ink_near_edge(pdf: Path, folder: Path) -> list[str]:
    """Pages with ink in the unprintable band: the outer half inch of the paper,
    as the page image shows it (so it covers glyphs, rules and pictures alike)."""
    problems = []
    band = round(EDGE_IN * DPI) - 1      # a pixel straddling the line is not in the band
    for number, png in enumerate(render_pages(pdf, folder), start=1):
        with Image.open(png) as image:
            grey = image.convert("L")
            width, height = grey.size
            strips = {"top": (0, 0, width, band), "bottom": (0, height - band, width, height),
                      "left": (0, 0, band, height), "right": (width - band, 0, width, height)}
            inked = [side for side, box in strips.items() if grey.crop(box).getextrema()[0] < INK]
        if inked:
            problems.append(f"{pdf.name}: page {number}: ink within {EDGE_IN} in of the "
                            f"{', '.join(inked)} edge")
    return problems


def glyphs_off_page(pdf: Path) -> list[str]:
    problems = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            x0, top, x1, bottom = page.bbox
            outside = [c for c in page.chars
                       if c["x0"] < x0 - TOLERANCE_PT or c["x1"] > x1 + TOLERANCE_PT
                       or c["top"] < top - TOLERANCE_PT or c["bottom"] > bottom + TOLERANCE_PT]
            if outside:
                text = "".join(c["text"] for c in outside[:30])
                problems.append(f"{pdf.name}: page {number}: {len(outside)} glyph(s) outside "
                                f"the page box {page.bbox}: {text!r}")
    return problems


def small_text(pdf: Path, minimum: float = PRINT_PT) -> list[str]:
    problems = []
    with pdfplumber.open(pdf) as document:
        for number, page in enumerate(document.pages, start=1):
            small = [c for c in page.chars
                     if c["text"].strip() and c["size"] < minimum - TOLERANCE_PT]
            if small:
                sizes = sorted({round(c["size"], 1) for c in small})
                text = "".join(c["text"] for c in small[:30])
                problems.append(f"{pdf.name}: page {number}: {len(small)} glyph(s) under "
                                f"{minimum} pt (sizes {sizes}): {text!r}")
    return problems


# --------------------------------------------------------------------------- built PDFs

def test_no_page_of_any_pdf_is_blank(built_pdfs: list[Path], tmp_path: Path) -> None:
    problems = [p for i, pdf in enumerate(built_pdfs)
                for p in blank_pages(pdf, tmp_path / str(i))]
    assert not problems, "\n".join(problems)


def test_nothing_is_printed_within_half_an_inch_of_the_edge(built_pdfs: list[Path],
                                                            tmp_path: Path) -> None:
    problems = [p for i, pdf in enumerate(built_pdfs)
                for p in ink_near_edge(pdf, tmp_path / str(i))]
    assert not problems, "\n".join(problems)


def test_no_glyph_lies_outside_the_page(built_pdfs: list[Path]) -> None:
    problems = [p for pdf in built_pdfs for p in glyphs_off_page(pdf)]
    assert not problems, "\n".join(problems)


def test_all_text_is_at_least_the_print_size(built_pdfs: list[Path]) -> None:
    problems = [p for pdf in built_pdfs for p in small_text(pdf)]
    assert not problems, "\n".join(problems)
    with pdfplumber.open(built_pdfs[0]) as document:  # and there is text to measure
        assert sum(len(page.chars) for page in document.pages) > 1000


# --------------------------------------------------------------------------- the checks fail

def _pdf(tmp_path: Path, name: str, html: str) -> Path:
    from weasyprint import HTML
    target = tmp_path / f"{name}.pdf"
    HTML(string=html).write_pdf(target)
    return target


def test_the_checks_catch_bad_pdfs(tmp_path: Path) -> None:
    style = "<style>@page { size: letter; margin: 1in } body { font-size: 18pt }</style>"
    blank = _pdf(tmp_path, "blank", style + "<p>Text</p><p style='break-before: page'></p>")
    assert [p for p in blank_pages(blank, tmp_path / "blank")] == [
        "blank.pdf: page 2 is blank (pixel variance 0.00)"]

    off = _pdf(tmp_path, "off", style + "<p style='margin-left: -2in'>Off the page</p>"
               "<p style='position: absolute; top: 12in'>Below</p>")
    problems = glyphs_off_page(off)
    assert problems and "glyph(s) outside the page box" in problems[0]

    small = _pdf(tmp_path, "small", style + "<p>Big enough</p><p style='font-size: 9pt'>"
                 "fine print</p>")
    problems = small_text(small)
    assert len(problems) == 1 and "9.0" in problems[0] and "fineprint" in problems[0]
    assert small_text(_pdf(tmp_path, "fine", style + "<p>All large</p>")) == []

    footer = _pdf(tmp_path, "footer", "<style>@page { size: letter; margin: 1in;"
                  " @bottom-center { content: 'Page ' counter(page); font-size: 18pt;"
                  " vertical-align: bottom } }</style><p>Text</p>")
    assert ink_near_edge(footer, tmp_path / "footer") == [
        "footer.pdf: page 1: ink within 0.5 in of the bottom edge"]
