"""Write dist/: atomic files, the manifest, index pages; nothing outside the folder.

Every file is written to a temporary file beside its target and renamed into place,
so an interrupted build never leaves a truncated PDF; the manifest is written last
and lists only what is on disk.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .errors import PublisherError, error
from .model import NotPublished

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class ManifestEntry:
    slug: str
    locale: str
    title: str
    html: str | None
    pdf: str | None
    sha256: dict[str, str]
    pages: int | None
    bytes: int | None
    translation: str
    last_reviewed: str | None
    review_due: str | None
    tags: tuple[str, ...] = ()
    cancer_types: tuple[str, ...] = ()
    #: Fingerprint of everything the entry was built from (for incremental builds).
    fingerprint: str = ""


#: What the manifest lists as not published.
Skipped = NotPublished


@dataclass
class Manifest:
    handouts: list[ManifestEntry] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    def to_json(self) -> str:
        data = {
            "handouts": [asdict(e) for e in sorted(self.handouts,
                                                   key=lambda e: (e.locale, e.slug))],
            "skipped": [asdict(s) for s in sorted(self.skipped,
                                                  key=lambda s: (s.locale, s.slug, s.reason))],
        }
        return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def read_manifest(out: Path) -> Manifest:
    """The manifest of the previous build; an unreadable one counts as none."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        handouts = [ManifestEntry(**{**e, "tags": tuple(e.get("tags", ())),
                                     "cancer_types": tuple(e.get("cancer_types", ()))})
                    for e in data["handouts"]]
        return Manifest(handouts, [Skipped(**s) for s in data.get("skipped", [])])
    except (OSError, ValueError, KeyError, TypeError):
        return Manifest()


def inside(out: Path, relative: str) -> Path:
    """``out / relative``, refusing anything that would land outside ``out``."""
    target = (out / relative).resolve()
    root = out.resolve()
    if not target.is_relative_to(root) or target == root:
        raise PublisherError(error(relative, f"refusing to write outside {out}"))
    return target


def write_atomic(path: Path, data: bytes | str) -> None:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_file(out: Path, relative: str, data: bytes | str) -> str:
    """Write one output file atomically; its SHA-256."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    write_atomic(inside(out, relative), raw)
    return hashlib.sha256(raw).hexdigest()


def remove_stale(out: Path, keep: set[str]) -> list[str]:
    """Delete handout files in dist/ that the manifest no longer lists."""
    removed = []
    if not out.is_dir():
        return removed
    for path in sorted(out.glob("*/*")):
        relative = path.relative_to(out).as_posix()
        if path.suffix in (".html", ".pdf") and path.name != "index.html" \
                and relative not in keep:
            path.unlink()
            removed.append(relative)
    for leftover in out.glob("**/.*.tmp"):
        leftover.unlink()
    return removed


def write_manifest(out: Path, manifest: Manifest) -> None:
    write_file(out, MANIFEST, manifest.to_json())
