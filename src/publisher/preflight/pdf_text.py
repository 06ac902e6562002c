"""Every glyph of a page (text, size, box, marked-content ID) and its marked content,
from one pass of pikepdf's content-stream parser: no pdfminer.

A small text-state interpreter for what WeasyPrint writes — q/Q/cm, BT/ET, Tf, Tm,
Td/TD/T*, TL, Tc, Tw, Tz, Ts, Tj/TJ/'/", BDC/BMC/EMC and Do of form XObjects — that
hands each string to ``pdf_show``, which computes its glyphs' boxes with pdfminer's
arithmetic in pdfplumber's coordinates, so that the page gives what pdfplumber's
``page.chars`` gives (tests/test_preflight_reader.py compares them glyph by glyph on
real handouts).  Anything else that could change a glyph — an operator it does not
know, an inline image, a font ``pdf_fonts`` does not read, a rotated page, a stream
qpdf parses only with a warning — raises ``NotUnderstood`` and the page is read by
pdfminer (``pdf_glyphs``).

Where pdfminer deviates from the PDF specification, this reader follows the
specification and says so: ``"`` moves to the next line (pdfminer skips the move),
and the current transformation is the page's again after a form XObject (pdfminer
keeps the form's until the next ``cm`` or ``Q``).  WeasyPrint writes neither case.
"""

from __future__ import annotations

import struct
import warnings
from dataclasses import dataclass, field

import pikepdf

from .pdf_fonts import FontCache, FontMetrics, NotUnderstood, ObjId
from .pdf_show import IDENTITY, Glyph, Matrix, PageGlyphs, TextState, mult_matrix, num

__all__ = ["Glyph", "PageContent", "PageText", "TEXT_OPERATORS", "read_page"]

TEXT_OPERATORS = frozenset({"Tj", "TJ", "'", '"'})

# Operators that change nothing a glyph or marked content depends on.
_NO_TEXT = frozenset(
    "b B b* B* c d f F f* g G gs h i j J k K l m M n re rg RG ri s S sc SC scn SCN "
    "cs CS sh v w W W* y Tr MP DP".split())


def marked_content_id(props: object, properties: pikepdf.Dictionary | dict) -> int | None:
    """The MCID of a BDC's property list, written inline or named in the page's
    ``/Properties``; None for BMC (no list) or a list without one."""
    if isinstance(props, pikepdf.Name):
        props = properties.get(props)
    if isinstance(props, pikepdf.Dictionary) and "/MCID" in props:
        return int(props.MCID)
    return None


@dataclass
class PageContent:
    unmarked_text: int = 0          # text-showing operators outside BDC/BMC
    mcids: list[int] = field(default_factory=list)


@dataclass
class PageText:
    glyphs: list[Glyph]
    sizes: list[float]                      # per glyph
    mcids: list[int | None]                 # per glyph, pdfplumber's
    text: dict[int, str]                    # MCID -> its glyphs' text, in order
    content: PageContent                    # of the page's own stream
    size: tuple[float, float]               # width, height (pdfplumber's)


def _floats(operands: list, count: int) -> tuple[float, ...]:
    if len(operands) != count:
        raise NotUnderstood(f"{len(operands)} operands where {count} are expected")
    try:
        return tuple(map(float, operands))  # ints and Decimals; qpdf objects refuse
    except (TypeError, ValueError) as exc:
        raise NotUnderstood(f"operands are not numbers: {operands!r}") from exc


