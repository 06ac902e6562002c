"""A right-to-left letter and the marks placed over or under it, drawn as one glyph.

WeasyPrint draws a combining mark that HarfBuzz moves (Arabic tanween and harakat,
Hebrew points) just before its letter, right-to-left runs being drawn in visual
order, and raised with ``Ts`` as text of its own when it moves up or down.  The
readers then lose the mark.  Poppler takes a mark and a letter that start at
almost the same place for a doubled character and ends the word between them
(أحياناً read as "أحيانا ً"), and pdf.js puts the space that precedes the word on
both sides of the mark when the letter starts a word.  Both read a ligature right
(one glyph that stands for several characters, mapped as ``pdfua`` maps lam-alef),
so each letter and its marks become one glyph: a TrueType composite of the same
outlines at the same offsets, added to the embedded font after WeasyPrint subsets
it, mapped to the letter and its marks in canonical order.  The page looks the same.

On the way, glyphs WeasyPrint mapped to no text (the second mark of a cluster) get
their character from the font's cmap.

Left as they are (WeasyPrint's drawing): marks in fonts without TrueType outlines
(CFF), fonts WeasyPrint does not subset (used in forms), marks of left-to-right text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any

import pydyf
from fontTools.ttLib import TTFont
from fontTools.ttLib.tables._g_l_y_f import Glyph, GlyphComponent
from weasyprint.text.ffi import harfbuzz

_FONT = re.compile(rb"^/(\S+) (\S+) Tf$")
_RISE = re.compile(rb"^(\S+) Ts$")
_SHOW = re.compile(rb"^\[(.*)\] TJ$", re.S)
_TOKEN = re.compile(rb"<([0-9a-fA-F]*)>|(-?[0-9.]+)")

# TrueType composite component flags (OpenType 'glyf' table).
_ROUND_XY_TO_GRID = 0x0004
_USE_MY_METRICS = 0x0200


@dataclass(frozen=True)
class Composite:
    """A letter (at 0, 0) and its marks at offsets in font units."""
    base: int
    marks: tuple[tuple[int, int, int], ...]
    #: Drawn first in its word (right to left: the word's last letter).
    ends_word: bool = False


@dataclass
class FontComposites:
    """The composites one embedded font needs, by glyph ID in the embedded font."""
    first_free: int
    by_glyph: dict[int, Composite] = field(default_factory=dict)
    by_shape: dict[Composite, int] = field(default_factory=dict)

    def glyph_for(self, composite: Composite) -> int:
        if composite not in self.by_shape:
            glyph = self.first_free + len(self.by_shape)
            self.by_shape[composite] = glyph
            self.by_glyph[glyph] = composite
        return self.by_shape[composite]


@dataclass(frozen=True)
class MarkedFont:
    """A font that draws marks, with its mark glyphs' codes as they appear in a TJ."""
    font: Any
    marks: frozenset[int]
    codes: re.Pattern[bytes]

    @classmethod
    def of(cls, font: Any) -> MarkedFont | None:
        marks = frozenset(glyph for glyph in font.to_unicode if _is_mark(font, glyph))
        if not marks or not _composable(font):
            return None
        return cls(font, marks, re.compile(b"|".join(b"%04x" % glyph for glyph in sorted(marks))))

    def may_draw_marks(self, segment: list) -> bool:
        return any(self.codes.search(operation) for operation in segment)


def compose_marks(pdf: pydyf.PDF, fonts: dict[str, Any]) -> None:
    """Rewrite every content stream's raised marks, then give the fonts their glyphs.

    Runs before WeasyPrint writes the fonts: the new glyphs get widths and text
    (``font.widths``, ``font.to_unicode``) and are added to the font file once
    WeasyPrint has subset it."""
    for font in fonts.values():
        _name_unmapped_glyphs(font)
    by_hash = {font.hash: marked for font in fonts.values()
               if (marked := MarkedFont.of(font)) is not None}
    if not by_hash:
        return
    registry: dict[str, FontComposites] = {}
    for item in pdf.objects:
        if isinstance(item, pydyf.Stream) and any(
                isinstance(op, bytes) and op.endswith(b" TJ") for op in item.stream):
            item.stream[:] = list(_rewrite(item.stream, by_hash, registry))
    for font_hash, composites in registry.items():
        for font in fonts.values():
            if font.hash == font_hash:
                _give_glyphs(font, composites)


