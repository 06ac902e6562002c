"""What the translators' commands remember between runs: one slot per question.

``extract`` and ``update`` ask the same questions run after run — which messages do
the templates and this program's code hold, what does merging this catalog with its
template give — and each answer depends only on bytes we can read.  A slot keeps the
SHA-256 of everything its answer depends on (the input files' bytes, this package's
code, the versions of the libraries that found the answer) beside the answer: a different key is a miss, and
the new answer replaces the old one, so a slot never returns a stale answer and never
piles up.  An unreadable slot is a miss, a slot that cannot be written only costs
time.

Slots live in ``.publisher-cache/slots/`` as ``.slot`` files: the build's cache
(`cache.Cache`) forgets its own ``*.pickle`` entries after each build, not these.
"""

from __future__ import annotations

import hashlib
import os
import pickle
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path
from typing import Callable, TypeVar

from .cache import CACHE_DIR
from .write_dist import write_atomic

SLOTS_DIR = "slots"
T = TypeVar("T")


#: The libraries whose answers are remembered (Babel reads, merges and writes catalogs
#: and knows the locales' numbers; Jinja's extractor reads the templates; Translate
#: Toolkit checks translations and knows plural forms; markdown-it and PyYAML read the
#: seeds), each with the file that carries
#: its version: found without importing them (importing Jinja alone takes a tenth of a
#: second).
LIBRARIES = (("babel", "__init__.py"), ("jinja2", "__init__.py"),
             ("translate", "__version__.py"), ("markdown_it", "__init__.py"),
             ("yaml", "__init__.py"))


@lru_cache(maxsize=1)
def libraries_digest() -> bytes:
    digest = hashlib.sha256()
    for library, version_file in LIBRARIES:
        spec = find_spec(library)
        path = Path(spec.origin).parent / version_file if spec and spec.origin else None
        digest.update(library.encode() + b"\0")
        digest.update(path.read_bytes() if path and path.is_file() else b"-")
    return digest.digest()


@lru_cache(maxsize=1)
def code_digest() -> bytes:
    """This package's code and WeasyPrint's version (`fingerprint.code_hash`, the build
    cache's salt), the libraries' versions and the time zone."""
    from .fingerprint import code_hash
    return hashlib.sha256(f"{code_hash()}\0TZ={os.environ.get('TZ', '')}\0".encode()
                          + libraries_digest()).digest()


def cache_salt() -> str:
    """What the build's cache (parsed seeds, catalog judgements) is keyed by besides
    each entry's inputs: `code_digest`, so that a new version of a library that reads
    or judges them is a cache miss."""
    return code_digest().hex()


def digest_of(*parts: bytes | str) -> bytes:
    """One digest of several inputs, each length-prefixed so no two lists collide."""
    digest = hashlib.sha256(code_digest())
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.digest()


def slot_path(project: Path, name: str) -> Path:
    return project / CACHE_DIR / SLOTS_DIR / f"{name}.slot"


def recall(project: Path, name: str, key: bytes) -> tuple[bool, object]:
    """(True, answer) when the slot holds an answer for ``key``; (False, None) if not."""
    try:
        with slot_path(project, name).open("rb") as handle:
            stored_key, answer = pickle.load(handle)
    except Exception:  # missing, truncated, from another version: a miss
        return False, None
    return (True, answer) if stored_key == key else (False, None)


def store(project: Path, name: str, key: bytes, answer: object) -> None:
    try:
        write_atomic(slot_path(project, name),
                     pickle.dumps((key, answer), protocol=pickle.HIGHEST_PROTOCOL))
    except OSError:
        pass  # a read-only project still answers, only slower


def remember(project: Path, name: str, key: bytes, compute: Callable[[], T]) -> T:
    """``compute()``'s answer, from slot ``name`` when it was stored under ``key``."""
    found, answer = recall(project, name, key)
    if found:
        return answer  # type: ignore[return-value]
    answer = compute()
    store(project, name, key, answer)
    return answer
