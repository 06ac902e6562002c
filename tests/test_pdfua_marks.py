"""The same Arabic handout gives the same PDF bytes whenever it is rendered.

``pdf_marks`` rewrites the embedded font (composite glyphs for letters with their
marks); fontTools stamps a rewritten font's ``head.modified`` with the clock unless
told not to, so two renders a second apart differed in the font file.
"""

from __future__ import annotations

import time
from pathlib import Path

from publisher.render_pdf import PdfRenderer

# Tanween (شكرًا) and a shadda (الطبّ) make composite glyphs.
ARABIC_PAGE = """<!DOCTYPE html>
<html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>T</title>
<meta name="dcterms.created" content="2026-01-02">
<style>body { font-family: "Noto Sans Arabic", sans-serif; font-size: 18pt; }</style>
</head><body><h1>شكرًا</h1><p>لا تتوقفي الآن، شكرًا. الطبّ.</p></body></html>"""


def test_arabic_pdf_bytes_do_not_depend_on_the_clock(tmp_path: Path) -> None:
    renderer = PdfRenderer([tmp_path])
    first = renderer.render(ARABIC_PAGE, source_path="x", base_url="file:///").data
    time.sleep(1.1)   # head.modified counts seconds
    second = renderer.render(ARABIC_PAGE, source_path="x", base_url="file:///").data
    assert first == second
