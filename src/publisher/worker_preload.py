"""What every worker needs before its first handout, loaded once in the fork server.

The build's workers are forked from multiprocessing's fork server (workers.py).
Whatever the fork server has imported or computed before it forks, every worker
starts with, without paying for it again (the pages are shared until written).
Measured on the clinic corpus (benchmarks/README.md, section 3), each worker spent,
before its first handout was done: ~0.6 CPU s importing WeasyPrint, pikepdf,
pdfminer, Babel, Jinja…; ~1 s on its first English handout loading the CMU
pronouncing dictionary (textstat's syllable counts, readability.py; now ~0.1 s,
pronouncing.py); ~0.2 s reading
the character maps of the font stack (fonts.coverage).  With two workers, and a
fresh pool every ``HANDOUTS_PER_WORKER`` handouts, all of it was paid again each time.

Only what does not depend on the project is loaded here (no templates, no catalogs):
in a long-lived process (``serve --watch``) one fork server serves every build.  A
font coverage with a family missing is not kept, so that installing the package the
error names is seen by the next build.  Nothing here may stop the fork server: a
warm-up that fails is left to the worker, which pays for it, and reports what is
wrong, as it did before.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Iterator

#: Passed to the fork server, which inherits the environment of the process that
#: starts it: the languages whose readability figures need a warm-up, and the build's
#: process id (the fork server stops when it is gone).
LANGUAGES_VARIABLE = "PUBLISHER_PRELOAD_LANGUAGES"
BUILD_VARIABLE = "PUBLISHER_PRELOAD_BUILD"
#: The module the fork server imports: importing it runs `warm_up`.
WARM_UP_MODULE = "publisher.worker_warm_up"
#: A short text in each language whose readability formula loads a dictionary.
WARM_UP_TEXTS = {"en": "Your care team can help."}


@contextmanager
def preloading(locales: Iterable[str]) -> Iterator[None]:
    """A fork server started inside this block imports `WARM_UP_MODULE` (which runs
    `warm_up` for the languages of ``locales``) before it forks the first worker; one
    already running is left as it is."""
    from .locales import language
    languages = sorted({language(locale) for locale in locales} & set(WARM_UP_TEXTS))
    multiprocessing.set_forkserver_preload(["__main__", WARM_UP_MODULE])
    values = {LANGUAGES_VARIABLE: ",".join(languages), BUILD_VARIABLE: str(os.getpid())}
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def start_fork_server(locales: Iterable[str]) -> None:
    """Start multiprocessing's fork server (and resource tracker) with nothing to print
    to: they inherit this process's standard output and error otherwise, so they would
    hold a pipe open after the build and print tracebacks of workers that could not
    start because the build was being stopped.  The fork server loads what every
    worker needs (worker_preload.py) while this process goes on: no wait here."""
    from multiprocessing import forkserver
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, 1)
        os.dup2(devnull, 2)
        with preloading(locales):
            forkserver.ensure_running()
    finally:
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (*saved, devnull):
            os.close(fd)


def worker_count(jobs: int | None, scheduler: str | None) -> int:
    """The build's local worker processes: ``--jobs`` or one per core, and one (this
    process, which sends the jobs) when a Dask scheduler renders them."""
    return 1 if scheduler else (jobs or os.cpu_count() or 1)


def start_for_cold_build(project: Path, out: Path | None, jobs: int | None,
                         scheduler: str | None) -> None:
    """Start the fork server before the build imports its pipeline, when the build
    will surely use it: local workers and no earlier build in the output folder.
    Anything unusual (a publisher.toml that does not load) is left to the build, which
    starts the fork server itself, as late as before, and reports it."""
    from .config import load_config
    from .write_dist import MANIFEST
    if worker_count(jobs, scheduler) <= 1 or ((out or project / "dist") / MANIFEST).exists():
        return
    try:
        locales = load_config(project).locales
    except Exception:
        return
    start_fork_server(locales)


def warm_up(languages: Iterable[str], build: int | None = None) -> list[str]:
    """Load the workers' libraries and data; the names of the steps that failed.

    When the process ``build`` is gone (killed, stopped), this process stops at once:
    a fork server looks for its build only once it serves, and a warm-up takes
    seconds.  The thread that watches is gone before the warm-up returns: nothing is
    forked with a thread running."""
    done = threading.Event()
    watch = threading.Thread(target=_exit_without, args=(build or os.getppid(), done),
                             name="watch-build", daemon=True)
    watch.start()
    failed = []
    try:
        for name, step in (("WeasyPrint", _weasyprint), ("checks", _checks),
                           ("fonts", _fonts), ("liblouis", _louis),
                           *((f"readability {lang}", _readability(lang))
                             for lang in languages)):
            try:
                step()
            except Exception:  # the worker does it again, and reports it
                failed.append(name)
    finally:
        done.set()
        watch.join()
    freeze_heap()
    return failed


def freeze_heap() -> None:
    """Leave what was loaded out of the garbage collector's full passes.

    The libraries, the pronouncing dictionary and the font maps live as long as the
    process; every full collection walked them all again (~0.1 s each in a warm
    worker, several per handout).  Frozen here, they are frozen in every worker
    forked from here too, and their pages stay shared (a collection writes to each
    object it visits)."""
    import gc
    gc.collect()
    gc.freeze()


def _exit_without(build: int, done: threading.Event) -> None:
    # Our parent: once it is gone, we are someone else's child (init's, a subreaper's).
    while os.getppid() == build and not done.wait(0.1):
        pass
    if not done.is_set():
        os._exit(0)


def _weasyprint() -> None:
    with _no_library_probe():
        from . import render_pdf  # noqa: F401


@contextmanager
def _no_library_probe() -> Iterator[None]:
    """WeasyPrint imported without gcc asked where its libraries are (Linux).

    WeasyPrint loads GLib, Pango, HarfBuzz and Fontconfig through cffi, trying for each
    names such as ``libgobject-2.0-0`` and ``gobject-2.0`` before the soname
    ``libgobject-2.0.so.0``; cffi hands every name it cannot open to
    ``ctypes.util.find_library``, which on Linux runs ldconfig, gcc and ld for it
    (~20 processes: 0.12 CPU s and 0.25 s of the warm-up's wall time).  Where such a
    probe finds a library it is the soname WeasyPrint tries next, so without it the
    same shared objects are loaded (tests/test_worker_preload.py compares them)."""
    if sys.platform != "linux" or "weasyprint" in sys.modules:
        yield
        return
    import ctypes.util
    probe = ctypes.util.find_library
    ctypes.util.find_library = lambda name: None
    try:
        yield
    finally:
        ctypes.util.find_library = probe


def _checks() -> None:
    import segno  # noqa: F401
    import textstat.textstat  # noqa: F401

    from . import preflight, qr_mask, render_handout, workers  # noqa: F401


def _fonts() -> None:
    from .fonts import coverage, font_file
    if coverage().missing:  # the worker looks again: the package may be installed by then
        coverage.cache_clear()
        font_file.cache_clear()


def _louis() -> None:
    from .braille_louis import louis
    louis()


def _readability(lang: str) -> Callable[[], None]:
    def step() -> None:
        from .readability import measure
        measure(WARM_UP_TEXTS[lang], lang)
    return step
