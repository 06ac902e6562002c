"""Whether this checkout's PDF preflight reads and finds what another version's does.

    .venv/bin/python benchmarks/preflight_compare.py --baseline OLD/src PDF_OR_DIR...

For every PDF given (folders are searched), the model ``read_pdf`` makes (glyphs,
sizes, pdfplumber's MCIDs, text per MCID, marked content, page sizes) and the
problems of ``check_pdf`` on the bytes are digested here and, in a second process,
with ``--baseline`` (a ``src`` folder, e.g. from ``git archive``) first on the import
path; any file where they differ is printed.  Exit status 1 on a difference.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path


def digest(path: Path) -> dict[str, str]:
    from publisher.preflight.pdf import check_pdf
    from publisher.preflight.pdf_model import read_pdf
    data = path.read_bytes()
    doc = read_pdf(path, data=data, read_twin=False)
    model = repr((doc.glyphs, doc.char_sizes, sorted(doc.text.items()),
                  [(page.unmarked_text, page.mcids) for page in doc.pages], doc.page_sizes,
                  [(e.role, e.mcids) for e in doc.elements]))
    doc.pdf.close()
    problems = repr([(p.check, p.message) for p in check_pdf(path, data=data,
                                                             read_twin=False)])
    return {"model": hashlib.sha256(model.encode()).hexdigest(),
            "problems": problems, "glyphs": str(sum(map(len, doc.glyphs)))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, help="the other version's src folder")
    parser.add_argument("--digest-only", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("paths", nargs="+", type=Path)
    args = parser.parse_args()
    files = sorted({file for path in args.paths
                    for file in ([path] if path.is_file() else path.rglob("*.pdf"))})
    ours = {str(file): digest(file) for file in files}
    if args.digest_only:
        json.dump(ours, sys.stdout)
        return
    env = dict(os.environ, PYTHONPATH=str(args.baseline.resolve()))
    theirs = json.loads(subprocess.run(
        [sys.executable, __file__, "--digest-only", *map(str, files)], env=env,
        check=True, capture_output=True, text=True).stdout)
    different = [file for file in ours if ours[file] != theirs[file]]
    for file in different:
        print(f"{file}: differs\n  ours:   {ours[file]}\n  theirs: {theirs[file]}")
    glyphs = sum(int(found["glyphs"]) for found in ours.values())
    with_problems = sum(found["problems"] != "[]" for found in ours.values())
    print(f"{len(files)} PDFs, {glyphs} glyphs, {with_problems} with problems: "
          f"{len(different)} differ")
    sys.exit(1 if different else 0)


if __name__ == "__main__":
    main()
