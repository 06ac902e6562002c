"""Issue 8's figures for built handouts, read with pdf.js and Poppler.

    .venv/bin/python tests/readers/figures.py --project DIR DIR/dist/*/*.pdf

Per PDF (its HTML twin beside it): words pdftotext and pdf.js (in drawing order,
and in the structure tree's order as Firefox gives them to a screen reader) extract wrong
(not words of the handout) and words they run together (two words without the
space between), paragraphs and list items split in two, Link elements, link
annotations, annotations outside a Link, links split in two, and glyphs within
half an inch of the paper edge.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from pdfread import (elements, html_text, link_figures, near_edge, pdfjs, pdfjs_reading_text,  # noqa: E402
                     pdfjs_text,
                     pdftotext, print_vocabulary, run_together, short_addresses,
                     split_blocks, wrong_words)


def figures(project: Path, pdf: Path) -> str:
    html = pdf.with_suffix(".html")
    data = pdfjs(pdf)
    expected = " ".join((html_text(html), print_vocabulary(project, pdf.parent.name, 200),
                         short_addresses(html)))
    row = [f"{pdf.parent.name}/{pdf.stem}", f"{len(data['pages'])} pages"]
    for reader, text in (("pdftotext", pdftotext(pdf)), ("pdf.js", pdfjs_text(pdf, data)),
                         ("pdf.js in structure order", pdfjs_reading_text(pdf, data))):
        wrong = wrong_words(text, expected)
        glued = [word for word in wrong if run_together(word, expected)]
        corrupt = [word for word in wrong if word not in glued]
        row.append(f"{reader}: {len(corrupt)} wrong {corrupt[:4]}, "
                   f"{len(glued)} run together {glued[:3]}")
    links = link_figures(pdf)
    row.append(f"split P/LI {len(split_blocks(pdf, html))}")
    row.append(f"Link {links['links']}, annotations {links['annotations']}, "
               f"outside a Link {links['outside_link']}, split links {links['split_links']}")
    row.append(f"within 0.5 in {len(near_edge(pdf))}")
    pictures = elements(pdf, "Figure")
    row.append(f"Figure {len(pictures)}, with /Alt {sum(1 for e in pictures if e.alt)}")
    return " | ".join(row)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", type=Path, required=True)
    parser.add_argument("pdfs", nargs="+", type=Path)
    args = parser.parse_args()
    for pdf in args.pdfs:
        print(figures(args.project, pdf))


if __name__ == "__main__":
    main()
