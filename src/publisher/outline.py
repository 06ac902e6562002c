"""The outline of a handout: one H1, levels that never skip, ids for in-page links.

Scraped seeds have quirks (DESIGN.md, "The seed"): an empty ``##`` whose words follow
as a paragraph, the title repeated as the first ``#``, levels that start anywhere.
They are repaired here for every heading in reading order, those inside quotes and
list items too, so a handout has one H1 (the title, rendered by the template) and
headings from H2 to H6.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace
from typing import Callable
from urllib.parse import unquote

from .errors import Problem, warning
from .inline import to_plain_text
from .model import Block, Heading, ListBlock, ListItem, Paragraph, Quote

#: ids the page templates use themselves.
RESERVED_IDS = frozenset({"main", "top"})


def repair_headings(blocks: tuple[Block, ...], title: str, path: str,
                    problems: list[Problem]) -> tuple[Block, ...]:
    blocks = _merge_empty(blocks, path, problems)
    headings = list(_headings(blocks))
    top = [b for b in blocks if isinstance(b, Heading)]
    if top and headings and top[0] is headings[0] and _same_words(top[0].segment.text, title):
        # the title again: the template shows it as the H1
        blocks = tuple(b for b in blocks if b is not top[0])
        headings = headings[1:]
    if not headings:
        return blocks
    shift = 2 - min(h.level for h in headings)
    previous = 1

    def relevel(heading: Heading) -> Heading:
        nonlocal previous
        level = max(2, min(heading.level + shift, previous + 1, 6))
        previous = level
        return replace(heading, level=level)

    return map_headings(blocks, relevel)


def _merge_empty(blocks: tuple[Block, ...], path: str,
                 problems: list[Problem]) -> tuple[Block, ...]:
    """``##``, a blank line, then the heading's words as a paragraph: one heading."""
    merged: list[Block] = []
    pending: Heading | None = None
    for block in blocks:
        block = _inside(block, lambda inner: _merge_empty(inner, path, problems))
        if pending is not None:
            if isinstance(block, Paragraph):
                merged.append(Heading(pending.level, replace(block.segment, kind="heading")))
                pending = None
                continue
            problems.append(warning(path, "empty heading left out", line=pending.segment.line))
            pending = None
        if isinstance(block, Heading) and not block.segment.text:
            pending = block
            continue
        merged.append(block)
    if pending is not None:
        problems.append(warning(path, "empty heading left out", line=pending.segment.line))
    return tuple(merged)


def _inside(block: Block, change: Callable[[tuple[Block, ...]], tuple[Block, ...]]) -> Block:
    """``block`` with ``change`` applied to the blocks it contains (quotes, list items)."""
    if isinstance(block, Quote):
        return Quote(change(block.blocks))
    if isinstance(block, ListBlock):
        return replace(block, items=tuple(ListItem(change(item.blocks)) for item in block.items))
    return block


def _headings(blocks: tuple[Block, ...]):
    for block in blocks:
        if isinstance(block, Heading):
            yield block
        elif isinstance(block, Quote):
            yield from _headings(block.blocks)
        elif isinstance(block, ListBlock):
            for item in block.items:
                yield from _headings(item.blocks)


def map_headings(blocks: tuple[Block, ...],
                 change: Callable[[Heading], Heading]) -> tuple[Block, ...]:
    """The blocks with every heading, nested ones too, replaced in reading order."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(change(block))
        else:
            out.append(_inside(block, lambda inner: map_headings(inner, change)))
    return tuple(out)


def _same_words(a: str, b: str) -> bool:
    words = lambda s: re.sub(r"\W+", " ", to_plain_text(s)).strip().casefold()
    return words(a) == words(b)


def slugify(text: str) -> str:
    """GitHub's way: lower case, punctuation dropped, spaces as hyphens."""
    text = unicodedata.normalize("NFKC", text).casefold().strip()
    text = "".join(c for c in text if c.isalnum() or c in " -_")
    return re.sub(r"\s", "-", text)


def with_anchors(blocks: tuple[Block, ...]) -> tuple[Block, ...]:
    """Every heading gets a unique id named after its text (``-1``, ``-2`` on repeats)."""
    used: set[str] = set(RESERVED_IDS)

    def name(heading: Heading) -> Heading:
        base = slugify(to_plain_text(heading.segment.text)) or "section"
        anchor, n = base, 0
        while anchor in used:
            n += 1
            anchor = f"{base}-{n}"
        used.add(anchor)
        return replace(heading, anchor=anchor)

    return map_headings(blocks, name)


def anchor_finder(blocks: tuple[Block, ...]) -> Callable[[str], str | None]:
    """``fragment -> the heading id it names`` (exactly, or by its slug), or None."""
    anchors = {h.anchor for h in _headings(blocks) if h.anchor}

    def find(fragment: str) -> str | None:
        fragment = unquote(fragment)
        if fragment in anchors:
            return fragment
        slug = slugify(fragment)
        return slug if slug in anchors else None

    return find
