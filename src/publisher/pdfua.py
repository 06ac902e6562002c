"""Close the gaps between WeasyPrint 70's ``pdf/ua-1`` output and PDF/UA-1.

Everything we change in WeasyPrint's tagged PDF lives in this module, as a narrow
extension of WeasyPrint's own tagging step that ``install()`` puts in place once:

1. A wrapper around ``weasyprint.pdf.tags._build_box_tree`` (the function that
   turns the laid-out boxes of a page into structure elements).  It is the only
   place that sees both a structure element and the HTML element behind it, which
   the fixes for ``lang``, ``TH`` scope and link descriptions need.  The function
   recurses through its module global, so one wrapper installed there sees every
   box.  It only *adds* keys to the dictionaries WeasyPrint builds, and notes the
   HTML element behind each structure element and the marked-content ids
   (MCIDs) of text in ``@page`` margin boxes.
2. A wrapper around ``weasyprint.pdf.add_tags`` (the whole tagging step): once
   WeasyPrint has built the tree, the noted margin-box content, which no
   structure element in the tree owns (upstream issue 1836), becomes
   ``/Artifact`` in the page's content stream and its ParentTree entries are
   cleared; then ``pdfua_tree.reshape`` turns WeasyPrint's per-page trees into
   one tree keyed on the HTML elements noted in step 1 (one element per
   paragraph, list item, table or link across pages and lines, ``/IDTree``),
   before anything is written.
3. A wrapper around ``weasyprint.pdf.build_fonts_dictionary``: right-to-left
   glyphs that stand for several characters (lam-alef) are mapped to them in
   the order text extractors expect, and marks raised over a letter (tanween,
   harakat) are drawn with it as one composite glyph (``pdf_marks``), so Arabic
   words extract as written.
4. A wrapper around WeasyPrint's XMP writer that adds ``dc:language``.
5. A wrapper around ``weasyprint.draw.draw_inline_level``: the pieces of a
   right-to-left line (a sentence, then a link or bold words) are drawn from
   left to right.  pdf.js infers the space between two pieces of text only
   when the second is drawn to the right of the first; drawn in logical order,
   each piece of an Arabic line starts left of the one before, and pdf.js ran
   the words on either side together ("الفريقمعلومات").  The reading order is
   the structure tree's, which the drawing order does not change.

What WeasyPrint already does right, and we keep: catalog ``/Lang``,
``/ViewerPreferences/DisplayDocTitle``, ``/MarkInfo/Marked``, XMP
``pdfuaid:part 1``, title in Info and XMP, outlines from headings.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import unicodedata
from xml.etree.ElementTree import SubElement, fromstring, tostring

import pydyf
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.stacking import StackingContext
from weasyprint import draw as _draw, pdf as _pdf
from weasyprint.pdf import tags as _tags
from weasyprint.pdf.metadata import NS as _XMP_NS, DocumentMetadata

from .pdf_marks import compose_marks
from .pdfua_tree import Origin, reshape

_original_build_box_tree = _tags._build_box_tree
_original_add_tags = _pdf.add_tags
_original_build_fonts_dictionary = _pdf.build_fonts_dictionary
_original_rdf_metadata = DocumentMetadata.generate_rdf_metadata
_original_draw_inline_level = _draw.draw_inline_level

# Structure element object number -> the HTML element behind it, for ``reshape``.
_origins: dict[int, Origin] = {}

# Margin-box text of the document being tagged: page number -> {MCID: subtype}.
_margin_content: dict[int, dict[int, str | None]] = {}

# HTML ``scope`` values to PDF ``/Scope`` names (ISO 32000-1, table 345).
_SCOPES = {"col": "/Column", "colgroup": "/Column", "row": "/Row",
           "rowgroup": "/Row", "both": "/Both"}


def install() -> None:
    """Install the tagging extension once; calling it again does nothing."""
    if _tags._build_box_tree is not _build_box_tree:
        _tags._build_box_tree = _build_box_tree
        _pdf.add_tags = _add_tags
        _pdf.build_fonts_dictionary = _build_fonts_dictionary
        DocumentMetadata.generate_rdf_metadata = _rdf_metadata
        _draw.draw_inline_level = _draw_inline_level


def uninstall() -> None:
    """Restore WeasyPrint's own tagging (tests use it to show the gaps)."""
    _tags._build_box_tree = _original_build_box_tree
    _pdf.add_tags = _original_add_tags
    _pdf.build_fonts_dictionary = _original_build_fonts_dictionary
    DocumentMetadata.generate_rdf_metadata = _original_rdf_metadata
    _draw.draw_inline_level = _original_draw_inline_level


