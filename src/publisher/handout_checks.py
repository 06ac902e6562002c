"""What a handout must pass before it is published, checked in the worker that renders it.

- Every character a reader sees has a glyph: the check reads the text as the handout
  shows it (entities decoded, Markdown removed, translations and code included),
  not the Markdown source.
- The files pass the rules of ``publisher check`` (``preflight/``): the build never
  publishes what its own preflight refuses.  A failure names the seed and the
  handout's language.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from .errors import Problem, RenderError, error
from .fonts import missing_glyphs_message, uncovered
from .inline import to_plain_text
from .model import (Block, Card, CodeBlock, Figure, Heading, ListBlock, LocalizedDocument,
                    Paragraph, Quote, Segment, Table)


def shown_texts(handout: LocalizedDocument, *, as_written: bool = False
                ) -> list[tuple[str, Segment | None, int | None]]:
    """(text as shown, its segment if any, its seed line) for everything in the body;
    with ``as_written``, the segments' Markdown instead of the text it shows."""
    found: list[tuple[str, Segment | None, int | None]] = []

    def add(segment: Segment | None) -> None:
        if segment is not None and segment.text:
            shown = segment.text if as_written else to_plain_text(segment.text)
            found.append((shown, segment, segment.line))

    def walk(blocks: tuple[Block, ...]) -> None:
        for block in blocks:
            if isinstance(block, (Heading, Paragraph)):
                add(block.segment)
            elif isinstance(block, CodeBlock):
                found.append((block.text, None, block.line))
            elif isinstance(block, Figure):
                add(block.alt)
                add(block.caption)
            elif isinstance(block, ListBlock):
                for item in block.items:
                    walk(item.blocks)
            elif isinstance(block, Quote):
                walk(block.blocks)
            elif isinstance(block, Table):
                for segment in (*block.header, *(c for row in block.rows for c in row)):
                    add(segment)
            elif isinstance(block, Card):
                for segment in (block.image_alt, block.title, block.text):
                    add(segment)

    add(handout.title)
    walk(handout.blocks)
    return found


def require_glyphs(handout: LocalizedDocument) -> None:
    """RenderError naming the font package when a shown character has no glyph."""
    # Markdown shows characters of its source and hides others, but for entities
    # (&ouml;) and NUL (shown as U+FFFD): without them, a source every character of
    # which has a glyph shows only such characters, and is not read as text again.
    written = "".join(text for text, _, _ in shown_texts(handout, as_written=True))
    if "&" not in written and "\0" not in written and not uncovered("".join(set(written))):
        return
    texts = shown_texts(handout)
    # Each character once: the font coverage is asked per character, and a handout
    # shows thousands of characters but a few dozen distinct ones.
    missing = uncovered("".join(set("".join(text for text, _, _ in texts))))
    if not missing:
        return
    segment, line = next(((s, l) for t, s, l in texts if any(c in t for c in missing)),
                         (None, None))
    if segment is not None and segment.lang is not None:
        line = None  # a fallback text: its line is in the source, not this language's
    raise RenderError(error(handout.document.path, missing_glyphs_message(missing),
                            line=line))


def preflight(handout: LocalizedDocument, html: str | None, pdf: bytes | None, *,
              min_text_pt: float = 18.0) -> list[Problem]:
    """The ``publisher check`` errors of the rendered files, as the seed's problems.

    The files are checked in memory, by the same rules as files on disk.  The PDF
    is checked without its web page as a twin (``read_twin=False``): the web page
    is not the HTML it was laid out from, and the build checked it so before.
    """
    from .preflight import check_html, check_pdf  # pikepdf: workers only
    found: list[Problem] = []
    for kind, content in (("PDF", pdf), ("HTML", html)):
        if content is None:
            continue
        path = Path(f"{handout.slug}.{kind.lower()}")
        problems = (check_pdf(path, min_text_pt=min_text_pt, data=content, read_twin=False)
                    if kind == "PDF" else check_html(path, alone=True, text=content))
        found.extend(
            dataclasses.replace(
                problem, path=handout.document.path, line=None,
                message=f"the {handout.locale} {kind} fails the preflight "
                        f"(not published): {problem.message}"
                        + (f" (line {problem.line} of the {kind})" if problem.line else ""))
            for problem in problems if problem.is_error)
    return found
