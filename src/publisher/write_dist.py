"""Write dist/: atomic files, a journal as the build goes, the manifest last.

The build owns only what it wrote.  Like git's refs, the manifest is the record: a
handout counts as published only when the manifest lists it with the hash of the
file on disk.  Every file is written to a temporary file beside its target and
renamed into place, and *before* the rename its path and hash are appended to a
journal (``dist/.publisher-journal.jsonl``), so that a build killed at any moment
leaves a record of everything it may have changed.  The next build reads the old
manifest and the journal together: it reuses a handout only when the file's bytes
have the recorded hash, and it deletes only files that one of them says we wrote,
whose bytes are still what we wrote, never through a symbolic link, never outside
the output folder.  Files of anyone else are never touched.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from .errors import Problem, PublisherError, error, warning
from .file_stamps import FileHashes
from .model import NotPublished

MANIFEST = "manifest.json"
JOURNAL = ".publisher-journal.jsonl"
#: Temporary files are ``.publisher-<name>.<random>.tmp`` beside their target.
TEMP_PREFIX = ".publisher-"
TEMP_SUFFIX = ".tmp"


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
    #: Why the previous build's handout is still published ("" when built from the
    #: current inputs): its seed, catalog or rendering failed this time.
    kept: str = ""
    #: Other files the handout needs (pictures), path -> SHA-256.
    assets: dict[str, str] = field(default_factory=dict)
    #: More formats of the handout, kind -> path relative to dist/ (their hashes are
    #: in ``sha256`` under the same kind): "brf" (braille-ready file), "braille"
    #: (Unicode braille text), "bilingual-pdf" and "bilingual-html".
    extras: dict[str, str] = field(default_factory=dict)
    #: Readability figures of the handout's text (readability.Readability as a dict).
    readability: dict = field(default_factory=dict)

    @property
    def files(self) -> dict[str, str]:
        """Every file of the handout, path relative to dist/ -> SHA-256."""
        found = {path: self.sha256.get(kind, "") for kind, path in
                 (("html", self.html), ("pdf", self.pdf), *self.extras.items()) if path}
        return {**found, **self.assets}


#: What the manifest lists as not published.
Skipped = NotPublished


@dataclass
class Manifest:
    handouts: list[ManifestEntry] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    #: The site's own pages (index pages, translations.html), path -> SHA-256.
    pages: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> str:
        data = {
            "handouts": self.handout_records(),
            "skipped": [_record(s, _SKIPPED_NAMES) for s in
                        sorted(self.skipped, key=lambda s: (s.locale, s.slug, s.reason))],
            "pages": dict(sorted(self.pages.items())),
        }
        return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"

    def handout_records(self) -> list[dict]:
        """The handouts as the manifest's JSON lists them."""
        return [_record(e, _ENTRY_NAMES) for e in sorted(self.handouts,
                                                         key=lambda e: (e.locale, e.slug))]

    def owned(self) -> dict[str, set[str]]:
        """Every file this manifest says the build wrote: path -> its hashes."""
        found: dict[str, set[str]] = {}
        for entry in self.handouts:
            for path, digest in entry.files.items():
                found.setdefault(path, set()).add(digest)
        for path, digest in self.pages.items():
            found.setdefault(path, set()).add(digest)
        return found


_ENTRY_FIELDS = {f.name for f in fields(ManifestEntry)}
_SKIPPED_FIELDS = {f.name for f in fields(Skipped)}
_ENTRY_NAMES = tuple(f.name for f in fields(ManifestEntry))
_SKIPPED_NAMES = tuple(f.name for f in fields(Skipped))


def _record(item, names: tuple[str, ...]) -> dict:
    """What ``dataclasses.asdict`` gives for these flat records (fields of str, numbers,
    tuples and dicts of them), without its deep copy: a tenth of the time."""
    return {name: getattr(item, name) for name in names}


def entry_from_dict(data: dict) -> ManifestEntry:
    values = {k: v for k, v in data.items() if k in _ENTRY_FIELDS}
    return ManifestEntry(**{**values, "tags": tuple(values.get("tags", ())),
                            "cancer_types": tuple(values.get("cancer_types", ())),
                            "assets": dict(values.get("assets", {})),
                            "extras": dict(values.get("extras", {})),
                            "readability": dict(values.get("readability", {}))})


def read_manifest(out: Path) -> Manifest:
    """The manifest of the previous build; an unreadable one counts as none."""
    try:
        data = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
        handouts = [entry_from_dict(e) for e in data["handouts"]]
        skipped = [Skipped(**{k: v for k, v in s.items() if k in _SKIPPED_FIELDS})
                   for s in data.get("skipped", [])]
        pages = {str(k): str(v) for k, v in data.get("pages", {}).items()}
        return Manifest(handouts, skipped, pages)
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return Manifest()


@dataclass
class Previous:
    """What earlier builds left: the manifest, plus the journal of one that was cut short."""
    manifest: Manifest
    #: Files an interrupted build wrote or was about to write: path -> hashes.
    journaled: dict[str, set[str]] = field(default_factory=dict)
    #: Handouts an interrupted build finished (newer than the manifest's).
    finished: list[ManifestEntry] = field(default_factory=list)

    @property
    def handouts(self) -> list[ManifestEntry]:
        """The latest entry of every handout, the interrupted build's first."""
        latest = {(e.slug, e.locale): e for e in self.manifest.handouts}
        latest.update({(e.slug, e.locale): e for e in self.finished})
        return list(latest.values())

    def owned(self) -> dict[str, set[str]]:
        found = self.manifest.owned()
        for path, digests in self.journaled.items():
            found.setdefault(path, set()).update(digests)
        return found


