"""The data that flows forward through the pipeline, one stage to the next.

seed file ─▶ Document (front matter + blocks of Segments) ─▶ LocalizedDocument
─▶ RenderedHandout (HTML, PDF bytes) ─▶ dist/.  Every translatable piece of text is a
`Segment`: its text is inline Markdown and it remembers the seed line it came from,
so catalogs can point translators at `seeds/<file>:<line>`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Callable, Union

from .errors import Problem


@dataclass(frozen=True)
class Segment:
    text: str
    line: int
    kind: str
    #: Language of this text when it differs from the document's (draft fallback).
    lang: str | None = None


@dataclass(frozen=True)
class Heading:
    level: int
    segment: Segment
    #: The heading's id in the HTML, named after its source text (in-page links).
    anchor: str = ""


@dataclass(frozen=True)
class Paragraph:
    segment: Segment


@dataclass(frozen=True)
class ListItem:
    blocks: tuple["Block", ...]


@dataclass(frozen=True)
class ListBlock:
    ordered: bool
    items: tuple[ListItem, ...]
    start: int = 1


@dataclass(frozen=True)
class Table:
    header: tuple[Segment, ...]
    rows: tuple[tuple[Segment, ...], ...]


@dataclass(frozen=True)
class Quote:
    blocks: tuple["Block", ...]


@dataclass(frozen=True)
class Card:
    """A scraped "card": a remote picture, a caption and a blurb inside one link.

    Nothing remote is fetched: the handout shows the caption, the blurb, what the
    picture shows (its alt text) and a link to read more.
    """
    href: str
    image_alt: Segment
    title: Segment | None
    text: Segment | None
    line: int


@dataclass(frozen=True)
class CodeBlock:
    """Preformatted text (a fenced or indented code block), shown verbatim.

    Not a segment: it is never translated and never in the catalogs, so nothing in
    it is read as Markdown again; a translated handout shows it in the source
    language, marked as such.
    """
    text: str
    line: int
    info: str = ""


@dataclass(frozen=True)
class Rule:
    """A thematic break: a visible rule between parts of the text."""
    line: int


@dataclass(frozen=True)
class Figure:
    """A local picture (a file under ``seeds/assets/``) in a paragraph of its own.

    ``alt`` empty means decorative.  ``uri`` and ``file`` are filled in when the
    handout is rendered (assets.py): the checked file's ``file:`` URI for the PDF
    and its content-hashed name under ``dist/`` for the web page.
    """
    src: str
    alt: Segment
    caption: Segment | None
    line: int
    uri: str = ""
    file: str = ""
    #: Pixel size of the checked file (a decorative picture is drawn as a background).
    width: int = 0
    height: int = 0


Block = Union[Heading, Paragraph, ListBlock, Table, Quote, Card, CodeBlock, Rule, Figure]


@dataclass(frozen=True)
class FrontMatter:
    title: str
    language: str
    last_reviewed: date | None = None
    review_frequency: str | None = None
    review_due: date | None = None
    source: str = ""
    citation: str = ""
    url: str = ""
    license: str = ""
    status: str = "active"
    audience_level: str = ""
    tags: tuple[str, ...] = ()
    cancer_types: tuple[str, ...] = ()
    version: str = ""


@dataclass(frozen=True)
class Document:
    slug: str
    #: Path of the seed relative to the project, e.g. ``seeds/x.md``.
    path: str
    meta: FrontMatter
    title: Segment
    blocks: tuple[Block, ...]
    #: SHA-256 of the seed's bytes, for fingerprints.
    digest: str


def segments(blocks: tuple[Block, ...]) -> list[Segment]:
    """Every segment of the blocks, in reading order."""
    found: list[Segment] = []
    map_segments(blocks, lambda s: found.append(s) or s)
    return found


def map_segments(blocks: tuple[Block, ...],
                 change: Callable[[Segment], Segment]) -> tuple[Block, ...]:
    """The same blocks with every segment replaced by ``change(segment)``."""
    return tuple(_map_block(block, change) for block in blocks)


def _map_block(block: Block, change: Callable[[Segment], Segment]) -> Block:
    if isinstance(block, (Heading, Paragraph)):
        return dataclasses.replace(block, segment=change(block.segment))
    if isinstance(block, ListBlock):
        items = tuple(ListItem(map_segments(item.blocks, change)) for item in block.items)
        return dataclasses.replace(block, items=items)
    if isinstance(block, Quote):
        return Quote(map_segments(block.blocks, change))
    if isinstance(block, Table):
        return Table(tuple(change(s) for s in block.header),
                     tuple(tuple(change(s) for s in row) for row in block.rows))
    if isinstance(block, (CodeBlock, Rule)):
        return block
    if isinstance(block, Figure):
        return dataclasses.replace(block, alt=change(block.alt),
                                   caption=block.caption and change(block.caption))
    if isinstance(block, Card):
        return dataclasses.replace(
            block,
            image_alt=change(block.image_alt),
            title=block.title and change(block.title),
            text=block.text and change(block.text))
    raise TypeError(f"unknown block {block!r}")


@dataclass(frozen=True)
class LocalizedDocument:
    """A document in one language, ready to render."""
    document: Document
    #: The locale as configured (``zh-Hans``); also the dist/ folder name.
    locale: str
    title: Segment
    blocks: tuple[Block, ...]
    #: source, reviewed, translated or draft: what the reader is told about the text.
    translation: str
    #: How many segments fell back to the source language (draft only).
    fallbacks: int = 0

    @property
    def slug(self) -> str:
        return self.document.slug


@dataclass(frozen=True)
class Translation:
    """What one locale's catalog for one document offers to the localize stage."""
    path: str
    #: msgid -> msgstr for entries that are translated, not fuzzy and check-clean.
    usable: dict[str, str]
    #: msgids whose entry carries a valid review stamp for its current text.
    reviewed: frozenset[str] = frozenset()
    #: Entries left out, each with file and line (failed checks).
    problems: tuple[Problem, ...] = ()
    fuzzy: int = 0


@dataclass(frozen=True)
class NotPublished:
    """A handout that is not published, and why (build summary, status, manifest)."""
    slug: str
    locale: str
    reason: str
    path: str = ""
    #: Its input failed (a catalog that cannot be read), as opposed to a policy decision.
    failed: bool = False
