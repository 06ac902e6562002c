"""publisher serve: its options here, the server in `publisher.serve`.

The server module brings the standard library's HTTP server (with ``ssl`` and
``email``), a tenth of a second to import: only ``publisher serve`` loads it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from .build import FORMATS


def add_parser(commands) -> None:
    command = commands.add_parser("serve", help="preview dist/ on http://127.0.0.1:8000/")
    add_arguments(command)
    command.set_defaults(run=run)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--project", type=Path, default=Path("."),
                        help="project folder (default: current folder)")
    parser.add_argument("--out", type=Path,
                        help="the built site to serve (default: PROJECT/dist)")
    parser.add_argument("--port", type=int, default=8000, metavar="N",
                        help="port on 127.0.0.1 (default 8000; 0 picks a free one)")
    parser.add_argument("--watch", action="store_true",
                        help="build first, rebuild when a seed, catalog, template or "
                             "publisher.toml is saved, and reload the open page")
    parser.add_argument("--format", action="append", choices=FORMATS, default=[],
                        help="with --watch: only this format (repeatable; default both; "
                             "html alone previews fastest)")


def run(args: argparse.Namespace, stdout: TextIO) -> int:
    from .. import serve
    return serve.run(args, stdout)
