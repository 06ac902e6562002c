"""Parsed stylesheets kept across handouts in one process.

WeasyPrint parses a document's ``<link>``ed and ``<style>`` stylesheets for every
document (tinycss2, then selector compilation and declaration validation): ~9 ms of
a 10-page handout's ~300, the same work for every handout, since they all link
``print.css`` and carry one of a few ``<style>`` blocks (one per language).

While a ``StylesheetCache`` is in use (``reusing``), WeasyPrint's stylesheet
constructor, as ``find_stylesheets`` calls it, returns the stylesheet parsed for an
earlier document when its text (``<style>``) or its address and the bytes of every
file it read (``print.css`` and what it imports) are the same, and replays what
parsing it added to the document: its ``@page`` rules, in the same place.  A sheet
whose parsing added anything else to the document (cascade layers, counter styles,
colour profiles) or logged a warning (which each handout then reports, as before)
is not kept.  The PDF is the same bytes (tests/test_css_cache.py).
"""

from __future__ import annotations

import copy
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import weasyprint
import weasyprint.css

_parse_css = weasyprint.CSS
_active = threading.local()

# How find_stylesheets calls the constructor: anything else (an @import, which passes
# the importing sheet's matcher, or a user stylesheet) is parsed as WeasyPrint does.
_FIND_STYLESHEETS_ARGUMENTS = frozenset({
    "string", "url", "base_url", "url_fetcher", "media_type", "font_config",
    "counter_style", "color_profiles", "page_rules", "layers", "_check_mime_type"})


@dataclass
class _Parsed:
    css: weasyprint.CSS
    page_rules: list            # what parsing it appended to the document's @page rules
    read: tuple[tuple[Path, bytes], ...]   # every file it read, with its bytes


class StylesheetCache:
    """Stylesheets parsed with one fetcher and one font configuration."""

    def __init__(self, fetcher: object, font_config: object,
                 read_files: Callable[[], Iterator[list[tuple[Path, bytes]]]]) -> None:
        self.fetcher, self.font_config = fetcher, font_config
        #: A context manager giving the list the fetcher appends each file it reads to.
        self.read_files = read_files
        self.entries: dict[tuple, _Parsed] = {}

    def stylesheet(self, arguments: dict) -> weasyprint.CSS:
        key = (arguments.get("string"), arguments.get("url"), arguments.get("base_url"),
               arguments.get("media_type"), arguments.get("_check_mime_type"))
        page_rules, layers = arguments["page_rules"], arguments["layers"]
        entry = self.entries.get(key)
        if entry is not None and all(path.read_bytes() == data for path, data in entry.read):
            css = copy.copy(entry.css)  # the document's own lists, as parsing gives it
            css.page_rules, css.layers = page_rules, layers
            page_rules.extend(entry.page_rules)
            return css
        before = (len(page_rules), len(layers), dict(arguments["counter_style"]),
                  dict(arguments.get("color_profiles") or {}))
        with self.read_files() as read, _warnings() as warned:
            css = _parse_css(**arguments)
        after = (len(page_rules), len(layers), dict(arguments["counter_style"]),
                 dict(arguments.get("color_profiles") or {}))
        if before[1:] == after[1:] and not warned:
            self.entries[key] = _Parsed(css, page_rules[before[0]:], tuple(read))
        else:
            self.entries.pop(key, None)
        return css


@contextmanager
def _warnings() -> Iterator[list[logging.LogRecord]]:
    """WeasyPrint's warnings from this thread while the block runs."""
    thread, found = threading.get_ident(), []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.thread == thread:
                found.append(record)

    handler = Collect(logging.WARNING)
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield found
    finally:
        logger.removeHandler(handler)


def _css(*args, **kwargs) -> weasyprint.CSS:
    cache: StylesheetCache | None = getattr(_active, "cache", None)
    if cache is None or args or not set(kwargs) <= _FIND_STYLESHEETS_ARGUMENTS \
            or kwargs.get("url_fetcher") is not cache.fetcher \
            or kwargs.get("font_config") is not cache.font_config \
            or kwargs.get("page_rules") is None or kwargs.get("layers") is None \
            or kwargs.get("counter_style") is None:
        return _parse_css(*args, **kwargs)
    return cache.stylesheet(kwargs)


@contextmanager
def reusing(cache: StylesheetCache) -> Iterator[None]:
    """Within this block, this thread's documents reuse ``cache``'s stylesheets."""
    _active.cache = cache
    try:
        yield
    finally:
        _active.cache = None


# find_stylesheets (and @import) call the name CSS of weasyprint.css's namespace.
weasyprint.css.CSS = _css  # type: ignore[attr-defined]
