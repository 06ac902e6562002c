"""Same HTML, same PDF bytes: proof that a change to our tagging changes nothing it writes.

    # 1. collect the cases once: the clinic corpus' print pages, and every PDF the
    #    reader and bilingual tests render (Arabic, Hebrew, Persian, Chinese, tables
    #    across pages, bilingual handouts), captured from PdfRenderer.render calls
    .venv/bin/python benchmarks/tagging_identity.py capture /tmp/tag-cases \\
        --clinic /tmp/clinic-s4a/clinic/print-html --clinic-base /tmp/fc1/templates
    # 2. render every case with the code checked out, write a manifest of SHA-256s
    .venv/bin/python benchmarks/tagging_identity.py render /tmp/tag-cases /tmp/before.txt
    # ... change the code ...
    .venv/bin/python benchmarks/tagging_identity.py render /tmp/tag-cases /tmp/after.txt
    # 3. compare: exit status 1 and the differing cases if any PDF differs
    .venv/bin/python benchmarks/tagging_identity.py compare /tmp/before.txt /tmp/after.txt

The test PDFs are captured by running the tests with a ``sitecustomize`` that wraps
``PdfRenderer.render`` (in the test process and in build workers alike) and writes
each call's HTML, base URL, stylesheets and allowed roots as JSON.  The tests' temporary
folders are kept (``--basetemp`` inside the capture folder), so the pictures and
stylesheets the captured HTML names are still there when it is rendered again.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
#: Tests whose PDFs are captured: the readers' cases (right-to-left, CJK, tables,
#: lists and links across pages, built ar/zh-Hans handouts and bilingual PDFs), and
#: the renderer's, preflight's, pictures' and code blocks' tests.
TESTS = ("tests/test_pdf_readers.py", "tests/test_bilingual.py", "tests/test_render_pdf.py",
         "tests/test_preflight.py", "tests/test_pictures.py", "tests/test_code_blocks.py")

_SITECUSTOMIZE = textwrap.dedent('''\
    """Capture every PdfRenderer.render call (benchmarks/tagging_identity.py)."""
    import hashlib, json, os
    from pathlib import Path
    from publisher import render_pdf

    _render = render_pdf.PdfRenderer.render

    def render(self, html, *, source_path, base_url, stylesheets=()):
        case = {"html": html, "base_url": base_url,
                "stylesheets": [str(p) for p in stylesheets],
                "roots": [str(r) for r in self.fetcher.roots]}
        text = json.dumps(case, sort_keys=True)
        name = hashlib.sha256(text.encode()).hexdigest()[:16]
        Path(os.environ["TAGGING_CAPTURE"], name + ".json").write_text(text)
        return _render(self, html, source_path=source_path, base_url=base_url,
                       stylesheets=stylesheets)

    render_pdf.PdfRenderer.render = render
    ''')


def capture(out: Path, clinic: Path | None, clinic_base: Path | None) -> None:
    cases = out / "cases"
    cases.mkdir(parents=True, exist_ok=True)
    hook = out / "hook"
    hook.mkdir(exist_ok=True)
    (hook / "sitecustomize.py").write_text(_SITECUSTOMIZE)
    env = dict(os.environ, TAGGING_CAPTURE=str(cases),
               PYTHONPATH=os.pathsep.join(filter(None, [str(hook),
                                                         os.environ.get("PYTHONPATH")])))
    subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                    f"--basetemp={out / 'pytest'}", *TESTS], cwd=ROOT, env=env, check=True)
    if clinic is not None:
        base = (clinic_base or clinic).resolve()
        for page in sorted(clinic.glob("*.html")):
            case = {"html": page.read_text(), "base_url": base.as_uri() + "/",
                    "stylesheets": [],
                    "roots": [str(base), str(base.parent / "seeds" / "assets")]}
            (cases / f"clinic-{page.stem}.json").write_text(json.dumps(case, sort_keys=True))
    print(f"{len(list(cases.glob('*.json')))} cases in {cases}")


def render(out: Path, manifest: Path) -> None:
    from publisher.render_pdf import PdfRenderer

    renderers: dict[tuple[str, ...], PdfRenderer] = {}
    lines = []
    for path in sorted((out / "cases").glob("*.json")):
        case = json.loads(path.read_text())
        roots = tuple(case["roots"])
        renderer = renderers.get(roots) or renderers.setdefault(
            roots, PdfRenderer([Path(root) for root in roots]))
        pdf = renderer.render(case["html"], source_path=path.name, base_url=case["base_url"],
                              stylesheets=[Path(p) for p in case["stylesheets"]])
        lines.append(f"{hashlib.sha256(pdf.data).hexdigest()}  {pdf.pages:3d}  {path.stem}")
    manifest.write_text("\n".join(lines) + "\n")
    print(f"{len(lines)} PDFs, {sum(int(line.split()[1]) for line in lines)} pages "
          f"-> {manifest}")


def compare(before: Path, after: Path) -> int:
    old = {line.split()[-1]: line.split()[0] for line in before.read_text().splitlines()}
    new = {line.split()[-1]: line.split()[0] for line in after.read_text().splitlines()}
    differ = sorted(name for name in old.keys() | new.keys() if old.get(name) != new.get(name))
    for name in differ:
        print(f"differs: {name}")
    print(f"{len(old.keys() & new.keys()) - len(set(differ) & old.keys() & new.keys())} of "
          f"{len(old.keys() | new.keys())} PDFs byte-identical")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("capture")
    one.add_argument("out", type=Path)
    one.add_argument("--clinic", type=Path)
    one.add_argument("--clinic-base", type=Path)
    two = commands.add_parser("render")
    two.add_argument("out", type=Path)
    two.add_argument("manifest", type=Path)
    three = commands.add_parser("compare")
    three.add_argument("before", type=Path)
    three.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "capture":
        capture(args.out, args.clinic, args.clinic_base)
    elif args.command == "render":
        render(args.out, args.manifest)
    else:
        return compare(args.before, args.after)
    return 0


if __name__ == "__main__":
    sys.exit(main())
