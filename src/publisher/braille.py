"""Braille-ready files: a handout as a BRF for embossers and Unicode braille for displays.

liblouis (see braille_louis.py) translates each block with the braille table of the
block's language; braille_layout.py lays the cells out as a transcriber would
(BANA Braille Formats basics: 40 × 25, page numbers, headings, 3-1 paragraphs,
1-3 lists).  What a braille reader gets:

- the title as a centered heading, whether the translation was reviewed, the review
  dates, every block of the handout, and "About this handout" (source, citation,
  license, version);
- a link as its text followed by its web address in parentheses, the address
  uncontracted (UEB reads addresses in grade 1) and written as on paper
  (``cancer.gov/types/breast``, no ``https://www.``);
- bold text with the code's bold indicators, bullets as the code's bullet sign when
  the table has one (a list is a list by its 1-3 layout either way);
- no print furniture: no QR code, no running footer, no list of web addresses.

Tables: per language, overridable in ``publisher.toml``::

    [braille]
    tables = { es = "es-g2.ctb" }     # liblouis table file per language
    layout = { en-GB = "uk" }         # "bana" (default) or "uk": where page numbers go

Defaults were chosen for what most readers of each language read, and checked by
back-translating the example (``tests/test_braille.py``): UEB grade 2 for English
(BANA's code since 2016); uncontracted Spanish (most Spanish-speaking braille readers
read grade 1; liblouis' Spanish grade 2 back-translates only 76 % of the example's
words, grade 1 all of them); uncontracted Vietnamese (the partially contracted table
back-translates a quarter of its words); Arabic grade 1; Chinese common braille
(国家通用盲文) for simplified, Taiwanese braille for traditional characters.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from typing import Iterable

from babel.dates import format_date

from . import braille_louis as lou
from .braille_layout import (CELL_5, CELL_7, CENTERED, PARAGRAPH, BlankLine, Cells, Style,
                             Unit, lay_out, list_item, pages_with_numbers, strip)
# The tables and settings are part of this module's interface (render_extras, tests).
from .braille_tables import (DEFAULT_TABLES, BrailleSettings, braille_settings,  # noqa: F401
                             layout_for, table_for)
from .errors import Problem, warning
from .inline import drop_unsafe_links, is_safe_target, read_inline
from .locales import babel_locale
from .model import (Block, Card, Heading, ListBlock, LocalizedDocument, Paragraph, Quote,
                    Segment, Table)
from .render_html import short_url

#: UEB's line continuation indicator (dot 5), for an address divided between lines.
UEB_CONTINUATION: Cells = (0b010000,)


@dataclass(frozen=True)
class BrailleHandout:
    #: BRF: ASCII braille, lines ending in CR LF, a form feed between pages.
    brf: bytes
    #: Unicode braille for refreshable displays and e-readers: one block a line.
    text: str
    pages: int
    table: str
    layout: str
    problems: tuple[Problem, ...]


# --- inline Markdown to runs of text ---------------------------------------------------

@dataclass(frozen=True)
class Run:
    text: str
    bold: bool = False
    #: A web address: uncontracted, and may be divided between lines.
    address: bool = False


# Every character that starts inline Markdown or HTML (emphasis, code, links,
# pictures, autolinks and tags, entities, escapes, line breaks): a text without them is
# one run as it is (tested against the parser on every segment of the seeds and every
# line of the CommonMark examples).
_MARKUP = re.compile(r"[\n\r\0*_\[\]!`<&\\]")


def inline_runs(text: str) -> list[Run]:
    """The words of a segment as a braille reader gets them: links followed by their
    address, pictures by their description, markup gone."""
    if not _MARKUP.search(text):  # nothing for the Markdown parser to find
        return [Run(text)] if text else []
    return parsed_runs(text)


def parsed_runs(text: str) -> list[Run]:
    """`inline_runs` through the Markdown parser, whatever the text."""
    runs: list[Run] = []
    bold = 0
    href = None
    parsed = read_inline(text)
    if any(s.token.type == "link_open" and not is_safe_target(s.token.attrGet("href") or "")
           for s in parsed.spans):
        parsed = read_inline(drop_unsafe_links(text))
    for token in parsed.tokens:
        kind = token.type
        if kind in ("strong_open", "em_open"):
            bold += 1
        elif kind in ("strong_close", "em_close"):
            bold -= 1
        elif kind in ("text", "code_inline"):
            runs.append(Run(token.content, bold > 0))
        elif kind in ("softbreak", "hardbreak"):
            runs.append(Run(" "))
        elif kind == "image":
            runs.append(Run(token.content))
        elif kind == "link_open":
            href = str(token.attrGet("href") or "")
        elif kind == "link_close":
            address = _written_address(href or "")
            if address:
                runs += [Run(" ("), Run(address, address=True), Run(")")]
            href = None
    return runs


def _written_address(href: str) -> str:
    if href.startswith(("http://", "https://")):
        return short_url(href)
    if href.startswith(("mailto:", "tel:")):
        return href.split(":", 1)[1]
    return ""


def plain_words(text: str) -> str:
    """What `inline_runs` says, as one string (tests compare back-translations with it)."""
    return "".join(run.text for run in inline_runs(text))


# --- runs to braille cells -------------------------------------------------------------

@dataclass(frozen=True)
class Part:
    """Runs in one language: translated with that language's table."""
    runs: tuple[Run, ...]
    table: str
    line: int | None = None


