"""Reshape WeasyPrint 70's per-page structure tree into one tree for the document.

WeasyPrint tags each page on its own: every page gets its own ``Part``, and a
paragraph, list, list item, table or link that crosses a page (or a line, for
links) becomes two or more structure elements.  ``pdfua`` notes the HTML element
behind every structure element it sees (``Origin``); this module reads the tree
WeasyPrint built into plain ``Node`` objects, reshapes it keyed on those HTML
elements, and writes it back before anything is serialized:

- elements built from the same HTML element (same role) become one element, with
  marked-content references (``/MCR`` with ``/Pg``) to content on other pages;
- a nested list goes inside its item's ``LBody`` (WeasyPrint puts it beside the
  item), ``<dl>`` term/definition pairs become one ``LI`` (``Lbl`` + ``LBody``);
- every link annotation's ``/OBJR`` is a direct child of its ``Link``;
- the per-line text ``Span`` elements WeasyPrint adds are folded into their
  parent, unknown inline elements (``strong``, ``bdi``) are ``Span``, and
  elements with no content (``<br>``) are dropped;
- the ParentTree is rebuilt from the final tree and an ``/IDTree`` lists the
  elements that carry an ``/ID``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pydyf

# Roles whose HTML-less anonymous children (WeasyPrint's anonymous block boxes,
# which keep their parent's element) are folded into them.
_FOLDABLE = frozenset({"NonStruct", "Div", "P", "Span"})
_KEPT_EMPTY = frozenset({"H1", "H2", "H3", "H4", "H5", "H6", "Figure"})
_INLINE_TAGS = frozenset({"strong", "b", "em", "i", "bdi", "bdo", "small",
                          "abbr", "sub", "sup", "mark", "q", "cite", "dfn", "kbd",
                          "samp", "var", "time", "data", "u", "s"})
#: HTML elements WeasyPrint 70 leaves as NonStruct that have a standard role: a code
#: block is a paragraph of Code (ISO 32000-1, table 338), a code span is Code.
_ROLES_BY_TAG = {"pre": "P", "code": "Code"}


@dataclass(frozen=True)
class Origin:
    """The HTML element behind a structure element WeasyPrint built."""
    element: Any          # the parsed HTML element (ElementTree element)
    tag: str              # WeasyPrint's element_tag (``li::marker`` for markers)


@dataclass(frozen=True)
class Content:
    """A kid that is not a structure element: marked content or an annotation."""
    page: int
    mcid: int | None = None
    objr: pydyf.Dictionary | None = None


@dataclass(eq=False)
class Node:
    obj: pydyf.Dictionary
    role: str
    page: int
    origin: Origin | None
    kids: list[Node | Content] = field(default_factory=list)
    #: ``obj.reference``, which pydyf formats anew on each read.
    reference: bytes = b""

    @property
    def key(self) -> tuple | None:
        if self.origin is None:
            return None
        return (id(self.origin.element), self.origin.tag, self.role)

    def walk(self) -> list[Node]:
        """This node and every node under it, parents before their kids, in order
        (a list built without recursion: a handout's tree has thousands of nodes
        and is walked several times)."""
        nodes: list[Node] = []
        stack: list[Node] = [self]
        while stack:
            node = stack.pop()
            nodes.append(node)
            for kid in reversed(node.kids):
                if type(kid) is Node:
                    stack.append(kid)
        return nodes

    def contents(self) -> Iterator[Content]:
        for kid in self.kids:
            if isinstance(kid, Node):
                yield from kid.contents()
            else:
                yield kid


def _number(reference: Any) -> int:
    # b"12 0 R" -> 12
    return int(bytes(reference).split(b" ", 1)[0])


class _Reader:
    def __init__(self, pdf: pydyf.PDF, origins: dict[int, Origin]) -> None:
        self.pdf = pdf
        self.origins = origins
        self.pages = {bytes(ref): index for index, ref in enumerate(pdf.page_references)}
        #: Every node read, in no particular order.
        self.read: list[Node] = []

    def node(self, obj: pydyf.Dictionary) -> Node:
        pages, objects = self.pages, self.pdf.objects
        pg = obj.get("Pg")
        page = pages.get(bytes(pg), 0) if pg is not None else 0
        role = str(obj["S"]).lstrip("/")
        node = Node(obj, role, page, self.origins.get(obj.number))
        self.read.append(node)
        kids = node.kids
        for kid in obj["K"]:
            if isinstance(kid, int):
                kids.append(Content(page, mcid=kid))
                continue
            child = objects[_number(kid)]
            if child.get("Type") == "/OBJR":
                kids.append(Content(pages.get(bytes(child["Pg"]), page), objr=child))
            else:
                kids.append(self.node(child))
        return node


def reshape(pdf: pydyf.PDF, origins: dict[int, Origin]) -> dict[int, set[int]]:
    """Rebuild the structure tree WeasyPrint wrote into ``pdf`` (see module doc).

    Returns the marked content that repeats a table header or footer on a later
    page, by page: the caller marks it as a pagination artifact."""
    root = _object(pdf, pdf.catalog["StructTreeRoot"])
    document_obj = _object(pdf, root["K"][0])
    reader = _Reader(pdf, origins)
    document = reader.node(document_obj)

    merged = Node(document_obj, "Document", 0, None)
    merger = _Merger()
    merger.absorb(merged, document.kids)
    tree = merged.walk()
    merger.relink_headers(tree)
    for node in tree:
        _fold(node)
    # Folding drops only per-line Spans, so ``tree`` still lists every list in order.
    for node in tree:
        if node.origin and node.origin.tag == "dl":
            _pair_terms(node, pdf)
    _nest_lists(merged, pdf)
    _links_own_annotations(merged)
    _drop_empty(merged)

    final = merged.walk()
    alive = {id(node.obj) for node in final}
    for node in reader.read:
        if id(node.obj) not in alive:
            node.obj.clear()   # unreferenced now; written as an empty dictionary
    for node in final:
        node.reference = node.obj.reference
    _write(merged, None, pdf.page_references)
    repeated: dict[int, set[int]] = {}
    for content in merger.repeated:
        if content.mcid is not None:
            repeated.setdefault(content.page, set()).add(content.mcid)
    _parent_tree(final, pdf, root, repeated)
    _id_tree(final, root)
    return repeated


def _object(pdf: pydyf.PDF, reference: Any) -> Any:
    return pdf.objects[_number(reference)]


@dataclass
class _Merger:
    """Merges elements built from one HTML element; keeps what it learns on the way."""
    seen: dict[tuple, Node] = field(default_factory=dict)
    # Table headers and footers WeasyPrint draws again on each page: content to
    # mark as pagination artifacts, and their cells' IDs -> the first cells' IDs.
    repeated: list[Content] = field(default_factory=list)
    same_id: dict[str, pydyf.String] = field(default_factory=dict)

    def absorb(self, parent: Node, kids: list[Node | Content]) -> None:
        """Append ``kids`` to ``parent``, merging elements of one HTML element."""
        for kid in kids:
            if isinstance(kid, Content):
                parent.kids.append(kid)
                continue
            key = kid.key
            target = self.seen.get(key) if key else None
            if target is not None and kid.role in ("THead", "TFoot"):
                self.repeat(kid)
                continue
            if target is None and key and parent.origin is not None \
                    and kid.origin.element is parent.origin.element \
                    and kid.role in _FOLDABLE and parent.role != "LI":
                target = parent           # an anonymous box inside its own element
            if target is None:
                if key:
                    self.seen[key] = kid
                fresh, kid.kids = kid.kids, []
                parent.kids.append(kid)
                self.absorb(kid, fresh)
            else:
                self.absorb(target, kid.kids)

    def repeat(self, copy: Node) -> None:
        self.repeated.extend(copy.contents())
        for node in copy.walk():
            first = self.seen.get(node.key) if node.key else None
            if first is not None and "ID" in node.obj and "ID" in first.obj:
                self.same_id[node.obj["ID"].string] = first.obj["ID"]

    def relink_headers(self, tree: list[Node]) -> None:
        """Cells of a table's later pages name the header cells of its first page."""
        if not self.same_id:
            return
        for node in tree:
            attributes = node.obj.get("A")
            if isinstance(attributes, pydyf.Dictionary) and "Headers" in attributes:
                attributes["Headers"] = pydyf.Array(
                    self.same_id.get(header.string, header)
                    for header in attributes["Headers"])


