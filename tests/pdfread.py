"""Read a built PDF back the way a screen reader would: the structure tree and its text."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pdfplumber

from publisher.preflight.pdf_model import StructElem, read_pdf


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
    """The document's structure tree with each element's text (from its marked
    content, on whichever page each piece is: an element may cross pages)."""
    doc = read_pdf(Path(path))
    with doc.pdf:
        def convert(element: StructElem) -> Element:
            children = [convert(child) for child in element.children]
            lang = str(element.obj["/Lang"]) if "/Lang" in element.obj else None
            alt = str(element.obj["/Alt"]) if "/Alt" in element.obj else None
            return Element(element.role, doc.text_of(element), lang, alt, children)

        top = [convert(element) for element in doc.structure]
    return Element("Root", "".join(e.text for e in top), None, None, top)


def elements(path: Path, kind: str) -> list[Element]:
    return [e for e in structure(path).walk() if e.type == kind]


def glyph_sizes(path: Path) -> list[float]:
    with pdfplumber.open(path) as pdf:
        return [char["size"] for page in pdf.pages for char in page.chars if char["text"].strip()]


# --- Readers we did not write: Mozilla pdf.js (node) and Poppler ------------------

import json
import re
import subprocess
import unicodedata
from collections import Counter

import pikepdf
import tinyhtml5

ROOT = Path(__file__).resolve().parent.parent
PDFJS_SCRIPT = Path(__file__).resolve().parent / "readers" / "pdfjs.mjs"


def pdfjs(path: Path) -> dict:
    """pdf.js's view of the file: per page text items (with marked content),
    structure tree and annotations (see tests/readers/pdfjs.mjs)."""
    result = subprocess.run(["node", str(PDFJS_SCRIPT), str(path)], capture_output=True,
                            text=True, check=True, cwd=ROOT, timeout=120)
    return json.loads(result.stdout)


def pdfjs_text(path: Path, data: dict | None = None) -> str:
    """The text pdf.js gives a screen reader or a copy: items in order, lines ended."""
    data = data or pdfjs(path)
    return "\n".join("".join(item["str"] + ("\n" if item["hasEOL"] else "")
                             for item in page["items"] if "str" in item)
                     for page in data["pages"])


# Structure roles that start a new line when read aloud or copied.
_BLOCK_ROLES = {"P", "H", "H1", "H2", "H3", "H4", "H5", "H6", "LI", "Lbl", "LBody", "TD", "TH",
                "TR", "Caption", "Figure", "BlockQuote", "Note", "Code", "Div"}


def pdfjs_reading_text(path: Path, data: dict | None = None) -> str:
    """What Firefox's pdf.js viewer gives a screen reader: each structure element
    owns its marked content in the text layer (``aria-owns``), so the text is
    read in the structure tree's order, whatever order it was drawn in."""
    data = data or pdfjs(path)
    parts: list[str] = []
    for page in data["pages"]:
        content: dict[str, str] = {}
        current: list[str] | None = None
        for item in page["items"]:
            if item.get("type") == "beginMarkedContentProps" and item.get("id"):
                current = content.setdefault(item["id"], [])
            elif item.get("type") == "endMarkedContent":
                current = None
            elif "str" in item and current is not None:
                current.append(item["str"] + (" " if item["hasEOL"] else ""))

        def walk(node: dict) -> None:
            if node.get("type") == "content":
                parts.append("".join(content.get(node["id"], [])))
                return
            block = node.get("role") in _BLOCK_ROLES
            if block:
                parts.append("\n")
            for child in node.get("children", []):
                walk(child)
            if block:
                parts.append("\n")

        if page.get("structTree"):
            walk(page["structTree"])
    return "".join(parts)


def pdftotext(path: Path, *options: str) -> str:
    """Poppler's text: ``pdftotext`` (reading order; ``-layout`` or ``-raw`` too)."""
    return subprocess.run(["pdftotext", *options, str(path), "-"], capture_output=True,
                          text=True, check=True, timeout=120).stdout


def poppler_structure(path: Path) -> str:
    """Poppler's structure tree with the text of each element (``pdfinfo -struct-text``)."""
    return subprocess.run(["pdfinfo", "-struct-text", str(path)], capture_output=True,
                          text=True, check=True, timeout=120).stdout


