"""The command line: a thin layer over the pipeline.

Exit status: 0 all built; 1 some inputs failed (the rest still built); 2 usage or
configuration error.  Each problem is one line: ``path:line: severity: message``.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from contextlib import contextmanager
from typing import Iterator, Sequence, TextIO

from .commands import EXIT_FAILED, EXIT_USAGE, build, check, serve, translate
from .commands.common import print_problems
from .errors import ConfigError, PublisherError

SUBCOMMANDS = (build, check, translate, serve)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:
        self.print_usage(sys.stderr)
        raise SystemExit(f"{self.prog}: error: {message}")


def parser() -> argparse.ArgumentParser:
    top = _Parser(prog="publisher", description="Accessible, multilingual patient handouts.")
    top.add_argument("--debug", action="store_true",
                     help="show the traceback of an internal error")
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
        with _signals_as_interrupts():
            return args.run(args, out)
    except ConfigError as exc:
        print_problems(exc.problems, sys.stderr)
        return EXIT_USAGE
    except PublisherError as exc:
        print_problems(exc.problems, sys.stderr)
        return EXIT_FAILED
    except Interrupted as exc:
        print(f"publisher: stopped by {signal.Signals(exc.signum).name}; what was published "
              "before is intact and the next build completes this one", file=sys.stderr)
        return 128 + exc.signum
    except Exception as exc:
        if args.debug:
            raise
        print(f"publisher: internal error: {type(exc).__name__}: {exc} (this is a bug; "
              "run with --debug to see where)", file=sys.stderr)
        return EXIT_FAILED


class Interrupted(BaseException):
    """SIGINT or SIGTERM: stop now, every worker with us."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


@contextmanager
def _signals_as_interrupts() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def interrupt(signum, frame) -> None:
        raise Interrupted(signum)

    previous = {sig: signal.signal(sig, interrupt) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


if __name__ == "__main__":
    raise SystemExit(main())
