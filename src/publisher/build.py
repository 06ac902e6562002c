"""`build(options) -> BuildResult`: seeds → localize → render HTML → render PDF → write.

The build keeps going after a failure (a bad seed, a handout that cannot render),
counts what failed, and reports it; the command line turns that into exit status 1.
"""

from __future__ import annotations

import dataclasses
import gettext
import os
import multiprocessing
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from contextlib import contextmanager
from itertools import islice
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable, Iterable, Iterator

import segno

from .catalogs import load_interface
from .config import Config, load_config, with_overrides
from .dashboard import write_dashboard
from .cache import Cache, no_cache, project_cache
from .errors import CatalogError, Problem, PublisherError, RenderError, error
from .fingerprint import code_hash, environment_hash, interface_hash, job_fingerprint
from .fonts import missing_glyphs_message, uncovered
from .inline import to_plain_text
from .locales import human_size, native_name
from .model import Document, LocalizedDocument, NotPublished, segments
from .plan import Plan, plan
from .render_html import Alternate, HtmlRenderer, PdfLink
from .seeds import load_seeds, overdue
from .site import write_site
from .write_dist import (MANIFEST, Manifest, ManifestEntry, read_manifest, remove_stale,
                         write_file,
                         write_manifest)

FORMATS = ("html", "pdf")
#: Tasks a worker process runs before a fresh one takes over (costs ~0.5 s).
HANDOUTS_PER_WORKER = 200


@dataclass(frozen=True)
class BuildOptions:
    project: Path
    out: Path | None = None
    locales: tuple[str, ...] = ()
    formats: tuple[str, ...] = FORMATS
    require: str | None = None
    jobs: int | None = None
    statuses: tuple[str, ...] = ("active",)
    today: date | None = None
    #: Address of a Dask scheduler (tcp://host:port) to render on instead of locally.
    scheduler: str | None = None
    #: Keep parsed seeds and catalogs in PROJECT/.publisher-cache/ between builds.
    cache: bool = True

    @property
    def out_dir(self) -> Path:
        return self.out or self.project / "dist"


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


@dataclass(frozen=True)
class RenderedHandout:
    job: RenderJob
    html: str | None
    pdf: bytes | None
    pages: int | None
    problems: tuple[Problem, ...]

    @property
    def failed(self) -> bool:
        return any(p.is_error for p in self.problems) or (
            "pdf" in self.job.formats and self.pdf is None)


@dataclass
class BuildResult:
    manifest: Manifest = field(default_factory=Manifest)
    problems: list[Problem] = field(default_factory=list)
    failed: int = 0
    #: Handouts rendered in this build, and those whose fingerprint had not changed.
    rendered: int = 0
    reused: int = 0


def build(options: BuildOptions,
          progress: Callable[[str, int, int], None] | None = None) -> BuildResult:
    config = with_overrides(load_config(options.project), require=options.require)
    result = BuildResult()
    cache = project_cache(options.project, code_hash()) if options.cache else no_cache()
    with local_workers(options, config) as pool:
        documents = load_stage(options, config, cache, result)
        planned = plan_stage(options, config, documents, cache, result, pool)
        interface = interface_catalogs(options.project,
                                       {h.locale for h in planned.handouts}, result)
        jobs = fingerprinted(plan_jobs(planned.handouts, config, options.formats),
                             options.project, config)
        to_render = keep_unchanged(jobs, options, result)
        for rendered in render_all(to_render, options, config, progress, pool):
            write_stage(options.out_dir, rendered, result)
    result.manifest.handouts.sort(key=lambda e: (e.locale, e.slug))
    out = options.out_dir
    write_site(out, options.project, config, result.manifest, interface)
    write_dashboard(out, options.project, config, planned.rows, interface)
    remove_stale(out, {path for e in result.manifest.handouts
                       for path in (e.html, e.pdf) if path})
    write_manifest(out, result.manifest)
    if not options.locales:
        cache.prune()
    return result


@contextmanager
def local_workers(options: BuildOptions, config: Config) -> Iterator[LocalPool | None]:
    """The local process pool; None for a serial or Dask build."""
    workers = options.jobs or os.cpu_count() or 1
    if options.scheduler or workers <= 1:
        yield None
        return
    pool = LocalPool(workers, options.project.resolve(), config)
    try:
        # With no previous build everything will be rendered: start the workers now,
        # to be ready when seeds and catalogs are loaded; a rebuild with little to
        # do never pays for them.
        if not (options.out_dir / MANIFEST).exists():
            for _ in range(workers):
                pool.submit(_ready)
        yield pool
    finally:
        pool.close()


