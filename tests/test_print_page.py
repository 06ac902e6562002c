"""The web handout printed from a browser: Debian's chromium prints it (Playwright
``page.pdf()``, in a child process: see chromium_job.py), pdfplumber and Poppler's
pdftotext read the paper back."""

from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pdfplumber
import pytest

from publisher.render_html import short_url

import chromium_job

pytest.importorskip("playwright.sync_api")

CHROMIUM = chromium_job.CHROMIUM
INCH = 72.0

if not CHROMIUM.exists():
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)",
                allow_module_level=True)


class Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        href = dict(attrs).get("href") or ""
        if tag == "a" and href.startswith(("http://", "https://")):
            self.hrefs.append(href)


def print_page(html: Path, out: Path, paper: str) -> Path:
    chromium_job.run("pdf", str(html), str(out), paper)
    return out


@pytest.fixture(scope="module", params=["Letter", "A4"])
def printed(request, example_html: Path, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("printed")
    return print_page(example_html, folder / f"example-{request.param}.pdf", request.param)


def text_of(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_every_web_address_is_printed(printed: Path, example_html: Path) -> None:
    parser = Links()
    parser.feed(example_html.read_text(encoding="utf-8"))
    addresses = set(parser.hrefs)
    assert len(parser.hrefs) >= 29  # the example's links and "Learn more" cards
    # pdftotext breaks a long address across lines: compare without white space.
    squeezed = re.sub(r"\s+", "", text_of(printed))
    # The source's link shows its address as its words already (short form).
    missing = [a for a in addresses if a not in squeezed and short_url(a) not in squeezed]
    assert not missing, missing


def test_no_navigation_on_paper(printed: Path) -> None:
    text = text_of(printed)
    for words in ("All handouts", "Skip to the content", "Download the large-print PDF",
                  "This handout in other languages"):
        assert words not in text
    assert "Recurrent Breast Cancer" in text and "About this handout" in text


def test_one_inch_margins_and_large_print(printed: Path) -> None:
    with pdfplumber.open(printed) as pdf:
        assert len(pdf.pages) >= 8
        for page in pdf.pages:
            chars = [c for c in page.chars if c["text"].strip()]
            assert chars
            assert min(c["x0"] for c in chars) >= INCH - 0.5
            assert max(c["x1"] for c in chars) <= page.width - INCH + 0.5
            assert min(c["top"] for c in chars) >= INCH - 0.5
            assert max(c["bottom"] for c in chars) <= page.height - INCH + 0.5
            # Large print: nothing under the PDF's 18 pt body size.
            assert min(c["size"] for c in chars) >= 17.9, page.page_number


def test_no_heading_at_the_foot_of_a_page_and_no_lone_lines(printed: Path) -> None:
    with pdfplumber.open(printed) as pdf:
        for page in pdf.pages[:-1]:
            lines = page.extract_text_lines()
            last = lines[-1]
            sizes = {round(c["size"]) for c in last["chars"] if c["text"].strip()}
            assert max(sizes) <= 18, f"page {page.page_number} ends with a heading"
        for page in pdf.pages[1:]:
            # An orphaned paragraph line at the top would stand alone before a gap.
            lines = page.extract_text_lines()
            assert len(lines) >= 2
