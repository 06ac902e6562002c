"""Read a built PDF back the way a screen reader would: the structure tree and its text."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
from pdfplumber.structure import PDFStructElement, PDFStructTree


@dataclass
class Element:
    type: str
    text: str
    lang: str | None
    alt: str | None
    children: list["Element"] = field(default_factory=list)

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()


def structure(path: Path) -> Element:
    """The document's structure tree with each element's text (from its MCIDs)."""
    with pdfplumber.open(path) as pdf:
        chars: dict[tuple[int, int], list[str]] = {}
        for page in pdf.pages:
            for char in page.chars:
                if char.get("mcid") is not None:
                    chars.setdefault((page.page_number, char["mcid"]), []).append(char["text"])
        tree = PDFStructTree(pdf)

        def convert(element: PDFStructElement, page: int | None) -> Element:
            page = element.page_number or page
            own = "".join("".join(chars.get((page, mcid), [])) for mcid in element.mcids or [])
            children = [convert(child, page) for child in element.children]
            text = own + "".join(child.text for child in children)
            return Element(element.type, text, element.lang, element.alt_text, children)

        top = [convert(e, None) for e in tree]
        return Element("Root", "".join(e.text for e in top), None, None, top)


def elements(path: Path, kind: str) -> list[Element]:
    return [e for e in structure(path).walk() if e.type == kind]


def glyph_sizes(path: Path) -> list[float]:
    with pdfplumber.open(path) as pdf:
        return [char["size"] for page in pdf.pages for char in page.chars if char["text"].strip()]
