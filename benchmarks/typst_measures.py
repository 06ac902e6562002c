"""Issue 8's reading figures for one PDF against our HTML twin, for
``typst_compare.py``: the measures of ``tests/readers/figures.py`` plus what a
Typst file needs (nested marked content, the footer's lone ellipsis)."""

from __future__ import annotations

import contextlib
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

@dataclass(frozen=True)
class Figures:
    pages: int
    pdftotext_wrong: list[str]
    pdftotext_glued: list[str]
    pdfjs_wrong: list[str]
    pdfjs_glued: list[str]
    #: wrong words of pdf.js in structure order (None: tests/pdfread.py has no reader)
    pdfjs_structure_wrong: list[str] | None
    split: list[str]
    links: dict[str, int]
    figures: int
    figures_alt: int
    near_edge: list[str]
    #: lone "…" of a shortened running title, pdftotext / pdf.js (a template's
    #: choice, counted apart: ours keeps the whole title as text and clips it)
    ellipses: list[int]
    #: our own `publisher check` rules on the file (check -> count), as shipped
    #: and with a reader that follows nested marked content (nested_marked_content)
    check: dict[str, int]
    check_nested: dict[str, int]
    #: paragraphs, list bodies and headings with no text (nesting-aware reader)
    empty_blocks: int


@contextlib.contextmanager
def nested_marked_content() -> Iterator[None]:
    """pdfplumber gives a glyph the MCID of the innermost marked-content sequence
    only, and forgets the outer one after a nested EMC; Typst nests untagged BMC
    runs (right-to-left text) inside a tagged BDC, so our reader (and with it
    ``publisher check``) finds those elements empty.  The PDF owns such content to
    the enclosing MCID (ISO 32000-1, 14.7.4.2): keep a stack while this runs."""
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent as Device
    saved = Device.begin_tag, Device.end_tag

    def begin_tag(self, tag, props=None) -> None:
        stack = self.__dict__.setdefault("mcid_stack", [])
        mcid = props["MCID"] if isinstance(props, dict) and "MCID" in props else None
        stack.append(mcid if mcid is not None else (stack[-1] if stack else None))
        saved[0](self, tag, props)
        self.cur_mcid = stack[-1]

    def end_tag(self) -> None:
        stack = self.__dict__.setdefault("mcid_stack", [])
        if stack:
            stack.pop()
        saved[1](self)
        self.cur_mcid = stack[-1] if stack else None

    Device.begin_tag, Device.end_tag = begin_tag, end_tag
    try:
        yield
    finally:
        Device.begin_tag, Device.end_tag = saved


def measure(project: Path, pdf: Path, html: Path) -> Figures:
    """Issue 8's figures (tests/readers/figures.py), read against our HTML twin."""
    from pdfread import (html_text, link_figures, near_edge, pdfjs, pdfjs_text, pdftotext,
                         print_vocabulary, run_together, short_addresses, split_blocks,
                         structure, wrong_words)
    from publisher.preflight import check_pdf
    data = pdfjs(pdf)
    expected = " ".join((html_text(html), print_vocabulary(project, html.parent.name, 200),
                         short_addresses(html)))
    found, ellipses = [], []
    for text in (pdftotext(pdf), pdfjs_text(pdf, data)):
        wrong = wrong_words(text, expected)
        ellipses.append(wrong.count("…"))
        wrong = [word for word in wrong if word != "…"]
        glued = [word for word in wrong if run_together(word, expected)]
        found += [[word for word in wrong if word not in glued], glued]
    # pdf.js as Firefox's viewer hands it to a screen reader (structure order), where
    # tests/pdfread.py has it.
    reading = getattr(sys.modules["pdfread"], "pdfjs_reading_text", None)
    wrong = wrong_words(reading(pdf, data), expected) if reading else []
    structure_order = [word for word in wrong if word != "…" and not run_together(word, expected)]
    shipped = Counter(problem.check for problem in check_pdf(pdf))
    with nested_marked_content():
        split = split_blocks(pdf, html)
        elements = list(structure(pdf).walk())
        nested = Counter(problem.check for problem in check_pdf(pdf))
    figures = [e for e in elements if e.type == "Figure"]
    empty = sum(1 for e in elements if e.type in ("P", "LBody", "H1", "H2", "H3", "H4")
                and not e.text.strip())
    return Figures(len(data["pages"]), *found, structure_order if reading else None,
                   split, link_figures(pdf),
                   len(figures), sum(1 for e in figures if (e.alt or "").strip()),
                   near_edge(pdf), ellipses, dict(shipped), dict(nested), empty)