def _draw_inline_level(stream: Any, page: Any, box: Any, offset_x: float = 0,
                       text_overflow: str = "clip", block_ellipsis: str = "none") -> None:
    """WeasyPrint's ``draw_inline_level``, right-to-left lines' pieces left to right.

    Only where no ellipsis is drawn: WeasyPrint gives it to the last child."""
    if isinstance(box, boxes.LineBox):
        block_ellipsis = box.block_ellipsis
    children = getattr(box, "children", None)
    if not isinstance(box, (boxes.LineBox, boxes.InlineBox)) or not children \
            or len(children) < 2 or box.style["direction"] != "rtl" \
            or block_ellipsis != "none":
        _original_draw_inline_level(stream, page, box, offset_x, text_overflow,
                                    block_ellipsis)
        return
    box.children = sorted(children, key=_left_edge)
    try:
        _original_draw_inline_level(stream, page, box, offset_x, text_overflow,
                                    block_ellipsis)
    finally:
        box.children = children


def _left_edge(child: Any) -> float:
    return (child.box if isinstance(child, StackingContext) else child).position_x


def _build_box_tree(box: Any, parent: pydyf.Dictionary, pdf: pydyf.PDF,
                    page_number: int, nums: dict, annotations: list,
                    tags: dict) -> Iterator[pydyf.Dictionary]:
    """WeasyPrint's ``_build_box_tree`` plus ``/Lang``, ``/Scope``, link text."""
    real = box._box if isinstance(box, AbsolutePlaceholder) else box
    if isinstance(real, boxes.MarginBox):
        yield from _margin_box(real, parent, pdf, page_number, nums, annotations,
                               tags)
        return
    elements = list(_original_build_box_tree(
        box, parent, pdf, page_number, nums, annotations, tags))
    # html, body and page boxes yield their children's elements, which the
    # nested calls of this wrapper have already fixed.
    if real.element is not None and not isinstance(real, boxes.PageBox) \
            and real.element_tag not in ("html", "body"):
        for element in elements:
            _origins.setdefault(element.number, Origin(real.element, real.element_tag))
            _set_lang(element, real, pdf)
            _describe_link(real)
            if element["S"] == "/Table":
                _set_header_scopes(real)
            if element["S"] == "/Figure":
                _bbox_in_points(element, pdf, page_number)
    yield from elements


#: CSS pixels to PDF points (WeasyPrint renders at zoom 1: 96 px to 72 pt).
PX_TO_PT = 0.75


def _bbox_in_points(element: pydyf.Dictionary, pdf: pydyf.PDF, page_number: int) -> None:
    # WeasyPrint 70 writes a Figure's /BBox in CSS pixels from the top of the page;
    # PDF wants points in the page's own space, from the bottom (ISO 32000-1, 14.8.5.4.3).
    attributes = element.get("A")
    box = attributes.get("BBox") if isinstance(attributes, pydyf.Dictionary) else None
    if box is None or getattr(attributes, "_publisher_points", False):
        return
    media = _object(pdf, pdf.page_references[page_number])["MediaBox"]
    bottom = float(media[3])
    x1, y1, x2, y2 = (float(v) for v in box)
    attributes["BBox"] = pydyf.Array((
        round(x1 * PX_TO_PT, 2), round(bottom - y2 * PX_TO_PT, 2),
        round(x2 * PX_TO_PT, 2), round(bottom - y1 * PX_TO_PT, 2)))
    attributes._publisher_points = True


def _margin_box(box: boxes.MarginBox, parent: pydyf.Dictionary, pdf: pydyf.PDF,
                page_number: int, nums: dict, annotations: list,
                tags: dict) -> Iterator[pydyf.Dictionary]:
    # WeasyPrint builds structure elements for margin-box text but never links
    # them into the tree (they would have to be Artifacts, which PDF 1.7 only
    # allows in content).  Let it consume the marked content as usual, then
    # note their MCIDs so ``_add_tags`` can turn that content into artifacts.
    subtype = ("/Header" if box.at_keyword.startswith("@top") else
               "/Footer" if box.at_keyword.startswith("@bottom") else None)
    before = set(nums)
    yield from _original_build_box_tree(
        box, parent, pdf, page_number, nums, annotations, tags)
    page = _margin_content.setdefault(page_number, {})
    page.update((mcid, subtype) for mcid in set(nums) - before)


