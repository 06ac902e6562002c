"""Every glyph of a page (text, size, box, marked-content ID) and its marked content,
from one pass of pikepdf's content-stream parser: no pdfminer.

A small text-state interpreter for what WeasyPrint writes — q/Q/cm, BT/ET, Tf, Tm,
Td/TD/T*, TL, Tc, Tw, Tz, Ts, Tj/TJ/'/", BDC/BMC/EMC and Do of form XObjects — that
computes each glyph's box with pdfminer's arithmetic (``PDFTextDevice.render_string``,
``LTChar``), in pdfplumber's coordinates, so that it gives what pdfplumber's
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

import re
import struct
import warnings
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple

import pikepdf

from .pdf_fonts import FontCache, FontMetrics, NotUnderstood, ObjId

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)
TEXT_OPERATORS = frozenset({"Tj", "TJ", "'", '"'})

# Operators that change nothing a glyph or marked content depends on.
_NO_TEXT = frozenset(
    "b B b* B* c d f F f* g G gs h i j J k K l m M n re rg RG ri s S sc SC scn SCN "
    "cs CS sh v w W W* y Tr MP DP".split())


class Glyph(NamedTuple):
    """One glyph in pdfplumber's coordinates (``top`` from the page's top edge).

    A named tuple rather than a dataclass: a handout has tens of thousands, and a
    tuple is built several times faster."""
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


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


def mult_matrix(m1: Matrix, m0: Matrix) -> Matrix:
    """m1 × m0, in pdfminer's order of operations (the same floats)."""
    (a1, b1, c1, d1, e1, f1), (a0, b0, c0, d0, e0, f0) = m1, m0
    return (a0 * a1 + c0 * b1, b0 * a1 + d0 * b1, a0 * c1 + c0 * d1,
            b0 * c1 + d0 * d1, a0 * e1 + c0 * f1 + e0, b0 * e1 + d0 * f1 + f0)


def _num(value: object) -> float | int:
    kind = type(value)
    if kind is int:
        return value  # type: ignore[return-value]
    if kind is Decimal:
        return float(value)  # type: ignore[arg-type]
    raise NotUnderstood(f"operand is not a number: {value!r}")


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
class _TextState:
    """pdfminer's ``PDFTextState``: saved and restored whole by q/Q."""
    font: FontMetrics | None = None
    size: float = 0
    charspace: float = 0
    wordspace: float = 0
    scaling: float = 100
    leading: float = 0              # pdfminer keeps -TL
    rise: float = 0
    matrix: Matrix = IDENTITY
    line: tuple[float, float] = (0, 0)

    def copy(self) -> _TextState:
        return _TextState(self.font, self.size, self.charspace, self.wordspace,
                          self.scaling, self.leading, self.rise, self.matrix, self.line)


