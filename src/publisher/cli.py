"""The command line: a thin layer over the pipeline.

Exit status: 0 all built; 1 some inputs failed (the rest still built); 2 usage or
configuration error.  Each problem is one line: ``path:line: severity: message``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Sequence, TextIO

from . import serve
from .commands import EXIT_FAILED, EXIT_USAGE, build, check, translate
from .commands.common import print_problems
from .errors import ConfigError, PublisherError

SUBCOMMANDS = (build, check, translate, serve)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        raise SystemExit(f"{self.prog}: error: {message}")


def parser() -> argparse.ArgumentParser:
    top = _Parser(prog="publisher", description="Accessible, multilingual patient handouts.")
    commands = top.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for module in SUBCOMMANDS:
        module.add_parser(commands)
    return top


def main(argv: Sequence[str] | None = None, stdout: TextIO | None = None) -> int:
    out = stdout or sys.stdout
    try:
        args = parser().parse_args(argv)
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
            return EXIT_USAGE
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return args.run(args, out)
    except ConfigError as exc:
        print_problems(exc.problems, sys.stderr)
        return EXIT_USAGE
    except PublisherError as exc:
        print_problems(exc.problems, sys.stderr)
        return EXIT_FAILED


if __name__ == "__main__":
    raise SystemExit(main())
