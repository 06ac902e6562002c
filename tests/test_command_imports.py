"""The command line imports only what the command it runs uses: parsing arguments
loads no renderer, catalog tooling, readability library or web server, and a command
answered from what it remembers loads none of the tools that did the work."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from publisher import build
from publisher.commands import build as build_command

from conftest import make_project, run_cli, seed

HEAVY = ("weasyprint", "babel", "jinja2", "textstat", "louis", "pikepdf", "pdfplumber",
         "publisher.build", "publisher.catalogs", "publisher.readability", "http.server")


def test_build_command_offers_the_builds_formats() -> None:
    assert build_command.FORMATS == build.FORMATS


@pytest.mark.parametrize("argv", [["status"], ["serve", "--port", "8123"]])
def test_importing_the_command_line_loads_no_pipeline_module(argv: list[str]) -> None:
    code = (f"import sys, publisher.cli; publisher.cli.parser().parse_args({argv!r}); "
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert loaded == "[]"


#: What an answer from remembered work does not need: the renderer, Jinja, Babel's
#: extractors, the translation checks (Translate Toolkit), textstat, the HTTP server.
NOT_WHEN_WARM = ("weasyprint", "jinja2", "babel.messages.extract", "translate", "textstat",
                 "http.server", "fontTools", "publisher.build")


def test_the_translators_commands_answer_from_what_they_remember(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p", {"x.md": seed()}, config=(
        '[project]\nsource_language = "en"\nlocales = ["en", "es"]\n'))
    for command in ("update", "update", "status"):   # the second update remembers merges
        assert run_cli(command, "--project", str(project)).status == 0
    for command in ("status", "extract", "update"):
        code = ("import io, sys; from publisher.cli import main; "
                f"status = main([{command!r}, '--project', {str(project)!r}], io.StringIO()); "
                f"print(status, [m for m in {NOT_WHEN_WARM!r} if m in sys.modules])")
        loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                check=True).stdout.strip()
        assert loaded == "0 []", command
