"""The command line imports only what the command it runs uses: parsing arguments
loads no renderer, catalog tooling or readability library."""

from __future__ import annotations

import subprocess
import sys

from publisher import build
from publisher.commands import build as build_command

HEAVY = ("weasyprint", "babel", "jinja2", "textstat", "louis", "pikepdf", "pdfplumber",
         "publisher.build", "publisher.catalogs", "publisher.readability")


def test_build_command_offers_the_builds_formats() -> None:
    assert build_command.FORMATS == build.FORMATS


def test_importing_the_command_line_loads_no_pipeline_module() -> None:
    code = ("import sys, publisher.cli; publisher.cli.parser().parse_args(['status']); "
            f"print([m for m in {HEAVY!r} if m in sys.modules])")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True).stdout.strip()
    assert loaded == "[]"
