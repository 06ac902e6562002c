"""`build(options) -> BuildResult`: seeds → localize → render HTML → render PDF → write.

The build keeps going after a failure (a bad seed, a broken catalog, a handout that
cannot render), counts what failed, and reports it; the command line turns that into
exit status 1.  A handout whose inputs fail keeps its last good version published
(marked as kept); a handout is reused only when its files on disk have the hashes the
manifest recorded; and the build deletes only files it wrote (see write_dist.py).
"""

from __future__ import annotations

import dataclasses
import errno
import gettext
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

from . import build_memo
from .assets import copy_pictures
from .cache import Cache, no_cache, project_cache
from .catalog_files import limit_catalog_size
from .catalogs import interface_policy, load_interface
from .config import CONFIG_NAME, Config, load_config, with_overrides
from .dashboard import readabilities_of, write_dashboard
from .errors import CatalogError, ConfigError, OutputError, Problem, error, warning
from .file_stamps import FileHashes
from .fingerprint import environment_hash, interface_hash, job_fingerprint
from .memo import cache_salt
from .inline import to_plain_text
from .locales import native_name
from .model import Document, LocalizedDocument, NotPublished
from .plan import Plan, plan
from .render_extras import EXTRA_FORMATS, file_name
from .render_handout import RenderJob, RenderedHandout
from .render_html import Alternate
from .search import build_search_index
from .seeds import find_seeds, load_seeds, overdue
from .site import write_site
from .site_reuse import SitePages, dashboard_key, search_key, site_key
from .workers import local_workers, render_all
from .worker_preload import worker_count
from .write_dist import (MANIFEST, DistWriter, Manifest, ManifestEntry, Previous,
                         read_previous, remove_stale, remove_temporary_files, verified)

FORMATS = ("html", "pdf", *EXTRA_FORMATS)
#: The project's inputs: an output folder may not be, hold or sit inside one of them.
INPUTS = ("seeds", "templates", "locales", CONFIG_NAME, ".publisher-cache")


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


@dataclass
class BuildResult:
    manifest: Manifest = field(default_factory=Manifest)
    problems: list[Problem] = field(default_factory=list)
    failed: int = 0
    #: Handouts rendered in this build, and those whose fingerprint had not changed.
    rendered: int = 0
    reused: int = 0
    #: Previous handouts still published because their inputs failed this time.
    kept: int = 0
    #: Seeds (by slug) and handouts (slug, locale) whose inputs failed.
    failed_slugs: set[str] = field(default_factory=set)
    failed_handouts: dict[tuple[str, str], str] = field(default_factory=dict)


def build(options: BuildOptions,
          progress: Callable[[str, int, int], None] | None = None) -> BuildResult:
    config = with_overrides(load_config(options.project), require=options.require)
    out = check_output_folder(options.project, options.out_dir)
    require_seeds(options.project)
    cache = project_cache(options.project, cache_salt()) if options.cache else no_cache()
    memo = build_memo.start(options, config, out, cache)
    if (same := memo.recall()) is not None:  # nothing changed since a build like this one
        return same
    result = BuildResult()
    previous = read_previous(out)
    hashes = FileHashes(out, cache.get(FILE_STAMPS, stamps_key(out), {}))
    writer = DistWriter(out, hashes)
    catalog_limit = limit_catalog_size(config.limits.catalog_kb)
    workers = worker_count(options.jobs, options.scheduler)
    # The environment's hash asks fontconfig which file each font is (fc-match, a
    # process per family): ~0.1 s of waiting, done while the seeds load.
    beside = ThreadPoolExecutor(max_workers=1, thread_name_prefix="environment-hash")
    try:
        environment_soon = beside.submit(environment_hash, options.project, config)
        with local_workers(workers, options.project, config,
                           start_now=not (out / MANIFEST).exists()) as pool:
            documents = load_stage(options, config, cache, result)
            planned = plan_stage(options, config, documents, cache, result, pool)
            interface = interface_catalogs(options.project,
                                           {h.locale for h in planned.handouts}, result,
                                           config)
            environment = environment_soon.result()
            jobs = fingerprinted(plan_jobs(planned.handouts, config, options.formats),
                                 options.project, environment)
            to_render = keep_unchanged(jobs, options, previous, result, hashes)
            for rendered in render_all(to_render, options.project, config, progress, pool,
                                       options.scheduler):
                write_stage(writer, rendered, result)
        keep_last_good(out, previous, result, hashes)
        result.manifest.handouts.sort(key=lambda e: (e.locale, e.slug))
        pages = SitePages(cache, hashes, writer)  # each group only if its inputs changed
        pages.write("site", site_key(environment, config, result.manifest, interface,
                                     previous.manifest.pages),
                    lambda: write_site(writer, options.project, config, result.manifest,
                                       interface, previous.manifest.pages))
        pages.write("dashboard", dashboard_key(environment, planned.rows, result.manifest,
                                               interface),
                    lambda: write_dashboard(writer, options.project, config, planned.rows,
                                            interface,
                                            readabilities_of(result.manifest.handouts)))
        result.problems.extend(pages.write("search", search_key(result.manifest),
                                           lambda: build_search_index(writer, out,
                                                                      result.manifest)))
        finish(out, writer, previous, result)
        published = published_files(result.manifest, writer)
        cache.put(FILE_STAMPS, stamps_key(out), hashes.remembered(published))
        memo.record(result, hashes, published)
    except OSError as exc:
        raise output_error(out, exc) from exc
    finally:
        beside.shutdown()
        writer.close()
        limit_catalog_size(catalog_limit)
    if not options.locales:
        cache.prune()
    return result


