"""Where handouts are rendered: here, in local worker processes, or on a Dask cluster.

Worker processes never outlive the build: each watches the process that started it
and exits within a second when it is gone (kill -9 included); SIGINT and SIGTERM of
the build stop them at once.  A worker that dies (a crash, the kernel's OOM killer, a
signal) costs only the handouts it had: they are tried once more, one at a time, and
reported if they kill a worker again; the rest of the build goes on.  A handout that
takes longer than ``limits.render_seconds`` is stopped and reported.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import signal
import sys
import threading
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .config import Config
from .model import segments
from .worker_preload import start_fork_server
from .render_handout import (RenderJob, RenderedHandout, failed_job, render_job, start_worker,
                             worker_started_for)

#: Tasks a worker process runs before a fresh one takes over (costs ~0.5 s).
HANDOUTS_PER_WORKER = 200
#: How often a worker looks for the process that started it, in seconds.
WATCH_INTERVAL = 0.5
#: While handouts render, a line about the slow ones every this many seconds.
SLOW_REPORT_SECONDS = 10.0
#: A worker stuck past its time limit (in C code, deaf to the alarm) is killed
#: after this much more time.
GRACE_SECONDS = 30.0

Progress = Callable[[str, int, int], None]


class LocalPool:
    """Worker processes for one build, replaced every ``HANDOUTS_PER_WORKER`` tasks.

    Fresh processes (a fork server, not forks of this process, which holds every
    document) that are replaced after a while because Pango and HarfBuzz caches grow
    slowly: memory stays flat however large the corpus.  The replacement is ours, not
    ``max_tasks_per_child``, which can hang in Python 3.11.
    """

    def __init__(self, workers: int, project: Path, config: Config) -> None:
        self.workers = workers
        self.initargs = (project, config, os.getpid())
        self.executor: ProcessPoolExecutor | None = None
        self.tasks = 0

    def submit(self, function: Callable, *args) -> Future:
        if self.executor is None or self.tasks >= HANDOUTS_PER_WORKER * self.workers:
            if self.executor is not None:
                self.executor.shutdown(wait=False)  # its running tasks still finish
            start_fork_server(self.initargs[1].locales)
            self.executor = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("forkserver"),
                initializer=_start_local_worker, initargs=self.initargs)
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

    def restart(self) -> None:
        """Drop a broken or stuck pool: the next task starts fresh workers."""
        self.kill()
        self.executor = None

    def kill(self) -> None:
        executor, self.executor = self.executor, None
        if executor is None:
            return
        processes = list((getattr(executor, "_processes", None) or {}).values())
        executor.shutdown(wait=False, cancel_futures=True)
        for process in processes:
            if process.is_alive():
                process.kill()
        for process in processes:
            process.join(timeout=5)

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True)


@contextmanager
def local_workers(workers: int, project: Path, config: Config, *,
                  start_now: bool) -> Iterator[LocalPool | None]:
    """The local process pool (None for one worker); on any way out of the build —
    an error, Ctrl-C, SIGTERM — no worker is left running."""
    if workers <= 1:
        yield None
        return
    pool = LocalPool(workers, project.resolve(), config)
    try:
        if start_now:  # a first build renders everything: warm the workers up early
            start_fork_server(config.locales)
        yield pool
    except BaseException:
        pool.kill()
        raise
    pool.close()


def _start_local_worker(project: Path, config: Config, parent: int) -> None:
    # The terminal's Ctrl-C reaches the whole process group: the build decides.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _watch_parent(parent)
    _limit_memory(config.limits.worker_memory_mb)
    # A worker never prints; it must not hold the build's output pipe open either.
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.dup2(devnull, sys.stderr.fileno())
    os.close(devnull)
    start_worker(project, config)


def _watch_parent(parent: int) -> None:
    def watch() -> None:
        while True:
            time.sleep(WATCH_INTERVAL)
            try:
                os.kill(parent, 0)
            except ProcessLookupError:
                os._exit(1)
            except PermissionError:
                pass

    threading.Thread(target=watch, name="watch-parent", daemon=True).start()


def _limit_memory(megabytes: int) -> None:
    limit = megabytes * 1024 * 1024
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ValueError, OSError):
        pass  # the system's own limit is lower: keep it


def render_all(jobs: list[RenderJob], project: Path, config: Config,
               progress: Progress | None, pool: LocalPool | None = None,
               scheduler: str | None = None) -> Iterator[RenderedHandout]:
    """Render every job; results stream back one by one so that memory does not grow
    with the corpus."""
    if not jobs:
        return
    project = project.resolve()
    if scheduler:
        results = _on_dask(jobs, scheduler, project, config)
    elif pool is None:
        start_worker(project, config)
        results = _serially(jobs, progress)
    else:
        results = _in_pool(jobs, pool, config, progress)
    for done, rendered in enumerate(results, start=1):
        if progress:
            progress(rendered.job.label, done, len(jobs))
        yield rendered


def _serially(jobs: list[RenderJob], progress: Progress | None) -> Iterator[RenderedHandout]:
    for job in jobs:
        timer = None
        if progress:  # name the handout only if it is slow to come
            timer = threading.Timer(SLOW_REPORT_SECONDS, progress,
                                    (f"still rendering {job.label}", -1, len(jobs)))
            timer.daemon = True
            timer.start()
        try:
            yield render_job(job)
        finally:
            if timer is not None:
                timer.cancel()


def longest_first(jobs: Iterable[RenderJob]) -> list[RenderJob]:
    """The jobs by how long they take, roughly (their text's length times their
    formats), longest first; equal ones in their order."""
    def work(job: RenderJob) -> int:
        return len(job.formats) * sum(len(s.text) for s in segments(job.handout.blocks))
    return sorted(jobs, key=work, reverse=True)


def _in_pool(jobs: list[RenderJob], pool: LocalPool, config: Config,
             progress: Progress | None) -> Iterator[RenderedHandout]:
    """Jobs in the pool, a few in flight; a dead worker's jobs are tried once more,
    each alone, so the one that kills workers is found and the others are kept.

    The longest handouts go first: the last ones to finish are then short, and the
    workers finish together instead of one waiting for another's long handout."""
    pending = deque(longest_first(jobs))
    suspects: deque[RenderJob] = deque()
    retried: set[tuple[str, str]] = set()
    running: dict[Future, tuple[RenderJob, float]] = {}
    stuck_after = config.limits.render_seconds + GRACE_SECONDS
    last_report = time.monotonic()
    while pending or suspects or running:
        if suspects:
            if not running:  # a suspect runs alone
                job = suspects.popleft()
                if not _submit(pool, job, running):
                    suspects.appendleft(job)
        else:
            while pending and len(running) < 2 * pool.workers:
                job = pending.popleft()
                if not _submit(pool, job, running):
                    pending.appendleft(job)
                    break
        done, _ = wait(running, timeout=1.0, return_when=FIRST_COMPLETED)
        broken = []
        for future in done:
            job, _ = running.pop(future)
            try:
                yield future.result()
            except BrokenProcessPool:
                broken.append(job)
            except Exception as exc:  # the job could not even be sent or received
                yield failed_job(job, f"could not render the {job.handout.locale} handout: "
                                 f"{type(exc).__name__}: {exc}")
        now = time.monotonic()
        stuck = {job.key for job, started in running.values() if now - started > stuck_after}
        if broken or stuck:
            # Every job that was in the pool is a suspect: the pool cannot tell which
            # one took its worker down.
            lost = broken + [job for job, _ in running.values()]
            running.clear()
            pool.restart()
            for job in lost:
                if job.key in retried or job.key in stuck:
                    why = ("was stopped after it took longer than the time limit"
                           if job.key in stuck else "stopped the worker rendering it twice "
                           "(a crash or too little memory)")
                    yield failed_job(job, f"the {job.handout.locale} handout {why}")
                else:
                    retried.add(job.key)
                    suspects.append(job)
        if progress and running and now - last_report >= SLOW_REPORT_SECONDS:
            slow = [f"{job.label} ({now - started:.0f} s)" for job, started in running.values()
                    if now - started >= SLOW_REPORT_SECONDS]
            if slow:
                progress("still rendering " + ", ".join(slow), -1, len(jobs))
            last_report = now