def _name_unmapped_glyphs(font: Any) -> None:
    """Give glyphs WeasyPrint mapped to no text their character from the font's cmap.

    WeasyPrint maps a cluster's text to the first of its glyphs in drawing order:
    right to left, a Hebrew point or a second mark drawn after the first gets
    nothing, which pdftotext skips and pdf.js replaces with the glyph number's
    letter (the shin dot came out as "d")."""
    unmapped = [glyph for glyph, text in font.to_unicode.items() if not text]
    if not unmapped or font.bitmap:
        return
    characters = _characters_by_glyph(font)
    for glyph in unmapped:
        if glyph in characters:
            font.to_unicode[glyph] = characters[glyph]


def _characters_by_glyph(font: Any) -> dict[int, str]:
    """Glyph ID to character, from the cmap of the font file (before subsetting),
    kept per font file for the worker's next handouts."""
    if font.hash not in _CHARACTERS:
        _CHARACTERS[font.hash] = _read_cmap(font)
    return _CHARACTERS[font.hash]


_CHARACTERS: dict[str, dict[int, str]] = {}


def _read_cmap(font: Any) -> dict[int, str]:
    ttfont = TTFont(BytesIO(font.file_content), lazy=True,
                    fontNumber=font.index if font.file_content[:4] == b"ttcf" else -1)
    # Highest code point first, so a glyph several characters share keeps the lowest.
    return {ttfont.getGlyphID(name): chr(codepoint)
            for codepoint, name in sorted(ttfont.getBestCmap().items(), reverse=True)}


def _composable(font: Any) -> bool:
    return not font.bitmap and not font.used_in_forms and "glyf" in font.tables


def _rewrite(operations: list, fonts: dict[str, MarkedFont],
             registry: dict[str, FontComposites]) -> Iterator[Any]:
    """The operations with each text segment's marks drawn with their letters.

    A segment is what one font shows between two other operators: its ``TJ``
    arrays and the ``Ts`` rises WeasyPrint sets around raised marks."""
    font, size = None, 0.0
    index = 0
    while index < len(operations):
        operation = operations[index]
        if isinstance(operation, bytes) and (match := _FONT.match(operation)):
            font, size = fonts.get(match[1].decode()), float(match[2])
        end = _segment_end(operations, index) if font and size else index
        if end > index:
            segment = operations[index:end]
            rewritten = _compose_segment(segment, font, size, registry) \
                if font.may_draw_marks(segment) else None
            if rewritten is None:
                yield from operations[index:end]
            else:
                yield rewritten
            index = end
            continue
        yield operation
        index += 1


def _segment_end(operations: list, start: int) -> int:
    end = start
    while end < len(operations) and isinstance(operations[end], bytes) \
            and (operations[end].endswith(b"] TJ") or operations[end].endswith(b" Ts")):
        end += 1
    return end


def _compose_segment(segment: list, marked: MarkedFont, size: float,
                     registry: dict[str, FontComposites]) -> bytes | None:
    """One TJ drawing ``segment`` with its marks in composites, or None to keep it.

    Positions are in thousandths of an em, as TJ numbers count them (a number n
    moves the pen by -n)."""
    font = marked.font
    placed: list[tuple[int, float, float]] = []   # glyph, pen before it, rise
    pen, rise = 0.0, 0.0
    for operation in segment:
        tokens = _tokens(operation)
        if tokens is None:
            rise = float(_RISE.match(operation)[1])
            continue
        for token in tokens:
            if isinstance(token, int):
                placed.append((token, pen, rise))
                pen += font.widths.get(token, 0)
            else:
                pen -= token
    if rise:
        return None
    drawn = _with_composites(placed, marked, size, registry)
    if drawn is None:
        return None
    parts, at = [], 0.0
    for glyph, x, width in drawn:
        parts.append(_number(at - x))
        parts.append(b"<%04x>" % glyph)
        at = x + width
    parts.append(_number(at - pen))
    return b"[" + b" ".join(part for part in parts if part) + b"] TJ"


