"""The checks' fast paths decide exactly what the per-glyph rules decide (issue 12):
a page skipped by a fast path is a page the slow rule finds nothing on."""

from __future__ import annotations

import math
import sys
import unicodedata
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from publisher.preflight.pdf import check_pdf
from publisher.preflight.pdf_links import (FIRST_RIGHT_TO_LEFT, check_marks_apart,
                                           none_below)
from publisher.preflight.pdf_model import Glyph, PdfDoc


def test_no_character_below_the_first_right_to_left_one_is_right_to_left() -> None:
    below = [chr(code) for code in range(ord(FIRST_RIGHT_TO_LEFT))
             if unicodedata.bidirectional(chr(code)) in ("R", "AL")]
    assert below == []
    # Not vacuous: Hebrew, Arabic and the presentation forms are right to left.
    assert {unicodedata.bidirectional(c) for c in "\u05d0\u0627\ufefb\U00010800"} == \
        {"R", "AL"}


def _doc(pages: list[list[Glyph]], size: tuple[float, float] = (612, 792)) -> PdfDoc:
    return PdfDoc(Path("x.pdf"), None, 18.0, [], [], {},  # type: ignore[arg-type]
                  [[] for _ in pages], pages, [size] * len(pages), read_twin=False)


def _marks_apart_slow(glyphs: list[Glyph]) -> int:
    return sum(1 for before, after in zip(glyphs, glyphs[1:])
               if before.text and all(unicodedata.category(c) == "Mn" for c in before.text)
               and unicodedata.bidirectional(after.text[:1] or " ") in ("R", "AL"))


# Texts around the boundary: marks (Latin and Arabic), letters of both directions,
# the last character before Hebrew, empty glyphs and multi-character ones.
TEXTS = st.sampled_from(["a", "\u0301", "\u064b", "\u0627", "\u05d0", "\u058f", "",
                         " ", "\u0644\u0627", "\u064b\u0301", "\ufefb", "e\u0301"])


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXTS, max_size=12))
def test_marks_apart_fast_path_finds_what_the_rule_finds(texts: list[str]) -> None:
    glyphs = [Glyph(text, 40, 40, 50, 60) for text in texts]
    problems = check_marks_apart(_doc([glyphs]))
    expected = _marks_apart_slow(glyphs)
    assert len(problems) == (1 if expected else 0)
    if expected:
        assert f"{expected} mark(s) drawn apart" in problems[0].message


def test_a_latin_page_with_combining_marks_is_skipped_and_an_arabic_one_is_not() -> None:
    latin = [Glyph("\u0301", 40, 40, 50, 60), Glyph("e", 50, 40, 60, 60)]
    arabic = [Glyph("\u064b", 40, 40, 50, 60), Glyph("\u0627", 50, 40, 60, 60)]
    problems = check_marks_apart(_doc([latin, arabic]))
    assert [p.message.split(":")[0] for p in problems] == ["page 2"]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.floats(allow_nan=True, allow_infinity=True),
                          st.sampled_from([17.9, 18.0, math.nextafter(17.9, 0)]))),
       st.sampled_from([17.9, 18.0, 0.0, -math.inf]))
def test_none_below_is_the_loop(values: list[float], bound: float) -> None:
    assert none_below(values, bound) == (not any(v < bound for v in values))


def test_none_below_sees_past_a_nan_that_min_would_stop_at() -> None:
    values = [math.nan, 1.0]
    assert min(values) != 1.0  # min keeps the NaN: alone it would miss the 1.0
    assert none_below(values, 18.0) is False
    assert none_below([sys.float_info.max, sys.float_info.max, 20.0], 18.0) is True


def test_a_tj_array_is_read_as_its_items_whatever_qpdf_writes() -> None:
    """``_shown``'s reading of qpdf's unparsing (empty strings written ``()`` read
    as ``<>``) gives the tokens of the array read item by item."""
    import pikepdf
    from publisher.preflight.pdf_show import _hex, _shown

    def items(array: pikepdf.Array) -> list[bytes]:
        return [str(item).encode() if isinstance(item, int) else _hex(item)
                for item in array]
    for strings in ([b"", b"\x00E"], [b"("], [b"(", b""], [b")", b"("], [b"\\"],
                    [b"AB", b""], [b"\x00\x10", b"", b"", b"\x00\x11"]):
        array = pikepdf.Array([part for string in strings
                               for part in (pikepdf.String(string), 0)] + [20])
        tokens, written = _shown(array)
        if written is not None:  # read from qpdf's unparsing
            assert tokens is None
            tokens = written.split()
        assert [t for t in tokens if t not in (b"[", b"]")] == items(array), strings
    # Not vacuous: WeasyPrint's arrays, empty strings included, are read from the
    # unparsing; one with a string of text in parentheses is not.
    assert _shown(pikepdf.Array([pikepdf.String(b""), 0, pikepdf.String(b"\x00E")]))[0] \
        is None
    assert _shown(pikepdf.Array([pikepdf.String(b"AB")]))[1] is None


def test_the_collector_is_off_while_a_pdf_is_checked_and_as_it_was_after(
        tmp_path: Path, monkeypatch) -> None:
    import gc

    from publisher.preflight import pdf as preflight_pdf
    seen = []
    monkeypatch.setattr(preflight_pdf, "read_pdf",
                        lambda *args, **kwargs: (seen.append(gc.isenabled()), 1 / 0))
    was_on = gc.isenabled()
    try:
        for state in (True, False):
            (gc.enable if state else gc.disable)()
            problems = check_pdf(tmp_path / "x.pdf", data=b"%PDF-1.7")
            assert [p.check for p in problems] == ["pdf-read"]  # the error still reported
            assert gc.isenabled() is state
    finally:
        (gc.enable if was_on else gc.disable)()
    assert seen == [False, False]