class LocalPool:
    """Worker processes for one build, replaced every ``HANDOUTS_PER_WORKER`` tasks.

    Fresh processes (a fork server, not forks of this process, which holds every
    document) that are replaced after a while because Pango and HarfBuzz caches grow
    slowly: memory stays flat however large the corpus.  The replacement is ours, not
    ``max_tasks_per_child``, which can hang in Python 3.11.
    """

    def __init__(self, workers: int, project: Path, config: Config) -> None:
        self.workers = workers
        self.initargs = (project, config)
        self.executor: ProcessPoolExecutor | None = None
        self.tasks = 0

    def submit(self, function: Callable, *args) -> Future:
        if self.executor is None or self.tasks >= HANDOUTS_PER_WORKER * self.workers:
            if self.executor is not None:
                self.executor.shutdown(wait=False)  # its running tasks still finish
            self.executor = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("forkserver"),
                initializer=_start_worker, initargs=self.initargs)
            self.tasks = 0
        self.tasks += 1
        return self.executor.submit(function, *args)

    def map(self, function: Callable, items: Iterable) -> Iterator:
        """``function`` over ``items`` in order, a few in flight at a time."""
        pending = iter(items)
        running = deque(self.submit(function, item) for item in islice(pending, 4 * self.workers))
        while running:
            yield running.popleft().result()
            running.extend(self.submit(function, item) for item in islice(pending, 1))

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True)


def _ready() -> None:
    """Nothing: submitting it makes the pool start its workers now."""


def load_stage(options: BuildOptions, config: Config, cache: Cache,
               result: BuildResult) -> tuple[Document, ...]:
    loaded = load_seeds(options.project, statuses=options.statuses,
                        default_language=config.source_language, cache=cache)
    result.problems.extend(loaded.problems)
    result.failed += len(loaded.failed)
    today = options.today or date.today()
    result.problems.extend(p for d in loaded.documents if (p := overdue(d, today)))
    result.manifest.skipped.extend(NotPublished(Path(path).stem, "*", reason, path)
                                   for path, reason in loaded.skipped)
    return loaded.documents


def plan_stage(options: BuildOptions, config: Config, documents: tuple[Document, ...],
               cache: Cache, result: BuildResult, pool: LocalPool | None = None) -> Plan:
    locales = options.locales or config.locales
    planned = plan(options.project, documents, locales, config.require, cache, pool)
    if options.locales:
        planned.handouts = [h for h in planned.handouts if h.locale in options.locales]
    result.problems.extend(planned.problems)
    result.failed += planned.failed
    result.manifest.skipped.extend(planned.not_published)
    return planned


def keep_unchanged(jobs: list[RenderJob], options: BuildOptions,
                   result: BuildResult) -> list[RenderJob]:
    """The jobs that must be rendered; the others keep their previous outputs."""
    out = options.out_dir
    previous = read_manifest(out)
    unchanged = {e.fingerprint: e for e in previous.handouts
                 if e.fingerprint and _on_disk(out, e)}
    to_render = []
    for job in jobs:
        if job.fingerprint in unchanged:
            result.manifest.handouts.append(unchanged[job.fingerprint])
            result.reused += 1
        else:
            to_render.append(job)
    if options.locales:  # a partial build keeps the other languages as they were
        result.manifest.handouts.extend(
            e for e in previous.handouts
            if e.locale not in options.locales and _on_disk(out, e))
    return to_render


def write_stage(out: Path, rendered: RenderedHandout, result: BuildResult) -> None:
    result.rendered += 1
    result.problems.extend(rendered.problems)
    handout = rendered.job.handout
    if rendered.failed:
        result.failed += 1
        reason = next((p.message for p in rendered.problems if p.is_error), "unknown error")
        result.manifest.skipped.append(NotPublished(
            handout.slug, handout.locale, f"could not be rendered: {reason}",
            handout.document.path))
        return
    result.manifest.handouts.append(write_handout(out, rendered))


def fingerprinted(jobs: list[RenderJob], project: Path, config: Config) -> list[RenderJob]:
    environment = environment_hash(project, config)
    interface = {loc: interface_hash(project, loc) for loc in {j.handout.locale for j in jobs}}
    return [dataclasses.replace(job, fingerprint=job_fingerprint(
        environment, interface[job.handout.locale], repr(job))) for job in jobs]


