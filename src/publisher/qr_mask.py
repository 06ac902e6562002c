"""The QR code's data-mask search, done on whole-matrix integers, choosing what segno chooses.

segno (1.6.6) picks a regular QR code's data mask by applying each of the 8 masks module by
module and scoring each result with the ISO/IEC 18004 penalty rules N1–N4 in per-module Python
loops (``segno.encoder.find_and_apply_best_mask``, ``mask_scores``): ~4.4 ms of each new handout.
Here the whole matrix is one Python int, row after row, each row followed by ``_PAD`` light
padding bits, so that "the next module in the row" is a shift by 1 and "the next module in the
column" a shift by the row stride: a mask is one XOR with a mask int precomputed per symbol size,
and each rule a dozen shifts, ANDs and ``int.bit_count`` over every row and column at once.

The scores are segno's own, including where its code reads the standard in its own way:
- N1: a run of L >= 5 modules of one colour scores L - 2 (3 + (L - 5)).
- N3: a 1:1:3:1:1 pattern scores 40 when the 4 modules before it OR the 4 after it are light
  (modules beyond the symbol count as light, with no quiet zone added), and segno's scan
  (``bytes.find`` from left to right or top to bottom) resumes 7 modules after a pattern it
  counted, so a pattern that starts 4 or 6 modules after a counted one is not counted.
- N4: ``10 * int(abs(dark / total * 100 - 50) / 5)``, the same float expression.
Among equal totals the lowest mask index wins, as segno's ``<`` loop does.

Micro QR codes, a mask the caller chose, and a matrix holding anything but 0 and 1 are passed to
segno's original function unchanged.

Measured (CPU time by ``time.process_time``, min of 5 runs, ``python tests/test_qr_mask.py``),
per new address ``https://handouts.example.org/en/<slug>-NNN.html`` (200 of them, versions 4-5):
- the mask search: 3.36 ms with segno's, 0.086 ms with this one;
- ``segno.make``: 4.13 ms -> 0.74 ms; the whole ``qr_data_uri``: 4.77 ms -> 1.33 ms.
Version 40 (177 x 177): 92.7 ms -> 0.86 ms.  Once per symbol size and process, the size's masks
are drawn (``_layout``): 1.3 ms for version 5, 25 ms for version 40.
"""
from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

import segno.encoder

_PAD = 10  # light bits after each row: a shift by up to 10 (N3's far look) stays in the row
_SEGNO_FIND_AND_APPLY_BEST_MASK = segno.encoder.find_and_apply_best_mask
_N3_PATTERN = (1, 0, 1, 1, 1, 0, 1)  # dark:light:dark dark dark:light:dark, 1:1:3:1:1
_TO_DIGITS = bytes.maketrans(b"\x00\x01", b"01")  # a module's byte to a digit of int(..., 2)
_FROM_DIGITS = bytes.maketrans(b"01", b"\x00\x01")


@dataclass(frozen=True)
class Layout:
    """One symbol size's geometry as bit masks over the whole-matrix int."""
    width: int
    stride: int  # bits per row: width modules, then _PAD light ones
    modules: int  # a bit for every module of the symbol
    masks: tuple[int, ...]  # per data mask: its dark modules inside the encoding region


def find_and_apply_best_mask(matrix: Sequence[bytearray], width: int, height: int,
                             proposed_mask: int | None = None) -> tuple[int, Sequence[bytearray]]:
    """segno's ``find_and_apply_best_mask``, same arguments and result: the best mask's index
    and the masked matrix (a new tuple of bytearrays; like segno's search, it leaves the input
    matrix as it was, while segno masks it in place when given a ``proposed_mask``)."""
    is_micro = width == height and width < 21
    if (is_micro or proposed_mask is not None or width != height
            or b"".join(matrix).translate(None, b"\x00\x01")):
        return _SEGNO_FIND_AND_APPLY_BEST_MASK(matrix, width, height, proposed_mask)
    layout = _layout(width)
    unmasked = _to_int(matrix)
    best_mask, best_score, best = 0, None, 0
    for index, mask in enumerate(layout.masks):
        masked = unmasked ^ mask
        score = penalty(masked, layout)
        if best_score is None or score < best_score:
            best_mask, best_score, best = index, score, masked
    return best_mask, _to_matrix(best, layout)


