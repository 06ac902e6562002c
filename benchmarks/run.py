"""Benchmarks of `publisher build`: cold, against plain WeasyPrint, parallel, rebuilds, memory.

    .venv/bin/python benchmarks/run.py                 # N = 50 and 200 seeds × 4 locales
    .venv/bin/python benchmarks/run.py --quick         # N = 5: a smoke run (~1 minute)
    .venv/bin/python benchmarks/run.py --sizes 50 --pages 10 --workdir /tmp/bench
    .venv/bin/python benchmarks/run.py --clinic        # only the clinic case (~5 minutes)

Every run also measures the clinic-size case first (`clinic.py`: 48 handouts, one
language, cold, full build and ``--format html --format pdf`` against WeasyPrint
writing PDF/UA-1, median of three interleaved rounds); ``--no-clinic`` skips it.

For each size N the corpus (`corpus.py`) is generated in a temporary folder, then:

1. cold builds, each on a fresh copy of the inputs with its own empty XDG_CACHE_HOME,
   with ``--jobs 1`` (only for N <= --serial-max: it is the slowest run) and with
   ``--jobs <cores>``; the first one also saves the print HTML it lays out;
2. the floor: plain WeasyPrint on the same print HTML, 1 and <cores> processes;
3. rebuilds of the ``--jobs <cores>`` project: nothing changed, one seed edited (its
   catalogs brought back to signed-off), one msgstr of one catalog edited and re-stamped;
   counting re-rendered handouts from the `BuildResult` when it says, else from the
   PDFs in dist/ whose mtime changed.

Every build and floor runs in its own process (`child.py`), timed from the outside
(interpreter start and imports included: what a user waits for); the time inside
`build()` is reported too.  Results are printed and written to benchmarks/results.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import clinic
import corpus

HERE = Path(__file__).resolve().parent
CHILD = HERE / "child.py"
CORES = os.cpu_count() or 1

TARGET_OVERHEAD = 1.10
TARGET_EFFICIENCY = 0.85
TARGET_NOOP_SECONDS = 2.0
NOOP_TARGET_SIZE = 200
TARGET_WORKER_MB = 300
TARGET_FLAT = 1.10            # worker peak at the largest N ≤ 110 % of the smallest


# --- one measured process -------------------------------------------------------------------

def run_child(what: str, jobs: int, cache_home: Path, formats: tuple[str, ...] = (),
              **paths: Path) -> dict:
    """Run child.py in a fresh interpreter; its report plus the wall-clock seconds."""
    report = Path(tempfile.mktemp(suffix=".json"))
    argv = [sys.executable, str(CHILD), what, "--jobs", str(jobs), "--report", str(report)]
    for name, value in paths.items():
        argv += [f"--{name}", str(value)]
    for name in formats:
        argv += ["--format", name]
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    busy = busy_cpu_seconds()
    started = time.perf_counter()
    subprocess.run(argv, check=True, env=env)
    wall = time.perf_counter() - started
    busy = busy_cpu_seconds() - busy
    result = json.loads(report.read_text())
    report.unlink()
    # CPU the rest of the machine used meanwhile, as a share of all cores.
    others = max(0.0, busy - result["cpu_s"]) / (wall * CORES)
    return {"wall": wall, "others_cpu": others, **result}


def busy_cpu_seconds() -> float:
    """Non-idle CPU seconds of the whole machine since boot (/proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, idle, iowait, irq, softirq, steal = map(int, fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def code_stamp() -> str:
    """Hash of the publisher package's source: a rebuild after the code changed is
    rightly a full one, so it says nothing about incremental builds."""
    import publisher
    package = Path(publisher.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()


def pdf_mtimes(dist: Path) -> dict[str, int]:
    return {str(p.relative_to(dist)): p.stat().st_mtime_ns for p in dist.rglob("*.pdf")}


def timed_rebuild(project: Path, jobs: int, expected: int, previous_stamp: str) -> dict:
    """Build again; how long, and how many handouts were rendered again.

    ``previous_stamp`` is `code_stamp()` when the previous build ran."""
    before = pdf_mtimes(project / "dist")
    stamp = code_stamp()
    run = run_child("build", jobs, project / ".cache-home", project=project)
    after = pdf_mtimes(project / "dist")
    by_mtime = sum(1 for path, mtime in after.items() if before.get(path) != mtime)
    counted = run["rerendered"] is not None
    run.update(rerendered=run["rerendered"] if counted else by_mtime,
               rerendered_source=run["rerendered_source"] if counted else "PDF mtimes in dist/",
               rerendered_by_mtime=by_mtime, expected=expected,
               code_changed=stamp != previous_stamp or stamp != code_stamp())
    return run


# --- one corpus size ---------------------------------------------------------------------------

def cold_build(source: Path, target: Path, jobs: int, capture: Path | None) -> dict:
    project = corpus.copy_project(source, target)
    run = run_child("build", jobs, project / ".cache-home", project=project)
    if capture:  # in a run of its own, so that no timing includes it
        run_child("capture", 1, project / ".cache-home", project=project, html=capture)
    return run


def measure_size(n: int, args: argparse.Namespace, root: Path) -> dict:
    locales = corpus.LOCALES
    print(f"\n== N = {n} seeds × {len(locales)} locales ==", flush=True)
    started = time.perf_counter()
    source = root / f"n{n}" / "source"
    slugs, notes = corpus.generate(source, n, locales, pages=args.pages, processes=CORES)
    print(f"corpus generated in {time.perf_counter() - started:.0f} s", flush=True)
    html = root / f"n{n}" / "print-html"
    serial = n <= args.serial_max
    runs: dict[str, dict] = {}
    if serial:
        runs["cold_1"] = cold_build(source, root / f"n{n}" / "cold-1", 1, html)
        report("cold build --jobs 1", runs["cold_1"])
    project = root / f"n{n}" / f"cold-{args.jobs}"
    stamp = code_stamp()
    runs["cold_n"] = cold_build(source, project, args.jobs, None if serial else html)
    report(f"cold build --jobs {args.jobs}", runs["cold_n"])
    if serial:
        runs["floor_1"] = run_child("floor", 1, root / ".cache-home", html=html)
        report("floor, 1 process", runs["floor_1"])
    runs["floor_n"] = run_child("floor", args.jobs, root / ".cache-home", html=html)
    report(f"floor, {args.jobs} processes", runs["floor_n"])
    runs["floor_ua_n"] = run_child("floor", args.jobs, root / ".cache-home", html=html,
                                   variant="pdf/ua-1")
    report(f"floor with PDF/UA-1 tagging, {args.jobs} processes", runs["floor_ua_n"])

    runs["noop"] = timed_rebuild(project, args.jobs, expected=0, previous_stamp=stamp)
    report("no-op rebuild", runs["noop"])
    started = time.perf_counter()
    corpus.edit_seed(project, slugs[0], locales)
    print(f"  (seed edited, catalogs updated and re-stamped in "
          f"{time.perf_counter() - started:.0f} s, not timed)", flush=True)
    runs["edit_seed"] = timed_rebuild(project, args.jobs, expected=len(locales),
                                      previous_stamp=code_stamp())
    report("rebuild after editing one seed", runs["edit_seed"])
    corpus.edit_catalog_entry(project, "es", slugs[0])
    runs["edit_catalog"] = timed_rebuild(project, args.jobs, expected=1,
                                         previous_stamp=code_stamp())
    report("rebuild after editing one es msgstr", runs["edit_catalog"])
    shutil.rmtree(html, ignore_errors=True)
    return {"seeds": n, "locales": list(locales), "handouts": n * len(locales),
            "notes": notes, "runs": runs, **derived(runs, args.jobs)}


def report(label: str, run: dict) -> None:
    extra = f", re-rendered {run['rerendered']}" if "expected" in run else ""
    if run.get("code_changed"):
        extra += ", INVALID: publisher's code changed since the previous build"
    print(f"  {label}: {run['wall']:.1f} s, {run['cpu_s']:.1f} CPU s ({run['handouts']} "
          f"handouts{extra}; other programs used {run['others_cpu']:.0%} of the CPUs)", flush=True)


def derived(runs: dict, jobs: int) -> dict:
    """Throughput, overhead against the floor, parallel efficiency, pages."""
    out: dict = {}
    for key in ("cold_1", "cold_n", "floor_1", "floor_n"):
        if key in runs:
            out[f"{key}_per_second"] = runs[key]["handouts"] / runs[key]["wall"]
    if "floor_ua_n" in runs:
        out["overhead_ua_n"] = runs["cold_n"]["wall"] / runs["floor_ua_n"]["wall"]
        out["ua_tagging_cost"] = runs["floor_ua_n"]["wall"] / runs["floor_n"]["wall"]
    if "floor_n" in runs:
        out["overhead_n"] = runs["cold_n"]["wall"] / runs["floor_n"]["wall"]
        out["cpu_overhead_n"] = runs["cold_n"]["cpu_s"] / runs["floor_n"]["cpu_s"]
    if "floor_1" in runs:
        out["overhead_1"] = runs["cold_1"]["wall"] / runs["floor_1"]["wall"]
        out["cpu_overhead_1"] = runs["cold_1"]["cpu_s"] / runs["floor_1"]["cpu_s"]
        out["floor_efficiency"] = runs["floor_1"]["wall"] / runs["floor_n"]["wall"] / jobs
    if "cold_1" in runs:
        out["efficiency"] = runs["cold_1"]["wall"] / runs["cold_n"]["wall"] / jobs
    pages = [p for p in runs["cold_n"]["pages"] if p]
    out["pages_mean"] = sum(pages) / len(pages) if pages else None
    out["pages_min"] = min(pages) if pages else None
    return out


# --- targets and the table ------------------------------------------------------------------

def verdict(ok: bool | None) -> str:
    return "—" if ok is None else ("PASS" if ok else "FAIL")


def targets(sizes: dict[int, dict], jobs: int) -> list[dict]:
    rows = []

    def row(name, figure, goal, ok):
        rows.append({"target": name, "figure": figure, "goal": goal, "verdict": verdict(ok)})

    for n, size in sizes.items():
        if "overhead_n" in size:
            o = size["overhead_n"]
            row(f"overhead vs WeasyPrint, --jobs {jobs}, N={n}", f"{o:.2f}",
                f"<= {TARGET_OVERHEAD:.2f}", o <= TARGET_OVERHEAD)
        if "overhead_ua_n" in size:
            o = size["overhead_ua_n"]
            row(f"overhead vs WeasyPrint writing PDF/UA-1, --jobs {jobs}, N={n}", f"{o:.2f}",
                f"<= {TARGET_OVERHEAD:.2f}", o <= TARGET_OVERHEAD)
        if "overhead_1" in size:
            o = size["overhead_1"]
            row(f"overhead vs WeasyPrint, --jobs 1, N={n}", f"{o:.2f}",
                f"<= {TARGET_OVERHEAD:.2f}", o <= TARGET_OVERHEAD)
        for key, label in (("cpu_overhead_n", f"--jobs {jobs}"), ("cpu_overhead_1", "--jobs 1")):
            if key in size:
                o = size[key]
                row(f"overhead in CPU seconds, {label}, N={n}", f"{o:.2f}",
                    f"<= {TARGET_OVERHEAD:.2f}", o <= TARGET_OVERHEAD)
        if "efficiency" in size:
            e = size["efficiency"]
            row(f"parallel efficiency, {jobs} workers, N={n}", f"{e:.2f}",
                f">= {TARGET_EFFICIENCY:.2f}", e >= TARGET_EFFICIENCY)
        noop = size["runs"]["noop"]
        valid = not noop.get("code_changed")
        row(f"no-op rebuild, {n} × {len(size['locales'])} handouts",
            f"{noop['wall']:.1f} s" + ("" if valid else " (INVALID: code changed)"),
            f"< {TARGET_NOOP_SECONDS:.0f} s at N={NOOP_TARGET_SIZE}",
            noop["wall"] < TARGET_NOOP_SECONDS if n >= NOOP_TARGET_SIZE and valid else None)
        edit = size["runs"]["edit_catalog"]
        valid = not edit.get("code_changed")
        row(f"one es msgstr edited: re-rendered, N={n}",
            f"{edit['rerendered']} ({edit['rerendered_source']})"
            + ("" if valid else " (INVALID: code changed)"), f"== {edit['expected']}",
            edit["rerendered"] == edit["expected"] if valid else None)
        worker = size["runs"]["cold_n"]["worker_mb"] or size["runs"]["cold_n"]["main_mb"]
        row(f"worker peak RSS, N={n}", f"{worker:.0f} MB", f"< {TARGET_WORKER_MB} MB",
            worker < TARGET_WORKER_MB)
    if len(sizes) > 1:
        small, large = sizes[min(sizes)], sizes[max(sizes)]
        growth = ((large["runs"]["cold_n"]["worker_mb"] or 0) /
                  (small["runs"]["cold_n"]["worker_mb"] or 1))
        row(f"worker peak RSS, N={min(sizes)} -> N={max(sizes)}", f"x{growth:.2f}",
            f"<= x{TARGET_FLAT:.2f} (flat)", growth <= TARGET_FLAT)
    return rows


def print_size(size: dict, jobs: int) -> None:
    runs = size["runs"]
    print(f"\nN = {size['seeds']} seeds × {len(size['locales'])} locales "
          f"({', '.join(size['locales'])}) = {size['handouts']} handouts, "
          f"pages per handout: mean {size['pages_mean']:.1f}, min {size['pages_min']}")
    print(f"  {'run':<36} {'wall s':>8} {'build() s':>9} {'CPU s':>7} {'handouts/s':>10} "
          f"{'main MB':>8} {'worker MB':>9} {'others':>6}  re-rendered")
    names = [("cold_1", "cold build --jobs 1"), ("cold_n", f"cold build --jobs {jobs}"),
             ("floor_1", "floor: WeasyPrint, 1 process"),
             ("floor_n", f"floor: WeasyPrint, {jobs} processes"),
             ("floor_ua_n", f"floor: WeasyPrint PDF/UA-1, {jobs} proc."),
             ("noop", f"no-op rebuild --jobs {jobs}"),
             ("edit_seed", "rebuild, one seed edited"),
             ("edit_catalog", "rebuild, one es msgstr edited")]
    for key, label in names:
        if key not in runs:
            continue
        run = runs[key]
        inside = f"{run['seconds']:9.1f}" if not key.startswith("floor") else f"{'':>9}"
        worker = f"{run['worker_mb']:9.0f}" if run.get("worker_mb") else f"{'-':>9}"
        rerendered = (f"  {run['rerendered']} (expected {run['expected']}; "
                      f"{run['rerendered_source']})" if "expected" in run else "")
        if run.get("code_changed"):
            rerendered += " INVALID: the code changed since the previous build"
        print(f"  {label:<36} {run['wall']:8.1f} {inside} {run['cpu_s']:7.1f} "
              f"{run['handouts'] / run['wall']:10.2f} {run['main_mb']:8.0f} {worker} "
              f"{run['others_cpu']:6.0%}{rerendered}")
        if run.get("failed") or run.get("errors"):
            print(f"    !! {run['failed']} failed: {run['errors']}")
    busy = max(run["others_cpu"] for run in runs.values())
    if busy > 0.10:
        print(f"  WARNING: other programs used up to {busy:.0%} of the CPUs during a run "
              "(column 'others'): wall times, overhead and parallel efficiency are "
              "distorted; CPU seconds are less affected")
    if "floor_efficiency" in size:
        print(f"  (the floor's own parallel efficiency: {size['floor_efficiency']:.2f})")
    for note in sorted(set(size["notes"])):
        print(f"  note: {note}")


def print_targets(rows: list[dict]) -> None:
    print(f"\n  {'target':<48} {'figure':>28}  {'goal':<22} verdict")
    for r in rows:
        print(f"  {r['target']:<48} {r['figure']:>28}  {r['goal']:<22} {r['verdict']}")


# --- main --------------------------------------------------------------------------------------

def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="50,200", help="seeds per corpus (default 50,200)")
    parser.add_argument("--quick", action="store_true", help="a smoke run: N=5")
    parser.add_argument("--pages", type=int, default=10, help="pages per handout (default 10)")
    parser.add_argument("--jobs", type=int, default=CORES, help="workers (default: cores)")
    parser.add_argument("--serial-max", type=int, default=50,
                        help="run --jobs 1 and the 1-process floor only up to this N")
    parser.add_argument("--workdir", type=Path, help="keep the corpora here (default: a temp dir)")
    parser.add_argument("--output", type=Path, default=HERE / "results.json")
    parser.add_argument("--clinic", action="store_true",
                        help="only the clinic-size case (48 handouts, one language)")
    parser.add_argument("--no-clinic", action="store_true", help="skip the clinic-size case")
    args = parser.parse_args(argv)
    args.sizes = [] if args.clinic else (
        [5] if args.quick else [int(s) for s in args.sizes.split(",")])
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    root = args.workdir or Path(tempfile.mkdtemp(prefix="publisher-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    clinic_case = None
    try:
        if not args.no_clinic and not args.quick:
            clinic_case = clinic.measure_clinic(args, root, run_child, cold_build, report)
        sizes = {n: measure_size(n, args, root) for n in args.sizes}
    finally:
        if args.workdir is None:
            shutil.rmtree(root, ignore_errors=True)
    rows = targets(sizes, args.jobs)
    if clinic_case is not None:
        rows = clinic.print_clinic(clinic_case, args.jobs) + rows
    for size in sizes.values():
        print_size(size, args.jobs)
    print_targets(rows)
    total = time.perf_counter() - started
    print(f"\n{total / 60:.1f} minutes on {CORES} cores; written to {args.output}")
    args.output.write_text(json.dumps({
        "machine": {"cores": CORES, "python": platform.python_version(),
                    "platform": platform.platform()},
        "options": {"sizes": args.sizes, "pages": args.pages, "jobs": args.jobs,
                    "serial_max": args.serial_max},
        "seconds": total, "clinic": clinic_case,
        "sizes": {str(n): s for n, s in sizes.items()}, "targets": rows,
    }, indent=2, default=str) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
