"""What a text-showing operator draws: each glyph's text, box and size, computed with
pdfminer's arithmetic (``PDFTextDevice.render_string``, ``LTChar``) in pdfplumber's
coordinates, so that they are what pdfplumber's ``page.chars`` gives — the same
floats, not only close ones (tests/test_preflight_reader.py).

The interpreter that feeds it (``pdf_text``) keeps the text state and the current
transformation; this module turns a string, in that state, into glyphs.  A TJ
array is read from qpdf's unparsing of it (one call into qpdf, not two per glyph),
and a composite font's strings are looked up by their hex token, so that a line of
WeasyPrint's text costs a dictionary look-up and a few multiplications per glyph.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple

import pikepdf

from .pdf_fonts import FontMetrics, NotUnderstood

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1, 0, 0, 1, 0, 0)


class Glyph(NamedTuple):
    """One glyph in pdfplumber's coordinates (``top`` from the page's top edge).

    A named tuple rather than a dataclass: a handout has tens of thousands, and a
    tuple is built several times faster."""
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


def mult_matrix(m1: Matrix, m0: Matrix) -> Matrix:
    """m1 × m0, in pdfminer's order of operations (the same floats)."""
    (a1, b1, c1, d1, e1, f1), (a0, b0, c0, d0, e0, f0) = m1, m0
    return (a0 * a1 + c0 * b1, b0 * a1 + d0 * b1, a0 * c1 + c0 * d1,
            b0 * c1 + d0 * d1, a0 * e1 + c0 * f1 + e0, b0 * e1 + d0 * f1 + f0)


def num(value: object) -> float | int:
    """An operand as a number (pikepdf gives reals as Decimal), or ``NotUnderstood``."""
    kind = type(value)
    if kind is int:
        return value  # type: ignore[return-value]
    if kind is Decimal:
        return float(value)  # type: ignore[arg-type]
    raise NotUnderstood(f"operand is not a number: {value!r}")


@dataclass
class TextState:
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

    def copy(self) -> TextState:
        return TextState(self.font, self.size, self.charspace, self.wordspace,
                         self.scaling, self.leading, self.rise, self.matrix, self.line)

    def next_line(self) -> None:
        """T*: the start of the next line, ``leading`` below (pdfminer's ``do_T_a``)."""
        a, b, c, d, e, f = self.matrix
        self.matrix = (a, b, c, d, self.leading * c + e, self.leading * d + f)
        self.line = (0, 0)


