"""Our PDFs beside Typst 0.14 / 0.15 `ua-1` PDFs of the same text, read with the same measures.

    .venv/bin/python benchmarks/typst_compare.py --workdir /tmp/typst-compare \\
        --typst 0.14=/work/typst14-venv/bin/python --typst 0.15=/work/typst-venv/bin/python

Typst is a comparison here, not a dependency: each ``--typst`` names the Python of a
venv outside the project with ``pip install typst==X pypandoc-binary`` (typst-py 0.14.9
bundles Typst 0.14.2, 0.15.0 bundles Typst 0.15.0); Pandoc comes from pypandoc-binary.

1. A project in WORKDIR: the example seed and ``tests/readers/long-title-table-lists.md``
   with a local picture added, built by ``publisher build --require draft`` in en, es
   (the repository's draft catalog), ar and zh-Hans (fixture translations,
   ``tests/readers/fill_fixture_catalogs.py``).
2. Per handout, the print HTML WeasyPrint laid out (``render_handout.print_html``) goes
   through Pandoc's html -> typst writer (a Lua filter keeps ``lang``/``dir``), under a
   large-print preamble (18 pt Noto, line pitch 1.5, 1-inch margins, one-line
   "Page X of Y" + shortened title footer); each Typst compiles it with ``ua-1``.
   Pandoc's losses are worked around (``pandoc_ready``, the Lua filter, alt text put
   back) so that what is compared is Typst, not Pandoc; each is a finding.
3. Both PDFs are read with ``tests/pdfread.py`` (pdf.js, Poppler, pikepdf) against our
   HTML twin, and with ``publisher check``'s PDF rules; the structure-based measures
   use a reader that follows nested marked content (``nested_marked_content``); one
   row per file and producer.
4. CPU seconds: layout+PDF in a warm process (ours: ``PdfRenderer.render``; Typst: a
   fresh ``Compiler`` after a warm-up compile, in a fresh process so that Typst's
   memoization cannot reuse an earlier compile of the same text) and the whole
   pipeline from the print HTML as fresh processes (ours: Python + WeasyPrint; Typst:
   pandoc + Python + typst), median of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import dataclasses
import contextlib
import html as html_lib
import io
import json
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

#: seed -> languages compared (the issue's "done when" files).
HANDOUTS = {"recurrent-breast-cancer": ("en", "es", "ar", "zh-Hans"),
            "long-title-table-lists": ("en", "ar")}
PICTURE = ('![Drawing of a pill box with seven compartments, one for each day]'
           '(assets/pillbox.png "A pill box for the week")\n\n')
#: Typst's text.lang is ISO 639 (no script subtag): zh-Hans is written zh + region CN.
TYPST_LANG = {"zh-Hans": ("zh", "CN")}
FONTS = {"ar": '("Noto Sans Arabic", "Noto Sans")',
         "default": '("Noto Sans", "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans CJK SC")'}

# Pandoc keeps lang/dir of a Span or Div in its AST but its Typst writer drops them:
# wrap them in text(lang:, dir:) so the comparison is of Typst, not of that gap.
LUA_FILTER = r"""
local function args(attr)
  local out = {}
  local lang = attr.attributes["lang"]
  if lang then
    local code, region = lang:match("^(%a+)%-?(%a*)$")
    table.insert(out, 'lang: "' .. code:lower() .. '"')
  end
  local dir = attr.attributes["dir"]
  if dir == "ltr" or dir == "rtl" then table.insert(out, "dir: " .. dir) end
  return table.concat(out, ", ")
end
function Span(el)
  local a = args(el.attr)
  if a == "" then return nil end
  local out = {pandoc.RawInline("typst", "#text(" .. a .. ")[")}
  for _, x in ipairs(el.content) do table.insert(out, x) end
  table.insert(out, pandoc.RawInline("typst", "]"))
  return out
end
function Div(el)
  local a = args(el.attr)
  if a == "" then return nil end
  local out = {pandoc.RawBlock("typst", "#[#set text(" .. a .. ")")}
  for _, x in ipairs(el.content) do table.insert(out, x) end
  table.insert(out, pandoc.RawBlock("typst", "]"))
  return out
