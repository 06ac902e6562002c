"""A built PDF read once into the small model the preflight checks share.

pikepdf reads the structure tree (with marked-content references on any page, in
the order of each element's kids), pdfplumber's pdfminer layout the text of each
marked-content sequence, decoded through the fonts' ToUnicode maps, and the glyphs'
sizes and positions (``pdf_glyphs``: pdfplumber's ``page.chars``, read faster).  A
PDF in memory is read without a file.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber
import pikepdf

from ..errors import Problem, error
from .pdf_glyphs import Glyph, page_glyphs

TEXT_OPERATORS = frozenset({"Tj", "TJ", "'", '"'})

ObjId = tuple[int, int]


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
class PageContent:
    unmarked_text: int = 0          # text-showing operators outside BDC/BMC
    mcids: list[int] = field(default_factory=list)


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

    @property
    def elements(self) -> Iterator[StructElem]:
        for element in self.structure:
            yield from element.walk()

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
        if obj.is_indirect:
            if obj.objgen in seen:  # a cycle or a shared element: count it once
                return None
            seen.add(obj.objgen)
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
                if kid.get("/Type") == "/MCR":
                    kid_page = page_of(kid, page)
                    if kid_page is not None:
                        element.mcids.append((kid_page, int(kid.MCID)))
                        element.kids.append((kid_page, int(kid.MCID)))
                elif kid.get("/Type") == "/OBJR":
                    element.kids.append(kid)
                elif "/S" in kid and (child := build(kid, page)) is not None:
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
            if name == "BDC" and len(operands) == 2:
                props = operands[1]
                if isinstance(props, pikepdf.Name):
                    props = properties.get(props)
                if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
                    content.mcids.append(int(props.MCID))
        elif name == "EMC":
            depth = max(depth - 1, 0)
        elif name in TEXT_OPERATORS and depth == 0:
            content.unmarked_text += 1
    return content


def read_pdf(path: Path, *, min_text_pt: float = 18.0, data: bytes | None = None,
             read_twin: bool = True) -> PdfDoc:
    """Read what the checks need from a PDF (pikepdf for structure, pdfminer through
    pdfplumber for text decoded through the fonts' ToUnicode maps and glyph sizes);
    from ``data`` when given (``path`` then only names it in problems)."""
    pdf = pikepdf.open(io.BytesIO(data) if data is not None else path)
    page_index = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    text: dict[tuple[int, int], str] = {}
    sizes: list[list[float]] = []
    glyphs: list[list[Glyph]] = []
    page_sizes: list[tuple[float, float]] = []
    with pdfplumber.open(io.BytesIO(data) if data is not None else path) as plumber:
        for index, page in enumerate(plumber.pages):
            chars = list(page_glyphs(plumber, page, pdf))
            sizes.append([size for _, size, _ in chars])
            glyphs.append([glyph for glyph, _, _ in chars])
            page_sizes.append((float(page.width), float(page.height)))
            for glyph, _, mcid in chars:
                if mcid is not None:
                    key = (index, int(mcid))
                    text[key] = text.get(key, "") + glyph.text
            page.close()
    return PdfDoc(path, pdf, min_text_pt, _read_structure(pdf, page_index),
                  [_read_content(page) for page in pdf.pages], text, sizes, glyphs,
                  page_sizes, read_twin)
