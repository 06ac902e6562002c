"""Search with no server: a Pagefind index of the published handout pages, and the one
script in dist/ that queries it from each language's index page.

Pagefind (https://pagefind.app, the ``pagefind[bin]`` package ships its binary)
reads each page's ``lang`` and writes one index per language, so a Spanish query on
the Spanish index page searches the Spanish handouts with Spanish stemming.  It reads
what the handout template marks: ``data-pagefind-body`` (the handout's text),
``data-pagefind-filter`` (its topics and tags) and ``data-pagefind-meta`` (its PDF).

Only pages the manifest publishes are indexed (the index pages, the dashboard and a
kept page's stale neighbours are not).  Pagefind writes into a temporary folder; its
files are then copied into dist/ through the writer, so the build owns them: a later
build leaves identical fragments alone and removes the ones it no longer writes.
"""

from __future__ import annotations

import os
import json
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem, warning
from .write_dist import DistWriter, Manifest

#: Where the index lives in dist/ (search.js loads ``pagefind/pagefind.js``).
INDEX_FOLDER = "pagefind"
#: The search script, copied from templates/ into dist/ by site.py (index pages load it).
SCRIPT = "search.js"


#: Longer than this, Pagefind is stuck: the build goes on without search.
PAGEFIND_SECONDS = 600
#: Pagefind's ready-made interfaces, which search.js does not use.
UNUSED = re.compile(r"pagefind-(.*ui|highlight)\.(js|css)$")


@dataclass(frozen=True)
class SearchIndex:
    """What the index cost: pages indexed, files and bytes written, seconds taken."""
    pages: int
    files: int
    bytes: int
    seconds: float


def build_search_index(writer: DistWriter, out: Path, manifest: Manifest) -> list[Problem]:
    """Index every published handout page into dist/pagefind/; a failure costs the
    search (reported as a warning; the index pages then show no search form), never
    the build."""
    pages = published_pages(out, manifest)
    if not pages:
        return []  # nothing to find; the index pages show no search form
    try:
        write_index(writer, out, pages)
    except (OSError, RuntimeError, subprocess.SubprocessError) as exc:
        return [warning(out / INDEX_FOLDER, f"search index not written: {exc}; the "
                        "index pages work without it (topics and A-Z lists)")]
    return []


def published_pages(out: Path, manifest: Manifest) -> list[str]:
    """Paths in dist/ of every handout page the manifest publishes."""
    return [entry.html for entry in manifest.handouts
            if entry.html and (out / entry.html).is_file()]


def write_index(writer: DistWriter, out: Path, pages: list[str]) -> SearchIndex:
    """Run Pagefind over ``pages`` and copy its files into ``dist/pagefind/``.

    Pagefind reads a folder holding exactly the published pages (linked, or copied
    across file systems): dist/ itself still holds what this build is about to
    remove, and pages that are not handouts.
    """
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="publisher-pagefind-") as temporary:
        site, output = Path(temporary) / "site", Path(temporary) / "index"
        for relative in pages:
            _link_or_copy(out / relative, site / relative)
        run_pagefind(site, output)
        files = sorted(p for p in output.rglob("*")
                       if p.is_file() and not UNUSED.match(p.name))
        size = 0
        for path in files:
            data = path.read_bytes()
            if path.name == ENTRY:
                data = _stable_json(data)
            size += len(data)
            writer.write_page(f"{INDEX_FOLDER}/{path.relative_to(output).as_posix()}", data)
    return SearchIndex(len(pages), len(files), size, time.perf_counter() - started)


#: Pagefind's table of languages: a JSON object written from a Rust hash map, whose
#: key order changes from run to run (the other files are named by their content).
ENTRY = "pagefind-entry.json"


def _stable_json(data: bytes) -> bytes:
    """The same inputs give the same bytes: keys in order, nothing else changed."""
    return json.dumps(json.loads(data), sort_keys=True, ensure_ascii=False,
                      separators=(",", ":")).encode("utf-8")


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)
    except OSError:
        shutil.copyfile(source, target)


def run_pagefind(site: Path, output: Path) -> None:
    """The Pagefind command line over ``site`` (the binary the ``pagefind[bin]`` wheel
    ships).  Not its Python API: that one polls for each answer every 0.1 s (100 s
    for 1,000 pages) and needs an event loop of its own."""
    from pagefind.service import get_executable
    binary = get_executable()
    if binary is None:
        raise RuntimeError("the pagefind binary is not installed (pip install 'pagefind[bin]')")
    done = subprocess.run([str(binary), "--site", str(site), "--output-path", str(output),
                           "--silent"], capture_output=True, text=True, timeout=PAGEFIND_SECONDS)
    if done.returncode != 0 or not (output / "pagefind-entry.json").is_file():
        raise RuntimeError(f"pagefind failed ({done.returncode}): "
                           f"{(done.stderr or done.stdout).strip()[-500:]}")
