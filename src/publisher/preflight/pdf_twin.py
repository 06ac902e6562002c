"""Preflight of a PDF against its HTML twin (the ``.html`` beside it, if any).

A paragraph or list item cut at a page break shows up as two structure elements
in a row whose text together is one paragraph of the HTML.  Text is compared as
a multiset of characters, so right-to-left text (in visual order in the PDF)
compares too.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from ..errors import Problem
from .pdf_model import PdfDoc

BLOCK_TAGS = frozenset({"p", "li", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6"})
BLOCK_ROLES = frozenset({"P", "LBody", "H1", "H2", "H3", "H4", "H5", "H6"})
SKIPPED_TAGS = frozenset({"script", "style", "template"})


class _Blocks(HTMLParser):
    """Text of every block element, descendants included."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, list[str]]] = []
        self.blocks: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping += 1
        elif tag in BLOCK_TAGS:
            self.open.append((tag, []))

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIPPED_TAGS:
            self.skipping = max(self.skipping - 1, 0)
        elif tag in BLOCK_TAGS and any(name == tag for name, _ in self.open):
            while self.open:
                name, parts = self.open.pop()
                text = "".join(parts)
                self.blocks.append(text)
                if self.open:
                    self.open[-1][1].append(text)
                if name == tag:
                    break

    def handle_data(self, data: str) -> None:
        if not self.skipping and self.open:
            self.open[-1][1].append(data)


def _chars(text: str) -> Counter:
    return Counter(char for char in text if not char.isspace()
                   and unicodedata.category(char) not in ("Cf", "Cc"))


def html_blocks(path: Path) -> list[Counter]:
    parser = _Blocks()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    parser.close()
    return [chars for text in parser.blocks if (chars := _chars(text))]


def check_split_blocks(doc: PdfDoc) -> list[Problem]:
    """Two structure elements in a row that are one paragraph of the HTML twin."""
    twin = doc.path.with_suffix(".html")
    if not doc.read_twin or not twin.is_file():
        return []
    blocks = html_blocks(twin)
    whole = set(map(_frozen, blocks))
    elements = [element for element in doc.elements if element.role in BLOCK_ROLES]
    problems = []
    for first, second in zip(elements, elements[1:]):
        a, b = _chars(doc.text_of(first)), _chars(doc.text_of(second))
        if a and b and _frozen(a) not in whole and _frozen(b) not in whole \
                and _frozen(a + b) in whole:
            problems.append(doc.problem(
                "split-block", f"one {second.role} of the HTML is split into two "
                f"elements: {doc.text_of(first).strip()[-30:]!r} | "
                f"{doc.text_of(second).strip()[:30]!r}"))
    return problems


def _frozen(chars: Counter) -> frozenset:
    return frozenset(chars.items())