_CJK_PUNCTUATION = re.compile("[。，、；：！？（）「」《》]")
_PUNCTUATION = "\"'“”‘’«»()[]{}.,;:!?¡¿،؛؟。，、；：！？（）「」《》-–—•◦▪*/"


# pdftotext wraps runs of the other direction in embedding controls (U+202A-202E);
# they separate words the way the bidi algorithm shows them.
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def words(text: str) -> list[str]:
    """Words of a text, punctuation at their ends removed, bidi controls dropped."""
    text = _BIDI_CONTROLS.sub(" ", text)
    text = "".join(char for char in text if unicodedata.category(char) != "Cf")
    # Canonically equivalent text is the same text (marks in either order).
    text = unicodedata.normalize("NFC", text)
    # Chinese and Japanese punctuation is full width and takes no space after it.
    text = _CJK_PUNCTUATION.sub(" ", text)
    found = []
    for token in text.split():
        token = token.strip(_PUNCTUATION)
        if token:
            found.append(token)
    return found


def html_text(path: Path) -> str:
    """Visible text of an HTML handout (no scripts or styles)."""
    tree = tinyhtml5.parse(path.read_text(encoding="utf-8"))
    body = tree.find("{http://www.w3.org/1999/xhtml}body")
    skip = {"{http://www.w3.org/1999/xhtml}script", "{http://www.w3.org/1999/xhtml}style"}
    parts: list[str] = []

    def visit(node) -> None:
        if node.tag in skip:
            return
        parts.append(node.text or "")
        for child in node:
            visit(child)
            parts.append(child.tail or "")
        parts.append(" ")
    visit(body)
    return "".join(parts)


def wrong_words(extracted: str, expected_text: str) -> list[str]:
    """Extracted words that are not words of the expected text (CJK, written
    without spaces, is compared character by character)."""
    vocabulary = set(words(expected_text))
    addresses = [word for word in vocabulary if "/" in word or "." in word]
    # pdftotext joins a word hyphenated at a line end ("bone-" + "building").
    vocabulary |= {word.replace("-", "") for word in vocabulary}
    vocabulary |= {part for word in vocabulary for part in word.split("-")}
    cjk = {char for char in expected_text if _is_cjk(char)}
    digits = {char for char in expected_text if char.isdigit()} if cjk else set()
    wrong = []
    for word in words(extracted):
        if word in vocabulary:
            continue
        if all(_is_cjk(char) or char in _PUNCTUATION or char.isdigit() for char in word) \
                and set(word) <= cjk | set(_PUNCTUATION) | digits:
            continue      # CJK is written without spaces: any run of its characters
        if all(part in vocabulary for part in re.split(r"[/:]+", word) if part):
            continue      # a web address wrapped at a slash, or "Label:"
        if len(word) > 3 and any(word in address for address in addresses):
            continue      # a piece of a web address broken across lines
        wrong.append(word)
    return wrong


def _is_cjk(char: str) -> bool:
    return unicodedata.name(char, "").startswith(("CJK", "FULLWIDTH", "IDEOGRAPHIC"))


# --- Figures the issue asks for ----------------------------------------------------

SPLITTABLE = ("P", "LI", "H1", "H2", "H3", "H4", "H5", "H6", "Table", "TR", "Figure")