end
"""

PREAMBLE = r"""#set document(title: TITLE, author: AUTHOR)
#let fit-title(title, width) = {
  // One line, as our print.css: drop whole words and end with an ellipsis; a
  // title without spaces (Chinese) loses characters instead.
  let words = title.split(" ")
  let cut = if words.len() > 1 { words } else { title.clusters() }
  let glue = if words.len() > 1 { " " } else { "" }
  let shown = title
  let n = cut.len()
  while n > 1 and measure(text(shown)).width > width {
    n -= 1
    shown = cut.slice(0, n).join(glue).trim() + " …"
  }
  shown
}
#set page(paper: PAPER, margin: 1in, footer-descent: 0.06in, footer: context {
  set text(size: 18pt, top-edge: 0.8em, bottom-edge: -0.2em)
  grid(columns: (62%, 38%), align: (start, end),
    fit-title(TITLE, 0.62 * (PAGE_WIDTH - 2in)), FOOTER)
})
#set text(font: FONTS, size: 18pt, LANG hyphenate: false, top-edge: 0.8em,
          bottom-edge: -0.2em, fill: black)
#set par(leading: 0.5em, spacing: 1.05em, justify: false)
#show heading: set text(weight: "bold")
#show heading: set block(above: 1.2em, below: 0.75em)
#show heading.where(level: 1): set text(size: 28pt)
#show heading.where(level: 2): set text(size: 24pt)
#show heading.where(level: 3): set text(size: 21pt)
#show emph: it => strong(it.body)
#show link: underline
#set table(stroke: 1pt + black, inset: (x: 0.4em, y: 0.3em))
#show figure.caption: set text(weight: "bold")
#set figure(numbering: none)
#show figure: set align(start)
#show table.cell.where(y: 0): set text(weight: "bold")
#set list(indent: 0.4em, body-indent: 0.6em, marker: ([•], [◦], [▪]))
#set enum(indent: 0.4em, body-indent: 0.6em)
"""


# --- 1. the project and our build ---------------------------------------------------

def make_project(workdir: Path) -> Path:
    """A project with both seeds, the repository's catalogs and a picture; built."""
    from PIL import Image, ImageDraw
    from publisher.cli import main as publisher
    project = workdir / "project"
    if project.exists():
        shutil.rmtree(project)
    (project / "seeds" / "assets").mkdir(parents=True)
    shutil.copytree(ROOT / "templates", project / "templates")
    shutil.copytree(ROOT / "locales", project / "locales")
    shutil.copy(ROOT / "seeds" / "recurrent-breast-cancer.md", project / "seeds")
    seed = (ROOT / "tests" / "readers" / "long-title-table-lists.md").read_text(encoding="utf-8")
    seed = seed.replace("## What to do", PICTURE + "## What to do")
    (project / "seeds" / "long-title-table-lists.md").write_text(seed, encoding="utf-8")
    image = Image.new("RGB", (1200, 500), "white")
    for day in range(7):
        ImageDraw.Draw(image).rectangle((40 + day * 160, 120, 180 + day * 160, 380),
                                        outline="black", width=10)
    image.save(project / "seeds" / "assets" / "pillbox.png")
    locales = sorted({locale for locales in HANDOUTS.values() for locale in locales})
    (project / "publisher.toml").write_text(
        f'[project]\nsource_language = "en"\nlocales = {json.dumps(locales)}\n'
        '[print]\npaper = "letter"\nsize = "large"\n[publish]\nrequire = "draft"\n')
    publisher(["update", "--project", str(project)], stdout=io.StringIO())
    subprocess.run([sys.executable, str(ROOT / "tests" / "readers" / "fill_fixture_catalogs.py"),
                    str(project), "ar", "zh-Hans"], check=True)
    publisher(["build", "--project", str(project), "--jobs", "2"], stdout=sys.stderr)
    return project


def print_pages(project: Path, out: Path) -> dict[str, Path]:
    """The print HTML of each compared handout, as the build's worker makes it."""
    from publisher.assets import resolve_pictures
    from publisher.build import BuildOptions, BuildResult, load_stage, plan_jobs, plan_stage
    from publisher.cache import no_cache
    from publisher.config import load_config
    from publisher.render_handout import print_html, start_worker
    options = BuildOptions(project=project, jobs=1)
    config = load_config(project)
    documents = load_stage(options, config, no_cache(), BuildResult())
    planned = plan_stage(options, config, documents, no_cache(), BuildResult())
    start_worker(project, config)
    out.mkdir(parents=True, exist_ok=True)
    pages = {}
    for job in plan_jobs(planned.handouts, config, options.formats):
        slug, locale = job.key
        if locale not in HANDOUTS.get(slug, ()):
            continue
        job = dataclasses.replace(job, handout=resolve_pictures(job.handout, project))
        path = out / f"{locale}-{slug}.html"
        path.write_text(print_html(job), encoding="utf-8")
        pages[f"{locale}/{slug}"] = path
    return pages