def penalty(symbol: int, layout: Layout) -> int:
    """segno's ``evaluate_mask``: the sum of the penalties N1 + N2 + N3 + N4."""
    stride, modules = layout.stride, layout.modules
    light = ~symbol & modules
    same_across = ~(symbol ^ (symbol >> 1)) & modules & (modules >> 1)
    same_down = ~(symbol ^ (symbol >> stride)) & modules & (modules >> stride)
    n2 = 3 * (same_across & same_down & (same_down >> 1)).bit_count()
    dark = symbol.bit_count()
    n4 = 10 * int(abs(float(dark) / (layout.width ** 2) * 100 - 50) / 5)
    return (_runs(same_across, 1) + _runs(same_down, stride) + n2
            + _finder_likes(symbol, light, 1) + _finder_likes(symbol, light, stride) + n4)


def _runs(same: int, step: int) -> int:
    """N1 along one direction, from the bits marking modules equal to their next one."""
    five = same & (same >> step) & (same >> 2 * step) & (same >> 3 * step)  # 5 alike from here
    first_five = five & ~(five << step)  # a run's first window of 5: one per run
    return five.bit_count() + 2 * first_five.bit_count()  # L - 4 windows + 2 = L - 2


def _finder_likes(dark: int, light: int, step: int) -> int:
    """N3 along one direction, counted as segno's left-to-right ``find`` scan counts them."""
    found = -1
    for offset, colour in enumerate(_N3_PATTERN):
        found &= (dark if colour else light) >> offset * step
    before = after = 0
    for offset in range(1, 5):
        before |= dark << offset * step
        after |= dark >> (offset + 6) * step
    scored = found & (~before | ~after)
    # segno resumes 7 modules past a counted pattern: one starting 4 or 6 after it (the
    # pattern's only overlaps) is skipped.  Each skip depends only on earlier patterns, so
    # iterating from "all counted" settles, one link of a chain per round, on segno's answer.
    counted = scored
    while True:
        kept = scored & ~(counted << 4 * step) & ~(counted << 6 * step)
        if kept == counted:
            return 40 * counted.bit_count()
        counted = kept


def _to_int(matrix: Sequence[bytes | bytearray]) -> int:
    """Row i's module j at bit i * stride + j (int() reads the most significant digit first,
    hence the reversal)."""
    padding = b"0" * _PAD
    digits = padding.join(row.translate(_TO_DIGITS) for row in matrix)
    return int(digits[::-1], 2)


def _to_matrix(symbol: int, layout: Layout) -> tuple[bytearray, ...]:
    stride, width = layout.stride, layout.width
    digits = format(symbol, f"0{stride * width}b")[::-1].encode().translate(_FROM_DIGITS)
    return tuple(bytearray(digits[i * stride:i * stride + width]) for i in range(width))


@functools.lru_cache(maxsize=None)
def _layout(width: int) -> Layout:
    """The encoding region as segno draws it (its own function-pattern helpers, the dark
    module excluded) and each data mask's modules inside it."""
    encoder = segno.encoder
    function_patterns = encoder.make_matrix(width, width)
    encoder.add_finder_patterns(function_patterns, width, width)
    encoder.add_alignment_patterns(function_patterns, width, width)
    function_patterns[-8][8] = 0x1
    in_region = [[function_patterns[i][j] > 0x1 for j in range(width)] for i in range(width)]
    masks = tuple(_to_int([bytearray(in_region[i][j] and data_mask(i, j) for j in range(width))
                           for i in range(width)])
                  for data_mask in encoder.get_data_mask_functions(False))
    modules = _to_int([bytearray(b"\x01" * width)] * width)
    return Layout(width, width + _PAD, modules, masks)


def install() -> None:
    """Make segno's encoder use this search (``_encode`` looks the name up in its module at
    each call).  One assignment, the same each time: ``qr_data_uri`` calls it before each new
    code.  segno's original stays in ``_SEGNO_FIND_AND_APPLY_BEST_MASK`` for what it keeps."""
    segno.encoder.find_and_apply_best_mask = find_and_apply_best_mask