class _Reader:
    """One page: the glyphs of its stream and of the forms it draws."""

    def __init__(self, fonts: FontCache, height: float, mb_x0: float, mb_top: float) -> None:
        self.fonts = fonts
        self.height, self.mb_x0, self.mb_top = height, mb_x0, mb_top
        self.glyphs: list[Glyph] = []
        self.sizes: list[float] = []
        self.mcids: list[int | None] = []
        self.text: dict[int, str] = {}
        self.content = PageContent()
        self.mcid: int | None = None    # pdfplumber's: set by BDC/BMC, cleared by EMC

    # --- content streams ---------------------------------------------------------

    def run(self, instructions: list, resources: pikepdf.Object | None, ctm: Matrix,
            streams: frozenset[ObjId], top: bool) -> None:
        if not isinstance(resources, pikepdf.Dictionary):
            resources = pikepdf.Dictionary()
        font_resources = resources.get("/Font", pikepdf.Dictionary())
        properties = resources.get("/Properties", pikepdf.Dictionary())
        fonts: dict[str, FontMetrics] = {}  # by resource name: one qpdf look-up each
        state, stack, depth = _TextState(), [], 0
        content = self.content
        for instruction in instructions:
            # Attributes, not tuple unpacking: unpacking asks qpdf for a sequence.
            name, operands = str(instruction.operator), instruction.operands
            if name in TEXT_OPERATORS:
                if top and depth == 0:
                    content.unmarked_text += 1
                self.show(name, operands, state, ctm)
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
                if len(operands) != (2 if name == "BDC" else 1) or \
                        not isinstance(operands[0], pikepdf.Name):
                    raise NotUnderstood(f"{name} without a tag")
                depth += 1
                props = operands[1] if name == "BDC" else None
                inline = isinstance(props, pikepdf.Dictionary)
                # pdfplumber reads an MCID only from a property list written inline.
                self.mcid = int(props.MCID) if inline and "/MCID" in props else None
                if top and props is not None:
                    if inline:
                        if self.mcid is not None:
                            content.mcids.append(self.mcid)
                    elif isinstance(props, pikepdf.Name):
                        named = properties.get(props)
                        if isinstance(named, pikepdf.Dictionary) and "/MCID" in named:
                            content.mcids.append(int(named.MCID))
            elif name == "EMC":
                depth = max(depth - 1, 0)
                self.mcid = None
            elif name == "Tf":
                if len(operands) != 2 or not isinstance(operands[0], pikepdf.Name):
                    raise NotUnderstood("Tf without a font name and a size")
                key = str(operands[0])
                font = fonts.get(key)
                if font is None:
                    found = font_resources.get(key)
                    if found is None:
                        raise NotUnderstood(f"font {key} not in the resources")
                    font = fonts[key] = self.fonts.get(found)
                state.font, state.size = font, float(_num(operands[1]))
            elif name == "Tm":
                state.matrix, state.line = _floats(operands, 6), (0, 0)  # type: ignore[assignment]
            elif name == "cm":
                ctm = mult_matrix(_floats(operands, 6), ctm)  # type: ignore[arg-type]
            elif name in ("Td", "TD"):
                tx, ty = _floats(operands, 2)
                a, b, c, d, e, f = state.matrix
                state.matrix = (a, b, c, d, tx * a + ty * c + e, tx * b + ty * d + f)
                state.line = (0, 0)
                if name == "TD":
                    state.leading = ty
            elif name == "T*":
                self.next_line(state)
            elif name in ("Tc", "Tw", "Tz", "Ts", "TL"):
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
                self.draw(operands, resources, ctm, streams)
            else:  # an inline image, d0/d1, BX/EX, an unknown operator
                raise NotUnderstood(f"operator {name}")

    @staticmethod
    def next_line(state: _TextState) -> None:
        a, b, c, d, e, f = state.matrix
        state.matrix = (a, b, c, d, state.leading * c + e, state.leading * d + f)
        state.line = (0, 0)

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

    # --- glyphs ------------------------------------------------------------------

    def show(self, name: str, operands: list, state: _TextState, ctm: Matrix) -> None:
        if name == "TJ":
            if len(operands) != 1 or not isinstance(operands[0], pikepdf.Array):
                raise NotUnderstood("TJ without an array")
            tokens = _shown(operands[0])
        elif name == '"':
            if len(operands) != 3:
                raise NotUnderstood('" without three operands')
            state.wordspace, state.charspace = float(_num(operands[0])), float(_num(operands[1]))
            self.next_line(state)
            tokens = [_hex(operands[2])]
        else:
            if len(operands) != 1:
                raise NotUnderstood(f"{name} without one operand")
            if name == "'":
                self.next_line(state)
            tokens = [_hex(operands[0])]
        font = state.font
        if font is None:
            return  # pdfminer shows nothing without a font either
        self.render(tokens, font, state, mult_matrix(state.matrix, ctm))

    def render(self, tokens: list[bytes], font: FontMetrics, state: _TextState,
               matrix: Matrix) -> None:
        """pdfminer's ``render_string_horizontal`` and ``LTChar`` box, glyph by glyph,
        with the same operations in the same order (the same floats).  ``tokens`` are
        strings as ``<hex digits>`` and numbers, as qpdf writes them (``_shown``)."""
        size = state.size
        scaling = state.scaling * 0.01
        charspace = state.charspace * scaling
        wordspace = 0 if font.composite else state.wordspace * scaling
        dxscale = 0.001 * size * scaling
        descent = font.descent * size + state.rise
        ascent = descent + size
        a, b, c, d, e, f = matrix
        x, y = state.line
        widths, default, two_byte = font.widths, font.default_width, font.two_byte
        to_unicode = font.to_unicode
        height, mb_x0, mb_top = self.height, self.mb_x0, self.mb_top
        glyphs, sizes = self.glyphs, self.sizes
        # Upright text (b = c = 0, WeasyPrint's): pdfminer's corner sums add exact
        # zeros, so a glyph's left edge is x·a + e and its top, bottom and size are the
        # line's; the same floats with a fraction of the operations.
        upright = b == 0 and c == 0 and mb_x0 == 0 and scaling == 1.0
        if upright:
            ey = y * d + f
            y0, y1 = sorted((d * descent + ey, d * ascent + ey))
            top, bottom, line_size = (height - y1) + mb_top, (height - y0) + mb_top, y1 - y0
            if font.two_byte and charspace == 0:  # x += 0.0 changes no float: skipped
                x = self.line(tokens, font, size, dxscale, a, e, top, bottom, line_size, x)
                state.line = (x, y)
                return
        texts: list[str] = []
        need_charspace = False
        for token in tokens:
            if token[0] != 60:  # not "<": a number (or the array's brackets)
                if token not in (b"[", b"]"):
                    x -= float(token) * dxscale
                    need_charspace = True
                continue
            raw = bytes.fromhex(token[1:-1].decode())
            codes = struct.unpack(f">{len(raw) // 2}H", raw[:len(raw) // 2 * 2]) \
                if two_byte else raw
            for code in codes:
                if need_charspace:
                    x += charspace
                text = to_unicode.get(code)
                if text is None:
                    text = font.text(code)
                texts.append(text)
                if upright:
                    adv = widths.get(code, default) * size  # × scaling 1.0: exact
                    left = x * a + e
                    right = a * adv + left
                    if right < left:
                        left, right = right, left
                    glyphs.append(_new(Glyph, (text, left, top, right, bottom)))
                    sizes.append(line_size)
                else:
                    adv = widths.get(code, default) * size * scaling
                    self.add(text, _box((a, b, c, d, x * a + y * c + e, x * b + y * d + f),
                                        adv, descent, ascent))
                x += adv
                if code == 32 and wordspace:
                    x += wordspace
                need_charspace = True
        state.line = (x, y)
        self.mcids.extend([self.mcid] * len(texts))
        if self.mcid is not None and texts:
            self.text[self.mcid] = self.text.get(self.mcid, "") + "".join(texts)

    def line(self, tokens: list[bytes], font: FontMetrics, size: float,
             dxscale: float, a: float, e: float, top: float, bottom: float,
             line_size: float, x: float) -> float:
        """``render`` for what WeasyPrint writes (upright, Identity-H, no character
        spacing), a glyph per dictionary look-up; the same floats.  The new x."""
        glyphs, cache, new = self.glyphs, font.hex_glyphs, _new
        texts: list[str] = []
        for token in tokens:
            found = cache.get(token)
            if found is None:
                if token[0] != 60:  # not "<": a number (or the array's brackets)
                    if token not in (b"[", b"]"):
                        x -= float(token) * dxscale
                    continue
                found = cache[token] = font.hex_glyph(token[1:-1])
            for text, width in found:
                adv = width * size
                left = x * a + e
                right = a * adv + left
                if right < left:
                    left, right = right, left
                glyphs.append(new(Glyph, (text, left, top, right, bottom)))
                texts.append(text)
                x += adv
        self.sizes.extend([line_size] * len(texts))
        self.mcids.extend([self.mcid] * len(texts))
        if self.mcid is not None and texts:
            self.text[self.mcid] = self.text.get(self.mcid, "") + "".join(texts)
        return x

    def add(self, text: str, box: tuple[float, float, float, float]) -> None:
        """A glyph from its box in PDF space (y up), as pdfplumber places it."""
        x0, y0, x1, y1 = box
        if self.mb_x0 != 0:
            x0, x1 = x0 + self.mb_x0, x1 + self.mb_x0
        self.glyphs.append(Glyph(text, x0, (self.height - y1) + self.mb_top, x1,
                                 (self.height - y0) + self.mb_top))
        self.sizes.append(y1 - y0)


def _box(m: Matrix, adv: float, descent: float, ascent: float) -> tuple[float, float, float, float]:
    """pdfminer's ``apply_matrix_rect`` of (0, descent, adv, ascent)."""
    a, b, c, d, e, f = m
    xs = (a * 0 + c * descent + e, a * adv + c * descent + e,
          a * adv + c * ascent + e, a * 0 + c * ascent + e)
    ys = (b * 0 + d * descent + f, b * adv + d * descent + f,
          b * adv + d * ascent + f, b * 0 + d * ascent + f)
    return min(xs), min(ys), max(xs), max(ys)


# A TJ array as qpdf writes it back: "[", hex strings, numbers and "]" between spaces
# (a literal string, which qpdf writes for printable bytes, is read item by item).
_TJ_OTHER = re.compile(rb"[^ \[\]<>0-9A-Fa-f+.-]")
_new = tuple.__new__  # a Glyph without the named tuple's Python-level __new__


def _string(value: object) -> bytes:
    if not isinstance(value, pikepdf.String):
        raise NotUnderstood(f"shown item is not a string: {value!r}")
    return bytes(value)


def _hex(value: object) -> bytes:
    return b"<" + _string(value).hex().encode() + b">"


def _shown(array: pikepdf.Array) -> list[bytes]:
    """A TJ array's strings (as ``<hex digits>``) and numbers, from qpdf's unparsing
    of it: one call into qpdf instead of two per glyph."""
    written = array.unparse()
    if _TJ_OTHER.search(written) is None:
        return written.split()
    return [str(item).encode() if type(item) is int or type(item) is Decimal
            else _hex(item) for item in array]


def read_page(page: pikepdf.Page, fonts: FontCache) -> PageText:
    """The glyphs and marked content of one page, or ``NotUnderstood``."""
    obj = page.obj
    rotate = inherited(obj, "/Rotate")
    if rotate is not None and int(rotate) % 360 != 0:
        raise NotUnderstood("rotated page")
    box = inherited(obj, "/MediaBox")
    if not isinstance(box, pikepdf.Array) or len(box) != 4:
        raise NotUnderstood("no MediaBox")
    raw = [_num(value) for value in box]
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