# --- 2. the same text as Typst ------------------------------------------------------

def pandoc_ready(page: str) -> str:
    """Print HTML as Pandoc's reader keeps it: it drops <header>/<main>/<footer>
    with their content and <bdi> markup, and a <p lang> loses its lang."""
    page = re.sub(r"<(/?)(header|main|footer)\b", r"<\1div", page)
    page = re.sub(r'<bdi dir="(\w+)">(.*?)</bdi>', r'<span dir="\1">\2</span>', page, flags=re.S)
    return re.sub(r'<(p|dd|li|dt)\b([^>]*?) lang="([^"]+)"(?: dir="(\w+)")?([^>]*)>(.*?)</\1>',
                  lambda m: f'<{m[1]}{m[2]}{m[5]}><span lang="{m[3]}" dir="{m[4] or "ltr"}">'
                            f'{m[6]}</span></{m[1]}>', page, flags=re.S)


def typst_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def footer_expression(page: str) -> str:
    """The localized "Page X of Y" of the print HTML's @page rule, as Typst code."""
    content = re.search(r"content: ((?:\"[^\"]*\"|counter\(\w+\)|\s)+);", page)[1]
    pieces = re.findall(r'"((?:[^"\\]|\\.)*)"|counter\((\w+)\)', content)
    code = {"page": "str(counter(page).get().first())",
            "pages": "str(counter(page).final().first())"}
    return "(" + " + ".join(code[name] if name else typst_string(text)
                            for text, name in pieces) + ")"


def typst_source(page: str, pandoc: str, lua: Path, assets: Path) -> str:
    """A .typ file with the print HTML's text: Pandoc's body under our preamble."""
    lang = re.search(r'<html lang="([^"]+)"', page)[1]
    title = html_lib.unescape(re.search(r"<title>(.*?)</title>", page, re.S)[1])
    h1 = html_lib.unescape(re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)[1]))
    author = re.search(r'<meta name="author" content="([^"]*)"', page)
    body = subprocess.run([pandoc, "-f", "html", "-t", "typst", "--lua-filter", str(lua)],
                          input=pandoc_ready(page), capture_output=True, text=True,
                          check=True).stdout
    # Pandoc's writer drops the picture's alt text (Typst ua-1 refuses a picture
    # without one): put back each <img alt> in order, with the file's local name.
    alts = iter(html_lib.unescape(alt) for alt in re.findall(r'<img [^>]*alt="([^"]*)"', page))
    body = re.sub(r'image\("file://[^"]*/([^"/]+)"\)',
                  lambda m: f'image("{assets.name}/{m[1]}", alt: {typst_string(next(alts))})', body)
    # Pandoc centres tables; ours are at the start of the line like the text.
    body = body.replace("align(center)[#table(", "align(start)[#table(")
    code, region = TYPST_LANG.get(lang, (lang, None))
    lang_args = f'lang: "{code}", ' + (f'region: "{region}", ' if region else "")
    paper = "us-letter" if "size: letter" in page else "a4"
    width = "8.5in" if paper == "us-letter" else "210mm"
    preamble = (PREAMBLE.replace("TITLE", typst_string(h1 or title))
                .replace("AUTHOR", typst_string(author[1] if author else ""))
                .replace("PAPER", typst_string(paper)).replace("PAGE_WIDTH", width)
                .replace("FOOTER", footer_expression(page))
                .replace("FONTS", FONTS.get(code, FONTS["default"]))
                .replace("LANG ", lang_args))
    return preamble + "\n" + body


# --- 3. compiling and timing ---------------------------------------------------------

# Run by a Typst venv's Python: load the system fonts, compile a small warm-up document,
# then compile the handout with a fresh Compiler; print CPU seconds as JSON.
TYPST_WORKER = r"""
import json, sys, time, typst
typ, pdf, root = sys.argv[1:4]
fonts = typst.Fonts()
warm = typst.Compiler(b'#set document(title: "Warm")\n#set text(font: ("Noto Sans", "Noto Sans Arabic", "Noto Sans CJK SC"))\n'
                      b'= Warm\nWarm up. \xd8\xb9\xd9\x84\xd9\x89 \xe6\xb2\xbb', font_paths=fonts)
warm.compile(format="pdf", pdf_standards=["ua-1"])
cpu, wall = time.process_time(), time.perf_counter()
try:
    compiler = typst.Compiler(typ, root=root, font_paths=fonts)
    data, warnings = compiler.compile_with_warnings(format="pdf", pdf_standards=["ua-1"])
except typst.TypstError as exc:
    print(json.dumps({"error": str(exc), "hints": list(getattr(exc, "hints", []) or [])}))
    sys.exit(0)
cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
open(pdf, "wb").write(data)
print(json.dumps({"cpu": cpu, "wall": wall,
                  "warnings": [getattr(w, "message", str(w)) for w in warnings]}))
"""