def check_output_folder(project: Path, out: Path) -> Path:
    """The output folder, if the build may write there: not one of the project's inputs
    nor a folder holding them, not a file, and writable."""
    where = str(out)
    resolved, root = out.resolve(), project.resolve()
    for name in INPUTS:
        source = (root / name).resolve()
        if resolved == source or resolved.is_relative_to(source) or \
                (source.exists() and source.is_relative_to(resolved)):
            raise ConfigError(error(where, f"the output folder may not be or hold the "
                                    f"project's {name}: choose another --out", field="--out"))
    if out.exists() and not out.is_dir():
        raise ConfigError(error(where, "is a file, not a folder", field="--out"))
    try:
        out.mkdir(parents=True, exist_ok=True)
        handle, probe = tempfile.mkstemp(prefix=".publisher-probe.", dir=out)
        os.close(handle)
        os.unlink(probe)
    except OSError as exc:
        raise ConfigError(error(where, f"cannot write here: {exc.strerror}",
                                field="--out")) from exc
    return out


def require_seeds(project: Path) -> None:
    """A build with no seeds would publish an empty site: it is a mistake, not a site."""
    folder = project / "seeds"
    if not folder.is_dir():
        raise ConfigError(error(folder, "no such folder: the seeds (Markdown handouts) "
                                "go here; is --project right?"))
    if not find_seeds(folder):
        raise ConfigError(error(folder, "has no seeds (*.md, *.markdown, *.txt): "
                                "nothing to publish, dist/ left as it was"))


def output_error(out: Path, exc: OSError) -> OutputError:
    where = exc.filename or out
    hint = {errno.ENOSPC: "the disk is full",
            errno.EDQUOT: "the disk quota is used up",
            errno.EROFS: "the output folder is read-only"}.get(exc.errno, exc.strerror)
    return OutputError(error(where, f"cannot write: {hint}; what was published before is "
                             "intact and the next build completes this one"))


def load_stage(options: BuildOptions, config: Config, cache: Cache,
               result: BuildResult) -> tuple[Document, ...]:
    loaded = load_seeds(options.project, statuses=options.statuses,
                        default_language=config.source_language, cache=cache,
                        limits=config.limits)
    result.problems.extend(loaded.problems)
    result.failed += len(loaded.failed)
    result.failed_slugs.update(Path(name).stem for name in loaded.failed)
    today = options.today or date.today()
    result.problems.extend(p for d in loaded.documents if (p := overdue(d, today)))
    result.manifest.skipped.extend(NotPublished(Path(path).stem, "*", reason, path)
                                   for path, reason in loaded.skipped)
    return loaded.documents


def plan_stage(options: BuildOptions, config: Config, documents: tuple[Document, ...],
               cache: Cache, result: BuildResult, pool=None) -> Plan:
    locales = options.locales or config.locales
    planned = plan(options.project, documents, locales, config.require, cache, pool)
    if options.locales:
        planned.handouts = [h for h in planned.handouts if h.locale in options.locales]
    result.problems.extend(planned.problems)
    result.failed += planned.failed
    for skipped in planned.not_published:
        if skipped.failed:
            result.failed_handouts[(skipped.slug, skipped.locale)] = skipped.reason
        else:
            result.manifest.skipped.append(skipped)
    return planned


def keep_unchanged(jobs: list[RenderJob], options: BuildOptions, previous: Previous,
                   result: BuildResult, hashes: FileHashes) -> list[RenderJob]:
    """The jobs that must be rendered; the others keep their previous outputs, when
    the files on disk are exactly what was recorded."""
    out = options.out_dir
    unchanged = {e.fingerprint: e for e in previous.handouts
                 if e.fingerprint and not e.kept}
    to_render = []
    for job in jobs:
        entry = unchanged.get(job.fingerprint)
        if entry is not None and verified(out, entry, hashes):
            result.manifest.handouts.append(entry)
            result.reused += 1
        else:
            to_render.append(job)
    if options.locales:  # a partial build keeps the other languages as they were
        result.manifest.handouts.extend(
            e for e in previous.handouts
            if e.locale not in options.locales and verified(out, e, hashes))
    return to_render


def write_stage(writer: DistWriter, rendered: RenderedHandout, result: BuildResult) -> None:
    result.rendered += 1
    result.problems.extend(rendered.problems)
    result.problems.extend(rendered.extra_problems)
    # An extra format that failed its checks is a failed input; the handout still goes.
    result.failed += any(p.is_error for p in rendered.extra_problems) and not rendered.failed
    if rendered.failed:
        result.failed += 1
        reason = next((p.message for p in rendered.problems if p.is_error), "unknown error")
        result.failed_handouts[rendered.job.key] = f"could not be rendered: {reason}"
        return
    entry = write_handout(writer, rendered)
    writer.finished(entry)
    result.manifest.handouts.append(entry)


