"""Close the gaps between WeasyPrint 70's ``pdf/ua-1`` output and PDF/UA-1.

Everything we change in WeasyPrint's tagged PDF lives in this module, in two
steps that only make sense together:

1. ``install()`` wraps ``weasyprint.pdf.tags._build_box_tree`` (the function
   that turns the laid-out boxes of a page into structure elements).  It is the
   only place that sees both a structure element and the HTML element behind
   it, which the fixes for ``lang``, ``TH`` scope and link descriptions need.
   The function recurses through its module global, so one wrapper installed
   there sees every box.  The wrapper only *adds* keys to the dictionaries
   WeasyPrint builds, and leaves a hint on the structure elements WeasyPrint
   creates for ``@page`` margin boxes.
2. ``finish()`` post-processes the written bytes with pikepdf: marked content
   that no structure element in the tree owns (margin boxes, upstream issue
   1836) becomes ``/Artifact``, its ParentTree entries are cleared, and the file
   is saved with a content-derived ``/ID`` so the same input gives the same
   bytes.

What WeasyPrint already does right, and we keep: catalog ``/Lang``,
``/ViewerPreferences/DisplayDocTitle``, ``/MarkInfo/Marked``, XMP
``pdfuaid:part 1``, title in Info and XMP, outlines from headings.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import Any

import pikepdf
import pydyf
from weasyprint.formatting_structure import boxes
from weasyprint.layout.absolute import AbsolutePlaceholder
from weasyprint.pdf import tags as _tags

# Private key left by the wrapper on the (orphan) structure elements WeasyPrint
# builds for margin-box text; ``finish`` reads it to pick the artifact subtype.
# The elements are unreachable once ``finish`` clears the ParentTree, so the
# key never reaches the saved file.
_HINT = "PublisherArtifact"

_original_build_box_tree = _tags._build_box_tree

# HTML ``scope`` values to PDF ``/Scope`` names (ISO 32000-1, table 345).
_SCOPES = {"col": "/Column", "colgroup": "/Column", "row": "/Row",
           "rowgroup": "/Row", "both": "/Both"}


def install() -> None:
    """Install the tagging extension once; calling it again does nothing."""
    if _tags._build_box_tree is not _build_box_tree:
        _tags._build_box_tree = _build_box_tree


def uninstall() -> None:
    """Restore WeasyPrint's own tagging (tests use it to show the gaps)."""
    _tags._build_box_tree = _original_build_box_tree


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
            _set_lang(element, real, pdf)
            _describe_link(real)
            if element["S"] == "/Table":
                _set_header_scopes(real)
    yield from elements


def _margin_box(box: boxes.MarginBox, parent: pydyf.Dictionary, pdf: pydyf.PDF,
                page_number: int, nums: dict, annotations: list,
                tags: dict) -> Iterator[pydyf.Dictionary]:
    # WeasyPrint builds structure elements for margin-box text but never links
    # them into the tree (they would have to be Artifacts, which PDF 1.7 only
    # allows in content).  Let it consume the marked content as usual, then
    # mark the orphans so ``finish`` can turn their content into artifacts.
    subtype = ("/Header" if box.at_keyword.startswith("@top") else
               "/Footer" if box.at_keyword.startswith("@bottom") else None)
    before = set(nums)
    yield from _original_build_box_tree(
        box, parent, pdf, page_number, nums, annotations, tags)
    for mcid in set(nums) - before if subtype else ():
        number = int(bytes(nums[mcid]).split()[0])
        pdf.objects[number][_HINT] = subtype


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


def finish(pdf: bytes) -> bytes:
    """Turn unowned marked content into artifacts; save with stable bytes."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        tree = document.Root.get("/StructTreeRoot")
        if tree is not None:
            orphans = _clear_orphans(tree)
            for page in document.pages:
                key = page.obj.get("/StructParents")
                if key is not None and int(key) in orphans:
                    _mark_artifacts(document, page, orphans[int(key)])
        output = io.BytesIO()
        # deterministic_id: /ID is a hash of the content, not of time or chance.
        document.save(output, deterministic_id=True)
        return output.getvalue()


def _reachable(tree: pikepdf.Dictionary) -> set[tuple[int, int]]:
    """Object ids of every structure element reachable from the root."""
    seen: set[tuple[int, int]] = set()
    stack = [tree.get("/K")]
    while stack:
        kid = stack.pop()
        if isinstance(kid, pikepdf.Array):
            stack.extend(kid)
        elif isinstance(kid, pikepdf.Dictionary) and kid.is_indirect \
                and kid.objgen not in seen and "/S" in kid:
            seen.add(kid.objgen)
            stack.append(kid.get("/K"))
    return seen


def _clear_orphans(tree: pikepdf.Dictionary) -> dict[int, dict[int, str | None]]:
    """Null ParentTree entries of unreachable elements.

    Returns ``{StructParents key: {mcid: artifact subtype}}``.  WeasyPrint
    writes a flat ``/Nums`` array, one array of elements per page, indexed by
    MCID; entries are set to null rather than removed so indices stay MCIDs.
    """
    reachable = _reachable(tree)
    nums = tree.get("/ParentTree", {}).get("/Nums", pikepdf.Array())
    orphans: dict[int, dict[int, str | None]] = {}
    for index in range(0, len(nums) - 1, 2):
        key, value = int(nums[index]), nums[index + 1]
        if not isinstance(value, pikepdf.Array):
            continue
        for mcid, element in enumerate(value):
            if isinstance(element, pikepdf.Dictionary) and \
                    element.objgen not in reachable:
                hint = element.get(f"/{_HINT}")
                orphans.setdefault(key, {})[mcid] = str(hint) if hint else None
                value[mcid] = None
    if len(nums):
        tree.ParentTreeNextKey = max(int(nums[i]) for i in range(0, len(nums), 2)) + 1
    return orphans


# WeasyPrint (pydyf) writes a marked-content operator as "/Span", "<</MCID 3>>", "BDC" on
# lines of their own, and text as hex strings: the pattern cannot match shown text.
_MARKED = re.compile(rb"^/(?P<tag>\w+)\s*<<\s*/MCID (?P<mcid>\d+)\s*>>\s*BDC$", re.M)


def _mark_artifacts(document: pikepdf.Pdf, page: pikepdf.Page,
                    mcids: dict[int, str | None]) -> None:
    """Rewrite ``/Span <</MCID n>> BDC`` for the given MCIDs as artifacts.

    A byte-level rewrite: parsing every operator of every page into Python objects
    cost more than the rest of our PDF work together.
    """
    def artifact(match: re.Match[bytes]) -> bytes:
        mcid = int(match.group("mcid"))
        if mcid not in mcids:
            return match.group(0)
        subtype = mcids[mcid]
        return b"/Artifact << /Type /Pagination" + (
            f" /Subtype {subtype}".encode() if subtype else b"") + b" >> BDC"

    content = page.obj.Contents
    data = b"".join(c.read_bytes() for c in content) if isinstance(content, pikepdf.Array) \
        else content.read_bytes()
    page.obj.Contents = document.make_stream(_MARKED.sub(artifact, data))