# Run by the project's Python: what a process rendering one print HTML costs with our
# renderer, and the warm render time.
OUR_WORKER = r"""
import json, sys, time
from pathlib import Path
from publisher.render_pdf import PdfRenderer
html, pdf, project = sys.argv[1], sys.argv[2], Path(sys.argv[3])
renderer = PdfRenderer([project / "templates", project / "seeds" / "assets"])
base = (project / "templates").as_uri() + "/"
page = Path(html).read_text(encoding="utf-8")
rendered = renderer.render(page, source_path=html, base_url=base)
Path(pdf).write_bytes(rendered.data)
warm = []
for _ in range(int(sys.argv[4])):
    cpu = time.process_time()
    renderer.render(page, source_path=html, base_url=base)
    warm.append(time.process_time() - cpu)
print(json.dumps({"warm": warm, "pages": rendered.pages}))
"""


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_children(*commands: list[str], stdin: str | None = None) -> tuple[float, list[str]]:
    """CPU seconds of the commands run one after the other, and their outputs."""
    before = children_cpu()
    outputs = []
    for command in commands:
        result = subprocess.run(command, input=stdin, capture_output=True, text=True)
        if result.returncode:
            raise RuntimeError(f"{command[:3]}: {result.stderr[-2000:]}")
        outputs.append(result.stdout)
    return children_cpu() - before, outputs


@dataclass(frozen=True)
class Timing:
    pages: int
    compile_cpu: float       # layout + PDF, warm process (median)
    pipeline_cpu: float      # fresh processes from the print HTML (median)


def time_typst(python: str, pandoc: str, lua: Path, typ: Path, html: Path, pdf: Path,
               repeat: int) -> tuple[Timing | None, dict]:
    """Compile ``typ``; ``repeat`` fresh processes for the compile time, and
    ``repeat`` whole pipelines (Pandoc html -> typst on the prepared HTML, then a
    cold compile of ``typ`` in a fresh process)."""
    compiles, first = [], {}
    for _ in range(repeat):
        _, (out,) = run_children([python, "-c", TYPST_WORKER, str(typ), str(pdf), str(typ.parent)])
        first = json.loads(out)
        if "error" in first:
            return None, first
        compiles.append(first["cpu"])
    cold = ("import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], root=sys.argv[3],"
            " pdf_standards=['ua-1'])")
    pipelines = []
    for _ in range(repeat):
        cpu, _ = run_children([pandoc, "-f", "html", "-t", "typst", "--lua-filter", str(lua)],
                              [python, "-c", cold, str(typ), str(pdf) + ".cold", str(typ.parent)],
                              stdin=pandoc_ready(html.read_text(encoding="utf-8")))
        pipelines.append(cpu)
    from pikepdf import Pdf
    with Pdf.open(pdf) as opened:
        pages = len(opened.pages)
    return Timing(pages, statistics.median(compiles), statistics.median(pipelines)), first


def time_ours(project: Path, html: Path, pdf: Path, repeat: int) -> Timing:
    """Our renderer on the same print HTML: warm renders in one process, and
    ``repeat`` fresh processes (each renders once more: a process costs the first
    render, the warm ones are subtracted)."""
    pipelines, warm, pages = [], [], 0
    for _ in range(repeat):
        cpu, (out,) = run_children([sys.executable, "-c", OUR_WORKER, str(html), str(pdf),
                                    str(project), "1"])
        result = json.loads(out)
        warm.extend(result["warm"])
        pages = result["pages"]
        pipelines.append(cpu - sum(result["warm"]))
    return Timing(pages, statistics.median(warm), statistics.median(pipelines))


# --- 4. the same measures -----------------------------------------------------------

