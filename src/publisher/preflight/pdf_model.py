"""A built PDF read once into the small model the preflight checks share.

pikepdf reads the structure tree (with marked-content references on any page, in
the order of each element's kids) and, in one pass of its content-stream parser per
page, the text of each marked-content sequence decoded through the fonts' ToUnicode
maps, the glyphs' sizes and positions, and the marked content itself
(``pdf_text``).  A page that reader does not understand is read by pdfminer through
pdfplumber (``pdf_glyphs``), which gives the same glyphs.  A PDF in memory is read
without a file.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

from ..errors import Problem, error
from .pdf_fonts import FontCache, NotUnderstood
from .pdf_text import (TEXT_OPERATORS, Glyph, PageContent, PageText, marked_content_id,
                       read_page)

ObjId = tuple[int, int]

__all__ = ["Glyph", "PageContent", "PdfDoc", "StructElem", "read_pdf"]


# --- PDF model -------------------------------------------------------------------

@dataclass
class StructElem:
    role: str                      # standard type after /RoleMap, without "/"
    obj: pikepdf.Dictionary
    mcids: list[tuple[int, int]]   # (page index, MCID) of its own content
    children: list[StructElem] = field(default_factory=list)
    # Every kid in document order: an element, (page, MCID), or an /OBJR dictionary.
    kids: list[StructElem | tuple[int, int] | pikepdf.Dictionary] = field(
        default_factory=list)

    def walk(self) -> Iterator[StructElem]:
        yield self
        for child in self.children:
            yield from child.walk()

    def content(self) -> Iterator[tuple[int, int]]:
        """(page, MCID) of everything it and its descendants show, in order."""
        for kid in self.kids:
            if isinstance(kid, StructElem):
                yield from kid.content()
            elif isinstance(kid, tuple):
                yield kid


@dataclass
class PdfDoc:
    path: Path
    pdf: pikepdf.Pdf
    min_text_pt: float
    structure: list[StructElem]            # top-level elements, document order
    pages: list[PageContent]
    text: dict[tuple[int, int], str]       # (page index, MCID) -> text
    char_sizes: list[list[float]]          # per page, pdfplumber glyph sizes
    glyphs: list[list[Glyph]] = field(default_factory=list)   # per page
    page_sizes: list[tuple[float, float]] = field(default_factory=list)
    #: Whether the HTML beside ``path`` is read as the PDF's twin (pdf_twin.py); a
    #: PDF checked in memory has no file beside it.
    read_twin: bool = True

    @functools.cached_property
    def _flat(self) -> list[StructElem]:
        return [node for element in self.structure for node in element.walk()]

    @property
    def elements(self) -> Iterator[StructElem]:
        """Every element in document order (walked once, for all the checks)."""
        return iter(self._flat)

    def text_of(self, element: StructElem) -> str:
        return "".join(self.text.get(key, "") for key in element.content())

    def problem(self, check: str, message: str) -> Problem:
        return error(self.path, message, check=check)


def _kids(obj: pikepdf.Object | None) -> list[pikepdf.Object]:
    if obj is None:
        return []
    return list(obj) if isinstance(obj, pikepdf.Array) else [obj]


def _read_structure(pdf: pikepdf.Pdf, page_index: dict[ObjId, int]) -> list[StructElem]:
    tree = pdf.Root.get("/StructTreeRoot")
    if tree is None:
        return []
    role_map = {str(key): str(value)
                for key, value in tree.get("/RoleMap", pikepdf.Dictionary()).items()}
    seen: set[ObjId] = set()

    def page_of(obj: pikepdf.Dictionary, inherited: int | None) -> int | None:
        page = obj.get("/Pg")
        return page_index.get(page.objgen, inherited) if page is not None else inherited

    def build(obj: pikepdf.Dictionary, page: int | None) -> StructElem | None:
        key = obj.objgen  # (0, 0) for a direct object
        if key != (0, 0):
            if key in seen:  # a cycle or a shared element: count it once
                return None
            seen.add(key)
        role = str(obj.get("/S", "/NonStruct"))
        mapped = {role}
        while role_map.get(role, role) not in mapped:  # stop on cycles
            role = role_map[role]
            mapped.add(role)
        page = page_of(obj, page)
        element = StructElem(role.lstrip("/"), obj, [])
        for kid in _kids(obj.get("/K")):
            if isinstance(kid, int):
                if page is not None:
                    element.mcids.append((page, int(kid)))
                    element.kids.append((page, int(kid)))
            elif isinstance(kid, pikepdf.Dictionary):
                kind = kid.get("/Type")  # asked once: each question crosses into qpdf
                if kind == "/MCR":
                    kid_page = page_of(kid, page)
                    if kid_page is not None:
                        element.mcids.append((kid_page, int(kid.MCID)))
                        element.kids.append((kid_page, int(kid.MCID)))
                elif kind == "/OBJR":
                    element.kids.append(kid)
                # get, not "in": half the cost, and a null /S is no /S for both.
                elif kid.get("/S") is not None and (child := build(kid, page)) is not None:
                    element.children.append(child)
                    element.kids.append(child)
        return element

    return [element for kid in _kids(tree.get("/K"))
            if isinstance(kid, pikepdf.Dictionary)
            and (element := build(kid, None)) is not None]


def _read_content(page: pikepdf.Page) -> PageContent:
    content = PageContent()
    properties = page.obj.get("/Resources", {}).get("/Properties", {})
    depth = 0
    for operands, operator in pikepdf.parse_content_stream(page):
        name = str(operator)
        if name in ("BDC", "BMC"):
            depth += 1
            if name == "BDC" and len(operands) == 2 \
                    and (mcid := marked_content_id(operands[1], properties)) is not None:
                content.mcids.append(mcid)
        elif name == "EMC":
            depth = max(depth - 1, 0)
        elif name in TEXT_OPERATORS and depth == 0:
            content.unmarked_text += 1
    return content


def _pdfminer_page(plumber, index: int, page: pikepdf.Page, pdf: pikepdf.Pdf) -> PageText:
    """A page as pdfminer reads it (through pdfplumber), for what ``pdf_text`` does
    not understand."""
    from .pdf_glyphs import page_glyphs  # pdfminer: only for such pages
    plumber_page = plumber.pages[index]
    glyphs: list[Glyph] = []
    sizes: list[float] = []
    mcids: list[int | None] = []
    text: dict[int, str] = {}
    for glyph, size, mcid in page_glyphs(plumber, plumber_page, pdf):
        glyphs.append(glyph)
        sizes.append(size)
        mcids.append(None if mcid is None else int(mcid))
        if mcid is not None:
            text[int(mcid)] = text.get(int(mcid), "") + glyph.text
    read = PageText(glyphs, sizes, mcids, text, _read_content(page),
                    (float(plumber_page.width), float(plumber_page.height)))
    plumber_page.close()
    return read


def read_pdf(path: Path, *, min_text_pt: float = 18.0, data: bytes | None = None,
             read_twin: bool = True) -> PdfDoc:
    """Read what the checks need from a PDF (pikepdf for structure, text, glyphs and
    marked content; pdfminer for a page pikepdf's reader does not understand); from
    ``data`` when given (``path`` then only names it in problems)."""
    pdf = pikepdf.open(io.BytesIO(data) if data is not None else path)
    page_index = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    fonts = FontCache()
    plumber = None
    pages: list[PageText] = []
    try:
        for index, page in enumerate(pdf.pages):
            try:
                pages.append(read_page(page, fonts))
            except NotUnderstood:
                if plumber is None:
                    import pdfplumber
                    plumber = pdfplumber.open(io.BytesIO(data) if data is not None else path)
                pages.append(_pdfminer_page(plumber, index, page, pdf))
    finally:
        if plumber is not None:
            plumber.close()
    text = {(index, mcid): value for index, page in enumerate(pages)
            for mcid, value in page.text.items()}
    return PdfDoc(path, pdf, min_text_pt, _read_structure(pdf, page_index),
                  [page.content for page in pages], text, [page.sizes for page in pages],
                  [page.glyphs for page in pages], [page.size for page in pages],
                  read_twin)