class Translator:
    """Turns parts into cells for one handout, collecting what could not be written."""

    def __init__(self, path: str, settings: BrailleSettings) -> None:
        self.path = path
        self.settings = settings
        self.problems: list[Problem] = []

    def cells(self, parts: Iterable[Part]) -> tuple[Cells, tuple[bool, ...]]:
        cells: list[int] = []
        breaks: list[bool] = []
        for part in parts:
            text = "".join(run.text for run in part.runs)
            if not text.strip():
                continue
            louis = lou.louis()
            typeform: list[int] = []
            spans = []
            for run in part.runs:
                form = (louis.bold if run.bold else 0) | (louis.no_contract if run.address else 0)
                if run.address:
                    spans.append((len(typeform), len(typeform) + len(run.text)))
                typeform += [form] * len(run.text)
            self._report_undefined(text, part)
            translated = lou.translate(text, part.table, typeform)
            if cells:
                cells.append(0)
                breaks.append(False)
            cells.extend(translated.cells)
            breaks.extend(_breaks(text, translated, spans))
        return tuple(cells), tuple(breaks)

    def _report_undefined(self, text: str, part: Part) -> None:
        for character in lou.undefined_characters(text, part.table):
            self.problems.append(warning(
                self.path, f"{character!r} (U+{ord(character):04X}) has no braille in "
                f"{part.table}: left out of the braille file", line=part.line,
                check="braille"))


def _breaks(text: str, translated: lou.Translated, spans: list[tuple[int, int]]) -> list[bool]:
    """Where an address may be divided: after a slash, before a dot."""
    sources = translated.sources
    if not spans:
        return [False] * len(sources)
    inside = bytearray(len(text) + 1)  # strictly inside an address, by text index
    for start, end in spans:
        inside[start + 1:end] = b"\1" * max(0, end - start - 1)
    return [bool(inside[source]) and index > 0 and sources[index - 1] != source
            and (text[source - 1] == "/" or text[source] == ".")
            for index, source in enumerate(sources)]


# --- the handout as units --------------------------------------------------------------