@dataclass(frozen=True)
class Figures:
    pages: int
    pdftotext_wrong: list[str]
    pdftotext_glued: list[str]
    pdfjs_wrong: list[str]
    pdfjs_glued: list[str]
    #: wrong words of pdf.js in structure order (None: tests/pdfread.py has no reader)
    pdfjs_structure_wrong: list[str] | None
    split: list[str]
    links: dict[str, int]
    figures: int
    figures_alt: int
    near_edge: list[str]
    #: lone "…" of a shortened running title, pdftotext / pdf.js (a template's
    #: choice, counted apart: ours keeps the whole title as text and clips it)
    ellipses: list[int]
    #: our own `publisher check` rules on the file (check -> count), as shipped
    #: and with a reader that follows nested marked content (nested_marked_content)
    check: dict[str, int]
    check_nested: dict[str, int]
    #: paragraphs, list bodies and headings with no text (nesting-aware reader)
    empty_blocks: int


@contextlib.contextmanager
def nested_marked_content() -> Iterator[None]:
    """pdfplumber gives a glyph the MCID of the innermost marked-content sequence
    only, and forgets the outer one after a nested EMC; Typst nests untagged BMC
    runs (right-to-left text) inside a tagged BDC, so our reader (and with it
    ``publisher check``) finds those elements empty.  The PDF owns such content to
    the enclosing MCID (ISO 32000-1, 14.7.4.2): keep a stack while this runs."""
    from pdfplumber.page import PDFPageAggregatorWithMarkedContent as Device
    saved = Device.begin_tag, Device.end_tag

    def begin_tag(self, tag, props=None) -> None:
        stack = self.__dict__.setdefault("mcid_stack", [])
        mcid = props["MCID"] if isinstance(props, dict) and "MCID" in props else None
        stack.append(mcid if mcid is not None else (stack[-1] if stack else None))
        saved[0](self, tag, props)
        self.cur_mcid = stack[-1]

    def end_tag(self) -> None:
        stack = self.__dict__.setdefault("mcid_stack", [])
        if stack:
            stack.pop()
        saved[1](self)
        self.cur_mcid = stack[-1] if stack else None

    Device.begin_tag, Device.end_tag = begin_tag, end_tag
    try:
        yield
    finally:
        Device.begin_tag, Device.end_tag = saved


def measure(project: Path, pdf: Path, html: Path) -> Figures:
    """Issue 8's figures (tests/readers/figures.py), read against our HTML twin."""
    from pdfread import (html_text, link_figures, near_edge, pdfjs, pdfjs_text, pdftotext,
                         print_vocabulary, run_together, short_addresses, split_blocks,
                         structure, wrong_words)
    from publisher.preflight import check_pdf
    data = pdfjs(pdf)
    expected = " ".join((html_text(html), print_vocabulary(project, html.parent.name, 200),
                         short_addresses(html)))
    found, ellipses = [], []
    for text in (pdftotext(pdf), pdfjs_text(pdf, data)):
        wrong = wrong_words(text, expected)
        ellipses.append(wrong.count("…"))
        wrong = [word for word in wrong if word != "…"]
        glued = [word for word in wrong if run_together(word, expected)]
        found += [[word for word in wrong if word not in glued], glued]
    # pdf.js as Firefox's viewer hands it to a screen reader (structure order), where
    # tests/pdfread.py has it.
    reading = getattr(sys.modules["pdfread"], "pdfjs_reading_text", None)
    wrong = wrong_words(reading(pdf, data), expected) if reading else []
    structure_order = [word for word in wrong if word != "…" and not run_together(word, expected)]
    shipped = Counter(problem.check for problem in check_pdf(pdf))
    with nested_marked_content():
        split = split_blocks(pdf, html)
        elements = list(structure(pdf).walk())
        nested = Counter(problem.check for problem in check_pdf(pdf))
    figures = [e for e in elements if e.type == "Figure"]
    empty = sum(1 for e in elements if e.type in ("P", "LBody", "H1", "H2", "H3", "H4")
                and not e.text.strip())
    return Figures(len(data["pages"]), *found, structure_order if reading else None,
                   split, link_figures(pdf),
                   len(figures), sum(1 for e in figures if (e.alt or "").strip()),
                   near_edge(pdf), ellipses, dict(shipped), dict(nested), empty)


def row(name: str, producer: str, figures: Figures | None, timing: Timing | None,
        note: str = "") -> dict:
    return {"file": name, "producer": producer, "note": note,
            "figures": dataclasses.asdict(figures) if figures else None,
            "timing": dataclasses.asdict(timing) if timing else None}


