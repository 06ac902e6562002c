"""Render one handout in one language: the job a worker process runs.

A `RenderJob` carries everything the handout needs (the localized document, the
languages it links to, its web address); `render_job` turns it into a
`RenderedHandout` (the web page, the PDF bytes, the problems).  Each worker process
sets up its renderers once (`start_worker`): fonts, parsed CSS and templates are
reused for every handout it renders.
"""

from __future__ import annotations

import dataclasses
import functools
import gettext
import signal
import threading
from dataclasses import dataclass
from pathlib import Path

from . import collector
from .catalog_files import limit_catalog_size
from .catalogs import interface_policy, load_interface
from .config import Config
from .assets import resolve_pictures
from .errors import CatalogError, Problem, PublisherError, error
from .handout_checks import preflight, require_glyphs
from .locales import human_size
from .model import LocalizedDocument
from .readability import Readability
from .render_extras import render_extras
from .render_html import Alternate, HtmlRenderer, PdfLink
from .worker_preload import freeze_heap


@dataclass(frozen=True)
class RenderJob:
    """Everything one worker needs to render one handout in one language."""
    handout: LocalizedDocument
    formats: tuple[str, ...]
    alternates: tuple[Alternate, ...]
    canonical: str
    #: Everything the handout's bytes depend on (see fingerprint.py).
    fingerprint: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return self.handout.slug, self.handout.locale

    @property
    def label(self) -> str:
        return f"{self.handout.locale}/{self.handout.slug}"


@dataclass(frozen=True)
class RenderedHandout:
    job: RenderJob
    html: str | None
    pdf: bytes | None
    pages: int | None
    problems: tuple[Problem, ...]
    #: Other formats (braille, bilingual: kind -> bytes) and their problems, which
    #: cost only those formats, and the readability figures.
    extras: dict[str, bytes] = dataclasses.field(default_factory=dict)
    extra_problems: tuple[Problem, ...] = ()
    readability: Readability | None = None

    @property
    def failed(self) -> bool:
        return any(p.is_error for p in self.problems) or (
            "pdf" in self.job.formats and self.pdf is None) or (
            "html" in self.job.formats and self.html is None)


def failed_job(job: RenderJob, message: str) -> RenderedHandout:
    """A job that produced nothing, with the reason as the seed's error."""
    return RenderedHandout(job, None, None, None,
                           (error(job.handout.document.path, message),))


# One renderer pair per worker process: fonts and parsed templates are reused.
_worker: dict[str, object] = {}


def start_worker(project: Path, config: Config) -> None:
    from .render_pdf import PdfRenderer  # WeasyPrint: only where handouts are rendered
    limit_catalog_size(config.limits.catalog_kb)
    _worker["project"] = project
    _worker["config"] = config
    _worker["html"] = HtmlRenderer(project / "templates", config)
    _worker["pdf"] = PdfRenderer([project / "templates", project / "seeds" / "assets"])
    _worker["interface"] = {}
    freeze_heap()    # the renderers and templates too, for the life of the worker


def worker_started_for(project: Path, config: Config) -> bool:
    return _worker.get("project") == project and _worker.get("config") == config


def _worker_interface(project: Path, locale: str) -> gettext.NullTranslations:
    # Babel's Translations cannot be pickled: each worker reads the catalog once.
    cache: dict[str, gettext.NullTranslations] = _worker.setdefault("interface", {})
    if locale not in cache:
        try:
            cache[locale] = load_interface(project, locale, *interface_policy(
                project, _worker["config"]))[0]  # type: ignore[arg-type]
        except CatalogError:  # reported once by the main process
            cache[locale] = gettext.NullTranslations()
    return cache[locale]


def print_html(job: RenderJob) -> str:
    """The page WeasyPrint lays out for the job's PDF (in a started worker)."""
    html_renderer: HtmlRenderer = _worker["html"]  # type: ignore[assignment]
    interface = _worker_interface(_worker["project"], job.handout.locale)  # type: ignore[arg-type]
    return html_renderer.handout(job.handout, medium="print", translations=interface,
                                 canonical=job.canonical, qr=qr_data_uri(job.canonical))


class RenderTimeout(BaseException):
    """Rendering one handout took longer than ``limits.render_seconds``.

    A BaseException, so that no ``except Exception`` inside a library swallows it.
    """


