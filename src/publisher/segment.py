"""Segment a seed's Markdown body into blocks whose texts are translatable segments.

The body is parsed once, by markdown-it, and the blocks are read off its tokens:
code blocks stay verbatim text (never a segment, never read as Markdown again), a
thematic break is a `Rule`, a local picture alone in its paragraph a `Figure`.
Each segment's text is its inline Markdown, rewritten only where a link's
destination must change (`inline.normalize_links`): reference links become inline
links, site-relative targets absolute, in-page links name a heading's id.

Scraped seeds have quirks (DESIGN.md, "The seed"); they are repaired here, once, so
every later stage sees a clean outline (`outline.py`): one H1 (the title), headings
that never skip a level, and "cards" turned into something a reader can use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from urllib.parse import urljoin

from markdown_it.token import Token

from .errors import Problem, warning
from .inline import block_markdown, markdown, normalize_parsed, parse_inline, unsafe_in
from .model import (Block, Card, CodeBlock, Figure, Heading, ListBlock, ListItem, Paragraph,
                    Quote, Rule, Segment, Table, map_segments)
from .outline import anchor_finder, repair_headings as _repair_headings, with_anchors

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
    env: dict = {}
    tokens = block_markdown().parse(body, env)
    blocks = _blocks(tokens, first_line, cards, env)
    blocks = _repair_headings(blocks, title, path, problems)
    blocks = with_anchors(blocks)
    blocks = _finish_segments(blocks, env.get("references", {}), base_url, path, problems)
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


def _blocks(tokens: list[Token], first_line: int, cards: dict[str, _CardSource],
            env: dict) -> tuple[Block, ...]:
    blocks, _ = _parse(tokens, 0, first_line, cards, env, closing=None)
    return blocks


def _parse(tokens: list[Token], i: int, first_line: int, cards: dict[str, _CardSource],
           env: dict, closing: str | None) -> tuple[tuple[Block, ...], int]:
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
            blocks.append(_paragraph(tokens[i + 1], line, cards, env))
            i += 3
        elif kind in ("bullet_list_open", "ordered_list_open"):
            items: list[ListItem] = []
            i += 1
            close = kind.replace("_open", "_close")
            while tokens[i].type == "list_item_open":
                item_blocks, i = _parse(tokens, i + 1, first_line, cards, env,
                                        "list_item_close")
                items.append(ListItem(tuple(_as_list_text(b) for b in item_blocks)))
            assert tokens[i].type == close
            start = token.attrGet("start")  # 0 is a start number too
            blocks.append(ListBlock(kind.startswith("ordered"), tuple(items),
                                    1 if start is None else int(start)))
            i += 1
        elif kind == "blockquote_open":
            inner, i = _parse(tokens, i + 1, first_line, cards, env, "blockquote_close")
            blocks.append(Quote(inner))
        elif kind == "table_open":
            table, i = _table(tokens, i, first_line)
            blocks.append(table)
        elif kind in ("fence", "code_block"):
            # Verbatim: never translated, never read as Markdown or HTML again.
            blocks.append(CodeBlock(token.content, line, token.info.strip()))
            i += 1
        elif kind == "hr":
            blocks.append(Rule(line))
            i += 1
        elif kind == "html_block":
            # Raw HTML is text to sanitize (inline.to_html), like raw HTML in a paragraph.
            text = token.content.strip()
            if text:
                blocks.append(Paragraph(Segment(text, line, "paragraph")))
            i += 1
        else:  # anything without text of its own
            i += 1
    return tuple(blocks), i


def _paragraph(inline: Token, line: int, cards: dict[str, _CardSource], env: dict) -> Block:
    text = inline.content.strip()
    if text in cards:
        return _card(cards[text])
    picture = _lone_picture(inline, env)
    if picture is not None and is_local_picture(picture.attrGet("src") or ""):
        title = picture.attrGet("title")
        return Figure(src=picture.attrGet("src") or "",
                      alt=Segment(picture.content.strip(), line, "picture description"),
                      caption=Segment(title, line, "picture caption") if title else None,
                      line=line)
    return Paragraph(Segment(text, line, "paragraph"))


def _lone_picture(inline: Token, env: dict) -> Token | None:
    """The image token of a paragraph that holds one picture and nothing else."""
    if "![" not in inline.content:  # no picture without it
        return None
    parsed = markdown().parseInline(inline.content, env)  # as the full parse reads it
    children = [t for t in parsed[0].children or []
                if not (t.type == "text" and not t.content.strip()) and t.type != "softbreak"]
    if len(children) == 1 and children[0].type == "image":
        return children[0]
    return None


def is_local_picture(src: str) -> bool:
    """A picture the seed brings along (``assets/x.png``: a file under seeds/assets/).

    Any other address, relative ones included, is on the seed's web site: it is
    resolved against ``url`` like a link and never fetched.
    """
    return src.removeprefix("./").startswith("assets/")


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


def _finish_segments(blocks: tuple[Block, ...], references: dict, base_url: str, path: str,
                     problems: list[Problem]) -> tuple[Block, ...]:
    """Links written inline with their resolved targets; what is removed, reported."""
    anchor = anchor_finder(blocks)

    def finish(segment: Segment) -> Segment:
        parsed = parse_inline(segment.text, references)
        text, notes = normalize_parsed(parsed, base_url, anchor)
        for note in notes:
            problems.append(warning(path, note, line=segment.line))
        # The checks read the text as written now.  Unchanged, it reads as it did
        # with the references: a reference that matched would have been rewritten.
        if text != parsed.text:
            parsed = parse_inline(text)
        for what in unsafe_in(parsed.tokens):
            problems.append(warning(path, f"unsafe {what} removed", line=segment.line))
        for span in parsed.spans:
            if span.token.type == "image" and is_local_picture(span.token.attrGet("src") or ""):
                problems.append(warning(
                    path, "a picture inside a sentence is shown as its description: "
                    "give it a paragraph of its own", line=segment.line))
        return replace(segment, text=text)

    blocks = map_segments(blocks, finish)
    return tuple(_absolute_card(b, base_url) for b in blocks)


def _absolute_card(block: Block, base_url: str) -> Block:
    if isinstance(block, Card):
        return replace(block, href=urljoin(base_url, block.href) if base_url else block.href)
    return block