def markdown_table(rows: list[dict]) -> str:
    lines = ["| file | producer | pages | wrong words pdftotext / pdf.js [/ pdf.js in structure "
             "order] | run together "
             "pdftotext / pdf.js | split ¶/items | Link elements (annots) | annots outside "
             "a Link | split links | Figures with /Alt | within 0.5 in | `publisher check` "
             "| layout+PDF CPU ms (per page) | whole process CPU ms |",
             "|---|---|---:|---|---|---:|---|---:|---:|---|---:|---|---|---:|"]
    for entry in rows:
        f, t = entry["figures"], entry["timing"]
        if f is None:
            lines.append(f"| {entry['file']} | {entry['producer']} | failed: {entry['note']} "
                         "|||||||||||")
            continue
        links = f["links"]
        reading = ("" if f["pdfjs_structure_wrong"] is None
                   else f" / {len(f['pdfjs_structure_wrong'])}")
        ellipsis = (" (+{} / {} '…')".format(*f["ellipses"]) if any(f["ellipses"]) else "")
        check = ", ".join(f"{name} {count}" for name, count in sorted(f["check"].items())) or "0"
        if f["check_nested"] != f["check"]:
            check += " (nesting-aware reader: " + (", ".join(
                f"{name} {count}" for name, count in sorted(f["check_nested"].items())) or "0") + ")"
        timing = (f"{t['compile_cpu'] * 1000:.0f} ({t['compile_cpu'] * 1000 / t['pages']:.1f})",
                  f"{t['pipeline_cpu'] * 1000:.0f}") if t else ("", "")
        lines.append(
            f"| {entry['file']} | {entry['producer']} | {f['pages']} "
            f"| {len(f['pdftotext_wrong'])} / {len(f['pdfjs_wrong'])}{reading}{ellipsis} "
            f"| {len(f['pdftotext_glued'])} / {len(f['pdfjs_glued'])} | {len(f['split'])} "
            f"| {links['links']} ({links['annotations']}) | {links['outside_link']} "
            f"| {links['split_links']} | {f['figures_alt']} of {f['figures']} "
            f"| {len(f['near_edge'])} | {check} | {timing[0]} | {timing[1]} |")
    return "\n".join(lines)


def typst_versions(values: list[str]) -> dict[str, str]:
    return dict(value.split("=", 1) for value in values)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/typst-compare"))
    parser.add_argument("--typst", action="append", required=True,
                        help="LABEL=PYTHON of a venv with typst and pypandoc-binary")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--reuse", action="store_true", help="keep WORKDIR/project as built")
    parser.add_argument("--json", type=Path, help="write every figure here")
    args = parser.parse_args()
    workdir = args.workdir.resolve()
    versions = typst_versions(args.typst)
    project = workdir / "project" if args.reuse else make_project(workdir)
    pages = print_pages(project, workdir / "print")
    pandoc = subprocess.run([next(iter(versions.values())), "-c",
                             "import pypandoc; print(pypandoc.get_pandoc_path())"],
                            capture_output=True, text=True, check=True).stdout.strip()
    lua = workdir / "keep-lang.lua"
    lua.write_text(LUA_FILTER, encoding="utf-8")
    rows = []
    for name, html in pages.items():
        locale, slug = name.split("/")
        twin = project / "dist" / locale / f"{slug}.html"
        ours = project / "dist" / locale / f"{slug}.pdf"
        timing = time_ours(project, html, workdir / "print" / f"{locale}-{slug}.pdf", args.repeat)
        rows.append(row(name, "ours (WeasyPrint 70 + pdfua)", measure(project, ours, twin), timing))
        print(f"{name}: {rows[-1]['producer']} read", file=sys.stderr)
        for label, python in versions.items():
            folder = workdir / f"typst-{label}"
            shutil.copytree(project / "seeds" / "assets", folder / "assets", dirs_exist_ok=True)
            typ = folder / f"{locale}-{slug}.typ"
            typ.write_text(typst_source(html.read_text(encoding="utf-8"), pandoc, lua,
                                        folder / "assets"), encoding="utf-8")
            pdf = typ.with_suffix(".pdf")
            timing, result = time_typst(python, pandoc, lua, typ, html, pdf, args.repeat)
            if timing is None:
                rows.append(row(name, f"Typst {label} ua-1", None, None, result["error"]))
            else:
                rows.append(row(name, f"Typst {label} ua-1", measure(project, pdf, twin), timing,
                                "; ".join(result.get("warnings", []))))
            print(f"{name}: {rows[-1]['producer']} read", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
    print(markdown_table(rows))


if __name__ == "__main__":
    main()