def operations(stream: pikepdf.Object) -> list:
    """The stream's instructions; ``NotUnderstood`` where qpdf warns (it stops at what
    it cannot parse, where pdfminer may read on)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            return pikepdf.parse_content_stream(stream)
    except (pikepdf.PdfError, ValueError, TypeError, Warning) as exc:
        raise NotUnderstood(f"content stream qpdf cannot parse cleanly: {exc}") from exc


def inherited(page: pikepdf.Dictionary, key: str) -> pikepdf.Object | None:
    """A page attribute, from the page or the nearest /Pages node that has it."""
    node, seen = page, set()
    while isinstance(node, pikepdf.Dictionary) and node.objgen not in seen:
        if key in node:
            return node[key]
        seen.add(node.objgen)
        node = node.get("/Parent")
    return None


@dataclass


class _Reader(PageGlyphs):
    """One page: the glyphs of its stream and of the forms it draws, and the marked
    content of its own stream."""

    def __init__(self, fonts: FontCache, height: float, mb_x0: float, mb_top: float) -> None:
        super().__init__(height, mb_x0, mb_top)
        self.fonts = fonts
        self.content = PageContent()

    # --- content streams ---------------------------------------------------------

    def run(self, instructions: list, resources: pikepdf.Object | None, ctm: Matrix,
            streams: frozenset[ObjId], top: bool) -> None:
        if not isinstance(resources, pikepdf.Dictionary):
            resources = pikepdf.Dictionary()
        font_resources = resources.get("/Font", pikepdf.Dictionary())
        properties = resources.get("/Properties", pikepdf.Dictionary())
        fonts: dict[str, FontMetrics] = {}  # by resource name: one qpdf look-up each
        state, stack, depth = TextState(), [], 0
        content = self.content
        for instruction in instructions:
            # Attributes, not tuple unpacking: unpacking asks qpdf for a sequence; the
            # operands only where they are read (each time is a call into qpdf).
            name = str(instruction.operator)
            if name in TEXT_OPERATORS:
                if top and depth == 0:
                    content.unmarked_text += 1
                self.show(name, instruction.operands, state, ctm)
            elif name in _NO_TEXT:
                continue
            elif name == "q":
                stack.append((ctm, state.copy()))
            elif name == "Q":
                if stack:
                    ctm, state = stack.pop()
            elif name == "BT":
                state.matrix, state.line = IDENTITY, (0, 0)
            elif name == "ET":
                continue
            elif name in ("BDC", "BMC"):
                operands = instruction.operands
                if len(operands) != (2 if name == "BDC" else 1) or \
                        not isinstance(operands[0], pikepdf.Name):
                    raise NotUnderstood(f"{name} without a tag")
                depth += 1
                props = operands[1] if name == "BDC" else None
                if isinstance(props, pikepdf.Dictionary):
                    # pdfplumber reads an MCID only from a property list written
                    # inline; one look-up (a null /MCID is no MCID, as "in" says).
                    found = props.get("/MCID")
                    self.mcid = None if found is None else int(found)
                    if top and self.mcid is not None:
                        content.mcids.append(self.mcid)
                else:
                    self.mcid = None
                    if top and (mcid := marked_content_id(props, properties)) is not None:
                        content.mcids.append(mcid)
            elif name == "EMC":
                depth = max(depth - 1, 0)
                self.mcid = None
            elif name == "Tf":
                operands = instruction.operands
                if len(operands) != 2 or not isinstance(operands[0], pikepdf.Name):
                    raise NotUnderstood("Tf without a font name and a size")
                key = str(operands[0])
                font = fonts.get(key)
                if font is None:
                    found = font_resources.get(key)
                    if found is None:
                        raise NotUnderstood(f"font {key} not in the resources")
                    font = fonts[key] = self.fonts.get(found)
                state.font, state.size = font, float(num(operands[1]))
            elif name == "Tm":
                operands = instruction.operands
                state.matrix, state.line = _floats(operands, 6), (0, 0)  # type: ignore[assignment]
            elif name == "cm":
                operands = instruction.operands
                ctm = mult_matrix(_floats(operands, 6), ctm)  # type: ignore[arg-type]
            elif name in ("Td", "TD"):
                operands = instruction.operands
                tx, ty = _floats(operands, 2)
                a, b, c, d, e, f = state.matrix
                state.matrix = (a, b, c, d, tx * a + ty * c + e, tx * b + ty * d + f)
                state.line = (0, 0)
                if name == "TD":
                    state.leading = ty
            elif name == "T*":
                state.next_line()
            elif name in ("Tc", "Tw", "Tz", "Ts", "TL"):
                operands = instruction.operands
                (value,) = _floats(operands, 1)
                if name == "Tc":
                    state.charspace = value
                elif name == "Tw":
                    state.wordspace = value
                elif name == "Tz":
                    state.scaling = value
                elif name == "Ts":
                    state.rise = value
                else:
                    state.leading = -value
            elif name == "Do":
                operands = instruction.operands
                self.draw(operands, resources, ctm, streams)
            else:  # an inline image, d0/d1, BX/EX, an unknown operator
                raise NotUnderstood(f"operator {name}")

    def draw(self, operands: list, resources: pikepdf.Dictionary, ctm: Matrix,
             streams: frozenset[ObjId]) -> None:
        """``Do``: a form XObject is read with its own resources and a fresh text
        state, as pdfminer does; images draw no glyph."""
        if len(operands) != 1 or not isinstance(operands[0], pikepdf.Name):
            raise NotUnderstood("Do without a name")
        xobject = resources.get("/XObject", pikepdf.Dictionary()).get(operands[0])
        if not isinstance(xobject, pikepdf.Stream) or xobject.get("/Subtype") != "/Form" \
                or "/BBox" not in xobject:
            return
        if xobject.objgen in streams:
            return  # a form that draws itself: pdfminer refuses it too
        matrix = _floats(list(xobject.get("/Matrix", IDENTITY)), 6)
        own = xobject.get("/Resources")  # pdfminer: a missing or empty one is the page's
        self.run(operations(xobject), own if own else resources,
                 mult_matrix(matrix, ctm), streams | {xobject.objgen}, top=False)  # type: ignore[arg-type]

# What a malformed file can make the reader trip on (an MCID that is not a number, a
# /W array of strings...): pdfminer reads such a page, as it did before this reader.
_TRIPS = (TypeError, ValueError, KeyError, AttributeError, IndexError, struct.error,
          pikepdf.PdfError)


def read_page(page: pikepdf.Page, fonts: FontCache) -> PageText:
    """The glyphs and marked content of one page, or ``NotUnderstood``."""
    try:
        return _read_page(page, fonts)
    except _TRIPS as exc:
        raise NotUnderstood(f"{type(exc).__name__}: {exc}") from exc


def _read_page(page: pikepdf.Page, fonts: FontCache) -> PageText:
    obj = page.obj
    rotate = inherited(obj, "/Rotate")
    if rotate is not None and int(rotate) % 360 != 0:
        raise NotUnderstood("rotated page")
    box = inherited(obj, "/MediaBox")
    if not isinstance(box, pikepdf.Array) or len(box) != 4:
        raise NotUnderstood("no MediaBox")
    raw = [num(value) for value in box]
    # pdfplumber's page box (sorted corners, top-down), pdfminer's CTM.
    x0, x1 = sorted((raw[0], raw[2]))
    y0, y1 = sorted((raw[1], raw[3]))
    mb_height = y1 - y0
    top, bottom = mb_height - y1, mb_height - y0
    reader = _Reader(fonts, bottom - top, x0, top)
    ctm: Matrix = (1, 0, 0, 1, -float(raw[0]), -float(raw[1]))
    reader.run(operations(page), inherited(obj, "/Resources"), ctm, frozenset(), top=True)
    return PageText(reader.glyphs, reader.sizes, reader.mcids, reader.text, reader.content,
                    (float(x1 - x0), float(bottom - top)))
