"""Where a warm worker's seconds go, per handout, by stage (cProfile).

    .venv/bin/python benchmarks/profile_worker.py --project .            # the example
    .venv/bin/python benchmarks/profile_worker.py --project /tmp/corpus --limit 8
    .venv/bin/python benchmarks/profile_worker.py --project . --dump /tmp/w.prof

The build's own stages load and plan the project; one worker is started in this
process (`start_worker`) and renders every job once untimed (fonts, templates and
catalogs warm), then again under cProfile.  Each stage's time is the cumulative time
of the function that runs it, so nested stages (the bilingual PDF's preflight inside
"bilingual") are reported inside their stage and again on their own line; the
table says which.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import time
from pathlib import Path

#: (label, module file suffix, function name): cumulative time of that function.
STAGES = (
    ("whole job (render_job)", "publisher/render_handout.py", "render_job"),
    ("WeasyPrint layout + PDF, with tagging (PdfRenderer.render)", "publisher/render_pdf.py",
     "render"),
    ("  of which our tagging rebuild (pdfua)", "publisher/pdfua.py", "*"),
    ("Jinja: print + web + bilingual pages", "publisher/render_html.py", "handout"),
    ("QR code (segno)", "publisher/render_handout.py", "qr_data_uri"),
    ("glyph check (require_glyphs)", "publisher/handout_checks.py", "require_glyphs"),
    ("preflight, all (handout + bilingual)", "publisher/handout_checks.py", "preflight"),
    ("  PDF rules (check_pdf)", "publisher/preflight/pdf.py", "check_pdf"),
    ("    pdfplumber read (read_pdf)", "publisher/preflight/pdf_model.py", "read_pdf"),
    ("  HTML rules (check_html)", "publisher/preflight/html.py", "check_html"),
    ("braille (liblouis)", "publisher/braille.py", "render_braille"),
    ("bilingual PDF + HTML (with its preflight)", "publisher/bilingual.py", "render_bilingual"),
    ("readability (textstat)", "publisher/readability.py", "readability"),
    ("pictures (resolve_pictures)", "publisher/assets.py", "resolve_pictures"),
)


def stage_seconds(stats: pstats.Stats) -> dict[str, float]:
    found: dict[str, float] = {}
    for label, module, name in STAGES:
        total = 0.0
        for (filename, _, function), (_, _, _, cumulative, callers) in stats.stats.items():
            if not filename.endswith(module) or (name != "*" and function != name):
                continue
            if name == "*":  # whole module: only entries called from outside it
                if all(caller[0].endswith(module) for caller in callers):
                    continue
            elif any(caller[0].endswith(module) and caller[2] == name for caller in callers):
                continue  # recursion: counted by the outer call
            total += cumulative
        found[label] = total
    return found


def _timed(owner: object, name: str, label: str, totals: dict[str, float]) -> None:
    """Replace owner.name with a wrapper adding its wall time to totals[label]."""
    original = getattr(owner, name)
    depth = [0]

    def wrapper(*args, **kwargs):
        depth[0] += 1
        started = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            depth[0] -= 1
            if depth[0] == 0:
                totals[label] = totals.get(label, 0.0) + time.process_time() - started
    setattr(owner, name, wrapper)


def wall_table(jobs: list, repeat: int) -> None:
    """Stage CPU times (process_time: less sensitive than the wall clock to other
    programs on a shared machine) without a profiler's overhead (pdfminer is pure
    Python: cProfile inflates it several times over)."""
    from publisher import (bilingual, braille, handout_checks, readability, render_extras,
                           render_handout, render_html, render_pdf)
    from publisher.preflight import html as preflight_html, pdf as preflight_pdf, pdf_model
    totals: dict[str, float] = {}
    _timed(render_handout, "_render", "whole job", totals)
    _timed(render_pdf.PdfRenderer, "render", "WeasyPrint layout + PDF with tagging", totals)
    _timed(render_html.HtmlRenderer, "handout", "Jinja pages", totals)
    _timed(render_handout, "qr_data_uri", "QR code", totals)
    _timed(render_handout, "require_glyphs", "glyph check", totals)
    _timed(handout_checks, "preflight", "preflight (all)", totals)
    for module in (render_handout, render_extras):
        module.preflight = handout_checks.preflight
    _timed(preflight_pdf, "read_pdf", "  preflight PDF read", totals)
    _timed(pdf_model, "read_pdf", "  preflight PDF read", totals)
    _timed(preflight_html, "read_html", "  preflight HTML read", totals)
    _timed(render_extras, "render_braille", "braille", totals)
    _timed(render_extras, "render_bilingual", "bilingual (its PDF, HTML, preflight)", totals)
    _timed(render_extras, "readability", "readability", totals)
    started, cpu = time.perf_counter(), time.process_time()
    pages = 0
    for _ in range(repeat):
        for job in jobs:
            pages += render_job_module().render_job(job).pages or 0
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    count = len(jobs) * repeat
    print(f"{count} handouts, {pages} pages, {wall:.2f} s wall, {cpu:.2f} s CPU, "
          f"{cpu / count * 1000:.0f} CPU ms per handout, {cpu / pages * 1000:.1f} per page")
    print("| stage (CPU, no profiler) | CPU ms per handout | share |")
    print("|---|---:|---:|")
    whole = totals["whole job"]
    for label, value in sorted(totals.items(), key=lambda item: -item[1]):
        print(f"| {label} | {value / count * 1000:.0f} | {value / whole * 100:.1f} % |")


def render_job_module():
    from publisher import render_handout
    return render_handout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--project", default=".")
    parser.add_argument("--limit", type=int, default=0, help="profile the first N jobs")
    parser.add_argument("--formats", nargs="*", help="e.g. html pdf (default: all)")
    parser.add_argument("--dump", help="write the raw cProfile stats here")
    parser.add_argument("--wall", action="store_true",
                        help="no profiler: CPU time of the stages with process_time wrappers")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()

    from publisher.build import BuildOptions, BuildResult, load_stage, plan_jobs, plan_stage
    from publisher.cache import no_cache
    from publisher.config import load_config
    from publisher.render_handout import render_job, start_worker

    project = Path(args.project).resolve()
    options = BuildOptions(project=project, jobs=1)
    if args.formats:
        options = BuildOptions(project=project, jobs=1, formats=tuple(args.formats))
    config = load_config(project)
    result = BuildResult()
    documents = load_stage(options, config, no_cache(), result)
    planned = plan_stage(options, config, documents, no_cache(), result)
    jobs = plan_jobs(planned.handouts, config, options.formats)
    if args.limit:
        jobs = jobs[:args.limit]
    start_worker(project, config)
    for job in jobs:  # warm: fonts, templates, catalogs, liblouis tables
        render_job(job)
    if args.wall:
        return wall_table(jobs, args.repeat)
    profiler = cProfile.Profile()
    started = time.perf_counter()
    pages = 0
    profiler.enable()
    for job in jobs:
        rendered = render_job(job)
        pages += rendered.pages or 0
        if rendered.failed:
            print("FAILED", job.label, [p.message for p in rendered.problems][:3])
    profiler.disable()
    wall = time.perf_counter() - started
    if args.dump:
        profiler.dump_stats(args.dump)
    stats = pstats.Stats(profiler)
    seconds = stage_seconds(stats)
    count = len(jobs)
    whole = seconds["whole job (render_job)"]
    print(f"{count} handouts, {pages} pages, {wall:.2f} s wall under cProfile "
          f"({wall / count * 1000:.0f} ms per handout)")
    print(f"| stage | ms per handout | share of the job |")
    print(f"|---|---:|---:|")
    for label, _, _ in STAGES:
        value = seconds[label]
        print(f"| {label} | {value / count * 1000:.0f} | {value / whole * 100:.1f} % |")


if __name__ == "__main__":
    main()
