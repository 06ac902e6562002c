"""Which published files still hold the bytes we recorded, without reading them all.

As git's index does, we remember for each file in the output folder what ``lstat``
said of it when its bytes were last hashed: size, mtime, ctime, inode and device
(its *stamp*).  A file whose stamp has not changed still holds those bytes; any other
is hashed again.  A change in place shows: writing a file sets its ctime to the
current time, and no program can set ctime back (``os.utime`` sets only the access
and modification times), so a file rewritten with the same size and its mtime
restored still has a new stamp.  A file replaced by another has a new inode.

Timestamps advance in ticks (a few milliseconds here, a second or two on some file
systems), so a file changed within the same tick as it was stamped could keep its
stamp: the "racily clean" files of git.  A stamp is therefore trusted only when the
file's ctime was more than `RACY_NS` older than the moment the stamp was taken;
a file stamped sooner than that (one the build has just written) is hashed again the
next time it is asked about, and trusted from then on.
"""

from __future__ import annotations

import hashlib
import os
import stat
import time
from dataclasses import dataclass
from pathlib import Path

#: How much older than the moment of stamping a file's ctime must be for its stamp to
#: be trusted (larger than any file system's timestamp tick).
RACY_NS = 2_000_000_000


@dataclass(frozen=True)
class Stamp:
    size: int
    mtime_ns: int
    ctime_ns: int
    inode: int
    device: int


def stamp_of(status: os.stat_result) -> Stamp:
    return Stamp(status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino,
                 status.st_dev)


#: What is remembered between builds: path relative to the folder -> (stamp, SHA-256).
Known = dict[str, tuple[Stamp | None, str]]


class FileHashes:
    """SHA-256 of the regular files under one folder (never through a symbolic link),
    taken from the remembered stamps when a file's stamp is unchanged."""

    def __init__(self, root: Path, known: Known | None = None) -> None:
        self.root = root
        self._root = str(root)  # os.path.join: pathlib costs more than the stat here
        self.known: Known = dict(known or {})
        #: Stamps confirmed in this run: unchanged, or hashed long enough after a write.
        self.confirmed: Known = {}
        self.hashed = 0

    def sha256(self, relative: str) -> str | None:
        """The file's SHA-256, None if it is not a regular file (or not there)."""
        try:
            status = os.lstat(os.path.join(self._root, relative))
        except OSError:
            return None
        if not stat.S_ISREG(status.st_mode):
            return None
        known = self.known.get(relative)
        if known is not None and known[0] == stamp_of(status):
            self.confirmed[relative] = known
            return known[1]
        return self._hash(relative)

    def _hash(self, relative: str) -> str | None:
        taken = time.time_ns()
        try:
            with open(os.path.join(self._root, relative), "rb", opener=_no_follow) as handle:
                status = os.fstat(handle.fileno())  # before reading: a later write shows
                if not stat.S_ISREG(status.st_mode):
                    return None
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
        except OSError:
            return None
        self.hashed += 1
        self.known.pop(relative, None)
        if status.st_ctime_ns < taken - RACY_NS and status.st_mtime_ns < taken - RACY_NS:
            self.confirmed[relative] = (stamp_of(status), digest)
        return digest

    def remembered(self, relatives: set[str]) -> Known:
        """The stamps worth keeping for these files: each hashed (once) if this run
        has not confirmed it yet, and kept only when it is not racy."""
        for relative in relatives - self.confirmed.keys():
            self.sha256(relative)
        return {r: self.confirmed[r] for r in relatives if r in self.confirmed}


def _no_follow(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NOFOLLOW)