class PageGlyphs:
    """The glyphs drawn on one page, in pdfplumber's coordinates, with the MCID that
    pdfplumber gives each (set by BDC/BMC, cleared by EMC: not a stack)."""

    def __init__(self, height: float, mb_x0: float, mb_top: float) -> None:
        self.height, self.mb_x0, self.mb_top = height, mb_x0, mb_top
        self.glyphs: list[Glyph] = []
        self.sizes: list[float] = []
        self.mcids: list[int | None] = []
        self.text: dict[int, str] = {}
        self.mcid: int | None = None

    def show(self, name: str, operands: list, state: TextState, ctm: Matrix) -> None:
        """Tj, TJ, ' or " with its operands, in ``state`` under ``ctm``."""
        written = None  # a TJ array as qpdf writes it
        if name == "TJ":
            if len(operands) != 1 or not isinstance(operands[0], pikepdf.Array):
                raise NotUnderstood("TJ without an array")
            tokens, written = _shown(operands[0])
        elif name == '"':
            if len(operands) != 3:
                raise NotUnderstood('" without three operands')
            state.wordspace, state.charspace = float(num(operands[0])), float(num(operands[1]))
            state.next_line()
            tokens = [_hex(operands[2])]
        else:
            if len(operands) != 1:
                raise NotUnderstood(f"{name} without one operand")
            if name == "'":
                state.next_line()
            tokens = [_hex(operands[0])]
        font = state.font
        if font is None:
            return  # pdfminer shows nothing without a font either
        self.render(tokens, font, state, mult_matrix(state.matrix, ctm), written)

    def render(self, tokens: list[bytes] | None, font: FontMetrics, state: TextState,
               matrix: Matrix, written: bytes | None = None) -> None:
        """pdfminer's ``render_string_horizontal`` and ``LTChar`` box, glyph by glyph,
        with the same operations in the same order (the same floats).  ``tokens`` are
        strings as ``<hex digits>`` and numbers, as qpdf writes them (``_shown``), or
        None for the tokens of ``written``, a TJ array as qpdf writes it."""
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
                x = self.line(tokens, font, size, dxscale, a, e, top, bottom, line_size, x,
                              written)
                state.line = (x, y)
                return
        if tokens is None:
            tokens = written.split()  # type: ignore[union-attr]
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

    def line(self, tokens: list[bytes] | None, font: FontMetrics, size: float,
             dxscale: float, a: float, e: float, top: float, bottom: float,
             line_size: float, x: float, written: bytes | None = None) -> float:
        """``render`` for what WeasyPrint writes (upright, Identity-H, no character
        spacing), a glyph per dictionary look-up; the same floats.  The new x.

        WeasyPrint writes each glyph as a string of its own with ``0`` between
        them: at a finite size a ``0`` moves nothing (x - 0.0 is x), so the zeros
        of the array as qpdf wrote it (``written``) are dropped before splitting,
        and a one-glyph string is one look-up.  A box is never mirrored when ``a``
        and every advance are not negative; otherwise ``line_each``."""
        if written is not None:  # the array's zeros are dropped where they move nothing
            tokens = written.replace(b"> 0 <", b"> <").split() \
                if 0 <= dxscale < math.inf else written.split()
        if not (a >= 0 and size >= 0 and font.widths_nonnegative):
            return self.line_each(tokens or [], font, size, dxscale, a, e, top, bottom,
                                  line_size, x)
        one, append, new = font.hex_glyph_one, self.glyphs.append, _new
        texts: list[str] = []
        shown = texts.append
        for token in tokens:  # type: ignore[union-attr]
            found = one.get(token)
            if found is not None:
                text, width = found
                adv = width * size
                left = x * a + e
                append(new(Glyph, (text, left, top, a * adv + left, bottom)))
                shown(text)
                x += adv
                continue
            if token[0] != 60:  # not "<": a number (or the array's brackets)
                if token not in (b"[", b"]"):
                    x -= float(token) * dxscale
                continue
            run = font.hex_glyphs.get(token)
            if run is None:
                run = font.hex_glyphs[token] = font.hex_glyph(token[1:-1])
            if len(run) == 1:
                one[token] = run[0]
            for text, width in run:
                adv = width * size
                left = x * a + e
                append(new(Glyph, (text, left, top, a * adv + left, bottom)))
                shown(text)
                x += adv
        self.close_line(texts, line_size)
        return x

    def line_each(self, tokens: list[bytes], font: FontMetrics, size: float,
                  dxscale: float, a: float, e: float, top: float, bottom: float,
                  line_size: float, x: float) -> float:
        """``line`` for boxes that may be mirrored (right < left: swapped)."""
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
        self.close_line(texts, line_size)
        return x

    def close_line(self, texts: list[str], line_size: float) -> None:
        """The sizes, MCIDs and text of a line's glyphs, ``texts`` (appended above)."""
        self.sizes.extend([line_size] * len(texts))
        self.mcids.extend([self.mcid] * len(texts))
        if self.mcid is not None and texts:
            self.text[self.mcid] = self.text.get(self.mcid, "") + "".join(texts)

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
_TJ_TOKEN_BYTES = b" []<>0123456789ABCDEFabcdef+.-"  # translate() deletes them
_new = tuple.__new__  # a Glyph without the named tuple's Python-level __new__


def _string(value: object) -> bytes:
    if not isinstance(value, pikepdf.String):
        raise NotUnderstood(f"shown item is not a string: {value!r}")
    return bytes(value)


def _hex(value: object) -> bytes:
    return b"<" + _string(value).hex().encode() + b">"


def _shown(array: pikepdf.Array) -> tuple[list[bytes] | None, bytes | None]:
    """A TJ array as qpdf writes it back, when that is only strings as ``<hex
    digits>`` and numbers: one call into qpdf instead of two per glyph; (None,
    written).  Else its strings and numbers item by item: (tokens, None).

    WeasyPrint writes some empty strings, which qpdf writes ``()``: they are read as
    ``<>`` (qpdf escapes a parenthesis inside a string, so a string with text
    leaves one for the test of what is left)."""
    written = array.unparse()
    if written.translate(None, _TJ_TOKEN_BYTES):
        written = written.replace(b"()", b"<>")
        if written.translate(None, _TJ_TOKEN_BYTES):
            return [str(item).encode() if type(item) is int or type(item) is Decimal
                    else _hex(item) for item in array], None
    return None, written
