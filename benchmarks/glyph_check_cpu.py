"""CPU per handout of the worker's glyph check (``require_glyphs``, issue 12).

    .venv/bin/python benchmarks/glyph_check_cpu.py --project PROJECT [--limit 8]

Loads and plans the project as the build does, warms up (the font coverage is read
once per worker), and prints the CPU milliseconds per handout of ``require_glyphs``
and of its parts; the minimum of ``--repeat`` runs.  A worker meets each handout's
text once, so the Markdown caches (``inline.to_html``, ``inline.to_plain_text``) are
emptied before each run ("cold"); with ``to_html`` warm is what the check adds to a
worker whose templates render the same Markdown anyway.  ``--profile FILE`` writes
a cProfile of one cold run.
"""

from __future__ import annotations

import argparse
import gc
from collections.abc import Callable
from pathlib import Path

from cpu import cpu_ms  # benchmarks/cpu.py

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("--limit", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--profile")
    args = parser.parse_args()

    from publisher.build import BuildOptions, BuildResult, load_stage, plan_jobs, plan_stage
    from publisher.cache import no_cache
    from publisher.config import load_config
    from publisher.fonts import uncovered
    from publisher.handout_checks import require_glyphs, shown_texts
    from publisher.inline import to_html, to_plain_text

    project = args.project.resolve()
    options = BuildOptions(project=project, jobs=1)
    config = load_config(project)
    result = BuildResult()
    documents = load_stage(options, config, no_cache(), result)
    planned = plan_stage(options, config, documents, no_cache(), result)
    handouts = [job.handout for job in plan_jobs(planned.handouts, config, options.formats)]
    handouts = handouts[:args.limit]
    for handout in handouts:
        require_glyphs(handout)
    gc.collect()
    gc.freeze()
    texts = ["".join(text for text, _, _ in shown_texts(handout)) for handout in handouts]

    def cold(work: Callable[[], object], keep_html: bool = False) -> Callable[[], object]:
        def run() -> object:
            if not keep_html:
                to_html.cache_clear()
            to_plain_text.cache_clear()
            return work()
        return run

    def check_all() -> None:
        for handout in handouts:
            require_glyphs(handout)
    if args.profile:
        import cProfile
        to_html.cache_clear()
        to_plain_text.cache_clear()
        profile = cProfile.Profile()
        profile.runcall(check_all)
        profile.dump_stats(args.profile)
    count = len(handouts)
    print(f"{count} handouts, {sum(map(len, texts)) / count:.0f} characters shown each; "
          f"CPU ms per handout, min of {args.repeat}")
    for name, work in (
            ("require_glyphs, cold", cold(check_all)),
            ("  with to_html warm", cold(check_all, keep_html=True)),
            ("  shown_texts, cold", cold(lambda: [shown_texts(h) for h in handouts])),
            ("  uncovered", lambda: [uncovered(text) for text in texts]),
            ("require_glyphs, warm", check_all)):
        print(f"{name:24} {cpu_ms(work, count, args.repeat):7.2f}")


if __name__ == "__main__":
    main()
