"""HTML handout in, tagged PDF/UA-1 bytes out (WeasyPrint 70 with ``pdfua``'s fixes).

Three promises on top of WeasyPrint:

- nothing is fetched from the network: a URL fetcher serves only files under
  the allowed roots and ``data:`` URIs, and refuses everything else;
- what WeasyPrint only logs (missing alt text or ``lang``, failed fetches) comes
  back as ``Problem`` records naming the handout, and nothing is printed;
- the same HTML gives the same bytes (dates come from the document's
  ``dcterms.created``/``dcterms.modified`` meta elements, ``/ID`` is derived
  from the content, font subset prefixes are content hashes).
"""

from __future__ import annotations

import logging
import mimetypes
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import DataHandler, Request

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import css_cache, html_tree, pdfua
from .pdf_write import serialize_once
from .errors import Problem, error, warning

# The tagging extension has to be in place before any PDF is written; it is
# idempotent, so importing this module any number of times installs it once.
pdfua.install()


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    pages: int
    problems: tuple[Problem, ...]


class FetchRefused(PermissionError):
    """A resource outside the project (or on the network) was asked for."""


class LocalFetcher(URLFetcher):
    """Serve ``file:`` URLs under ``roots`` and ``data:`` URIs; refuse the rest.

    Subclasses WeasyPrint's ``URLFetcher`` because WeasyPrint 70 reads private
    attributes of the fetcher (``_fail_on_errors``), so a plain function no
    longer works; ``fetch`` is replaced entirely, so urllib's network handlers
    set up by the base class are never used.
    """

    def __init__(self, roots: Sequence[Path]) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self.roots = tuple(Path(root).resolve() for root in roots)
        self._read: list[tuple[Path, bytes]] | None = None

    @contextmanager
    def recording(self) -> Iterator[list[tuple[Path, bytes]]]:
        """The files this fetcher reads while the block runs, with their bytes."""
        saved, self._read = self._read, []
        try:
            yield self._read
        finally:
            self._read = saved

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            # urllib's DataHandler decodes the URI in memory.
            response = DataHandler().data_open(Request(url))
            return URLFetcherResponse(url, response.read(), dict(response.headers))
        if scheme == "file":
            path = self.allowed_path(url)
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            data = path.read_bytes()
            if self._read is not None:
                self._read.append((path, data))
            return URLFetcherResponse(url, data, {"Content-Type": content_type})
        raise FetchRefused(f"refused {url}: only project files and data: URIs are allowed")

    def allowed_path(self, url: str) -> Path:
        """The real path of a ``file:`` URL, if it lies under an allowed root."""
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise FetchRefused(f"refused {url}: remote file URL")
        # resolve() follows symlinks, so a link pointing out of a root is refused.
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(root) for root in self.roots):
            raise FetchRefused(f"refused {url}: outside the project's templates and assets")
        if not path.is_file():
            raise FileNotFoundError(f"no such file: {path}")
        return path


class PdfRenderer:
    """Reusable across many handouts in one process: keeps one weasyprint
    FontConfiguration and caches parsed CSS by file."""

    def __init__(self, allowed_roots: Sequence[Path]) -> None:
        self.fetcher = LocalFetcher(allowed_roots)
        self.font_config = FontConfiguration()
        self.parsed_css = css_cache.StylesheetCache(self.fetcher, self.font_config,
                                                    self.fetcher.recording)
        self._stylesheets: dict[Path, tuple[tuple[int, int], weasyprint.CSS]] = {}

    def stylesheet(self, path: Path) -> weasyprint.CSS:
        """Parsed stylesheet for ``path``, reparsed only when the file changes."""
        path = self.fetcher.allowed_path(Path(path).resolve().as_uri())
        stat = path.stat()
        stamp = (stat.st_mtime_ns, stat.st_size)
        cached = self._stylesheets.get(path)
        if cached is None or cached[0] != stamp:
            css = weasyprint.CSS(filename=str(path), url_fetcher=self.fetcher,
                                 font_config=self.font_config)
            cached = self._stylesheets[path] = (stamp, css)
        return cached[1]

    def render(self, html: str, *, source_path: str, base_url: str,
               stylesheets: Sequence[Path] = ()) -> RenderedPdf:
        """Render one handout; ``stylesheets`` are applied on top of the
        ``<link>``ed ones and parsed once per process."""
        with _captured_log(source_path) as problems, css_cache.reusing(self.parsed_css):
            extra = [self.stylesheet(path) for path in stylesheets]
            document = html_tree.weasyprint_html(
                html, base_url=base_url, url_fetcher=self.fetcher,
            ).render(font_config=self.font_config, stylesheets=extra,
                     pdf_variant="pdf/ua-1")
            # pdf_identifier=True: an /ID derived from the content (pydyf hashes the
            # objects), so the same input gives the same bytes; serialize_once keeps
            # pydyf from compressing every stream a second time for that hash.
            data = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=True,
                                      finisher=serialize_once)
        return RenderedPdf(data, len(document.pages), tuple(problems))


# --- WeasyPrint's logger -------------------------------------------------------

_LOGGERS = ("weasyprint", "weasyprint.progress")
_capture_lock = threading.Lock()
_capturing = 0                                  # captures active in any thread
_saved: list[tuple[logging.Logger, bool, int]] = []  # state to restore after the last


def _problem(source_path: str, record: logging.LogRecord) -> Problem | None:
    """What a WeasyPrint log record means for the handout, if anything."""
    message = record.getMessage()
    if record.name == "weasyprint.progress" or record.levelno < logging.WARNING:
        return None
    if "has no required alt" in message:
        return error(source_path, message, check="pdf-alt")
    if 'Missing required "lang"' in message:
        return error(source_path, message, check="pdf-lang")
    if message.startswith("Failed to load"):  # images, stylesheets, fonts, attachments
        return warning(source_path, message, check="fetch")
    make = error if record.levelno >= logging.ERROR else warning
    return make(source_path, message, check="weasyprint")


@contextmanager
def _captured_log(source_path: str) -> Iterator[list[Problem]]:
    """Collect this thread's WeasyPrint log records as problems.

    While any capture is active the WeasyPrint loggers stop propagating, so an
    application's root handler prints nothing, and their level is WARNING even
    if the application raised the root level.  The handler keeps only records
    from the rendering thread.
    """
    global _capturing
    problems: list[Problem] = []
    thread = threading.get_ident()

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if record.thread == thread and (problem := _problem(source_path, record)):
                problems.append(problem)

    handler = Collect(logging.WARNING)
    logger = logging.getLogger(_LOGGERS[0])
    with _capture_lock:
        if _capturing == 0:
            for name in _LOGGERS:
                each = logging.getLogger(name)
                _saved.append((each, each.propagate, each.level))
                each.propagate = False
            logger.setLevel(logging.WARNING)
        _capturing += 1
        logger.addHandler(handler)
    try:
        yield problems
    finally:
        with _capture_lock:
            logger.removeHandler(handler)
            _capturing -= 1
            if _capturing == 0:
                for each, propagate, level in _saved:
                    each.propagate = propagate
                    each.setLevel(level)
                _saved.clear()
