"""What the glyph reader needs to know of a font, read with pikepdf: how text bytes
become codes, each code's width and text, and the descent that places a glyph's box.

The numbers are pdfminer's (``pdfminer.pdffont``): widths in thousandths of the
font size from ``/W`` (with ``/DW``) or ``/Widths`` (from ``/FirstChar``, with the
descriptor's ``/MissingWidth``), the descriptor's ``/Descent`` made negative, the
ToUnicode CMap read the way pdfminer's ``CMapParser`` reads it — but the CMap is
tokenized by qpdf (pikepdf's content-stream parser), not in Python, and a font is
read once per document, not once per page.

A font this reader does not understand raises ``NotUnderstood`` and its page goes to
pdfminer: Type3 fonts, encodings other than Identity-H (predefined or embedded
CMaps, vertical writing), a composite font without a ToUnicode stream (pdfminer
would read the embedded TrueType's cmap), the standard 14 fonts (pdfminer has its
own metrics for them), and a ToUnicode CMap with anything but ``bfchar`` and
``bfrange`` strings.
"""

from __future__ import annotations

import functools
import struct
import warnings
from dataclasses import dataclass, field
from decimal import Decimal

import pikepdf

ObjId = tuple[int, int]


class NotUnderstood(Exception):
    """Something the fast reader does not read as pdfminer does: pdfminer reads it."""


