"""Preflight rules on links, IDs, right-to-left text and the printable area.

Each is a check ``(doc) -> problems`` as in ``pdf.py``, reading only the file.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from operator import itemgetter

import pikepdf

from ..errors import Problem
from .pdf_model import PdfDoc, StructElem, _kids

EDGE_PT = 36.0   # half an inch: most printers cannot print closer to the edge
#: No character below it is right-to-left (bidi class R or AL): Hebrew starts here
#: (tests/test_preflight_fast.py proves it over every code point below).
FIRST_RIGHT_TO_LEFT = "\u0590"
_text_of = itemgetter(0)  # a Glyph's text (a named tuple: index 0), at C speed


def none_below(values: Sequence[float], bound: float) -> bool:
    """``not any(value < bound for value in values)``, with ``min`` doing the loop
    in C.  ``min`` is exact only without NaN (a NaN compares false both ways and can
    hide a smaller value behind it); a sum that is not finite (NaN, or an infinity)
    sends the values to the loop."""
    if math.isfinite(sum(values)):
        return not values or min(values) >= bound
    return not any(value < bound for value in values)


def _parent_tree(node: pikepdf.Object) -> dict[int, pikepdf.Object]:
    found: dict[int, pikepdf.Object] = {}
    nums = list(node.get("/Nums", []))
    for key, value in zip(nums[0::2], nums[1::2]):
        found[int(key)] = value
    for kid in node.get("/Kids", []):
        found.update(_parent_tree(kid))
    return found


def check_annotation_parent(doc: PdfDoc) -> list[Problem]:
    """Every link annotation is a direct kid (``/OBJR``) of a Link element
    (PDF/UA-1, veraPDF rule 7.18.5-1)."""
    tree = doc.pdf.Root.get("/StructTreeRoot")
    if tree is None:
        return []
    owners = _parent_tree(tree.get("/ParentTree", pikepdf.Dictionary()))
    problems = []
    for number, page in enumerate(doc.pdf.pages, 1):
        for annotation in _kids(page.obj.get("/Annots")):
            if annotation.get("/Subtype") != "/Link":
                continue
            owner = owners.get(int(annotation.get("/StructParent", -1)))
            direct = owner is not None and any(
                isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"
                and kid.get("/Obj") is not None and kid.Obj.objgen == annotation.objgen
                for kid in _kids(owner.get("/K")))
            if owner is None or owner.get("/S") != "/Link" or not direct:
                problems.append(doc.problem(
                    "link-parent", f"page {number}: link annotation is not a direct "
                    "kid of a Link element"))
    return problems


def _uri(link: StructElem) -> str | None:
    for kid in link.kids:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
            action = kid.Obj.get("/A")
            if action is not None and "/URI" in action:
                return str(action.URI)
    return None


def check_split_links(doc: PdfDoc) -> list[Problem]:
    """One link is one Link element, however many lines or pages it covers: two
    Link siblings in a row with the same address are one link cut in two."""
    problems = []
    for element in doc.elements:
        previous = None
        for kid in element.kids:
            uri = _uri(kid) if isinstance(kid, StructElem) and kid.role == "Link" else None
            if uri is not None and uri == previous:
                problems.append(doc.problem(
                    "link-split", f"link to {uri} is split into several Link elements: "
                    f"{doc.text_of(kid).strip()!r}"))
            previous = uri
    return problems


def check_id_tree(doc: PdfDoc) -> list[Problem]:
    """Elements with an /ID are listed in the structure tree's /IDTree."""
    tree = doc.pdf.Root.get("/StructTreeRoot")
    with_id = [element for element in doc.elements if "/ID" in element.obj]
    if not with_id or tree is None:
        return []
    names = set()

    def collect(node: pikepdf.Object) -> None:
        values = list(node.get("/Names", []))
        names.update(str(name) for name in values[0::2])
        for kid in node.get("/Kids", []):
            collect(kid)
    if "/IDTree" in tree:
        collect(tree.IDTree)
    missing = [str(element.obj.ID) for element in with_id if str(element.obj.ID) not in names]
    if missing:
        return [doc.problem("id-tree", f"{len(missing)} element ID(s) missing from the "
                            f"/IDTree (first {missing[0]!r})")]
    return []