def split_blocks(pdf_path: Path, html_path: Path) -> list[str]:
    """Paragraphs, headings and list items of the HTML that the PDF cuts into two
    elements in a row (text compared as multisets of characters, so visual order
    of right-to-left text is fine)."""
    tree = tinyhtml5.parse(html_path.read_text(encoding="utf-8"))
    ns = "{http://www.w3.org/1999/xhtml}"
    blocks = {frozenset(_chars("".join(element.itertext())).items())
              for tag in ("p", "li", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6")
              for element in tree.iter(ns + tag)}
    roles = ("P", "LBody", "H1", "H2", "H3", "H4", "H5", "H6")
    pieces = [element.text for element in structure(pdf_path).walk() if element.type in roles]
    split = []
    for first, second in zip(pieces, pieces[1:]):
        a, b = _chars(first), _chars(second)
        if a and b and frozenset(a.items()) not in blocks and \
                frozenset(b.items()) not in blocks and frozenset((a + b).items()) in blocks:
            split.append(f"{first[-30:]} | {second[:30]}")
    return split


def _chars(text: str) -> Counter:
    return Counter(char for char in text if not char.isspace()
                   and unicodedata.category(char) != "Cf")


def link_figures(path: Path) -> dict[str, int]:
    """Link elements, link annotations, annotations that are not a direct kid of a
    Link, and links split in two (adjacent Link siblings with the same URI)."""
    figures = {"links": 0, "annotations": 0, "outside_link": 0, "split_links": 0}
    with pikepdf.open(path) as pdf:
        tree = pdf.Root.StructTreeRoot
        nums = _parent_tree(tree.ParentTree)
        for page in pdf.pages:
            for annotation in page.obj.get("/Annots", []):
                if annotation.get("/Subtype") != "/Link":
                    continue
                figures["annotations"] += 1
                owner = nums.get(int(annotation.get("/StructParent", -1)))
                kids = _kids(owner.get("/K")) if owner is not None else []
                direct = any(isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"
                             and kid.Obj.objgen == annotation.objgen for kid in kids)
                if owner is None or owner.get("/S") != "/Link" or not direct:
                    figures["outside_link"] += 1

        def visit(element) -> None:
            previous_uri = None
            for kid in _kids(element.get("/K")):
                if not isinstance(kid, pikepdf.Dictionary) or "/S" not in kid:
                    previous_uri = None
                    continue
                if kid.S == "/Link":
                    figures["links"] += 1
                    uri = _link_uri(kid)
                    if uri is not None and uri == previous_uri:
                        figures["split_links"] += 1
                    previous_uri = uri
                else:
                    previous_uri = None
                visit(kid)
        visit(tree)
    return figures


def _kids(value) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, pikepdf.Array) else [value]


from publisher.preflight.pdf_links import _parent_tree  # noqa: E402 (one reader of the ParentTree)


def _link_uri(link) -> str | None:
    for kid in _kids(link.get("/K")):
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR":
            action = kid.Obj.get("/A")
            if action is not None and "/URI" in action:
                return str(action.URI)
    return None


EDGE_PT = 36.0  # half an inch


def near_edge(path: Path, limit: float = EDGE_PT) -> list[str]:
    """Glyphs, lines and images printed closer than ``limit`` points to the paper edge."""
    found = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            for kind, objects in (("text", page.chars), ("rect", page.rects),
                                  ("line", page.lines), ("image", page.images)):
                for obj in objects:
                    if min(obj["x0"], obj["top"], page.width - obj["x1"],
                           page.height - obj["bottom"]) < limit - 0.01:
                        found.append(f"page {page.page_number}: {kind} "
                                     f"{obj.get('text', '')!r} at {obj['x0']:.0f},{obj['top']:.0f}")
    return found


def print_vocabulary(project: Path, locale: str, pages: int) -> str:
    """Text the PDF shows that its HTML twin does not: interface strings of the
    locale (footer, list of web addresses) and page numbers."""
    from babel.messages.pofile import read_po
    from publisher import catalogs
    texts = [str(number) for number in range(1, pages + 1)]
    for path in (catalogs.catalog_path(project, locale, "messages"),
                 project / "locales" / "templates" / "messages.pot"):
        if not path.exists():
            continue
        with path.open("rb") as handle:
            for message in read_po(handle):
                for text in (message.id, message.string):
                    texts.extend(text if isinstance(text, (list, tuple)) else [text or ""])
    return re.sub(r"%\(\w+\)s", " ", " ".join(texts))


def short_addresses(html_path: Path) -> str:
    """The links' addresses as the paper list prints them (no scheme, no www.)."""
    tree = tinyhtml5.parse(html_path.read_text(encoding="utf-8"))
    hrefs = [a.get("href", "") for a in tree.iter("{http://www.w3.org/1999/xhtml}a")]
    return " ".join(re.sub(r"^(https?://)?(www\.)?", "", href).rstrip("/") for href in hrefs)


def run_together(word: str, expected_text: str) -> bool:
    """Whether ``word`` is two or more expected words (or pieces of numbers and
    web addresses) written without the space between them."""
    vocabulary = set(words(expected_text))
    vocabulary |= {piece for w in vocabulary for piece in re.split(r"[/:.\-]+", w) if piece}
    reachable = [True] + [False] * len(word)
    for end in range(1, len(word) + 1):
        reachable[end] = any(reachable[start] and word[start:end].strip(_PUNCTUATION)
                             in vocabulary for start in range(end))
    return reachable[-1]