def _with_composites(placed: list[tuple[int, float, float]], marked: MarkedFont, size: float,
                     registry: dict[str, FontComposites]
                     ) -> list[tuple[int, float, float]] | None:
    """Glyphs, positions and widths with marks folded into the letter after them; None if
    nothing changes or a raised mark has no right-to-left letter to go with."""
    font = marked.font
    drawn: list[tuple[int, float, float]] = []
    width = font.widths.get
    marks: list[tuple[int, float, float]] = []
    composed = False
    previous_text = ""
    for glyph, x, rise in placed:
        if glyph in marked.marks:
            marks.append((glyph, x, rise))
            continue
        if rise:
            return None
        if marks and _is_right_to_left_letter(font, glyph):
            scale = font.upem / 1000
            composite = Composite(glyph, tuple(
                (mark, round((at - x) * scale), round(lift / size * font.upem))
                for mark, at, lift in marks), _ends_word(previous_text))
            composites = registry.setdefault(font.hash, FontComposites(_glyph_count(font)))
            drawn.append((composites.glyph_for(composite), x, width(glyph, 0)))
            composed = True
        else:
            if any(lift for _, _, lift in marks):
                return None
            drawn.extend((mark, at, width(mark, 0)) for mark, at, _ in marks)
            drawn.append((glyph, x, width(glyph, 0)))
        marks = []
        previous_text = font.to_unicode.get(glyph, "")
    if any(lift for _, _, lift in marks):
        return None
    drawn.extend((mark, at, width(mark, 0)) for mark, at, _ in marks)
    return drawn if composed else None


def _ends_word(previous_text: str) -> bool:
    """Whether a glyph drawn after one with ``previous_text`` ends its word: right
    to left, the glyph drawn first (leftmost) is the word's last."""
    return not previous_text or unicodedata.bidirectional(previous_text[-1]) not in (
        "R", "AL", "NSM")


def _tokens(operation: Any) -> list[int | float] | None:
    """A TJ's glyph IDs (int, two bytes each) and numbers (float); None if not a TJ."""
    if not isinstance(operation, bytes) or not (match := _SHOW.match(operation)):
        return None
    tokens: list[int | float] = []
    for glyphs, number in _TOKEN.findall(match[1]):
        if number:
            tokens.append(float(number))
        elif len(glyphs) % 4:
            return None
        else:
            tokens.extend(int(glyphs[at:at + 4], 16) for at in range(0, len(glyphs), 4))
    return tokens


def _number(value: float) -> bytes:
    return b"" if abs(value) < 1e-4 else (b"%.4f" % value).rstrip(b"0").rstrip(b".")


def _is_mark(font: Any, glyph: int) -> bool:
    """A glyph without advance that stands for a combining mark (WeasyPrint may
    have mapped it to its whole cluster, letter included)."""
    text = font.to_unicode.get(glyph, "")
    return font.widths.get(glyph) == 0 and any(
        unicodedata.category(char) == "Mn" for char in text)


def _mark_text(font: Any, mark: int, characters: dict[int, str]) -> str:
    """A mark glyph's own character: WeasyPrint may have mapped the glyph to the
    whole cluster it first met (a letter and two marks), so the font's cmap is
    asked first, then only the marks of that text count."""
    own = characters.get(mark, "")
    if own and unicodedata.category(own) == "Mn":
        return own
    return "".join(char for char in font.to_unicode.get(mark, "")
                   if unicodedata.category(char) == "Mn")


