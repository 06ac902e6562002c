"""A rebuild with nothing changed answers from the last no-op build; any change to an
input or to a published file makes it do the whole build again."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path

import pytest

from publisher import build as build_module
from publisher import file_stamps
from publisher.build import BuildOptions, build

from test_file_stamps import RACY_NS, change_in_place, settle
from test_incremental import project


@pytest.fixture(autouse=True)
def short_racy_window(monkeypatch) -> None:
    monkeypatch.setattr(file_stamps, "RACY_NS", RACY_NS)


@pytest.fixture
def full_builds(monkeypatch) -> list[int]:
    """Counts the builds that did the whole work (read the previous manifest)."""
    calls: list[int] = []
    real = build_module.read_previous
    monkeypatch.setattr(build_module, "read_previous",
                        lambda out: calls.append(1) or real(out))
    return calls


def built(tmp_path: Path) -> Path:
    root = project(tmp_path)
    settle()
    assert build(BuildOptions(project=root, jobs=1)).rendered == 4
    settle()
    return root


def summary(result) -> tuple:
    return (result.rendered, result.reused, result.kept, result.failed,
            sorted(map(str, result.problems)), result.manifest.to_json())


def test_a_second_no_op_answers_from_the_first(tmp_path: Path, full_builds) -> None:
    root = built(tmp_path)
    first = build(BuildOptions(project=root, jobs=1))  # the whole work, recorded
    settle()
    again = build(BuildOptions(project=root, jobs=1))
    assert len(full_builds) == 2  # the cold build and the first no-op only
    assert summary(again) == summary(first)
    assert (again.rendered, again.reused) == (0, 4)


@pytest.mark.parametrize("change", ["touch a seed", "add a seed", "touch a catalog",
                                    "another day", "other formats"])
def test_any_change_of_inputs_or_options_does_the_whole_build(tmp_path: Path, full_builds,
                                                               change: str) -> None:
    root = built(tmp_path)
    build(BuildOptions(project=root, jobs=1))
    settle()
    options = BuildOptions(project=root, jobs=1)
    if change == "touch a seed":  # same bytes: the build finds nothing to render
        os.utime(root / "seeds" / "care.md")
    elif change == "add a seed":
        (root / "seeds" / "new.md").write_text((root / "seeds" / "other.md").read_text()
                                               .replace("Other handout", "New handout"))
    elif change == "touch a catalog":
        os.utime(root / "locales" / "es" / "LC_MESSAGES" / "care.po")
    elif change == "another day":
        options = BuildOptions(project=root, jobs=1, today=date(2031, 1, 1))
    else:
        options = BuildOptions(project=root, jobs=1, formats=("html",))
    settle()
    build(options)
    assert len(full_builds) == 3


def test_a_published_file_changed_in_place_is_rendered_again(tmp_path: Path,
                                                             full_builds) -> None:
    root = built(tmp_path)
    build(BuildOptions(project=root, jobs=1))
    settle()
    pdf = root / "dist" / "en" / "other.pdf"
    original = pdf.read_bytes()
    change_in_place(pdf)  # same size, the old mtime put back: only ctime moved
    result = build(BuildOptions(project=root, jobs=1))
    assert len(full_builds) == 3 and result.rendered == 1
    assert pdf.read_bytes() == original


def test_a_file_touched_but_unchanged_still_answers_from_the_memo(tmp_path: Path,
                                                                  full_builds) -> None:
    root = built(tmp_path)
    build(BuildOptions(project=root, jobs=1))
    settle()
    os.utime(root / "dist" / "es" / "care.pdf")  # a new stamp, the same bytes
    result = build(BuildOptions(project=root, jobs=1))
    assert len(full_builds) == 2 and (result.rendered, result.reused) == (0, 4)