def _fold(node: Node) -> None:
    """Fold per-line text Spans into their parent; inline HTML elements are Spans."""
    if node.role == "NonStruct" and node.origin is not None and \
            (node.origin.tag in _INLINE_TAGS or node.origin.tag in _ROLES_BY_TAG):
        node.role = _ROLES_BY_TAG.get(node.origin.tag, "Span")
        node.obj["S"] = f"/{node.role}"
    kids: list[Node | Content] = []
    for kid in node.kids:
        if isinstance(kid, Node) and kid.origin is None and kid.role == "Span" \
                and all(isinstance(k, Content) for k in kid.kids) \
                and "ActualText" not in kid.obj and "Lang" not in kid.obj:
            kids.extend(kid.kids)
        else:
            kids.append(kid)
    node.kids = kids


def _new(pdf: pydyf.PDF, role: str, page: int, origin: Origin | None) -> Node:
    obj = pydyf.Dictionary({"Type": "/StructElem", "S": f"/{role}", "K": pydyf.Array()})
    pdf.add_object(obj)
    return Node(obj, role, page, origin)


def _pair_terms(dl: Node, pdf: pydyf.PDF) -> None:
    """``<dt>``/``<dd>`` items of a ``dl`` list become one LI per term:
    ``LI > Lbl (term) + LBody (definitions)``, as PDF 1.7 has no term roles."""
    items: list[Node | Content] = []
    current: Node | None = None
    for kid in dl.kids:
        tag = kid.origin.tag if isinstance(kid, Node) and kid.origin else None
        if tag == "dt" and kid.role == "LI":
            for body in kid.kids:
                if isinstance(body, Node) and body.role == "LBody":
                    body.role, body.obj["S"] = "Lbl", "/Lbl"
            current = kid
            items.append(kid)
        elif tag == "dd" and kid.role == "LI" and current is not None:
            bodies = [b for b in current.kids if isinstance(b, Node) and b.role == "LBody"]
            if bodies:
                bodies[0].kids.extend(c for b in kid.kids for c in
                                      (b.kids if isinstance(b, Node) else [b]))
            else:
                current.kids.extend(kid.kids)
        else:
            current = None
            items.append(kid)
    dl.kids = items