def _is_right_to_left_letter(font: Any, glyph: int) -> bool:
    text = font.to_unicode.get(glyph, "")
    return bool(text) and unicodedata.bidirectional(text[0]) in ("R", "AL")


def _glyph_count(font: Any) -> int:
    return max(harfbuzz.hb_face_get_glyph_count(font.hb_face), max(font.widths, default=0) + 1)


def _give_glyphs(font: Any, composites: FontComposites) -> None:
    """Widths and text of the new glyphs now; their outlines once the font is subset."""
    characters = _characters_by_glyph(font)
    for glyph, composite in composites.by_glyph.items():
        font.widths[glyph] = font.widths.get(composite.base, 0)
        marks = "".join(_mark_text(font, mark, characters)
                        for mark, _, _ in reversed(composite.marks))
        # Canonical order (NFC): how the source is written, and how the shaper
        # met the marks, whatever order they are drawn in.
        text = unicodedata.normalize("NFC", font.to_unicode.get(composite.base, "") + marks)
        if composite.ends_word and unicodedata.bidirectional(text[:1] or " ") == "AL":
            # Poppler places a mark that starts a right-to-left run outside it
            # when the block around is left to right (bilingual pages): an Arabic
            # letter mark after the word keeps it inside.
            text += "\u061c"
        font.to_unicode[glyph] = text
    subset = font.clean

    def clean(to_unicode: dict[int, str], hinting: bool) -> None:
        subset({glyph: text for glyph, text in to_unicode.items()
                if glyph not in composites.by_glyph}, hinting)
        font.file_content = add_composites(font.file_content, composites.by_glyph)

    font.clean = clean


def add_composites(data: bytes, composites: dict[int, Composite]) -> bytes:
    """The TrueType font ``data`` with each composite at its glyph ID."""
    # recalcTimestamp=False: fontTools would stamp head.modified with the clock,
    # and the same handout rendered a second later would not give the same bytes.
    font = TTFont(BytesIO(data), lazy=True, recalcTimestamp=False)
    order = list(font.getGlyphOrder())
    glyf, hmtx = font["glyf"], font["hmtx"]
    for glyph_id in sorted(composites):
        while len(order) < glyph_id:
            _add_glyph(font, order, f"publisher.empty{len(order)}", Glyph(), 0)
        composite = composites[glyph_id]
        glyph = Glyph()
        glyph.numberOfContours = -1
        glyph.components = [_component(order[composite.base], 0, 0,
                                       _ROUND_XY_TO_GRID | _USE_MY_METRICS)]
        glyph.components += [_component(order[mark], x, y, 0)
                             for mark, x, y in composite.marks]
        _add_glyph(font, order, f"publisher.composite{glyph_id}", glyph,
                   hmtx[order[composite.base]][0])
    font.setGlyphOrder(order)
    glyf.setGlyphOrder(order)
    for name in order:
        if name.startswith("publisher.composite"):
            glyf[name].recalcBounds(glyf)
            hmtx.metrics[name] = (hmtx.metrics[name][0], glyf[name].xMin)
    font["maxp"].numGlyphs = len(order)
    for table in ("hdmx", "LTSH", "VDMX"):
        if table in font:
            del font[table]
    output = BytesIO()
    font.save(output)
    return output.getvalue()


def _add_glyph(font: TTFont, order: list[str], name: str, glyph: Glyph, advance: int) -> None:
    order.append(name)
    font["glyf"].glyphs[name] = glyph
    font["hmtx"].metrics[name] = (advance, 0)
    if "vmtx" in font:
        font["vmtx"].metrics[name] = (0, 0)


def _component(name: str, x: int, y: int, flags: int) -> GlyphComponent:
    component = GlyphComponent()
    component.glyphName, component.x, component.y, component.flags = name, x, y, flags
    return component
