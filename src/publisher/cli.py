"""The command line: a thin layer over the pipeline.

Exit status: 0 all built; 1 some inputs failed (the rest still built); 2 usage or
configuration error.  Each problem is one line: ``path:line: severity: message``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Callable, Sequence, TextIO

from .config import POLICIES
from .errors import ConfigError, Problem, PublisherError, error

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # argparse exits 2 too; keep the one-line form
        self.print_usage(sys.stderr)
        raise SystemExit(f"publisher: error: {message}")


def parser() -> argparse.ArgumentParser:
    top = _Parser(prog="publisher", description=__doc__.splitlines()[0])
    commands = top.add_subparsers(dest="command", required=True, parser_class=_Parser)

    build = commands.add_parser("build", help="render every seed in every language into dist/")
    _project(build)
    build.add_argument("--out", type=Path, help="output folder (default: PROJECT/dist)")
    build.add_argument("--locale", action="append", default=[], metavar="L",
                       help="only this language (repeatable)")
    build.add_argument("--format", action="append", choices=("html", "pdf"), default=[],
                       help="only this output format (repeatable; default both)")
    build.add_argument("--require", choices=POLICIES,
                       help="what a translation needs to be published (default from "
                            "publisher.toml, else reviewed)")
    build.add_argument("--jobs", type=int, metavar="N",
                       help="worker processes (default: number of cores)")
    build.add_argument("--include-status", action="append", default=[],
                       choices=("draft", "retired"),
                       help="also publish seeds with this status (repeatable)")

    check = commands.add_parser("check", help="preflight built PDFs and HTML pages")
    check.add_argument("paths", nargs="*", type=Path, help="files or folders (default: dist)")
    check.add_argument("--min-text-pt", type=float, default=18.0,
                       help="smallest allowed text size in PDFs (default 18)")
    return top


def _project(command: argparse.ArgumentParser) -> None:
    command.add_argument("--project", type=Path, default=Path("."),
                         help="project folder (default: current folder)")


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
        return COMMANDS[args.command](args, out)
    except ConfigError as exc:
        _print_problems(exc.problems, sys.stderr)
        return EXIT_USAGE
    except PublisherError as exc:
        _print_problems(exc.problems, sys.stderr)
        return EXIT_FAILED


def _print_problems(problems: Sequence[Problem], stream: TextIO) -> None:
    for problem in problems:
        print(problem, file=stream)


def _progress(stream: TextIO) -> tuple[Callable[[str, int, int], None], Callable[[], None]]:
    """A progress bar on a terminal, plain lines otherwise."""
    if stream.isatty() and os.environ.get("TERM") != "dumb":
        from rich.progress import Progress
        bar = Progress(transient=True)
        task = bar.add_task("rendering", total=None)
        bar.start()

        def update(label: str, done: int, total: int) -> None:
            bar.update(task, completed=done, total=total, description=label)
        return update, bar.stop

    def line(label: str, done: int, total: int) -> None:
        print(f"[{done}/{total}] {label}", file=stream, flush=True)
    return line, lambda: None


def cmd_build(args: argparse.Namespace, out: TextIO) -> int:
    from .build import FORMATS, BuildOptions, build
    options = BuildOptions(
        project=args.project, out=args.out, locales=tuple(args.locale),
        formats=tuple(args.format) or FORMATS, require=args.require, jobs=args.jobs,
        statuses=("active", *args.include_status))
    if args.jobs is not None and args.jobs < 1:
        raise ConfigError(error("command line", "must be at least 1", field="--jobs"))
    started = time.perf_counter()
    update, stop = _progress(out)
    try:
        result = build(options, progress=update)
    finally:
        stop()
    _print_problems(result.problems, out)
    manifest = result.manifest
    print(f"built {len(manifest.handouts)} handout(s) in "
          f"{time.perf_counter() - started:.1f} s into {options.out_dir}", file=out)
    for skipped in manifest.skipped:
        print(f"not published: {skipped.slug} ({skipped.locale}): {skipped.reason}", file=out)
    if result.failed:
        print(f"{result.failed} input(s) failed; see the errors above", file=out)
    return EXIT_FAILED if result.failed else EXIT_OK


def cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    from .check import check_paths
    paths = args.paths or [Path("dist")]
    missing = [p for p in paths if not p.exists()]
    if missing:
        for path in missing:
            print(f"{path}: error: no such file or folder", file=sys.stderr)
        return EXIT_USAGE
    problems = check_paths(paths, min_text_pt=args.min_text_pt)
    _print_problems(problems, out)
    errors = sum(1 for p in problems if p.is_error)
    print(f"checked {', '.join(map(str, paths))}: {errors} error(s)", file=out)
    return EXIT_FAILED if errors else EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, TextIO], int]] = {
    "build": cmd_build,
    "check": cmd_check,
}


if __name__ == "__main__":
    raise SystemExit(main())
