"""publisher check: preflight of built PDFs and HTML pages."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from . import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from .common import print_problems


def add_parser(commands) -> None:
    command = commands.add_parser("check", help="preflight built PDFs and HTML pages")
    command.add_argument("paths", nargs="*", type=Path, help="files or folders (default: dist)")
    command.set_defaults(run=run)
    command.add_argument("--min-text-pt", type=float, default=18.0,
                         help="smallest allowed text size in PDFs (default 18)")


def run(args: argparse.Namespace, out: TextIO) -> int:
    from ..preflight import check_paths  # pikepdf and pdfplumber: only when checking
    paths = args.paths or [Path("dist")]
    missing = [p for p in paths if not p.exists()]
    for path in missing:
        print(f"{path}: error: no such file or folder", file=sys.stderr)
    if missing:
        return EXIT_USAGE
    problems = check_paths(paths, min_text_pt=args.min_text_pt)
    print_problems(problems, out)
    errors = sum(1 for p in problems if p.is_error)
    print(f"checked {', '.join(map(str, paths))}: {errors} error(s)", file=out)
    return EXIT_FAILED if errors else EXIT_OK
