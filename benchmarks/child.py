"""One measured run in its own process, so peak memory is this run's alone.

    child.py build  --project DIR --jobs N --report FILE [--format html --format pdf]
    child.py capture --project DIR --html DIR --jobs 1 --report FILE
    child.py floor  --html DIR --jobs N --report FILE

``build`` runs `publisher.build.build` exactly as ``publisher build --project DIR
--jobs N`` does (the command line is a thin layer over it; calling it directly gives
us the `BuildResult`).  ``capture`` saves, untimed and in a run of its own, the print
HTML every handout is laid out from (made by the build's own stages), for the floor.

``floor`` renders those same HTML files with plain WeasyPrint,
``HTML(string=...).write_pdf()``, in a multiprocessing Pool of N processes with one
FontConfiguration each: the least any tool built on WeasyPrint can take.  With
``--variant pdf/ua-1`` it is the least any tool can take that writes tagged PDF/UA-1
with WeasyPrint, as we must.

The report is JSON: seconds inside the process, peak resident memory of this
process and of its largest worker (VmHWM, read from /proc), in MB, and CPU seconds of
the whole process tree.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import resource
import threading
import time
from multiprocessing import Pool
from pathlib import Path

from process_tree import tree_cpu


class TreeMonitor:
    """Peak memory and CPU time of this process and every process below it.

    The build's workers are started by a fork server, so they are not this process's
    children and ``RUSAGE_CHILDREN`` does not see them: a thread reads /proc instead.
    """

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.cpu: dict[int, float] = {}
        self.hwm: dict[int, float] = {}
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> "TreeMonitor":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stopped.set()
        self.thread.join()
        self._sample()

    def _run(self) -> None:
        while not self.stopped.wait(self.interval):
            self._sample()

    def _sample(self) -> None:
        below = tree_cpu(os.getpid())
        below.pop(os.getpid(), None)  # this process: getrusage, in report()
        for pid, cpu in below.items():
            self.cpu[pid] = max(self.cpu.get(pid, 0.0), cpu)
            try:
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    self.hwm[pid] = max(self.hwm.get(pid, 0.0), int(line.split()[1]) / 1024)

    def report(self) -> dict[str, float | None]:
        status = Path("/proc/self/status").read_text()
        hwm_kb = next(int(line.split()[1]) for line in status.splitlines()
                      if line.startswith("VmHWM:"))
        own = resource.getrusage(resource.RUSAGE_SELF)
        workers = list(self.hwm.values())
        return {"main_mb": hwm_kb / 1024, "worker_mb": max(workers) if workers else None,
                # CPU seconds of this process and its workers: less sensitive than the
                # wall clock to other programs competing for the cores.
                "cpu_s": own.ru_utime + own.ru_stime + sum(self.cpu.values())}


# --- build ------------------------------------------------------------------------------

def capture_print_html(project: Path, folder: Path) -> None:
    """Save the print HTML of every handout, made by the build's own stages (untimed)."""
    from publisher.build import BuildOptions, BuildResult, load_stage, plan_jobs, plan_stage
    from publisher.render_handout import print_html, start_worker
    from publisher.cache import no_cache
    from publisher.config import load_config

    folder.mkdir(parents=True, exist_ok=True)
    options = BuildOptions(project=project, jobs=1)
    config = load_config(project)
    result = BuildResult()
    documents = load_stage(options, config, no_cache(), result)
    planned = plan_stage(options, config, documents, no_cache(), result)
    start_worker(project.resolve(), config)
    for job in plan_jobs(planned.handouts, config, options.formats):
        html = print_html(job)
        name = hashlib.sha256(html.encode()).hexdigest()[:16]
        (folder / f"{name}.html").write_text(html, encoding="utf-8")
    (folder / "base_url").write_text((project.resolve() / "templates").as_uri() + "/",
                                     encoding="utf-8")


COUNTED = ("rerendered", "re_rendered", "rendered")       # what was rendered
REUSED = ("reused", "unchanged", "up_to_date", "cached", "skipped_unchanged")


def rerendered_from(result, handouts: int) -> tuple[int | None, str]:
    """How many handouts the build re-rendered, if `BuildResult` says so."""
    def size(value) -> int:
        return len(value) if hasattr(value, "__len__") else int(value)

    for name in COUNTED:
        if getattr(result, name, None) is not None:
            return size(getattr(result, name)), f"BuildResult.{name}"
    for name in REUSED:
        if getattr(result, name, None) is not None:
            return handouts - size(getattr(result, name)), f"handouts - BuildResult.{name}"
    return None, ""


def run_build(args: argparse.Namespace) -> dict:
    from publisher.build import BuildOptions, build

    with TreeMonitor() as monitor:
        started = time.perf_counter()
        formats = {"formats": tuple(args.format)} if args.format else {}
        result = build(BuildOptions(project=Path(args.project), jobs=args.jobs, **formats))
        seconds = time.perf_counter() - started
    handouts = len(result.manifest.handouts)
    count, source = rerendered_from(result, handouts)
    return {"seconds": seconds, "handouts": handouts, "failed": result.failed,
            "skipped": len(result.manifest.skipped),
            "errors": [str(p) for p in result.problems if p.is_error][:5],
            "pages": [e.pages for e in result.manifest.handouts],
            "rerendered": count, "rerendered_source": source, **monitor.report()}


# --- floor ------------------------------------------------------------------------------

_font_config = None


def _start_floor_worker() -> None:
    global _font_config
    from weasyprint.text.fonts import FontConfiguration
    _font_config = FontConfiguration()


def _floor_one(task: tuple[str, str, str | None]) -> int:
    from weasyprint import HTML
    path, base_url, variant = task
    html = Path(path).read_text(encoding="utf-8")
    return len(HTML(string=html, base_url=base_url).write_pdf(font_config=_font_config,
                                                              pdf_variant=variant))


def run_floor(args: argparse.Namespace) -> dict:
    folder = Path(args.html)
    base_url = (folder / "base_url").read_text(encoding="utf-8")
    tasks = [(str(path), base_url, args.variant) for path in sorted(folder.glob("*.html"))]
    with TreeMonitor() as monitor:
        started = time.perf_counter()
        pool = Pool(args.jobs, initializer=_start_floor_worker)
        sizes = pool.map(_floor_one, tasks, chunksize=1)
        pool.close()
        pool.join()
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "handouts": len(sizes), **monitor.report()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("what", choices=("build", "floor", "capture"))
    parser.add_argument("--project")
    parser.add_argument("--html")
    parser.add_argument("--variant", help="WeasyPrint pdf_variant for the floor (e.g. pdf/ua-1)")
    parser.add_argument("--jobs", type=int, required=True)
    parser.add_argument("--format", action="append", default=[],
                        help="build only this format (repeatable; default: all)")
    parser.add_argument("--report", required=True)
    args = parser.parse_args()
    if args.what == "capture":
        capture_print_html(Path(args.project), Path(args.html))
        report: dict = {"seconds": 0.0, "handouts": 0, "cpu_s": 0.0, "main_mb": 0.0,
                        "worker_mb": None}
    else:
        report = run_build(args) if args.what == "build" else run_floor(args)
    Path(args.report).write_text(json.dumps(report), encoding="utf-8")


if __name__ == "__main__":
    main()
