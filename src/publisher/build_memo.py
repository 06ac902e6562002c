"""A rebuild with nothing changed answers from the last one, without reading it all again.

A build that rendered nothing records, in the project's cache, what it was made from
and what it left: the stamps (file_stamps.py: size, mtime, ctime, inode) of every
input — publisher.toml, everything under seeds/, locales/ and templates/, the allowed
signers file, the font folders and fontconfig's configuration — taken when it started,
the stamps and hashes of every file it published and of the manifest, and its
`BuildResult`.  The next build with the same options, code, tools and date whose
inputs have exactly those stamps (no file added, removed or touched) and whose
published files are still the recorded bytes is that build again: it would read the
same inputs, reuse every handout and report the same problems, so its result is
returned as it was.

The published files are checked as everywhere else (`FileHashes`): a file whose stamp
changed is hashed and must have the recorded hash.  An input whose ctime was within
`file_stamps.RACY_NS` of the build's start could have changed unseen within the same
clock tick: then nothing is recorded, and the next build does all the work.  Only a
build that rendered nothing is recorded, so the result it returns is exactly what a
full rebuild with nothing changed returns.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import file_stamps
from .cache import Cache
from .config import CONFIG_NAME, Config
from .file_stamps import FileHashes, Known, Stamp, stamp_of
from .fingerprint import code_hash, tools_version
from .review_signatures import required_signers
from .write_dist import JOURNAL, MANIFEST

MEMO = "build-memo"
INPUT_FOLDERS = ("seeds", "locales", "templates")
#: Where fontconfig finds fonts and its configuration (Debian): a font installed or
#: removed changes a folder's stamp.
FONT_FOLDERS = ("/usr/share/fonts", "/usr/local/share/fonts", "/etc/fonts",
                "~/.local/share/fonts", "~/.fonts")


@dataclass(frozen=True)
class Memo:
    inputs: dict[str, Stamp]
    outputs: Known
    result: object  # build.BuildResult (not imported: build imports this module)


class BuildMemo:
    def __init__(self, key: bytes, project: Path, out: Path, cache: Cache,
                 signers: Path | None) -> None:
        self.key, self.project, self.out, self.cache = key, project, out, cache
        self.started = time.time_ns()
        self.inputs = input_stamps(project, signers)

    def recall(self):
        """The recorded result, if nothing it was made from or left has changed."""
        memo = self.cache.get(MEMO, self.key, None)
        if not isinstance(memo, Memo) or memo.inputs != self.inputs or \
                (self.out / JOURNAL).exists():
            return None
        hashes = FileHashes(self.out, memo.outputs)
        if any(hashes.sha256(path) != digest for path, (_, digest) in memo.outputs.items()):
            return None
        return memo.result

    def record(self, result, hashes: FileHashes, published: set[str]) -> None:
        """Remember a build that rendered nothing (every other one is forgotten)."""
        racy = self.started - file_stamps.RACY_NS
        if result.rendered or any(s.ctime_ns >= racy or s.mtime_ns >= racy
                                  for s in self.inputs.values()):
            self.cache.put(MEMO, self.key, None)
            return
        outputs: Known = {}
        for path in published | {MANIFEST}:
            digest = hashes.sha256(path)
            if digest is None:
                self.cache.put(MEMO, self.key, None)
                return
            # A file stamped within the racy window has no trusted stamp: it is hashed
            # again by `recall` (None never equals a stamp).
            outputs[path] = (hashes.confirmed.get(path, (None, ""))[0], digest)
        self.cache.put(MEMO, self.key, Memo(self.inputs, outputs, result))


def start(options, config: Config, out: Path, cache: Cache) -> BuildMemo:
    """Stamp the inputs now, before the build reads them."""
    signers = required_signers(options.project, config.signed_reviews,
                               config.allowed_signers)
    today = options.today or date.today()
    key = repr((str(Path(options.project).resolve()), str(out.resolve()), options.locales,
                options.formats, options.require, options.statuses, today.isoformat(),
                repr(config), code_hash(), tools_version())).encode()
    return BuildMemo(key, Path(options.project), out, cache, signers)


def input_stamps(project: Path, signers: Path | None) -> dict[str, Stamp]:
    """Stamps of every file (and folder) a build reads from, by path."""
    found: dict[str, Stamp] = {}
    places = [project / CONFIG_NAME, *(project / name for name in INPUT_FOLDERS),
              *([signers] if signers else []),
              *(Path(folder).expanduser() for folder in FONT_FOLDERS)]
    for place in places:
        _stamp_tree(place, found)
    return found


def _stamp_tree(place: Path, found: dict[str, Stamp]) -> None:
    try:
        found[str(place)] = stamp_of(os.stat(place))
    except OSError:
        found[str(place)] = Stamp(-1, 0, 0, 0, 0)  # missing: its appearance is a change
        return
    if not place.is_dir():
        return
    for folder, folders, files in os.walk(place, followlinks=True):
        folders.sort()
        for name in (*folders, *sorted(files)):
            path = os.path.join(folder, name)
            try:
                found[path] = stamp_of(os.stat(path))
            except OSError:
                found[path] = Stamp(-1, 0, 0, 0, 0)