def _submit(pool: LocalPool, job: RenderJob,
            running: dict[Future, tuple[RenderJob, float]]) -> bool:
    """Send a job to the pool; False when a worker died and broke the pool before it
    could be sent (the job waits for fresh workers)."""
    try:
        running[pool.submit(render_job, job)] = (job, time.monotonic())
        return True
    except BrokenProcessPool:
        if not running:  # no job in flight will report the breakage: start afresh now
            pool.restart()
        return False


def _on_dask(jobs: list[RenderJob], address: str, project: Path,
             config: Config) -> Iterator[RenderedHandout]:
    # The workers import this package and read the project's templates/ and
    # seeds/assets/ at the same path as here (a shared or copied folder; README).
    from distributed import Client, as_completed as completed
    with Client(address) as client:
        futures = client.map(render_on_worker, jobs, project=project, config=config,
                             pure=False)
        job_of = {future.key: job for future, job in zip(futures, jobs)}
        for future in completed(futures):
            job = job_of[future.key]
            try:
                yield future.result()
            except Exception as exc:  # workers it killed (KilledWorker), a lost scheduler
                yield failed_job(job, f"could not render the {job.handout.locale} handout "
                                 f"on the cluster: {type(exc).__name__}: {exc}")
            future.release()


def render_on_worker(job: RenderJob, project: Path, config: Config) -> RenderedHandout:
    """A job on a Dask worker: set up the renderers once per worker process."""
    if not worker_started_for(project, config):
        start_worker(project, config)
    return render_job(job)