def check_print_margin(doc: PdfDoc) -> list[Problem]:
    """No glyph within half an inch of the paper edge."""
    problems = []
    limit = EDGE_PT - 0.01
    for number, (glyphs, (width, height)) in enumerate(zip(doc.glyphs, doc.page_sizes), 1):
        # Unpacked rather than by name: a named tuple's fields are Python look-ups.
        near = [text for text, x0, top, x1, bottom in glyphs
                if (x0 < limit or top < limit or width - x1 < limit
                    or height - bottom < limit) and text.strip()]
        if near:
            problems.append(doc.problem(
                "print-margin", f"page {number}: {len(near)} glyph(s) closer than 0.5 in "
                f"to the paper edge ({''.join(near[:20])!r})"))
    return problems


def _right_to_left(text: str) -> bool:
    """Whether ``text`` has a right-to-left letter (bidi class R or AL), asking
    Unicode only about the distinct characters from U+0590 up (a page of English has
    a few: bullets, quotes, dashes)."""
    if max(text, default="") < FIRST_RIGHT_TO_LEFT:
        return False
    return any(unicodedata.bidirectional(char) in ("R", "AL")
               for char in set(text) if char >= FIRST_RIGHT_TO_LEFT)


def check_rtl_clusters(doc: PdfDoc) -> list[Problem]:
    """A right-to-left glyph standing for several characters (a lam-alef ligature,
    a letter with its mark) maps to them in visual order, so readers that reverse
    the run give the word as written; logical order reads عىل for على."""
    problems, seen = [], set()
    for page in doc.pdf.pages:
        for font in page.obj.get("/Resources", {}).get("/Font", {}).values():
            if font.objgen in seen or "/ToUnicode" not in font:
                continue
            seen.add(font.objgen)
            for text in _multi_char_mappings(font.ToUnicode.read_bytes()):
                if _right_to_left(text) and _logical_cluster(text):
                    problems.append(doc.problem(
                        "rtl-extraction", f"font {font.get('/BaseFont', '?')}: glyph for "
                        f"{text!r} is mapped in logical order; text extraction reverses it"))
    return problems


def check_marks_apart(doc: PdfDoc) -> list[Problem]:
    """A combining mark drawn as a glyph of its own just before a right-to-left
    letter (how WeasyPrint draws a moved mark, right to left being drawn in visual
    order): Poppler splits the word there and pdf.js moves the mark (أحيانا ً).
    Our PDFs draw such a letter and its marks as one glyph (``pdf_marks``)."""
    problems = []
    for number, glyphs in enumerate(doc.glyphs, 1):
        if not _right_to_left("".join(map(_text_of, glyphs))):
            continue  # no right-to-left letter on the page: nothing to be apart from
        apart = [after.text for before, after in zip(glyphs, glyphs[1:])
                 if before.text and all(unicodedata.category(char) == "Mn"
                                        for char in before.text)
                 and _right_to_left(after.text[:1])]
        if apart:
            problems.append(doc.problem(
                "rtl-extraction", f"page {number}: {len(apart)} mark(s) drawn apart from "
                f"their right-to-left letter; text extraction splits the word"))
    return problems


def _logical_cluster(text: str) -> bool:
    # Logical order: a base letter then its mark, or lam then alef/yeh (a ligature).
    # Visual order, which readers expect in a right-to-left run, is the reverse.
    return (unicodedata.bidirectional(text[0]) in ("R", "AL")
            and unicodedata.bidirectional(text[-1]) == "NSM") \
        or text[:2] in _LOGICAL_LIGATURES


# Lam followed by alef forms or yeh: the ligatures Arabic fonts draw as one glyph.
_LOGICAL_LIGATURES = {"\u0644" + second for second in "\u0627\u0622\u0623\u0625\u0649\u064a"}


def _multi_char_mappings(cmap: bytes) -> list[str]:
    """Destination strings of a ToUnicode CMap that are several characters."""
    found = []
    for token in cmap.split(b"<")[1:]:
        value = token.split(b">", 1)[0].strip()
        if len(value) > 4 and len(value) % 4 == 0:
            try:
                text = bytes.fromhex(value.decode()).decode("utf-16-be")
            except (ValueError, UnicodeDecodeError):
                continue
            if len(text) > 1:
                found.append(text)
    return found
