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
import io
import json
import resource
import shutil
import statistics
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from typst_measures import Figures, measure
from typst_source import LUA_FILTER, pandoc_ready, typst_source

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

#: seed -> languages compared (the issue's "done when" files).
HANDOUTS = {"recurrent-breast-cancer": ("en", "es", "ar", "zh-Hans"),
            "long-title-table-lists": ("en", "ar")}
PICTURE = ('![Drawing of a pill box with seven compartments, one for each day]'
           '(assets/pillbox.png "A pill box for the week")\n\n')
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


# --- 2. the same text as Typst: typst_source.py -----------------------------------

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


# --- 4. the same measures: typst_measures.py -------------------------------------

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