def _add_tags(pdf: pydyf.PDF, document: Any, pdf_version: Any,
              page_streams: list[pydyf.Stream]) -> None:
    """WeasyPrint's tagging, then margin-box content turned into artifacts."""
    _margin_content.clear()
    _origins.clear()
    try:
        with _page_references_once(pdf):
            _tag(pdf, document, pdf_version, page_streams)
    finally:
        _margin_content.clear()
        _origins.clear()


def _tag(pdf: pydyf.PDF, document: Any, pdf_version: Any,
         page_streams: list[pydyf.Stream]) -> None:
    """WeasyPrint's tree, margin-box content made artifacts, then ``reshape``."""
    _original_add_tags(pdf, document, pdf_version, page_streams)
    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    nums = _object(pdf, root["ParentTree"])["Nums"]
    for page_number, stream in enumerate(page_streams):
        margin = _margin_content.get(page_number, {})
        if margin:
            _mark_artifacts(stream, margin)
            # WeasyPrint lists each page's elements by MCID, pages first.
            elements = nums[2 * page_number + 1]
            for mcid in margin:
                elements[mcid] = "null"
    root["ParentTreeNextKey"] = max(nums[0::2], default=-1) + 1
    repeated = reshape(pdf, _origins)
    for page_number, mcids in repeated.items():
        _mark_artifacts(page_streams[page_number], dict.fromkeys(mcids))


class _PagesKnownPdf(pydyf.PDF):
    """A ``pydyf.PDF`` whose page references were listed once.

    pydyf's ``page_references`` property builds a new tuple of every page's
    reference on each read, and tagging reads it for every structure element
    (WeasyPrint's ``/Pg``, then ours): a third of WeasyPrint's own tagging time
    on a 10-page handout.  No page is added while tagging."""

    @property
    def page_references(self) -> tuple[bytes, ...]:
        return self._publisher_page_references


@contextmanager
def _page_references_once(pdf: pydyf.PDF) -> Iterator[None]:
    if type(pdf) is not pydyf.PDF:      # someone else's subclass: leave it alone
        yield
        return
    pdf._publisher_page_references = pdf.page_references
    pdf.__class__ = _PagesKnownPdf
    try:
        yield
    finally:
        pdf.__class__ = pydyf.PDF
        del pdf._publisher_page_references


def _rdf_metadata(self: DocumentMetadata, *args: Any, **kwargs: Any) -> bytes:
    """WeasyPrint's XMP plus ``dc:language`` (it writes the language only in the
    catalog's /Lang; PDF/UA-1 validators and catalogues read the XMP one)."""
    data = _original_rdf_metadata(self, *args, **kwargs)
    if not self.lang:
        return data
    rdf = fromstring(data)
    description = SubElement(rdf, f'{{{_XMP_NS["rdf"]}}}Description')
    description.attrib[f'{{{_XMP_NS["rdf"]}}}about'] = ""
    bag = SubElement(SubElement(description, f'{{{_XMP_NS["dc"]}}}language'),
                     f'{{{_XMP_NS["rdf"]}}}Bag')
    SubElement(bag, f'{{{_XMP_NS["rdf"]}}}li').text = self.lang
    return tostring(rdf, encoding="utf-8")


def _build_fonts_dictionary(pdf: pydyf.PDF, fonts: dict, compress: bool, subset: bool,
                            options: dict) -> Any:
    """WeasyPrint's font dictionaries, with right-to-left clusters' text reversed.

    WeasyPrint draws right-to-left text in visual order and maps each glyph to its
    characters in logical order.  Readers (Poppler, pdf.js, Acrobat) turn a
    right-to-left run back into logical order by reversing its characters, so a
    glyph that stands for several characters (lam-alef, lam-yeh ligatures, a
    letter with its mark) came out reversed inside the word: على read as عىل.
    Mapping such a glyph to its characters in visual order makes the readers'
    reversal give the word as written.  Marks raised over a letter are first
    drawn with it as one glyph (``pdf_marks``), for the same reason.
    """
    if subset:
        compose_marks(pdf, fonts)
    for font in fonts.values():
        for glyph, text in font.to_unicode.items():
            if _visual_order_cluster(text):
                font.to_unicode[glyph] = text[::-1]
    return _original_build_fonts_dictionary(pdf, fonts, compress, subset, options)


