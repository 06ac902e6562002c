"""CPU ms per handout of the tagging step alone: ours against WeasyPrint's own.

    .venv/bin/python benchmarks/tagging_step.py            # 8 clinic pages, 7 rounds

The clinic print pages are laid out once; then, alternately with our tagging
extension installed and with WeasyPrint's own (``pdfua.uninstall``), each document
is written to PDF/UA-1 again and the CPU time spent in ``weasyprint.pdf.add_tags``
(WeasyPrint's tagging step, or our wrapper around it with ``reshape``) is summed.
Rounds alternate so that a busy neighbour on the machine hits both alike; the
figures are the median and the minimum over the rounds.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from pathlib import Path

import weasyprint
from weasyprint import pdf as weasy_pdf

from publisher import pdfua
from publisher.render_pdf import PdfRenderer

parser = argparse.ArgumentParser()
parser.add_argument("--pages", type=Path, default=Path("/tmp/clinic-s4a/clinic/print-html"))
parser.add_argument("--templates", type=Path, default=Path("/tmp/fc1/templates"))
parser.add_argument("--count", type=int, default=8)
parser.add_argument("--rounds", type=int, default=7)
args = parser.parse_args()

renderer = PdfRenderer([args.templates, args.templates.parent / "seeds" / "assets"])
base = args.templates.resolve().as_uri() + "/"
documents = [weasyprint.HTML(string=page.read_text(), base_url=base,
                             url_fetcher=renderer.fetcher).render(
                 font_config=renderer.font_config, pdf_variant="pdf/ua-1")
             for page in sorted(args.pages.glob("*.html"))[:args.count]]
spent = [0.0]


def timed(tagging):
    def step(*arguments):
        start = time.process_time()
        try:
            return tagging(*arguments)
        finally:
            spent[0] += time.process_time() - start
    return step


def one_round(ours: bool) -> float:
    (pdfua.install if ours else pdfua.uninstall)()
    weasy_pdf.add_tags = timed(weasy_pdf.add_tags)
    spent[0] = 0.0
    try:
        for document in documents:
            document.write_pdf(pdf_variant="pdf/ua-1")
    finally:
        weasy_pdf.add_tags = weasy_pdf.add_tags.__closure__[0].cell_contents
    return spent[0] / len(documents) * 1000


one_round(True), one_round(False)            # warm
gc.collect()
gc.freeze()
figures: dict[bool, list[float]] = {True: [], False: []}
for _ in range(args.rounds):
    for ours in (True, False):
        figures[ours].append(one_round(ours))
pdfua.install()
for ours, label in ((False, "WeasyPrint's own tagging"), (True, "ours (WeasyPrint's + pdfua)")):
    print(f"{label:30} median {statistics.median(figures[ours]):5.1f} ms/handout, "
          f"min {min(figures[ours]):5.1f}  ({len(documents)} handouts x {args.rounds})")
