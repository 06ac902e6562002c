"""A handout is reused only when its bytes on disk are the recorded ones, even when the
build trusts a file's stat (size, mtime, ctime, inode) instead of reading it again."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from publisher import file_stamps
from publisher.build import BuildOptions, build
from publisher.file_stamps import FileHashes

from test_incremental import project

#: Short enough for a test, longer than any file system's timestamp tick here.
RACY_NS = 200_000_000


@pytest.fixture(autouse=True)
def short_racy_window(monkeypatch) -> None:
    monkeypatch.setattr(file_stamps, "RACY_NS", RACY_NS)


def settle() -> None:
    """Let files just written leave the racy window, so their stamps are trusted."""
    time.sleep(2 * RACY_NS / 1e9)


def change_in_place(path: Path) -> None:
    """New bytes, same size, the old modification time put back (as `touch -r` would)."""
    before = path.stat()
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    with open(path, "r+b") as handle:
        handle.write(data)
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns, after.st_ino) == \
        (before.st_size, before.st_mtime_ns, before.st_ino)


def test_an_unchanged_stamp_is_trusted_and_a_change_in_place_is_not(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.7 first version\n")
    settle()
    first = FileHashes(tmp_path)
    digest = first.sha256("a.pdf")
    assert first.hashed == 1 and "a.pdf" in first.confirmed

    again = FileHashes(tmp_path, first.confirmed)
    assert again.sha256("a.pdf") == digest and again.hashed == 0  # not read

    change_in_place(tmp_path / "a.pdf")
    after = FileHashes(tmp_path, first.confirmed)
    assert after.sha256("a.pdf") not in (None, digest) and after.hashed == 1


def test_a_file_stamped_as_it_was_written_is_read_again_next_time(tmp_path: Path) -> None:
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.7\n")
    fresh = FileHashes(tmp_path)
    fresh.sha256("a.pdf")
    assert fresh.confirmed == {}  # racy: a change within the same tick would not show


def test_a_symlink_or_folder_has_no_hash(tmp_path: Path) -> None:
    (tmp_path / "real.pdf").write_bytes(b"x")
    (tmp_path / "link.pdf").symlink_to(tmp_path / "real.pdf")
    (tmp_path / "folder").mkdir()
    hashes = FileHashes(tmp_path)
    assert hashes.sha256("link.pdf") is None and hashes.sha256("folder") is None
    assert hashes.sha256("missing.pdf") is None


def test_a_rebuild_reads_no_unchanged_file_and_rebuilds_one_changed_in_place(
        tmp_path: Path, monkeypatch) -> None:
    root = project(tmp_path)
    assert build(BuildOptions(project=root, jobs=1)).rendered == 4
    settle()
    assert build(BuildOptions(project=root, jobs=1)).reused == 4  # stamps taken here

    read: list[str] = []  # the files the build reads (hashes)
    real_hash = FileHashes._hash
    monkeypatch.setattr(FileHashes, "_hash",
                        lambda self, relative: read.append(relative) or real_hash(self, relative))
    again = build(BuildOptions(project=root, jobs=1))
    assert (again.rendered, again.reused) == (0, 4)
    # Every published file trusted from its stamp; only the manifest, stamped as the
    # last build wrote it (racy), is read again.
    assert read == ["manifest.json"], read

    settle()
    pdf = root / "dist" / "es" / "care.pdf"
    original = pdf.read_bytes()
    change_in_place(pdf)
    result = build(BuildOptions(project=root, jobs=1))
    assert (result.rendered, result.reused) == (1, 3)
    # Only the file whose ctime moved was read (and the manifest, as above).
    assert set(read) == {"es/care.pdf", "manifest.json"}, read
    assert pdf.read_bytes() == original  # rendered again, same bytes as first published