def keep_last_good(out: Path, previous: Previous, result: BuildResult,
                   hashes: FileHashes) -> None:
    """A handout whose seed, catalog or rendering failed stays as it was last published
    (marked as kept); a seed that was removed takes its handouts with it."""
    published = {(e.slug, e.locale) for e in result.manifest.handouts}
    for entry in previous.handouts:
        key = (entry.slug, entry.locale)
        if key in published:
            continue
        if entry.slug in result.failed_slugs:
            reason = entry.kept or "its seed could not be read this time"
        elif key in result.failed_handouts:
            reason = entry.kept or result.failed_handouts[key]
        else:
            continue
        if verified(out, entry, hashes):
            result.manifest.handouts.append(dataclasses.replace(entry, kept=reason))
            result.problems.append(warning(entry.html or entry.pdf or out, "the previous "
                                           f"version stays published: {reason}"))
            result.kept += 1
            published.add(key)
    for (slug, locale), reason in result.failed_handouts.items():
        if (slug, locale) not in published:
            result.manifest.skipped.append(NotPublished(slug, locale, reason))


def finish(out: Path, writer: DistWriter, previous: Previous, result: BuildResult) -> None:
    """Remove what we wrote before and no longer publish, then commit the manifest."""
    keep = {path for entry in result.manifest.handouts for path in entry.files}
    keep.update(writer.pages)
    result.problems.extend(remove_stale(out, previous.owned(), keep | {MANIFEST}))
    remove_temporary_files(out, {Path(p).parent.as_posix() for p in keep} - {"."})
    writer.commit(result.manifest)


#: Cache kind of the stamps of the files in an output folder (file_stamps.py).
FILE_STAMPS = "file-stamps"


def stamps_key(out: Path) -> bytes:
    return str(out.resolve()).encode()


def published_files(manifest: Manifest, writer: DistWriter) -> set[str]:
    return {path for entry in manifest.handouts for path in entry.files} | set(writer.pages)


def fingerprinted(jobs: list[RenderJob], project: Path, environment: str) -> list[RenderJob]:
    interface = {loc: interface_hash(project, loc) for loc in {j.handout.locale for j in jobs}}
    return [dataclasses.replace(job, fingerprint=job_fingerprint(
        environment, interface[job.handout.locale], repr(job))) for job in jobs]


def interface_catalogs(project: Path, locales: set[str], result: BuildResult,
                       config: Config) -> dict[str, gettext.NullTranslations]:
    """Each locale's interface translations as the policy allows (reviewed entries only
    under ``reviewed``); a broken entry or catalog costs only its strings (shown in the
    source language), and counts as a failed input."""
    found: dict[str, gettext.NullTranslations] = {}
    for locale in sorted(locales):
        try:
            found[locale], notes = load_interface(project, locale, *interface_policy(
                project, config))
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
    names = {handout.locale: native_name(handout.locale) for handout in handouts}
    jobs = []
    for handout in handouts:
        alternates = tuple(
            Alternate(other.locale, names[other.locale],
                      f"../{other.locale}/{other.slug}.html")
            for other in by_slug[handout.slug] if other.locale != handout.locale)
        canonical = (f"{config.base_url.rstrip('/')}/{handout.locale}/{handout.slug}.html"
                     if config.base_url else "")
        jobs.append(RenderJob(handout, formats, alternates, canonical))
    return jobs


def write_handout(writer: DistWriter, rendered: RenderedHandout) -> ManifestEntry:
    handout = rendered.job.handout
    meta = handout.document.meta
    folder = handout.locale
    digests: dict[str, str] = {}
    pdf_path = html_path = None
    assets: dict[str, str] = {}
    if rendered.pdf is not None:
        pdf_path = f"{folder}/{handout.slug}.pdf"
        digests["pdf"] = writer.write(pdf_path, rendered.pdf)
    extras: dict[str, str] = {}
    for kind, data in sorted(rendered.extras.items()):
        extras[kind] = f"{folder}/{file_name(kind, handout.slug)}"
        digests[kind] = writer.write(extras[kind], data)
    if rendered.html is not None:
        assets = copy_pictures(writer, handout)
        html_path = f"{folder}/{handout.slug}.html"
        digests["html"] = writer.write(html_path, rendered.html)
    return ManifestEntry(
        slug=handout.slug, locale=handout.locale, title=to_plain_text(handout.title.text),
        html=html_path, pdf=pdf_path, sha256=digests, pages=rendered.pages,
        bytes=len(rendered.pdf) if rendered.pdf is not None else None,
        translation=handout.translation,
        last_reviewed=meta.last_reviewed.isoformat() if meta.last_reviewed else None,
        review_due=meta.review_due.isoformat() if meta.review_due else None,
        tags=meta.tags, cancer_types=meta.cancer_types, fingerprint=rendered.job.fingerprint,
        assets=assets, extras=extras,
        readability=dataclasses.asdict(rendered.readability) if rendered.readability else {})
