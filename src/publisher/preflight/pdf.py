"""Preflight of built PDFs: the PDF/UA rules a file alone can show.

Like Babel's checkers, each check is a plain function ``(doc) -> problems`` listed in
``PDF_CHECKS``: adding a check is adding a function.  A PDF is read once into a small
model (``PdfDoc``) that the checks share; every check runs, so one pass reports
everything.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pikepdf

from .. import collector
from ..errors import Problem, error
from .pdf_links import (check_annotation_parent, check_id_tree, check_marks_apart,
                        check_print_margin, check_rtl_clusters, check_split_links,
                        none_below)
from .pdf_model import ObjId, PdfDoc, StructElem, _kids, read_pdf
from .pdf_twin import check_split_blocks

HEADINGS = ("H1", "H2", "H3", "H4", "H5", "H6")
XMP_PDFUA_PART = "{http://www.aiim.org/pdfua/ns/id/}part"
SIZE_TOLERANCE = 0.1  # points; rounding in text matrices


# --- PDF checks ------------------------------------------------------------------

def check_tagged(doc: PdfDoc) -> list[Problem]:
    marked = doc.pdf.Root.get("/MarkInfo", {}).get("/Marked", False)
    if "/StructTreeRoot" not in doc.pdf.Root or not bool(marked):
        return [doc.problem("pdf-tagged", "not a tagged PDF "
                            "(no structure tree or /MarkInfo /Marked is not true)")]
    return []


def check_lang(doc: PdfDoc) -> list[Problem]:
    if not str(doc.pdf.Root.get("/Lang", "")).strip():
        return [doc.problem("pdf-lang", "no document language (catalog /Lang)")]
    return []


def _xmp(doc: PdfDoc) -> ET.Element | None:
    stream = doc.pdf.Root.get("/Metadata")
    if stream is None:
        return None
    try:
        return ET.fromstring(stream.read_bytes())
    except ET.ParseError:
        return None


def check_title(doc: PdfDoc) -> list[Problem]:
    problems = []
    info = doc.pdf.trailer.get("/Info")
    title = str(info.get("/Title", "")).strip() if info is not None else ""
    xmp = _xmp(doc)
    xmp_title = "" if xmp is None else "".join(
        "".join(node.itertext()) for node in xmp.iter("{http://purl.org/dc/elements/1.1/}title"))
    if not title and not xmp_title.strip():
        problems.append(doc.problem("pdf-title", "no document title in the metadata"))
    prefs = doc.pdf.Root.get("/ViewerPreferences", {})
    if not bool(prefs.get("/DisplayDocTitle", False)):
        problems.append(doc.problem(
            "pdf-title", "/ViewerPreferences /DisplayDocTitle is not true"))
    return problems


def check_pdfua_id(doc: PdfDoc) -> list[Problem]:
    xmp = _xmp(doc)
    parts = [] if xmp is None else [
        value for node in xmp.iter()
        for value in (node.get(XMP_PDFUA_PART), node.text if node.tag == XMP_PDFUA_PART
                      else None) if value is not None]
    if "1" not in (part.strip() for part in parts):
        return [doc.problem("pdf-ua-id", "no PDF/UA identifier (XMP pdfuaid:part=1)")]
    return []


def _headings(doc: PdfDoc) -> list[StructElem]:
    return [element for element in doc.elements if element.role in HEADINGS]


def _page_label(doc: PdfDoc, element: StructElem) -> str:
    pages = sorted({page for node in element.walk() for page, _ in node.mcids})
    return f"page {pages[0] + 1}: " if pages else ""


def check_heading_empty(doc: PdfDoc) -> list[Problem]:
    return [doc.problem("heading-empty",
                        f"{_page_label(doc, element)}empty {element.role} heading")
            for element in _headings(doc) if not doc.text_of(element).strip()]


def skipped_levels(levels: Sequence[int]) -> list[tuple[int, int, int]]:
    """(index, previous level, level) of every heading that skips a level."""
    return [(index, previous, level)
            for index, (previous, level) in enumerate(zip(levels, levels[1:]), start=1)
            if level > previous + 1]


def check_heading_levels(doc: PdfDoc) -> list[Problem]:
    headings = list(_headings(doc))
    return [doc.problem("heading-skip", f"{_page_label(doc, headings[index])}heading level "
                        f"skips from H{previous} to H{level}: "
                        f"{doc.text_of(headings[index]).strip()!r}")
            for index, previous, level in skipped_levels([int(h.role[1]) for h in headings])]


def check_single_h1(doc: PdfDoc) -> list[Problem]:
    count = sum(element.role == "H1" for element in doc.elements)
    if count != 1:
        return [doc.problem("heading-h1", f"{count} H1 headings, expected exactly one")]
    return []


def check_figure_alt(doc: PdfDoc) -> list[Problem]:
    return [doc.problem("figure-alt", f"{_page_label(doc, element)}Figure without /Alt")
            for element in doc.elements
            if element.role == "Figure" and not str(element.obj.get("/Alt", "")).strip()]


def check_link_contents(doc: PdfDoc) -> list[Problem]:
    problems = []
    for number, page in enumerate(doc.pdf.pages, 1):
        for annotation in _kids(page.obj.get("/Annots")):
            if annotation.get("/Subtype") == "/Link" and \
                    not str(annotation.get("/Contents", "")).strip():
                problems.append(doc.problem(
                    "link-contents", f"page {number}: link annotation without /Contents"))
    return problems


def _fonts(resources: pikepdf.Object | None, seen: set[ObjId]) -> Iterator[pikepdf.Dictionary]:
    """Fonts of a resource dictionary, including those of its form XObjects."""
    if not isinstance(resources, pikepdf.Dictionary):
        return
    for font in resources.get("/Font", pikepdf.Dictionary()).values():
        if font.objgen not in seen or not font.is_indirect:
            seen.add(font.objgen)
            yield font
    for xobject in resources.get("/XObject", pikepdf.Dictionary()).values():
        if xobject.get("/Subtype") == "/Form" and xobject.objgen not in seen:
            seen.add(xobject.objgen)
            yield from _fonts(xobject.get("/Resources"), seen)


def check_fonts_embedded(doc: PdfDoc) -> list[Problem]:
    problems, seen = [], set()
    for page in doc.pdf.pages:
        for font in _fonts(page.obj.get("/Resources"), seen):
            if font.get("/Subtype") == "/Type3":
                continue  # glyphs are content streams, nothing to embed
            descriptors = [descendant.get("/FontDescriptor")
                           for descendant in _kids(font.get("/DescendantFonts"))] \
                if font.get("/Subtype") == "/Type0" else [font.get("/FontDescriptor")]
            if not any(isinstance(d, pikepdf.Dictionary) and
                       any(key in d for key in ("/FontFile", "/FontFile2", "/FontFile3"))
                       for d in descriptors):
                problems.append(doc.problem(
                    "font-embedded", f"font {font.get('/BaseFont', '?')} is not embedded"))
    return problems


def check_unmarked_text(doc: PdfDoc) -> list[Problem]:
    return [doc.problem("text-unmarked", f"page {number}: {page.unmarked_text} text "
                        "operator(s) outside marked content (neither tagged nor artifact)")
            for number, page in enumerate(doc.pages, 1) if page.unmarked_text]


def check_orphan_mcids(doc: PdfDoc) -> list[Problem]:
    owned = {key for element in doc.elements for key in element.mcids}
    problems = []
    for index, page in enumerate(doc.pages):
        orphans = [mcid for mcid in page.mcids if (index, mcid) not in owned]
        if orphans:
            sample = ", ".join(
                repr(doc.text.get((index, mcid), "").strip()) for mcid in orphans[:3])
            problems.append(doc.problem(
                "mcid-orphan", f"page {index + 1}: marked content {orphans} belongs to no "
                f"structure element in the tree ({sample})"))
    return problems


def _attributes(element: StructElem) -> list[pikepdf.Dictionary]:
    return [a for a in _kids(element.obj.get("/A")) if isinstance(a, pikepdf.Dictionary)]


def check_th_scope(doc: PdfDoc) -> list[Problem]:
    return [doc.problem("th-scope", f"{_page_label(doc, element)}TH without /Scope: "
                        f"{doc.text_of(element).strip()!r}")
            for element in doc.elements if element.role == "TH"
            and not any("/Scope" in a for a in _attributes(element))]


def check_text_size(doc: PdfDoc) -> list[Problem]:
    problems = []
    for number, sizes in enumerate(doc.char_sizes, 1):
        if none_below(sizes, doc.min_text_pt - SIZE_TOLERANCE):
            continue
        small = [size for size in sizes if size < doc.min_text_pt - SIZE_TOLERANCE]
        if small:
            problems.append(doc.problem(
                "text-size", f"page {number}: {len(small)} glyph(s) smaller than "
                f"{doc.min_text_pt:g} pt (smallest {min(small):.1f} pt)"))
    return problems


PDF_CHECKS: list[Callable[[PdfDoc], list[Problem]]] = [
    check_tagged, check_lang, check_title, check_pdfua_id, check_heading_empty,
    check_heading_levels, check_single_h1, check_figure_alt, check_link_contents,
    check_fonts_embedded, check_unmarked_text, check_orphan_mcids, check_th_scope,
    check_text_size, check_annotation_parent, check_split_links, check_id_tree,
    check_print_margin, check_rtl_clusters, check_marks_apart, check_split_blocks,
]


def check_pdf(path: Path, *, min_text_pt: float = 18.0, data: bytes | None = None,
              read_twin: bool = True) -> list[Problem]:
    """Every PDF rule on the file at ``path``, or on ``data`` (then ``path`` names it
    in problems, and ``read_twin=False`` skips the HTML twin beside it)."""
    with collector.paused():  # the model: a tuple per glyph, no cycles
        try:
            doc = read_pdf(Path(path), min_text_pt=min_text_pt, data=data,
                           read_twin=read_twin)
        except Exception as exc:  # a file we cannot read is the finding
            return [error(path, f"cannot read PDF: {exc}", check="pdf-read")]
        with doc.pdf:
            return [problem for check in PDF_CHECKS for problem in check(doc)]
