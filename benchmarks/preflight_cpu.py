"""CPU per handout of the build's read-back check of a PDF (issue 12), by part.

    .venv/bin/python benchmarks/preflight_cpu.py DIR [--limit 8] [--repeat 3]

Reads the PDFs in DIR (a built ``dist/<locale>`` folder) into memory, warms up, freezes
the garbage collector's heap (as a warm worker does), and prints the CPU milliseconds
per handout of ``check_pdf`` on the bytes, of ``read_pdf`` alone, of its parts
(opening the file, qpdf parsing the content streams, the glyph reader, the structure
tree) and of each check on the model; the minimum over ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import gc
import io
from collections.abc import Callable
from pathlib import Path

import pikepdf

from publisher.preflight.pdf import PDF_CHECKS, check_pdf
from publisher.preflight.pdf_fonts import FontCache, ObjId
from publisher.preflight.pdf_model import _read_structure, read_pdf
from publisher.preflight import pdf_text
from publisher.preflight.pdf_text import read_page

from cpu import cpu_ms  # benchmarks/cpu.py

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--limit", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = sorted(args.folder.glob("*.pdf"))[:args.limit]
    datas = [(path, path.read_bytes()) for path in files]
    docs = [read_pdf(path, data=data, read_twin=False) for path, data in datas]
    for path, data in datas:
        check_pdf(path, data=data, read_twin=False)
    gc.collect()
    gc.freeze()
    count, repeat = len(datas), args.repeat

    def opened() -> list[pikepdf.Pdf]:
        return [pikepdf.open(io.BytesIO(data)) for _, data in datas]

    pdfs = opened()
    parsed: dict[int, dict[ObjId, list]] = {}

    def interpreter(pdfs: list[pikepdf.Pdf]) -> None:
        """read_page on content streams parsed beforehand (the minimum of the runs
        is of runs that parse nothing): our Python alone."""
        parse = pdf_text.operations
        try:
            for index, pdf in enumerate(pdfs):
                known = parsed.setdefault(index, {})
                pdf_text.operations = lambda stream: known[key] if (key := getattr(
                    stream, "obj", stream).objgen) in known else known.setdefault(
                        key, parse(stream))
                fonts = FontCache()
                for page in pdf.pages:
                    read_page(page, fonts)
        finally:
            pdf_text.operations = parse
    rows: list[tuple[str, Callable[[], object]]] = [
        ("check_pdf (all)", lambda: [check_pdf(p, data=d, read_twin=False) for p, d in datas]),
        ("read_pdf", lambda: [read_pdf(p, data=d, read_twin=False).pdf.close()
                              for p, d in datas]),
        ("  pikepdf.open", lambda: [pdf.close() for pdf in opened()]),
        ("  parse_content_stream", lambda: [pikepdf.parse_content_stream(page)
                                            for pdf in pdfs for page in pdf.pages]),
        ("  read_page (parse + glyphs)", lambda: [
            [read_page(page, fonts) for page in pdf.pages]
            for pdf in pdfs for fonts in [FontCache()]]),
        ("  of which the interpreter", lambda: interpreter(pdfs)),
        ("  _read_structure", lambda: [_read_structure(pdf, {
            page.obj.objgen: i for i, page in enumerate(pdf.pages)}) for pdf in pdfs]),
        ("checks (all, on the model)", lambda: [check(doc) for doc in docs
                                                for check in PDF_CHECKS]),
    ]
    rows += [(f"  {check.__name__}", lambda check=check: [check(doc) for doc in docs])
             for check in PDF_CHECKS]
    glyphs = sum(len(page) for doc in docs for page in doc.glyphs)
    print(f"{count} PDFs, {sum(len(doc.pages) for doc in docs) / count:.1f} pages and "
          f"{glyphs / count:.0f} glyphs each; CPU ms per handout, min of {repeat}")
    for name, work in rows:
        print(f"{name:34} {cpu_ms(work, count, repeat):7.2f}")


if __name__ == "__main__":
    main()