def _on_disk(out: Path, entry: ManifestEntry) -> bool:
    return all((out / path).is_file() for path in (entry.html, entry.pdf) if path)


def interface_catalogs(project: Path, locales: set[str],
                       result: BuildResult) -> dict[str, gettext.NullTranslations]:
    """Each locale's interface translations; a broken entry or catalog costs only its
    strings (shown in the source language), and counts as a failed input."""
    found: dict[str, gettext.NullTranslations] = {}
    for locale in sorted(locales):
        try:
            found[locale], notes = load_interface(project, locale)
        except CatalogError as exc:
            found[locale], notes = gettext.NullTranslations(), list(exc.problems)
        result.problems.extend(notes)
        result.failed += any(p.is_error for p in notes)
    return found


def plan_jobs(handouts: list[LocalizedDocument], config: Config,
              formats: tuple[str, ...]) -> list[RenderJob]:
    by_slug: dict[str, list[LocalizedDocument]] = {}
    for handout in handouts:
        by_slug.setdefault(handout.slug, []).append(handout)
    jobs = []
    for handout in handouts:
        alternates = tuple(
            Alternate(other.locale, native_name(other.locale),
                      f"../{other.locale}/{other.slug}.html")
            for other in by_slug[handout.slug] if other.locale != handout.locale)
        canonical = (f"{config.base_url.rstrip('/')}/{handout.locale}/{handout.slug}.html"
                     if config.base_url else "")
        jobs.append(RenderJob(handout, formats, alternates, canonical))
    return jobs


def render_all(jobs: list[RenderJob], options: BuildOptions, config: Config,
               progress: Callable[[str, int, int], None] | None,
               pool: LocalPool | None = None) -> Iterator[RenderedHandout]:
    """Render every job: here, in the process pool, or on a Dask cluster; results
    stream back one by one so that memory does not grow with the corpus."""
    project = options.project.resolve()
    if not jobs:
        return
    if options.scheduler:
        results = _on_dask(jobs, options.scheduler, project, config)
    elif pool is None:
        _start_worker(project, config)
        results = map(render_job, jobs)
    else:
        results = _in_pool(jobs, pool)
    for done, rendered in enumerate(results, start=1):
        if progress:
            progress(f"{rendered.job.handout.locale}/{rendered.job.handout.slug}",
                     done, len(jobs))
        yield rendered


def _in_pool(jobs: list[RenderJob], pool: LocalPool) -> Iterator[RenderedHandout]:
    # Only a few jobs in flight: results are written as they come.
    pending = iter(jobs)
    running = {pool.submit(render_job, job) for job in islice(pending, 2 * pool.workers)}
    while running:
        done, running = wait(running, return_when=FIRST_COMPLETED)
        for future in done:
            yield future.result()
            running.update(pool.submit(render_job, job) for job in islice(pending, 1))


def _on_dask(jobs: list[RenderJob], address: str, project: Path,
             config: Config) -> Iterator[RenderedHandout]:
    # The workers import this package and read the project's templates/ and
    # seeds/assets/ at the same path as here (a shared or copied folder; README).
    from distributed import Client, as_completed as completed
    with Client(address) as client:
        futures = client.map(render_on_worker, jobs, project=project, config=config,
                             pure=False)
        for future in completed(futures):
            yield future.result()
            future.release()


def render_on_worker(job: RenderJob, project: Path, config: Config) -> RenderedHandout:
    """A job on a Dask worker: set up the renderers once per worker process."""
    if _worker.get("project") != project or _worker.get("config") != config:
        _start_worker(project, config)
    return render_job(job)


# One renderer pair per worker process: fonts and parsed templates are reused.
_worker: dict[str, object] = {}


def _start_worker(project: Path, config: Config) -> None:
    from .render_pdf import PdfRenderer
    _worker["project"] = project
    _worker["config"] = config
    _worker["html"] = HtmlRenderer(project / "templates", config)
    _worker["pdf"] = PdfRenderer([project / "templates", project / "seeds" / "assets"])
    _worker["interface"] = {}  # another build (or project) in this process: read them again


