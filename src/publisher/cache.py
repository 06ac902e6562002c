"""A cache of parsed inputs, so that a rebuild with nothing changed is fast.

Entries are keyed by the SHA-256 of the input's bytes and of this package's code, so
a changed seed, catalog or program never meets an old entry.  The cache lives in
``.publisher-cache/`` in the project (not in dist/, which is published); an entry
that cannot be read is a miss, so a damaged cache only costs time.
"""

from __future__ import annotations

import hashlib
import pickle
from pathlib import Path
from typing import Any, Callable, TypeVar

from .write_dist import write_atomic

CACHE_DIR = ".publisher-cache"
T = TypeVar("T")
_MISS = object()


class Cache:
    def __init__(self, folder: Path | None, salt: str = "") -> None:
        self.folder = folder
        self.salt = salt.encode()
        self.used: set[Path] = set()

    def _path(self, kind: str, key: bytes) -> Path:
        assert self.folder is not None
        digest = hashlib.sha256(self.salt + b"\0" + kind.encode() + b"\0" + key).hexdigest()
        return self.folder / kind / f"{digest}.pickle"

    def remember(self, kind: str, key: bytes, compute: Callable[[], T]) -> T:
        """``compute()``'s value, from the cache when the same key was seen before."""
        if self.folder is None:
            return compute()
        value = self._load(kind, key)
        if value is _MISS:
            value = compute()
            self.put(kind, key, value)
        return value

    def get(self, kind: str, key: bytes, default: T) -> T:
        """The value put under this key (by any earlier run), else ``default``."""
        if self.folder is None:
            return default
        value = self._load(kind, key)
        return default if value is _MISS else value

    def _load(self, kind: str, key: bytes) -> Any:
        path = self._path(kind, key)
        self.used.add(path)
        try:
            with path.open("rb") as handle:
                return pickle.load(handle)
        except Exception:  # missing, truncated or from another version: a miss
            return _MISS

    def has(self, kind: str, key: bytes) -> bool:
        return self.folder is not None and self._path(kind, key).is_file()

    def put(self, kind: str, key: bytes, value: Any) -> None:
        if self.folder is None:
            return
        path = self._path(kind, key)
        self.used.add(path)
        try:
            write_atomic(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        except OSError:
            pass  # a read-only project still builds, only slower

    def prune(self) -> None:
        """Forget entries this run did not use (inputs that changed or went away)."""
        if self.folder is None or not self.folder.is_dir():
            return
        for path in self.folder.glob("*/*.pickle"):
            if path not in self.used:
                path.unlink(missing_ok=True)


def project_cache(project: Path, salt: str) -> Cache:
    return Cache(project / CACHE_DIR, salt)


def no_cache() -> Cache:
    return Cache(None)


def key_of(*parts: bytes | str) -> bytes:
    return b"\0".join(p.encode() if isinstance(p, str) else p for p in parts)
