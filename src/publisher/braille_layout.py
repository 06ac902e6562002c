"""Braille page layout: blocks of braille cells in, 40 × 25 pages out (pure functions).

The formats follow BANA's *Braille Formats: Principles of Print-to-Braille
Transcription* (2016), the basics a transcriber applies to a short handout:

- 40 cells a line, 25 lines a page; no word is divided between lines (a web
  address longer than a line is divided after a slash or before a dot);
- the braille page number at the right end of line 25, after at least three
  blank cells (BANA), or at the right end of line 1 (UK convention); a handout
  has no print page numbers, so nothing else is written there;
- a centered heading (the title): blank line before and after, at least three
  blank cells each side; a cell-5 heading: blank line before; a cell-7 heading;
  a heading is never the last line of a page (it moves to the next page);
- paragraphs in 3-1 (first line in cell 3, runovers in cell 1), no blank line
  between them; list items in 1-3, a nested level two cells further in (3-5,
  5-7), a blank line before and after a list;
- no blank line at the top of a page, never two blank lines in a row.

Cells are ints (bit 0 = dot 1 ... bit 5 = dot 6); 0 is the blank cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

WIDTH = 40
PAGE_LINES = 25
#: Blank cells between text and the braille page number on the same line (BANA 1.x).
NUMBER_GAP = 3
#: Blank cells kept on each side of a centered heading.
CENTER_MARGIN = 3
#: Layout conventions: where the braille page number goes.
LAYOUTS = ("bana", "uk")

Cells = tuple[int, ...]


@dataclass(frozen=True)
class Style:
    """Where a block's first line and its runovers start (0-based cells), and its spacing."""
    first: int = 0
    runover: int = 0
    centered: bool = False
    blank_before: bool = False
    blank_after: bool = False
    #: Headings: never the last line of a page.
    keep_with_next: bool = False


CENTERED = Style(centered=True, blank_before=True, blank_after=True, keep_with_next=True)
CELL_5 = Style(first=4, runover=4, blank_before=True, keep_with_next=True)
CELL_7 = Style(first=6, runover=6, keep_with_next=True)
PARAGRAPH = Style(first=2, runover=0)


def list_item(level: int, *, continued: bool = False) -> Style:
    """1-3 for the outer level, 3-5 for the next...; a later paragraph of an item
    starts where the item's runovers do."""
    start = 2 * level + (2 if continued else 0)
    return Style(first=start, runover=2 * level + 2)


@dataclass(frozen=True)
class Unit:
    """One block of braille: its cells, where a long word may be divided, its style."""
    style: Style
    cells: Cells
    #: ``breaks[i]``: a word longer than a line may be divided before cell ``i``.
    breaks: tuple[bool, ...] = ()


@dataclass(frozen=True)
class BlankLine:
    pass


@dataclass(frozen=True)
class Line:
    cells: Cells
    keep_with_next: bool = False


def words(cells: Cells) -> list[tuple[int, int]]:
    """(start, end) of each run of non-blank cells."""
    found, start = [], None
    for index, cell in enumerate((*cells, 0)):
        if cell and start is None:
            start = index
        elif not cell and start is not None:
            found.append((start, index))
            start = None
    return found


def wrap(unit: Unit, width: int = WIDTH, continuation: Cells = ()) -> list[Cells]:
    """The unit's lines (indent included), whole words only; a word longer than a line
    is divided at an allowed break, ending the line with ``continuation``."""
    style = unit.style
    margin = CENTER_MARGIN if style.centered else 0
    lines: list[list[int]] = [[]]
    for start, end in words(unit.cells):
        while start < end:
            line = lines[-1]
            available = width - 2 * margin - (style.first if len(lines) == 1 else style.runover)
            gap = (0,) if line else ()
            word = unit.cells[start:end]
            if len(line) + len(gap) + len(word) <= available:
                line.extend(gap + word)
                break
            if line and len(word) <= width - 2 * margin - style.runover:
                lines.append([])  # the word fits on the next line
                continue
            # A word longer than a whole line: divide it.
            space = available - len(line) - len(gap) - len(continuation)
            cut = _cut(unit.breaks, start, end, space)
            if cut is None and line:
                lines.append([])
                continue
            cut = cut or start + max(1, space)
            line.extend(gap + unit.cells[start:cut] + continuation)
            lines.append([])
            start = cut
    return [_place(tuple(cells), style, index, width) for index, cells in enumerate(lines)
            if cells]


