"""Segment a seed's Markdown body into blocks whose texts are translatable segments.

Scraped seeds have quirks (DESIGN.md, "The seed"); they are repaired here, once, so
every later stage sees a clean outline: one H1 (the title), headings that never skip
a level, absolute links, and "cards" turned into something a reader can use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import urljoin

from markdown_it.token import Token

from .errors import Problem, warning
from .inline import absolutize_links, markdown, to_plain_text, unsafe_content
from .model import (Block, Card, Heading, ListBlock, ListItem, Paragraph, Quote, Segment,
                    Table, map_segments)

# A remote picture, a caption and a blurb wrapped in one multi-paragraph link.
CARD = re.compile(
    r"^\[!\[(?P<alt>[^\]]*)\]\((?P<src>[^)\s]*)(?:\s+\"[^\"]*\")?\)[ \t]*\n"
    r"(?P<inner>(?:.*\n)*?.*?)\]\((?P<href>[^)\s]+)\)[ \t]*$",
    re.M)
CARD_MARK = "PUBLISHERCARD{}"


@dataclass(frozen=True)
class _CardSource:
    line: int
    href: str
    alt: str
    paragraphs: tuple[tuple[int, str], ...]


def segment_body(body: str, *, first_line: int, path: str, title: str, title_line: int,
                 base_url: str = "") -> tuple[tuple[Block, ...], Segment, list[Problem]]:
    """(blocks, title segment, warnings) for a seed body starting at ``first_line``."""
    problems: list[Problem] = []
    body, cards = _extract_cards(body, first_line)
    tokens = markdown().parse(body)
    blocks = _blocks(tokens, first_line, cards)
    blocks = _repair_headings(blocks, title, path, problems)
    blocks = _finish_segments(blocks, base_url, path, problems)
    return blocks, Segment(title, title_line, "title"), problems


def _extract_cards(body: str, first_line: int) -> tuple[str, dict[str, _CardSource]]:
    """Replace each card with a one-line marker, keeping every other line where it was."""
    cards: dict[str, _CardSource] = {}

    def take(match: re.Match[str]) -> str:
        line = first_line + body.count("\n", 0, match.start())
        inner_line = line + 1
        paragraphs: list[tuple[int, str]] = []
        for chunk in re.split(r"(\n[ \t]*\n)", match.group("inner")):
            if chunk.strip():
                offset = len(chunk) - len(chunk.lstrip("\n"))
                paragraphs.append((inner_line + offset, " ".join(chunk.split())))
            inner_line += chunk.count("\n")
        mark = CARD_MARK.format(len(cards))
        cards[mark] = _CardSource(line, match.group("href"), match.group("alt"),
                                  tuple(paragraphs))
        return mark + "\n" * match.group(0).count("\n")

    return CARD.sub(take, body), cards


def _blocks(tokens: list[Token], first_line: int,
            cards: dict[str, _CardSource]) -> tuple[Block, ...]:
    blocks, _ = _parse(tokens, 0, first_line, cards, closing=None)
    return blocks


def _parse(tokens: list[Token], i: int, first_line: int, cards: dict[str, _CardSource],
           closing: str | None) -> tuple[tuple[Block, ...], int]:
    """Blocks from tokens[i:] up to the token of type ``closing``; (blocks, next index)."""
    blocks: list[Block] = []
    while i < len(tokens):
        token = tokens[i]
        line = first_line + (token.map[0] if token.map else 0)
        kind = token.type
        if kind == closing:
            return tuple(blocks), i + 1
        if kind == "heading_open":
            text = tokens[i + 1].content.strip()
            blocks.append(Heading(int(token.tag[1]), Segment(text, line, "heading")))
            i += 3
        elif kind == "paragraph_open":
            text = tokens[i + 1].content.strip()
            if text in cards:
                blocks.append(_card(cards[text]))
            else:
                blocks.append(Paragraph(Segment(text, line, "paragraph")))
            i += 3
        elif kind in ("bullet_list_open", "ordered_list_open"):
            items: list[ListItem] = []
            i += 1
            close = kind.replace("_open", "_close")
            while tokens[i].type == "list_item_open":
                item_blocks, i = _parse(tokens, i + 1, first_line, cards, "list_item_close")
                items.append(ListItem(tuple(_as_list_text(b) for b in item_blocks)))
            assert tokens[i].type == close
            start = int(token.attrGet("start") or 1)
            blocks.append(ListBlock(kind.startswith("ordered"), tuple(items), start))
            i += 1
        elif kind == "blockquote_open":
            inner, i = _parse(tokens, i + 1, first_line, cards, "blockquote_close")
            blocks.append(Quote(inner))
        elif kind == "table_open":
            table, i = _table(tokens, i, first_line)
            blocks.append(table)
        elif kind in ("fence", "code_block", "html_block"):
            text = token.content.strip()
            if text:
                blocks.append(Paragraph(Segment(text, line, "paragraph")))
            i += 1
        else:  # hr and anything without text of its own
            i += 1
    return tuple(blocks), i


def _as_list_text(block: Block) -> Block:
    if isinstance(block, Paragraph):
        return Paragraph(replace(block.segment, kind="list item"))
    return block


def _table(tokens: list[Token], i: int, first_line: int) -> tuple[Table, int]:
    header: list[Segment] = []
    rows: list[tuple[Segment, ...]] = []
    row: list[Segment] = []
    while tokens[i].type != "table_close":
        token = tokens[i]
        if token.type in ("th_open", "td_open"):
            inline = tokens[i + 1]
            line = first_line + (inline.map[0] if inline.map else 0)
            kind = "table header" if token.type == "th_open" else "table cell"
            row.append(Segment(inline.content.strip(), line, kind))
        elif token.type == "tr_close":
            if row and row[0].kind == "table header":
                header = row
            else:
                rows.append(tuple(row))
            row = []
        i += 1
    return Table(tuple(header), tuple(rows)), i + 1


def _card(source: _CardSource) -> Card:
    texts = list(source.paragraphs)
    title = Segment(texts.pop(0)[1], source.paragraphs[0][0], "card title") if texts else None
    text = " ".join(t for _, t in texts)
    body = Segment(text, texts[0][0], "card text") if texts else None
    return Card(href=source.href, image_alt=Segment(source.alt, source.line, "image alt"),
                title=title, text=body, line=source.line)


def _repair_headings(blocks: tuple[Block, ...], title: str, path: str,
                     problems: list[Problem]) -> tuple[Block, ...]:
    """One H1 (the title, rendered by the template) and levels that never skip."""
    merged: list[Block] = []
    pending: Heading | None = None
    for block in blocks:
        if pending is not None:
            if isinstance(block, Paragraph):
                # "##", blank line, then the heading's words as a paragraph.
                merged.append(Heading(pending.level, replace(block.segment, kind="heading")))
                pending = None
                continue
            problems.append(warning(path, "empty heading left out",
                                    line=pending.segment.line))
            pending = None
        if isinstance(block, Heading) and not block.segment.text:
            pending = block
            continue
        merged.append(block)
    if pending is not None:
        problems.append(warning(path, "empty heading left out", line=pending.segment.line))

    headings = [b for b in merged if isinstance(b, Heading)]
    if headings and _same_words(headings[0].segment.text, title):
        merged.remove(headings[0])  # the title again: the template shows it as the H1
        headings = headings[1:]
    if not headings:
        return tuple(merged)
    shift = 2 - min(h.level for h in headings)
    outline: list[Block] = []
    previous = 1
    for block in merged:
        if isinstance(block, Heading):
            level = max(2, min(block.level + shift, previous + 1))
            block = Heading(level, block.segment)
            previous = level
        outline.append(block)
    return tuple(outline)


def _same_words(a: str, b: str) -> bool:
    words = lambda s: re.sub(r"\W+", " ", to_plain_text(s)).strip().casefold()
    return words(a) == words(b)


def _finish_segments(blocks: tuple[Block, ...], base_url: str, path: str,
                     problems: list[Problem]) -> tuple[Block, ...]:
    def finish(segment: Segment) -> Segment:
        for what in unsafe_content(segment.text):
            problems.append(warning(path, f"unsafe {what} removed", line=segment.line))
        return replace(segment, text=absolutize_links(segment.text, base_url))

    blocks = map_segments(blocks, finish)
    return tuple(_absolute_card(b, base_url) for b in blocks)


def _absolute_card(block: Block, base_url: str) -> Block:
    if isinstance(block, Card):
        return replace(block, href=urljoin(base_url, block.href) if base_url else block.href)
    return block
