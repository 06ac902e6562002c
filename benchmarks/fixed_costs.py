"""The build's fixed costs outside the per-handout work, in CPU seconds, no profiler.

    .venv/bin/python benchmarks/fixed_costs.py main --project DIR [--format html ...]
    .venv/bin/python benchmarks/fixed_costs.py forkserver --project DIR

``main`` runs a cold build of DIR (build it on a fresh copy: it writes DIR/dist) and
prints the CPU seconds of the main process per stage of `publisher.build.build`
(each stage function wrapped with a timer), its imports, and the CPU of the child
processes it waited for (Pagefind, fc-match).  ``forkserver`` starts the fork server
as a build does (worker_preload.py), waits for its first worker, and prints the CPU
seconds the fork server spent warming up, its own child processes (gcc, ld and
ldconfig run by WeasyPrint's library lookup, fc-match) apart, and what the first
worker had used when it answered.

cProfile is no guide here: it inflates pure-Python code (markdown-it, textstat)
several times over (load_seeds: 4.4 s under cProfile, 0.65 s without).
"""

from __future__ import annotations

import time

STARTED = time.process_time()

import argparse  # noqa: E402
import functools  # noqa: E402
import os  # noqa: E402
import resource  # noqa: E402
from pathlib import Path  # noqa: E402

STAGES = ("load_stage", "plan_stage", "interface_catalogs", "fingerprinted", "keep_unchanged",
          "write_stage", "keep_last_good", "write_site", "write_dashboard",
          "build_search_index", "finish")


def main_process(project: Path, formats: tuple[str, ...]) -> None:
    import publisher.build as build
    imported = time.process_time() - STARTED
    totals: dict[str, float] = {}

    def timed(name: str):
        function = getattr(build, name)

        @functools.wraps(function)
        def wrapper(*args, **kwargs):
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                totals[name] = totals.get(name, 0.0) + time.process_time() - started
        return wrapper

    for name in STAGES:
        setattr(build, name, timed(name))
    started, wall = time.process_time(), time.perf_counter()
    result = build.build(build.BuildOptions(project=project, jobs=2,
                                            formats=formats or build.FORMATS))
    total = time.process_time() - started
    waited = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"{len(result.manifest.handouts)} handouts, {result.failed} failed, "
          f"{time.perf_counter() - wall:.1f} s wall")
    print(f"main process: imports {imported:.3f} CPU s, build {total:.3f} CPU s")
    for name, seconds in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"  {name:<20} {seconds:6.3f}")
    print(f"  {'(the rest)':<20} {total - sum(totals.values()):6.3f}")
    print(f"child processes it waited for (Pagefind, fc-match): "
          f"{waited.ru_utime + waited.ru_stime:.3f} CPU s")


def _worker_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def fork_server(project: Path) -> None:
    from multiprocessing import forkserver

    from publisher.config import load_config
    from publisher.worker_preload import start_fork_server
    from publisher.workers import LocalPool

    project = project.resolve()
    config = load_config(project)
    pool = LocalPool(2, project, config)
    wall = time.perf_counter()
    start_fork_server(config.locales)
    worker = pool.submit(_worker_cpu).result()
    wall = time.perf_counter() - wall
    pid = forkserver._forkserver._forkserver_pid
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    own = (int(fields[11]) + int(fields[12])) / ticks
    children = (int(fields[13]) + int(fields[14])) / ticks
    print(f"fork server warm-up: {own:.2f} CPU s of its own, {children:.2f} in its child "
          f"processes; first worker answered after {wall:.1f} s wall, having used "
          f"{worker:.3f} CPU s")
    pool.close()


def cli() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=("main", "forkserver"))
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--format", action="append", default=[])
    args = parser.parse_args()
    if args.what == "main":
        main_process(args.project, tuple(args.format))
    else:
        fork_server(args.project)


if __name__ == "__main__":
    cli()
