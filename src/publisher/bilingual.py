"""A bilingual handout: the translation and the source, block by block, in one HTML page
and one tagged PDF, each block marked with its own language.

Block by block, not side by side.  Large print is 18 pt (24 pt extra-large) on a
6.5-inch (letter) or 6.27-inch (A4) measure between 1-inch margins: about 50
characters a line.  Two columns would leave about 24 — two or three words, a
web address or "quimioterapia adyuvante" broken over lines, a ragged column beside
a column of different length (Spanish runs about a fifth longer than English,
Arabic is set right to left), and tables that no longer fit.  Stacked pairs keep
the full measure for both languages and one reading order for screen readers and
for the PDF's structure tree, and the nurse still finds the English under each
block: the patient's language comes first, the source follows at the same size, set
off by a rule on its starting side.

Pairs line up because localize maps every segment of the source 1:1 (same blocks,
same order): the translation's blocks are walked with the source's segments beside
them.  Headings pair inside one heading element (``<h2>`` holding a ``<span
lang="es">`` and a ``<span lang="en">``), so the outline has one entry per section
and the handout one H1.  Each text carries ``lang`` and ``dir`` in the HTML, which
the PDF stage turns into ``/Lang`` on its structure element (pdfua.py).

The publication policy is the translation's: only a published (reviewed, or what
``publish.require`` allows) translation gets a bilingual handout.
"""

from __future__ import annotations

import gettext
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from .errors import Problem, PublisherError, RenderError, error
from .locales import native_name
from .model import LocalizedDocument, Segment, map_segments, segments
from .render_html import HtmlRenderer, paper_links


@dataclass(frozen=True)
class SegmentPair:
    """One text in both languages; ``*_lang`` are the languages they are written in."""
    translation: Segment
    source: Segment
    translation_lang: str
    source_lang: str

    # The block macros and paper_links read a segment's text and line.
    @property
    def text(self) -> str:
        return self.translation.text

    @property
    def line(self) -> int:
        return self.translation.line


class RenderedBilingual(NamedTuple):
    html: str | None
    pdf: bytes | None
    pages: int | None
    problems: tuple[Problem, ...]


def pair_blocks(source: LocalizedDocument, translation: LocalizedDocument):
    """The translation's blocks with every segment replaced by its `SegmentPair`
    (RenderError when the two do not have the same blocks)."""
    theirs = [source.title, *segments(source.blocks)]
    ours = [translation.title, *segments(translation.blocks)]
    shapes = [type(b).__name__ for b in source.blocks], [type(b).__name__
                                                          for b in translation.blocks]
    if len(theirs) != len(ours) or shapes[0] != shapes[1]:
        raise RenderError(error(translation.document.path,
                                f"the {translation.locale} handout's blocks do not match the "
                                f"source's ({len(ours)} texts, {len(theirs)} in the source)"))
    pairs = iter(theirs[1:])

    def paired(segment: Segment) -> SegmentPair:
        return make_pair(segment, next(pairs), source, translation)

    blocks = map_segments(translation.blocks, paired)  # type: ignore[arg-type]
    return make_pair(translation.title, source.title, source, translation), blocks


def make_pair(ours: Segment, theirs: Segment, source: LocalizedDocument,
              translation: LocalizedDocument) -> SegmentPair:
    return SegmentPair(ours, theirs, ours.lang or translation.locale,
                       theirs.lang or source.locale)


def bilingual_html(renderer: HtmlRenderer, source: LocalizedDocument,
                   translation: LocalizedDocument, *, medium: str,
                   translations: gettext.NullTranslations, canonical: str = "") -> str:
    """The page: ``medium="print"`` for WeasyPrint, ``"web"`` for the HTML twin."""
    title, blocks = pair_blocks(source, translation)
    return renderer.page(
        "bilingual.html", translation.locale, translations, medium=medium, root="../",
        title=title, blocks=blocks, meta=translation.document.meta,
        state=translation.translation, canonical=canonical,
        translation_name=native_name(translation.locale),
        source_name=native_name(source.locale),
        paper_links=paper_links(translation) if medium == "print" else [])


def render_bilingual(source: LocalizedDocument, translation: LocalizedDocument, *,
                     html_renderer: HtmlRenderer, pdf_renderer, project: Path,
                     translations: gettext.NullTranslations | None = None,
                     canonical: str = "",
                     formats: tuple[str, ...] = ("html", "pdf")) -> RenderedBilingual:
    """The bilingual web page and PDF of a published translation of ``source``.

    ``pdf_renderer`` is a `render_pdf.PdfRenderer` (WeasyPrint is imported only where
    handouts are rendered); problems name the seed, as for the normal handout.
    """
    interface = translations or gettext.NullTranslations()
    try:
        pdf = pages = None
        problems: list[Problem] = []
        if "pdf" in formats:
            page = bilingual_html(html_renderer, source, translation, medium="print",
                                  translations=interface, canonical=canonical)
            rendered = pdf_renderer.render(page, source_path=translation.document.path,
                                           base_url=(project / "templates").as_uri() + "/")
            pdf, pages = rendered.data, rendered.pages
            problems.extend(rendered.problems)
        web = None
        if "html" in formats:
            web = bilingual_html(html_renderer, source, translation, medium="web",
                                 translations=interface, canonical=canonical)
    except PublisherError as exc:
        return RenderedBilingual(None, None, None, tuple(exc.problems))
    return RenderedBilingual(web, pdf, pages, tuple(problems))