def read_previous(out: Path) -> Previous:
    previous = Previous(read_manifest(out))
    try:
        lines = (out / JOURNAL).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return previous
    for line in lines:
        try:  # the last line of a killed build may be cut short
            record = json.loads(line)
            if "file" in record:
                previous.journaled.setdefault(record["file"], set()).add(record["sha256"])
            elif "handout" in record:
                previous.finished.append(entry_from_dict(record["handout"]))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
    return previous


def sha256_of(path: Path) -> str | None:
    """The SHA-256 of a regular file (not through a symlink); None if there is none."""
    try:
        with open(path, "rb", opener=_no_follow) as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            return hashlib.file_digest(handle, "sha256").hexdigest()
    except OSError:
        return None


def _no_follow(path: str, flags: int) -> int:
    return os.open(path, flags | os.O_NOFOLLOW)


def inside(out: Path, relative: str) -> Path:
    """``out / relative``, refusing anything that would land outside ``out``, also
    through a symbolic link on the way."""
    target = (out / relative).resolve()
    root = out.resolve()
    if not target.is_relative_to(root) or target == root or \
            target != root / Path(relative):
        raise PublisherError(error(relative, f"refusing to write outside {out} "
                                   "(the path leaves it or goes through a symbolic link)"))
    return target


def write_atomic(path: Path, data: bytes | str) -> None:
    if isinstance(data, str):
        data = data.encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(prefix=f"{TEMP_PREFIX}{path.name}.", suffix=TEMP_SUFFIX,
                                     dir=path.parent)
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


class DistWriter:
    """Writes into the output folder: every file journaled before it lands."""

    def __init__(self, out: Path, hashes: FileHashes | None = None) -> None:
        self.out = out
        self.pages: dict[str, str] = {}
        self._journal = None
        self.hashes = hashes or FileHashes(out)

    def _record(self, record: dict) -> None:
        if self._journal is None:
            self.out.mkdir(parents=True, exist_ok=True)
            self._journal = open(inside(self.out, JOURNAL), "a", encoding="utf-8")
        self._journal.write(json.dumps(record, ensure_ascii=False) + "\n")
        self._journal.flush()
        os.fsync(self._journal.fileno())

    def write(self, relative: str, data: bytes | str) -> str:
        """Write one file atomically, after journaling it; its SHA-256."""
        raw = data.encode("utf-8") if isinstance(data, str) else data
        digest = hashlib.sha256(raw).hexdigest()
        target = inside(self.out, relative)
        # The same bytes are left alone (and their mtime).
        if self.hashes.sha256(relative) != digest:
            self._record({"file": relative, "sha256": digest})
            write_atomic(target, raw)
        return digest

    def write_page(self, relative: str, data: bytes | str) -> str:
        """A page of the site itself (recorded in the manifest's ``pages``)."""
        self.pages[relative] = digest = self.write(relative, data)
        return digest

    def finished(self, entry: ManifestEntry) -> None:
        """A handout whose files are all written: a later build may reuse it."""
        self._record({"handout": asdict(entry)})

    def commit(self, manifest: Manifest) -> None:
        """Write the manifest, then drop the journal: the build is complete."""
        manifest.pages = dict(self.pages)
        write_atomic(inside(self.out, MANIFEST), manifest.to_json())
        self.close()
        (self.out / JOURNAL).unlink(missing_ok=True)

    def close(self) -> None:
        if self._journal is not None:
            self._journal.close()
            self._journal = None


def write_file(out: Path, relative: str, data: bytes | str) -> str:
    """Write one file atomically, without a journal (tests, caches); its SHA-256."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    write_atomic(inside(out, relative), raw)
    return hashlib.sha256(raw).hexdigest()


def verified(out: Path, entry: ManifestEntry, hashes: FileHashes | None = None) -> bool:
    """Every file of the entry is on disk with the hash the manifest recorded (taken
    from ``hashes``' stamps for the files whose stat has not changed)."""
    hashes = hashes or FileHashes(out)
    return all(digest and hashes.sha256(path) == digest
               for path, digest in entry.files.items())


def remove_stale(out: Path, owned: dict[str, set[str]], keep: set[str]) -> list[Problem]:
    """Delete the files we wrote before that the new manifest no longer lists, when
    their bytes are still ours; report the ones someone else changed."""
    notes: list[Problem] = []
    root = out.resolve()
    for relative in sorted(set(owned) - keep):
        path = out / relative
        try:
            resolved = path.parent.resolve() / path.name
        except OSError:
            continue
        if resolved != root / relative or not resolved.is_relative_to(root):
            continue  # through a symbolic link: not ours to follow
        digest = sha256_of(path)
        if digest is None:
            continue  # gone already, or not a regular file
        if digest not in owned[relative]:
            notes.append(warning(path, "is no longer published but was changed since the "
                                 "build wrote it: left in place"))
            continue
        path.unlink()
        _remove_empty_folder(path.parent, root)
    return notes


def _remove_empty_folder(folder: Path, root: Path) -> None:
    if folder != root and folder.is_relative_to(root) and not folder.is_symlink():
        try:
            folder.rmdir()  # only when empty
        except OSError:
            pass


def remove_temporary_files(out: Path, folders: set[str]) -> None:
    """Temporary files an interrupted build left, in the folders we write to."""
    for relative in folders | {""}:
        folder = out / relative
        if folder.is_symlink() or not folder.is_dir():
            continue
        with os.scandir(folder) as entries:
            for item in entries:
                if item.name.startswith(TEMP_PREFIX) and item.name.endswith(TEMP_SUFFIX) \
                        and item.is_file(follow_symlinks=False):
                    os.unlink(item.path)
