"""Preflight of a built dist/ folder as a whole: the manifest matches the files.

A handout counts as published only when the manifest lists it with the hash of the
file on disk; a truncated PDF, a file edited by hand or one that went missing is a
finding, as is the journal an interrupted build left (the next build completes it).
"""

from __future__ import annotations

import json
from pathlib import Path

from ..errors import Problem, error
from ..write_dist import JOURNAL, MANIFEST, read_manifest, sha256_of


def check_manifest(out: Path) -> list[Problem]:
    path = out / MANIFEST
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        return [error(path, f"cannot be read: {exc}", check="manifest")]
    manifest = read_manifest(out)
    problems = []
    listed = [(p, d) for e in manifest.handouts for p, d in e.files.items()]
    listed += list(manifest.pages.items())
    for relative, digest in listed:
        actual = sha256_of(out / relative)
        if actual is None:
            problems.append(error(out / relative, "is listed in the manifest but missing",
                                  check="manifest"))
        elif actual != digest:
            problems.append(error(out / relative, "does not have the hash the manifest "
                                  "recorded (changed or cut short since the build)",
                                  check="manifest"))
    if (out / JOURNAL).exists():
        problems.append(error(out / JOURNAL, "an interrupted build left its journal: run "
                              "the build again to complete it", check="manifest"))
    return problems