def _cut(breaks: tuple[bool, ...], start: int, end: int, space: int) -> int | None:
    """Where to divide the word ``[start, end)`` so that at most ``space`` cells stay."""
    if space < 4:
        return None
    limit = min(end - 1, start + space)
    allowed = [i for i in range(start + 1, limit + 1) if i < len(breaks) and breaks[i]]
    # Prefer a slash or dot that keeps the line at least half full; else cut at the edge.
    good = [i for i in allowed if i - start >= space // 2]
    return good[-1] if good else limit


def _place(cells: Cells, style: Style, index: int, width: int) -> Cells:
    if style.centered:
        return (0,) * ((width - len(cells)) // 2) + cells
    return (0,) * (style.first if index == 0 else style.runover) + cells


def lay_out(units: Sequence[Unit | BlankLine], continuation: Cells = (),
            width: int = WIDTH) -> list[Line | BlankLine]:
    """The units as one stream of lines and blank lines (before pagination)."""
    stream: list[Line | BlankLine] = []
    for unit in units:
        if isinstance(unit, BlankLine):
            stream.append(unit)
            continue
        if unit.style.blank_before:
            stream.append(BlankLine())
        stream.extend(Line(cells, unit.style.keep_with_next)
                      for cells in wrap(unit, width, continuation))
        if unit.style.blank_after:
            stream.append(BlankLine())
    return stream


def paginate(stream: Sequence[Line | BlankLine], rows: int) -> list[list[Cells]]:
    """Pages of at most ``rows`` text lines: no blank line at the top of a page or two
    in a row, and a heading's lines kept with the line that follows them."""
    pages: list[list[Cells]] = [[]]
    previous_blank = True
    for index, item in enumerate(stream):
        page = pages[-1]
        if isinstance(item, BlankLine):
            if not previous_blank and page and len(page) < rows:
                page.append(())
                previous_blank = True
            continue
        starts_keep = item.keep_with_next and (
            index == 0 or not _is_keep(stream[index - 1]))
        needed = _kept_lines(stream, index) if starts_keep else 1
        if page and len(page) + needed > rows:
            while page and not page[-1]:
                page.pop()
            pages.append([])
            page = pages[-1]
        page.append(item.cells)
        previous_blank = False
    for page in pages:
        while page and not page[-1]:
            page.pop()
    return [page for page in pages if page] or [[]]


def _is_keep(item: Line | BlankLine) -> bool:
    return isinstance(item, Line) and item.keep_with_next


def _kept_lines(stream: Sequence[Line | BlankLine], index: int) -> int:
    """Lines from ``index`` through the first line after the heading (blank lines too)."""
    count = 0
    for item in stream[index:]:
        count += 1
        if isinstance(item, Line) and not item.keep_with_next:
            break
    return count


def number_line(number: Cells, width: int = WIDTH) -> Cells:
    return (0,) * (width - len(number)) + number


def pages_with_numbers(stream: Sequence[Line | BlankLine], layout: str,
                       number: Callable[[int], Cells]) -> list[list[Cells]]:
    """Full pages: BANA puts the page number at the right of line 25 (text on lines
    1-24), the UK convention at the right of line 1 (text on lines 2-25)."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown braille layout {layout!r}")
    pages = paginate(stream, PAGE_LINES - 1)
    full = []
    for index, page in enumerate(pages, start=1):
        if layout == "bana":
            padded = page + [()] * (PAGE_LINES - 1 - len(page))
            full.append(padded + [number_line(number(index))])
        else:
            full.append([number_line(number(index)), *page])
    return full


def strip(cells: Cells) -> Cells:
    end = len(cells)
    while end and not cells[end - 1]:
        end -= 1
    return cells[:end]