class _Builder:
    def __init__(self, handout: LocalizedDocument, settings: BrailleSettings,
                 translations: gettext.NullTranslations) -> None:
        self.handout = handout
        self.settings = settings
        self._ = translations.gettext
        self.translations = translations
        self.table = table_for(handout.locale, settings)
        self.translator = Translator(handout.document.path, settings)
        self.units: list[Unit | BlankLine] = []

    def part(self, segment: Segment) -> Part:
        table = self.table if segment.lang is None else table_for(segment.lang, self.settings)
        return Part(tuple(inline_runs(segment.text)), table, segment.line)

    def words(self, text: str, bold: bool = False) -> Part:
        return Part((Run(text, bold),), self.table)

    def add(self, style: Style, *parts: Part) -> None:
        cells, breaks = self.translator.cells(parts)
        if cells:
            self.units.append(Unit(style, cells, breaks))

    def build(self) -> list[Unit | BlankLine]:
        handout, _ = self.handout, self._
        self.add(CENTERED, self.part(handout.title))
        if handout.translation == "translated":
            self.add(PARAGRAPH, self.words(_("This translation has not been reviewed yet."),
                                           True),
                     self.words(_("Ask your care team if anything is unclear.")))
        elif handout.translation == "draft":
            self.add(PARAGRAPH, self.words(_("DRAFT"), True), self.words(_(
                "This translation is not finished and has not been reviewed. "
                "Parts of it are in the original language.")))
        meta = handout.document.meta
        locale = babel_locale(handout.locale)
        if meta.last_reviewed:
            self.add(PARAGRAPH, self.words(_("Last reviewed: %(date)s") % {
                "date": format_date(meta.last_reviewed, "long", locale=locale)}))
        if meta.review_due:
            self.add(PARAGRAPH, self.words(_("Next review due: %(date)s") % {
                "date": format_date(meta.review_due, "long", locale=locale)}))
        self.blocks(handout.blocks, level=0)
        self.about()
        return self.units

    def blocks(self, blocks: tuple[Block, ...], level: int, item: bool = False) -> None:
        for block in blocks:
            if isinstance(block, Heading):
                style = CENTERED if block.level <= 1 else CELL_5 if block.level == 2 else CELL_7
                self.add(style, self.part(block.segment))
            elif isinstance(block, Paragraph):
                self.add(list_item(level - 1, continued=True) if item else PARAGRAPH,
                         self.part(block.segment))
            elif isinstance(block, ListBlock):
                self.list(block, level)
            elif isinstance(block, Quote):
                self.units.append(BlankLine())
                self.blocks(block.blocks, level, item)
                self.units.append(BlankLine())
            elif isinstance(block, Table):
                self.table_block(block)
            elif isinstance(block, Card):
                self.card(block)

    def list(self, block: ListBlock, level: int) -> None:
        if level == 0:
            self.units.append(BlankLine())
        bullet = "•" if lou.is_defined("•", self.table) else ""
        for number, item in enumerate(block.items, start=block.start):
            marker = f"{number}." if block.ordered else bullet
            first, *rest = item.blocks or (None,)
            if isinstance(first, Paragraph):
                parts = [self.words(marker)] if marker else []
                self.add(list_item(level), *parts, self.part(first.segment))
            else:
                rest = [b for b in item.blocks]
            self.blocks(tuple(rest), level + 1, item=True)
        if level == 0:
            self.units.append(BlankLine())

    def table_block(self, table: Table) -> None:
        self.units.append(BlankLine())
        for row in table.rows:
            for index, cell in enumerate(row):
                # A listed table: each row an item, each cell "Header: value".
                header = table.header[index] if index < len(table.header) else None
                style = list_item(0 if index == 0 else 1)
                if header is not None and header.text.strip():
                    label = self.part(header)
                    label = Part((*label.runs, Run(":")), label.table, label.line)
                    self.add(style, label, self.part(cell))
                else:
                    self.add(style, self.part(cell))
        self.units.append(BlankLine())

    def card(self, card: Card) -> None:
        _ = self._
        if card.title:
            self.add(PARAGRAPH, Part(tuple(Run(r.text, True, r.address)
                                           for r in inline_runs(card.title.text)),
                                     self.part(card.title).table, card.title.line))
        if card.text:
            self.add(PARAGRAPH, self.part(card.text))
        self.add(PARAGRAPH, self.words(_("Picture online:")), self.part(card.image_alt))
        link = [self.words(_("Learn more online") + (":" if card.title else ""))]
        if card.title:
            link.append(self.part(card.title))
        address = Part((Run("("), Run(short_url(card.href), address=True), Run(")")),
                       self.table)
        self.add(PARAGRAPH, *link, address)

    def about(self) -> None:
        meta, _ = self.handout.document.meta, self._
        rows = []
        if meta.source:
            rows.append((_("Source"), meta.source, short_url(meta.url) if meta.url else ""))
        if meta.citation:
            rows.append((_("Citation"), meta.citation, ""))
        if meta.license:
            rows.append((_("License"), license_name(meta.license, self.translations), ""))
        if meta.version:
            rows.append((_("Version"), meta.version, ""))
        if not rows:
            return
        self.add(CELL_5, self.words(_("About this handout")))
        for label, value, address in rows:
            runs = [Run(f"{label}: {value}")]
            if address:
                runs += [Run(" ("), Run(address, address=True), Run(")")]
            self.add(list_item(0), Part(tuple(runs), self.table))


# --- the files -------------------------------------------------------------------------

def render_braille(handout: LocalizedDocument, *,
                   settings: BrailleSettings = BrailleSettings(),
                   translations: gettext.NullTranslations | None = None) -> BrailleHandout:
    """The handout's BRF and Unicode braille; RenderError when its table is missing."""
    builder = _Builder(handout, settings, translations or gettext.NullTranslations())
    units = builder.build()
    table, layout = builder.table, layout_for(handout.locale, settings)
    continuation = UEB_CONTINUATION if table.startswith("en-ueb") else ()
    stream = lay_out(units, continuation)
    pages = pages_with_numbers(stream, layout,
                               lambda n: lou.translate(str(n), table).cells)
    brf = "\f".join("".join(lou.to_brf(strip(line)) + "\r\n" for line in page)
                    for page in pages)
    return BrailleHandout(brf.encode("ascii"), display_text(units), len(pages), table, layout,
                          tuple(builder.translator.problems))


#: The license names the seeds use, as templates/handout.html names them (where Babel
#: extracts them, msgctxt "license"); braille shows the same translated names.
LICENSE_NAMES = {"public_domain": "Public domain", "cc-by-4.0": "CC BY 4.0",
                 "cc-by-sa-4.0": "CC BY-SA 4.0"}


def license_name(key: str, translations) -> str:
    if key in LICENSE_NAMES:
        return translations.pgettext("license", LICENSE_NAMES[key])
    return key.replace("_", " ")


def display_text(units: list[Unit | BlankLine]) -> str:
    """Unicode braille, one block a line, for displays that wrap lines themselves."""
    lines: list[str] = []
    for unit in units:
        if isinstance(unit, BlankLine) or unit.style.blank_before:
            if lines and lines[-1]:
                lines.append("")
        if isinstance(unit, Unit):
            indent = 0 if unit.style.centered else unit.style.first
            lines.append(lou.to_unicode((0,) * indent + unit.cells))
            if unit.style.blank_after:
                lines.append("")
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines) + "\n"
