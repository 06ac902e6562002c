"""Preflight of built handouts (`publisher check`): PDF rules in `pdf`, HTML rules in
`html`; `check_paths` walks files and folders and runs the right ones."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from ..errors import Problem, error
from .html import check_html
from .manifest import check_manifest
from .pdf import check_pdf

__all__ = ["check_html", "check_manifest", "check_paths", "check_pdf"]

def check_paths(paths: Sequence[Path], *, min_text_pt: float = 18.0) -> list[Problem]:
    """Check PDF and HTML files; folders are searched recursively, in order."""
    problems: list[Problem] = []
    for path in map(Path, paths):
        if path.is_dir():
            if (path / "manifest.json").is_file():
                problems.extend(check_manifest(path))
            files = sorted(p for p in path.rglob("*")
                           if p.suffix.lower() in (".pdf", ".html") and p.is_file())
        elif path.is_file():
            files = [path]
        else:
            problems.append(error(path, "no such file or folder", check="path"))
            continue
        for file in files:
            if file.suffix.lower() == ".pdf":
                problems.extend(check_pdf(file, min_text_pt=min_text_pt))
            elif file.suffix.lower() == ".html":
                problems.extend(check_html(file))
            else:
                problems.append(error(file, "not a .pdf or .html file", check="path"))
    return problems