def _worker_interface(project: Path, locale: str) -> gettext.NullTranslations:
    # Babel's Translations cannot be pickled: each worker reads the catalog once.
    cache: dict[str, gettext.NullTranslations] = _worker.setdefault("interface", {})
    if locale not in cache:
        try:
            cache[locale] = load_interface(project, locale)[0]
        except CatalogError:  # reported once by the main process
            cache[locale] = gettext.NullTranslations()
    return cache[locale]


def print_html(job: RenderJob) -> str:
    """The page WeasyPrint lays out for the job's PDF (in a started worker)."""
    html_renderer: HtmlRenderer = _worker["html"]  # type: ignore[assignment]
    interface = _worker_interface(_worker["project"], job.handout.locale)  # type: ignore[arg-type]
    return html_renderer.handout(job.handout, medium="print", translations=interface,
                                 canonical=job.canonical, qr=qr_data_uri(job.canonical))


def render_job(job: RenderJob) -> RenderedHandout:
    html_renderer: HtmlRenderer = _worker["html"]  # type: ignore[assignment]
    pdf_renderer = _worker["pdf"]
    project: Path = _worker["project"]  # type: ignore[assignment]
    handout = job.handout
    problems: list[Problem] = []
    pdf_bytes, pages, pdf_link = None, None, None
    try:
        require_glyphs(handout)
        interface = _worker_interface(project, handout.locale)
        if "pdf" in job.formats:
            rendered = pdf_renderer.render(print_html(job), source_path=handout.document.path,
                                           base_url=(project / "templates").as_uri() + "/")
            problems.extend(rendered.problems)
            pdf_bytes, pages = rendered.data, rendered.pages
            pdf_link = PdfLink(f"{handout.slug}.pdf", f"{handout.slug}-{handout.locale}.pdf",
                               pages, human_size(len(pdf_bytes), handout.locale))
        web = None
        if "html" in job.formats:
            web = html_renderer.handout(handout, medium="web", translations=interface,
                                        pdf=pdf_link, alternates=job.alternates,
                                        canonical=job.canonical)
    except PublisherError as exc:
        return RenderedHandout(job, None, None, None, (*problems, *exc.problems))
    except Exception as exc:  # a renderer bug must cost one handout, not the build
        problem = error(handout.document.path,
                        f"could not render the {handout.locale} handout: "
                        f"{type(exc).__name__}: {exc}")
        return RenderedHandout(job, None, None, None, (*problems, problem))
    return RenderedHandout(job, web, pdf_bytes, pages, tuple(problems))


def require_glyphs(handout: LocalizedDocument) -> None:
    """Fail the handout, naming the font package, when a character has no glyph."""
    texts = [handout.title, *segments(handout.blocks)]
    # The raw Markdown will do: its syntax and link targets are ASCII, which the
    # fonts cover, and rendering every segment again would cost more than the check.
    missing = uncovered("".join(s.text for s in texts))
    if missing:
        where = next((s for s in texts if any(c in s.text for c in missing)), handout.title)
        raise RenderError(error(handout.document.path, missing_glyphs_message(missing),
                                line=where.line if where.lang is None else None))


def qr_data_uri(address: str) -> str:
    """A vector QR code for the handout's web address (empty when there is none)."""
    if not address:
        return ""
    svg = segno.make(address, error="m").svg_data_uri(scale=4, border=2, dark="#000",
                                                       light="#fff", xmldecl=False)
    return svg


def write_handout(out: Path, rendered: RenderedHandout) -> ManifestEntry:
    handout = rendered.job.handout
    meta = handout.document.meta
    folder = handout.locale
    digests: dict[str, str] = {}
    pdf_path = html_path = None
    if rendered.pdf is not None:
        pdf_path = f"{folder}/{handout.slug}.pdf"
        digests["pdf"] = write_file(out, pdf_path, rendered.pdf)
    if rendered.html is not None:
        html_path = f"{folder}/{handout.slug}.html"
        digests["html"] = write_file(out, html_path, rendered.html)
    return ManifestEntry(
        slug=handout.slug, locale=handout.locale, title=to_plain_text(handout.title.text),
        html=html_path, pdf=pdf_path, sha256=digests, pages=rendered.pages,
        bytes=len(rendered.pdf) if rendered.pdf is not None else None,
        translation=handout.translation,
        last_reviewed=meta.last_reviewed.isoformat() if meta.last_reviewed else None,
        review_due=meta.review_due.isoformat() if meta.review_due else None,
        tags=meta.tags, cancer_types=meta.cancer_types, fingerprint=rendered.job.fingerprint)
