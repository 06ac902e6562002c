"""CPU milliseconds per handout: WeasyPrint's own PDF/UA-1 (the floor) against ours.

    .venv/bin/python benchmarks/tagging_cpu.py floor      # weasyprint write_pdf, pdf/ua-1
    .venv/bin/python benchmarks/tagging_cpu.py ours       # PdfRenderer.render (our tagging)
    .venv/bin/python benchmarks/tagging_cpu.py ours --profile /tmp/ours.prof

Eight clinic print pages (10 pages each), rendered once untimed (fonts, CSS warm),
then with the garbage collector's survivors frozen, three timed rounds of
``time.process_time``: each line is one round's CPU ms per handout.  Run floor and
ours alternately, a few times, on a shared machine.
"""

from __future__ import annotations

import argparse
import gc
import time
from pathlib import Path

parser = argparse.ArgumentParser()
parser.add_argument("mode", choices=("floor", "ours"))
parser.add_argument("--pages", type=Path, default=Path("/tmp/clinic-s4a/clinic/print-html"))
parser.add_argument("--templates", type=Path, default=Path("/tmp/fc1/templates"))
parser.add_argument("--count", type=int, default=8)
parser.add_argument("--rounds", type=int, default=3)
parser.add_argument("--profile", type=Path, help="cProfile one round into this file")
args = parser.parse_args()

base = args.templates.resolve().as_uri() + "/"
htmls = [page.read_text() for page in sorted(args.pages.glob("*.html"))[:args.count]]
if args.mode == "floor":
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration
    fonts = FontConfiguration()

    def one(html: str) -> bytes:
        return HTML(string=html, base_url=base).write_pdf(font_config=fonts,
                                                          pdf_variant="pdf/ua-1")
else:
    from publisher.render_pdf import PdfRenderer
    renderer = PdfRenderer([args.templates, args.templates.parent / "seeds" / "assets"])

    def one(html: str) -> bytes:
        return renderer.render(html, source_path="x", base_url=base).data

for html in htmls:
    one(html)
gc.collect()
gc.freeze()
if args.profile:
    import cProfile
    profile = cProfile.Profile()
    profile.enable()
    for html in htmls:
        one(html)
    profile.disable()
    profile.dump_stats(args.profile)
else:
    for _ in range(args.rounds):
        start = time.process_time()
        for html in htmls:
            one(html)
        print(args.mode, round((time.process_time() - start) / len(htmls) * 1000),
              "ms/handout")