def _nest_lists(document: Node, pdf: pydyf.PDF) -> None:
    """Move each nested list into the ``LBody`` of the item whose HTML holds it
    (WeasyPrint puts it beside the item, in the parent list)."""
    tree = document.walk()
    owners = {id(child): node for node in tree
              if node.role == "LI" and node.origin and node.origin.tag == "li"
              for child in node.origin.element}
    for parent in tree:
        for kid in list(parent.kids):
            if not (isinstance(kid, Node) and kid.role == "L" and kid.origin):
                continue
            owner = owners.get(id(kid.origin.element))
            if owner is None:
                continue
            body = next((b for b in owner.kids if isinstance(b, Node) and b.role == "LBody"),
                        None)
            if body is None:
                body = _new(pdf, "LBody", owner.page, None)
                owner.kids.append(body)
            if body is not parent:
                parent.kids.remove(kid)
                body.kids.append(kid)


def _links_own_annotations(document: Node) -> None:
    """Every link annotation is a direct kid of the nearest enclosing Link."""
    def visit(node: Node, link: Node | None) -> None:
        link = node if node.role == "Link" else link
        kept: list[Node | Content] = []
        for kid in node.kids:
            if isinstance(kid, Content) and kid.objr is not None and link is not None \
                    and link is not node:
                link.kids.insert(0, kid)
            else:
                kept.append(kid)
        node.kids = kept
        for kid in list(node.kids):
            if isinstance(kid, Node):
                visit(kid, link)
    visit(document, None)


def _drop_empty(node: Node) -> bool:
    """Remove elements that own no content (``<br>``); True when ``node`` itself is
    empty.  An empty heading stays: it is an authoring error ``check`` reports."""
    node.kids = [kid for kid in node.kids
                 if isinstance(kid, Content) or not _drop_empty(kid)]
    return not node.kids and node.role not in _KEPT_EMPTY


def _write(node: Node, parent: Node | None, pages: tuple[bytes, ...]) -> None:
    """Write ``node``'s kids, ``/P`` and ``/Pg`` back into its dictionary, and so on
    down (every node's ``reference`` is already set)."""
    own = next((kid.page for kid in node.kids if type(kid) is Content), None)
    if own is not None:
        node.page = own
    else:
        first = next(node.contents(), None)
        if first is not None:
            node.page = first.page
    obj = node.obj
    obj["Pg"] = pages[node.page]
    if parent is not None:
        obj["P"] = parent.reference
    kids = pydyf.Array()
    for kid in node.kids:
        if type(kid) is Node:
            _write(kid, node, pages)
            kids.append(kid.reference)
        elif kid.objr is not None:
            kids.append(kid.objr.reference)
        elif kid.page == node.page:
            kids.append(kid.mcid)
        else:
            kids.append(pydyf.Dictionary({"Type": "/MCR", "Pg": pages[kid.page],
                                          "MCID": kid.mcid}))
    obj["K"] = kids


def _parent_tree(tree: list[Node], pdf: pydyf.PDF, root: pydyf.Dictionary,
                 artifacts: dict[int, set[int]]) -> None:
    """Each page's MCIDs and each annotation map to the element that owns them;
    marked content that became an artifact maps to nothing."""
    nums = _object(pdf, root["ParentTree"])["Nums"]
    for page, mcids in artifacts.items():
        for mcid in mcids:
            nums[2 * page + 1][mcid] = "null"
    page_count = len(pdf.page_references)
    annotations: dict[int, bytes] = {}
    for node in tree:
        for kid in node.kids:
            if type(kid) is not Content:
                continue
            if kid.objr is not None:
                annotations[_number(kid.objr["Obj"])] = node.reference
            else:
                nums[2 * kid.page + 1][kid.mcid] = node.reference
    # WeasyPrint numbers annotations' /StructParent after the pages.
    owners = {pdf.objects[number].get("StructParent"): owner
              for number, owner in annotations.items()}
    for index in range(2 * page_count, len(nums), 2):
        if nums[index] in owners:
            nums[index + 1] = owners[nums[index]]


def _id_tree(tree: list[Node], root: pydyf.Dictionary) -> None:
    """``/IDTree``: a name tree from each element's ``/ID`` to the element."""
    ids = sorted(((node.obj["ID"], node.reference) for node in tree
                  if "ID" in node.obj), key=lambda pair: pair[0].string)
    if ids:
        root["IDTree"] = pydyf.Dictionary({"Names": pydyf.Array(
            [item for pair in ids for item in pair])})