def _alarm(signum, frame) -> None:
    # Where the alarm lands, Python may swallow the exception: in a finalizer the
    # garbage collector runs (WeasyPrint's FontConfiguration.__del__ did) or a C
    # library's callback.  The alarm comes again until one is raised where it counts;
    # render_job clears it.
    signal.setitimer(signal.ITIMER_REAL, 0.05)
    raise RenderTimeout


def render_job(job: RenderJob) -> RenderedHandout:
    """Render one job within the time limit (when the process can keep the time)."""
    config: Config = _worker["config"]  # type: ignore[assignment]
    seconds = config.limits.render_seconds
    timed = threading.current_thread() is threading.main_thread()
    if timed:
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        with collector.paused():
            return _render(job)
    except RenderTimeout:
        signal.setitimer(signal.ITIMER_REAL, 0)  # before the repeated alarm comes
        return failed_job(job, f"rendering the {job.handout.locale} handout took longer than "
                          f"{seconds} s (limits.render_seconds in publisher.toml): stopped")
    finally:
        if timed:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)


def _render(job: RenderJob) -> RenderedHandout:
    html_renderer: HtmlRenderer = _worker["html"]  # type: ignore[assignment]
    pdf_renderer = _worker["pdf"]
    project: Path = _worker["project"]  # type: ignore[assignment]
    handout = job.handout
    problems: list[Problem] = []
    pdf_bytes, pages, pdf_link = None, None, None
    try:
        handout = resolve_pictures(handout, project)
        job = dataclasses.replace(job, handout=handout)
        require_glyphs(handout)
        interface = _worker_interface(project, handout.locale)
        if "pdf" in job.formats:
            rendered = pdf_renderer.render(print_html(job), source_path=handout.document.path,
                                           base_url=(project / "templates").as_uri() + "/")
            problems.extend(rendered.problems)
            pdf_bytes, pages = rendered.data, rendered.pages
            pdf_link = PdfLink(f"{handout.slug}.pdf", f"{handout.slug}-{handout.locale}.pdf",
                               pages, human_size(len(pdf_bytes), handout.locale))
        extras = render_extras(handout, job.formats, config=_worker["config"],
                               interface=interface, html_renderer=html_renderer,
                               pdf_renderer=pdf_renderer, project=project,
                               canonical=job.canonical)  # type: ignore[arg-type]
        web = None
        if "html" in job.formats:
            web = html_renderer.handout(handout, medium="web", translations=interface,
                                        pdf=pdf_link, alternates=job.alternates,
                                        canonical=job.canonical,
                                        extras=extras.links(handout.slug))
        problems.extend(preflight(handout, web, pdf_bytes))
    except PublisherError as exc:
        return RenderedHandout(job, None, None, None, (*problems, *exc.problems))
    except MemoryError:
        return RenderedHandout(job, None, None, None, (*problems, error(
            handout.document.path, f"rendering the {handout.locale} handout needed more "
            "memory than limits.worker_memory_mb allows")))
    except RecursionError:
        return RenderedHandout(job, None, None, None, (*problems, error(
            handout.document.path, f"the {handout.locale} handout is nested too deeply "
            "to lay out")))
    except Exception as exc:  # a renderer bug must cost one handout, not the build
        problem = error(handout.document.path,
                        f"could not render the {handout.locale} handout: "
                        f"{type(exc).__name__}: {exc}")
        return RenderedHandout(job, None, None, None, (*problems, problem))
    return RenderedHandout(job, web, pdf_bytes, pages, tuple(problems), extras.files,
                           tuple(extras.problems), extras.readability)


@functools.lru_cache(maxsize=4096)
def qr_data_uri(address: str) -> str:
    """A vector QR code for the handout's web address (empty when there is none).

    Cached by address: the code depends on nothing else, and segno's mask search is
    the cost (a worker asked again for the same address, as for the bilingual
    handout or a rebuild in a long-lived worker, gets the same string at once)."""
    if not address:
        return ""
    import segno  # workers only (the fork server loads it: worker_preload.py)

    from . import qr_mask
    qr_mask.install()  # segno's mask search, 40 times faster, the same code
    svg = segno.make(address, error="m").svg_data_uri(scale=4, border=2, dark="#000",
                                                       light="#fff", xmldecl=False)
    return svg