def _visual_order_cluster(text: str) -> bool:
    """Several characters, all right-to-left letters or their marks."""
    classes = [unicodedata.bidirectional(char) for char in text]
    return len(text) > 1 and all(c in ("R", "AL", "NSM") for c in classes) \
        and any(c in ("R", "AL") for c in classes)


def _object(pdf: pydyf.PDF, reference: Any) -> Any:
    number = int(bytes(reference).split()[0]) if not isinstance(reference, int) else reference
    return pdf.objects[number]


def _mark_artifacts(stream: pydyf.Stream, mcids: dict[int, str | None]) -> None:
    """``/Span <</MCID n>> BDC`` for the given MCIDs becomes a pagination artifact.

    pydyf keeps a page's operators as a list (tag, property list, ``BDC``), so the
    change is made in that list before the stream is ever written.
    """
    operations = stream.stream
    left = len(mcids)
    # From the end, as far as the last of them: margin boxes are drawn last.
    for index in range(len(operations) - 1, 0, -1):
        item = operations[index]
        if isinstance(item, pydyf.Dictionary) and item.get("MCID") in mcids:
            properties = pydyf.Dictionary({"Type": "/Pagination"})
            subtype = mcids[item["MCID"]]
            if subtype:
                properties["Subtype"] = subtype
            operations[index - 1] = "/Artifact"
            operations[index] = properties
            left -= 1
            if not left:
                return


def _set_lang(element: pydyf.Dictionary, box: Any, pdf: pydyf.PDF) -> None:
    # WeasyPrint only writes the document language (catalog /Lang).  The
    # computed ``lang`` style is inherited, so it is the element's effective
    # language: tag every element whose language is explicit or differs from
    # the document's, so a screen reader switches voice for fallback text.
    lang = box.style["lang"]
    if not lang:
        return
    document_lang = pdf.catalog.get("Lang")
    document_lang = getattr(document_lang, "string", None)
    if box.element.get("lang") is not None or lang != document_lang:
        element["Lang"] = pydyf.String(lang)


def _describe_link(box: Any) -> None:
    # WeasyPrint sets a link annotation's /Contents to the bare URL; a screen
    # reader listing links then reads addresses only.  Prefer the author's
    # accessible name, else the link text followed by the address.
    annotation = box.link_annotation
    if annotation is None or box.element_tag != "a":
        return
    element = box.element
    label = (element.get("aria-label") or element.get("title") or "").strip()
    if not label:
        label = link_text(element)
        target = getattr(annotation.get("Contents"), "string", "") or ""
        if "A" in annotation and target and label and label != target:
            label = f"{label}: {target}"
        label = label or target
    if label:
        annotation["Contents"] = pydyf.String(label)


def link_text(element: Any) -> str:
    """Visible text of an HTML element, images counted by their alt text."""
    parts = []
    for node in element.iter():
        if node.tag == "img" and node.get("alt"):
            parts.append(node.get("alt"))
        parts.append(node.text or "")
        if node is not element:
            parts.append(node.tail or "")
    return " ".join("".join(parts).split())


def _set_header_scopes(table_wrapper: Any) -> None:
    # WeasyPrint gives TH elements /A << /O /Table >> without /Scope (upstream
    # issue 2508).  An explicit ``scope`` wins; otherwise a header cell in
    # <thead> or in a row of header cells heads its column, and a header cell
    # in a row with data cells heads its row.
    table = table_wrapper
    if getattr(table_wrapper, "is_table_wrapper", False):
        table = table_wrapper.get_wrapped_table() or table_wrapper
    for group in table.children:
        rows = group.children if isinstance(group, boxes.TableRowGroupBox) \
            else [group]
        for row in rows:
            cells = [cell for cell in getattr(row, "children", ())
                     if isinstance(cell, boxes.TableCellBox)]
            all_headers = all(cell.element_tag == "th" for cell in cells)
            for cell in cells:
                mark = getattr(cell, "mark", None)
                if cell.element_tag != "th" or not isinstance(mark, pydyf.Dictionary):
                    continue
                scope = _SCOPES.get((cell.element.get("scope") or "").lower())
                if scope is None:
                    in_head = getattr(group, "is_header", False)
                    scope = "/Column" if in_head or all_headers else "/Row"
                mark["A"]["Scope"] = scope
