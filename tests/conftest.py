"""Shared fixtures: a throwaway project beside each test, the real example built once."""

from __future__ import annotations

import io
import shutil
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from publisher.cli import main

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    status: int
    output: str


def run_cli(*argv: str) -> Run:
    buffer = io.StringIO()
    status = main([*argv], stdout=buffer)
    return Run(status, buffer.getvalue())


def make_project(root: Path, seeds: dict[str, str | bytes] | None = None,
                 config: str | None = None, copy_example: bool = False) -> Path:
    """A project folder with the real templates, the given seeds and configuration."""
    shutil.copytree(ROOT / "templates", root / "templates")
    (root / "seeds").mkdir(parents=True, exist_ok=True)
    if copy_example:
        shutil.copy(ROOT / "seeds" / "recurrent-breast-cancer.md", root / "seeds")
    for name, text in (seeds or {}).items():
        target = root / "seeds" / name
        if isinstance(text, bytes):
            target.write_bytes(text)
        else:
            target.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    if config is not None:
        (root / "publisher.toml").write_text(textwrap.dedent(config), encoding="utf-8")
    return root


def seed(title: str = "Test handout", body: str = "Some text.\n", **fields: str) -> str:
    meta = {"title": title, "language": "en", "lastReviewed": "2026-01-15",
            "reviewFrequency": "annual", "status": "active", **fields}
    lines = "".join(f"{key}: {value}\n" for key, value in meta.items() if value is not None)
    return f"---\n{lines}---\n\n{textwrap.dedent(body)}"


@pytest.fixture(scope="session")
def example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real example seed, built once for the whole session; the project folder."""
    project = make_project(tmp_path_factory.mktemp("example"), copy_example=True)
    shutil.copy(ROOT / "publisher.toml", project / "publisher.toml")
    result = run_cli("build", "--project", str(project), "--jobs", "1")
    assert result.status == 0, result.output
    return project


@pytest.fixture(scope="session")
def example_pdf(example: Path) -> Path:
    return example / "dist" / "en" / "recurrent-breast-cancer.pdf"


@pytest.fixture(scope="session")
def example_html(example: Path) -> Path:
    return example / "dist" / "en" / "recurrent-breast-cancer.html"