@dataclass(frozen=True)
class FontMetrics:
    two_byte: bool                  # Identity-H: every code is two bytes, big-endian
    widths: dict[int, float]        # code -> advance per point of font size
    default_width: float            # for a code without a width
    descent: float                  # below the baseline per point of size, <= 0
    to_unicode: dict[int, str]      # code -> text
    #: Composite fonts show "(cid:N)" for a code without text, as pdfminer does; a
    #: simple font would fall back to its encoding, which this reader does not read.
    composite: bool
    #: A composite font's string (hex digits) -> (text, width) of its glyphs, filled
    #: as strings are met: a line of text is then a look-up per glyph.
    hex_glyphs: dict[bytes, tuple[tuple[str, float], ...]] = field(
        default_factory=dict, compare=False, repr=False)
    #: The strings of ``hex_glyphs`` that are one glyph -> its (text, width): the
    #: string of each glyph WeasyPrint writes.
    hex_glyph_one: dict[bytes, tuple[str, float]] = field(
        default_factory=dict, compare=False, repr=False)

    @functools.cached_property
    def widths_nonnegative(self) -> bool:
        """Whether no advance is negative (nor NaN): then no glyph box is mirrored."""
        return self.default_width >= 0 and all(width >= 0 for width in self.widths.values())

    def text(self, code: int) -> str:
        found = self.to_unicode.get(code)
        if found is not None:
            return found
        if self.composite:
            return f"(cid:{code})"
        raise NotUnderstood(f"code {code} without ToUnicode in a simple font")

    def hex_glyph(self, digits: bytes) -> tuple[tuple[str, float], ...]:
        """(text, width) of each two-byte code of a string given as hex digits."""
        raw = bytes.fromhex(digits.decode())
        codes = struct.unpack(f">{len(raw) // 2}H", raw[:len(raw) // 2 * 2])
        return tuple((self.text(code), self.widths.get(code, self.default_width))
                     for code in codes)


def _number(value: object) -> float | int:
    if type(value) is int:
        return value
    if type(value) is Decimal:
        return float(value)
    raise NotUnderstood(f"not a number: {value!r}")


def _descent(descriptor: pikepdf.Object | None) -> float:
    value = _number(descriptor.get("/Descent", 0)) if isinstance(
        descriptor, pikepdf.Dictionary) else 0
    return (-value if value > 0 else value) * 0.001  # pdfminer: always negative


def _cid_widths(array: pikepdf.Object | None) -> dict[int, float]:
    """``/W``: ``c [w1 w2 ...]`` and ``c_first c_last w`` entries (pdfminer's
    ``get_widths``)."""
    widths: dict[int, float] = {}
    pending: list[float | int] = []
    for item in array if isinstance(array, pikepdf.Array) else ():
        if isinstance(item, pikepdf.Array):
            if pending:
                first = pending[-1]
                if type(first) is not int:
                    raise NotUnderstood("/W entry that does not start at an integer")
                for offset, width in enumerate(item):
                    widths[first + offset] = float(_number(width)) * 0.001
                pending = []
        else:
            pending.append(_number(item))
            if len(pending) == 3:
                first, last, width = pending
                if type(first) is not int or type(last) is not int:
                    raise NotUnderstood("/W range that is not integers")
                for code in range(first, last + 1):
                    widths[code] = float(width) * 0.001
                pending = []
    return widths


def _simple_widths(font: pikepdf.Dictionary) -> dict[int, float]:
    first = font.get("/FirstChar", 0)
    if type(first) is not int:
        raise NotUnderstood("/FirstChar is not an integer")
    widths = font.get("/Widths")
    values = [0] * 256 if widths is None else list(widths)
    return {first + index: float(_number(width)) * 0.001
            for index, width in enumerate(values)}


def font_metrics(font: pikepdf.Object) -> FontMetrics:
    """The metrics of a font dictionary, or ``NotUnderstood``."""
    if not isinstance(font, pikepdf.Dictionary):
        raise NotUnderstood("font is not a dictionary")
    subtype = font.get("/Subtype")
    to_unicode = font.get("/ToUnicode")
    if not isinstance(to_unicode, pikepdf.Stream):
        raise NotUnderstood("font without a ToUnicode stream")
    if subtype == "/Type0":
        if font.get("/Encoding") != "/Identity-H":
            raise NotUnderstood(f"composite font encoding {font.get('/Encoding')}")
        descendants = font.get("/DescendantFonts")
        descendant = descendants[0] if isinstance(descendants, pikepdf.Array) \
            and len(descendants) else None
        if not isinstance(descendant, pikepdf.Dictionary) or \
                descendant.get("/Subtype") not in ("/CIDFontType0", "/CIDFontType2"):
            raise NotUnderstood("composite font without a CID font")
        default = descendant.get("/DW", 1000)
        return FontMetrics(True, _cid_widths(descendant.get("/W")),
                           float(_number(default)) * 0.001,
                           _descent(descendant.get("/FontDescriptor")),
                           to_unicode_map(to_unicode), True)
    if subtype in ("/TrueType", "/Type1", "/MMType1"):
        from pdfminer.fontmetrics import FONT_METRICS  # only for simple fonts: rare
        if str(font.get("/BaseFont", "/"))[1:] in FONT_METRICS:
            raise NotUnderstood("a font pdfminer measures with its own metrics")
        descriptor = font.get("/FontDescriptor")
        missing = descriptor.get("/MissingWidth", 0) if isinstance(
            descriptor, pikepdf.Dictionary) else 0
        return FontMetrics(False, _simple_widths(font), float(_number(missing)) * 0.001,
                           _descent(descriptor), to_unicode_map(to_unicode), False)
    raise NotUnderstood(f"font of subtype {subtype}")


# --- ToUnicode CMaps ----------------------------------------------------------------

def _code(value: object) -> bytes:
    if not isinstance(value, pikepdf.String):
        raise NotUnderstood(f"ToUnicode entry that is not a string: {value!r}")
    return bytes(value)


def _add(found: dict[int, str], code: int, destination: bytes) -> None:
    text = destination.decode("utf-16-be", "ignore")
    # pdfminer keeps a space over a later no-break space for the same code.
    if text == "\u00a0" and found.get(code) == " ":
        return
    found[code] = text


def _ranges(operands: list, found: dict[int, str]) -> None:
    for start, end, destination in zip(*[iter(operands)] * 3):
        start_bytes, end_bytes = _code(start), _code(end)
        if len(start_bytes) != len(end_bytes):
            continue  # pdfminer skips it too
        first = int.from_bytes(start_bytes, "big")
        last = int.from_bytes(end_bytes, "big")
        if isinstance(destination, pikepdf.Array):
            for code, item in zip(range(first, last + 1), destination):
                _add(found, code, _code(item))
            continue
        target = _code(destination)
        # The last (up to) four bytes count up, as in pdfminer.
        prefix, tail = target[:-4], target[-4:]
        base = int.from_bytes(tail, "big")
        for offset in range(last - first + 1):
            _add(found, first + offset,
                 prefix + struct.pack(">L", base + offset)[-len(tail):])


def to_unicode_map(stream: pikepdf.Stream) -> dict[int, str]:
    """code -> text of a ToUnicode CMap's ``bfchar`` and ``bfrange`` entries."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            operations = pikepdf.parse_content_stream(stream)
    except (pikepdf.PdfError, ValueError, TypeError, Warning) as exc:
        raise NotUnderstood(f"ToUnicode CMap qpdf cannot parse: {exc}") from exc
    found: dict[int, str] = {}
    in_cmap = False
    for operands, operator in operations:
        name = str(operator)
        if name == "begincmap":
            in_cmap = True
        elif name == "endcmap":
            in_cmap = False
        elif not in_cmap:
            continue
        elif name == "endbfchar":
            for code, destination in zip(*[iter(list(operands))] * 2):
                _add(found, int.from_bytes(_code(code), "big"), _code(destination))
        elif name == "endbfrange":
            _ranges(list(operands), found)
        elif name in ("usecmap", "endcidrange", "endcidchar"):
            raise NotUnderstood(f"ToUnicode CMap with {name}")
    return found


class FontCache:
    """Each font dictionary of a document read once (by object number)."""

    def __init__(self) -> None:
        self._fonts: dict[ObjId, FontMetrics | NotUnderstood] = {}

    def get(self, font: pikepdf.Object) -> FontMetrics:
        key = font.objgen if isinstance(font, pikepdf.Object) and font.is_indirect \
            else None
        if key is None:
            return font_metrics(font)
        found = self._fonts.get(key)
        if found is None:
            try:
                found = font_metrics(font)
            except (NotUnderstood, TypeError, ValueError, KeyError, AttributeError,
                    IndexError, struct.error, pikepdf.PdfError) as exc:
                found = exc if isinstance(exc, NotUnderstood) else NotUnderstood(
                    f"font {type(exc).__name__}: {exc}")
            self._fonts[key] = found
        if isinstance(found, NotUnderstood):
            raise found
        return found
