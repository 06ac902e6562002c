"""The clinic-size case: 48 handouts in one language, cold, against the PDF/UA-1 floor.

Most clinics have a few dozen handouts, where fixed costs weigh most.  Three rounds,
each on fresh copies of the inputs with an empty cache: the full build (every format:
web page, PDF, braille, bilingual, with the preflight), the floor (plain WeasyPrint
writing PDF/UA-1 from the same print HTML, as many processes), and the build
restricted to ``--format html --format pdf``.  The ratios are taken within a round
(the runs of a round are seconds apart, so they share the machine's load) and the
median of the three is the verdict; CPU seconds of the whole process tree are less
sensitive than wall time to other programs on a shared machine.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import corpus

CLINIC_SEEDS = 48
CLINIC_LOCALES = ("en",)
TARGET_CPU_RATIO = 1.10
TARGET_WALL_RATIO = 1.15
ROUNDS = 3
KINDS = (("full", ()), ("html_pdf", ("html", "pdf")))


def measure_clinic(args, root: Path, run_child, cold_build, report) -> dict:
    """Run the rounds; every run's report and the median ratios."""
    print(f"\n== clinic: {CLINIC_SEEDS} seeds × {len(CLINIC_LOCALES)} locale, cold, "
          f"--jobs {args.jobs}, {ROUNDS} interleaved rounds ==", flush=True)
    started = time.perf_counter()
    source = root / "clinic" / "source"
    _, notes = corpus.generate(source, CLINIC_SEEDS, CLINIC_LOCALES, pages=args.pages,
                               processes=args.jobs)
    html = root / "clinic" / "print-html"
    # The print HTML, made by the build's own stages in a run of its own (untimed).
    capture = corpus.copy_project(source, root / "clinic" / "capture")
    run_child("capture", 1, capture / ".cache-home", project=capture, html=html)
    print(f"corpus and print HTML made in {time.perf_counter() - started:.0f} s", flush=True)
    rounds = []
    for number in range(1, ROUNDS + 1):
        runs = {}
        for kind, formats in KINDS[:1]:
            runs[kind] = _cold(run_child, source, root / "clinic" / f"{kind}-{number}",
                               args.jobs, formats)
            report(f"round {number}: build ({kind})", runs[kind])
        runs["floor_ua"] = run_child("floor", args.jobs, root / ".cache-home", html=html,
                                     variant="pdf/ua-1")
        report(f"round {number}: floor, WeasyPrint PDF/UA-1", runs["floor_ua"])
        for kind, formats in KINDS[1:]:
            runs[kind] = _cold(run_child, source, root / "clinic" / f"{kind}-{number}",
                               args.jobs, formats)
            report(f"round {number}: build ({kind})", runs[kind])
        rounds.append(runs)
    return {"seeds": CLINIC_SEEDS, "locales": list(CLINIC_LOCALES), "notes": notes,
            "rounds": rounds, **ratios(rounds)}


def _cold(run_child, source: Path, target: Path, jobs: int, formats: tuple[str, ...]) -> dict:
    project = corpus.copy_project(source, target)
    return run_child("build", jobs, project / ".cache-home", formats=formats, project=project)


def ratios(rounds: list[dict]) -> dict:
    out: dict = {}
    for kind, _ in KINDS:
        for measure, key in (("wall", "wall"), ("cpu", "cpu_s")):
            values = [r[kind][key] / r["floor_ua"][key] for r in rounds]
            out[f"{kind}_{measure}_ratios"] = values
            out[f"{kind}_{measure}_ratio"] = statistics.median(values)
    for measure, key in (("wall", "wall"), ("cpu", "cpu_s")):
        # What braille, the bilingual handouts and their preflight add to html+pdf.
        out[f"extras_{measure}_share"] = statistics.median(
            (r["full"][key] - r["html_pdf"][key]) / r["full"][key] for r in rounds)
    return out


def print_clinic(clinic: dict, jobs: int) -> list[dict]:
    """The table of runs and the target rows."""
    print(f"\nclinic: {clinic['seeds']} seeds × {', '.join(clinic['locales'])}, cold, "
          f"--jobs {jobs}")
    print(f"  {'round':<6} {'run':<28} {'wall s':>7} {'CPU s':>7} {'handouts':>8} {'others':>6}")
    for number, runs in enumerate(clinic["rounds"], 1):
        for key, label in (("full", "build, every format"),
                           ("floor_ua", "floor: WeasyPrint PDF/UA-1"),
                           ("html_pdf", "build --format html,pdf")):
            run = runs[key]
            print(f"  {number:<6} {label:<28} {run['wall']:7.1f} {run['cpu_s']:7.1f} "
                  f"{run['handouts']:8d} {run['others_cpu']:6.0%}")
            if run.get("failed") or run.get("errors"):
                print(f"    !! {run['failed']} failed: {run['errors']}")
    print(f"  braille + bilingual + their preflight: "
          f"{clinic['extras_cpu_share']:.0%} of the full build's CPU seconds, "
          f"{clinic['extras_wall_share']:.0%} of its wall time (median)")
    rows = []
    for kind, label in (("full", "every format"), ("html_pdf", "--format html,pdf")):
        for measure, goal in (("cpu", TARGET_CPU_RATIO), ("wall", TARGET_WALL_RATIO)):
            value = clinic[f"{kind}_{measure}_ratio"]
            spread = ", ".join(f"{v:.2f}" for v in clinic[f"{kind}_{measure}_ratios"])
            rows.append({"target": f"clinic {clinic['seeds']}: {measure} vs PDF/UA-1 floor, "
                                   f"{label}",
                         "figure": f"{value:.2f} (rounds {spread})", "goal": f"<= {goal:.2f}",
                         "verdict": "PASS" if value <= goal else "FAIL"})
    return rows
