"""Scale in a run (issue 12): 1,000 seeds × 5 languages, no-op and catalog-edit rebuilds, Dask.

    .venv/bin/python benchmarks/scale.py --workdir /tmp/scale                # everything
    .venv/bin/python benchmarks/scale.py --workdir /tmp/scale --seeds 20     # a smoke run
    .venv/bin/python benchmarks/scale.py --workdir /tmp/scale --only dask --dask-seeds 100
    .venv/bin/python benchmarks/scale.py --workdir /tmp/scale --format html   # HTML only

Steps (each result is added to ``WORKDIR/scale.json`` as soon as it is measured, so an
interrupted run keeps what it had):

1. ``generate``: the corpus of `corpus.py`, ``--seeds`` short seeds (``--pages 1``: one
   to two pages of large print) in en, es, zh-Hans, vi and ar; every translated catalog
   filled with a pseudo-translation and stamped reviewed entry by entry with
   `catalogs.review` (the project's policy stays ``require = "reviewed"``).  Kept in
   ``WORKDIR/source`` and reused when the same ``--seeds`` and ``--pages`` ask for it.
2. ``cold``: a cold build of a fresh copy, ``--jobs`` local workers, in its own process
   (`child.py`): wall, CPU seconds of the process tree, peak RSS of the main process and
   of the largest worker.
3. ``noop``: ``publisher build`` again with nothing changed, as a user runs it (the
   command line in a fresh interpreter, timed from outside), ``--repeat`` times; then
   once through `child.py` for the counts.  Asserts that nothing was rendered.
4. ``edit``: one msgstr of one seed's Spanish catalog changed and re-stamped; the
   rebuild must render exactly that handout: asserted from `BuildResult.rendered` and by
   comparing the manifests before and after (only that entry's fingerprint and hashes
   changed).
5. ``dask``: a cold build of ``--dask-seeds`` seeds on a two-worker Dask
   ``LocalCluster`` (one thread per worker, on loopback), against the local pool on a
   fresh copy of the same inputs.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import corpus

HERE = Path(__file__).resolve().parent
CHILD = HERE / "child.py"
LOCALES = ("en", "es", "zh-Hans", "vi", "ar")
EDITED_LOCALE = "es"
NOOP_TARGET_SECONDS = 1.0
STEPS = ("generate", "cold", "noop", "edit", "dask")


# --- measured runs ------------------------------------------------------------------------

def measured(argv: list[str], project: Path) -> dict:
    """Run a measuring child (child.py or this file's ``--child``); its report plus wall."""
    report = Path(tempfile.mktemp(suffix=".json"))
    env = {**os.environ, "XDG_CACHE_HOME": str(project / ".cache-home")}
    started = time.perf_counter()
    subprocess.run([sys.executable, *argv, "--report", str(report)], check=True, env=env)
    wall = time.perf_counter() - started
    result = json.loads(report.read_text())
    report.unlink()
    return {"wall": wall, **result}


def format_flags(formats: list[str]) -> list[str]:
    return [flag for name in formats for flag in ("--format", name)]


def local_build(project: Path, jobs: int, formats: list[str]) -> dict:
    return measured([str(CHILD), "build", "--project", str(project), "--jobs", str(jobs),
                     *format_flags(formats)], project)


def dask_build(project: Path, workers: int) -> dict:
    return measured([__file__, "--child-dask", str(project), "--dask-workers", str(workers)],
                    project)


def command_line_build(project: Path, jobs: int, formats: list[str]) -> tuple[float, float]:
    """Wall and CPU seconds of ``publisher build`` as a user types it (interpreter start
    included; CPU of the command and of any worker it started)."""
    publisher = Path(sys.executable).parent / "publisher"
    env = {**os.environ, "XDG_CACHE_HOME": str(project / ".cache-home")}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([str(publisher), "build", "--project", str(project),
                           "--jobs", str(jobs), *format_flags(formats)], env=env,
                          capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise RuntimeError(f"publisher build failed:\n{done.stdout}\n{done.stderr}")
    return wall, (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)


def run_dask_child(project: Path, workers: int, report: Path) -> None:
    """In its own process: a LocalCluster, then the build sent to it, both measured."""
    from child import TreeMonitor
    from distributed import LocalCluster
    from publisher.build import BuildOptions, build

    with TreeMonitor() as monitor:
        started = time.perf_counter()
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                          host="127.0.0.1", dashboard_address=None) as cluster:
            cluster_seconds = time.perf_counter() - started
            result = build(BuildOptions(project=project,
                                        scheduler=cluster.scheduler_address))
            seconds = time.perf_counter() - started
    report.write_text(json.dumps({
        "seconds": seconds, "cluster_start_s": cluster_seconds,
        "handouts": len(result.manifest.handouts), "rendered": result.rendered,
        "failed": result.failed,
        "errors": [str(p) for p in result.problems if p.is_error][:5],
        **monitor.report()}), encoding="utf-8")


# --- manifests ----------------------------------------------------------------------------

def manifest_records(project: Path) -> dict[tuple[str, str], tuple]:
    data = json.loads((project / "dist" / "manifest.json").read_text(encoding="utf-8"))
    return {(e["slug"], e["locale"]): (e["fingerprint"], json.dumps(e["sha256"], sort_keys=True))
            for e in data["handouts"]}


def changed_entries(before: dict, after: dict) -> set[tuple[str, str]]:
    return {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}


# --- steps --------------------------------------------------------------------------------

def generate(args: argparse.Namespace, source: Path) -> dict:
    stamp = source / "generated.json"
    wanted = {"seeds": args.seeds, "pages": args.pages, "locales": list(LOCALES)}
    if stamp.exists() and json.loads(stamp.read_text())["options"] == wanted:
        return json.loads(stamp.read_text())
    started = time.perf_counter()
    slugs, notes = corpus.generate(source, args.seeds, LOCALES, pages=args.pages,
                                   processes=args.jobs)
    made = {"options": wanted, "slugs": slugs, "notes": notes,
            "seconds": time.perf_counter() - started}
    stamp.write_text(json.dumps(made), encoding="utf-8")
    return made


def cold(args: argparse.Namespace, source: Path, project: Path) -> dict:
    corpus.copy_project(source, project)
    run = local_build(project, args.jobs, args.format)
    check(run["failed"] == 0, f"cold build: {run['failed']} failed: {run['errors']}")
    check(run["handouts"] == args.seeds * len(LOCALES),
          f"cold build published {run['handouts']} handouts, not {args.seeds * len(LOCALES)}")
    return run


def noop(args: argparse.Namespace, project: Path) -> dict:
    before = manifest_records(project)
    runs = [command_line_build(project, args.jobs, args.format) for _ in range(args.repeat)]
    walls, cpus = [wall for wall, _ in runs], [cpu for _, cpu in runs]
    run = local_build(project, args.jobs, args.format)
    check(run["rerendered"] == 0, f"no-op rebuild rendered {run['rerendered']} handouts")
    check(changed_entries(before, manifest_records(project)) == set(),
          "no-op rebuild changed the manifest")
    return {"command_line_walls": walls, "command_line_cpu": cpus, "child": run,
            "under_target": min(walls) < NOOP_TARGET_SECONDS}


def edit(args: argparse.Namespace, project: Path, slugs: list[str]) -> dict:
    slug = slugs[len(slugs) // 2]
    before = manifest_records(project)
    msgid = corpus.edit_catalog_entry(project, EDITED_LOCALE, slug)
    run = local_build(project, args.jobs, args.format)
    changed = changed_entries(before, manifest_records(project))
    expected = {(slug, EDITED_LOCALE)}
    check(changed == expected, f"catalog edit changed {sorted(changed)}, not {expected}")
    check(run["rerendered"] == 1, f"catalog edit rendered {run['rerendered']}, not 1")
    return {"catalog": f"locales/{EDITED_LOCALE}/{slug}", "msgid": msgid,
            "changed_entries": sorted(map(list, changed)), "child": run}


def dask(args: argparse.Namespace, root: Path) -> dict:
    small = argparse.Namespace(**{**vars(args), "seeds": args.dask_seeds})
    source = root / f"dask-source-{args.dask_seeds}"
    generate(small, source)
    runs = {}
    for name in args.dask_order.split(","):
        project = corpus.copy_project(source, root / f"dask-{name}")
        runs[name] = (dask_build(project, args.dask_workers) if name == "dask"
                      else local_build(project, args.dask_workers, []))
        check(runs[name]["failed"] == 0, f"{name} build: {runs[name]['errors']}")
        print(f"  {name}: {summary(runs[name])}", flush=True)
    return {"seeds": args.dask_seeds, "handouts": args.dask_seeds * len(LOCALES),
            "workers": args.dask_workers, "runs": runs}


def check(ok: bool, message: str) -> None:
    if not ok:
        raise SystemExit(f"scale.py: FAILED: {message}")


def summary(run: dict) -> str:
    worker = f"{run['worker_mb']:.0f}" if run.get("worker_mb") else "-"
    return (f"{run['wall']:.1f} s wall, {run['cpu_s']:.0f} CPU s, {run['handouts']} handouts, "
            f"main {run['main_mb']:.0f} MB, largest worker {worker} MB")


# --- main ---------------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/publisher-scale"))
    parser.add_argument("--seeds", type=int, default=1000)
    parser.add_argument("--pages", type=int, default=1)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--format", action="append", default=[],
                        help="build only this format (repeatable; default: all): "
                        "the Dask comparison always builds all")
    parser.add_argument("--repeat", type=int, default=5, help="no-op command-line runs")
    parser.add_argument("--only", action="append", choices=STEPS,
                        help="run only these steps (repeatable; default: all)")
    parser.add_argument("--dask-seeds", type=int, default=100)
    parser.add_argument("--dask-workers", type=int, default=2)
    parser.add_argument("--dask-order", default="local,dask",
                        help="which cold builds to compare, in this order")
    parser.add_argument("--child-dask", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--report", type=Path, help=argparse.SUPPRESS)
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.child_dask:
        run_dask_child(args.child_dask.resolve(), args.dask_workers, args.report)
        return 0
    steps = args.only or list(STEPS)
    root = args.workdir.resolve()
    root.mkdir(parents=True, exist_ok=True)
    results_path = root / "scale.json"
    results = json.loads(results_path.read_text()) if results_path.exists() else {}

    def save(step: str, value: dict) -> None:
        results[step] = {**value, "finished": time.strftime("%Y-%m-%d %H:%M:%S UTC",
                                                            time.gmtime())}
        results_path.write_text(json.dumps(results, indent=2, default=str) + "\n")

    source, project = root / "source", root / "built"
    made = generate(args, source)
    print(f"corpus: {args.seeds} seeds × {len(LOCALES)} locales in {source} "
          f"(generated in {made['seconds']:.0f} s)", flush=True)
    if "generate" in steps:
        save("generate", {k: v for k, v in made.items() if k != "slugs"})
    if "cold" in steps:
        run = cold(args, source, project)
        save("cold", run | {"pages": None})
        print(f"cold build --jobs {args.jobs}: {summary(run)}", flush=True)
    if "noop" in steps:
        found = noop(args, project)
        save("noop", found)
        print(f"no-op rebuild, command line: "
              f"{', '.join(f'{w:.2f}' for w in found['command_line_walls'])} s wall, "
              f"{', '.join(f'{c:.2f}' for c in found['command_line_cpu'])} CPU s; "
              f"build() {found['child']['seconds']:.2f} s; rendered 0", flush=True)
    if "edit" in steps:
        found = edit(args, project, made["slugs"])
        save("edit", found)
        print(f"one {EDITED_LOCALE} msgstr edited ({found['catalog']}): rendered "
              f"{found['child']['rerendered']}, manifest entries changed "
              f"{found['changed_entries']}; {summary(found['child'])}", flush=True)
    if "dask" in steps:
        print(f"Dask LocalCluster against the local pool, {args.dask_seeds} seeds:", flush=True)
        save("dask", dask(args, root))
    print(f"written to {results_path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
