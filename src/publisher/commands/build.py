"""publisher build: render every seed in every language into dist/."""

from __future__ import annotations

import argparse
import time
from pathlib import Path
from typing import TextIO

from ..config import POLICIES
from ..errors import ConfigError, error
from . import EXIT_FAILED, EXIT_OK
from .common import add_locales, add_project, print_problems, progress


#: The build's formats (publisher.build.FORMATS, which a test keeps equal): named
#: here so that parsing the command line does not import the whole pipeline.
FORMATS = ("html", "pdf", "braille", "bilingual")


def add_parser(commands) -> None:
    command = commands.add_parser("build", help="render every seed in every language into dist/")
    add_project(command)
    command.add_argument("--out", type=Path, help="output folder (default: PROJECT/dist)")
    add_locales(command, "only this language (repeatable)")
    command.add_argument("--format", action="append", choices=FORMATS, default=[],
                         help="only this output format (repeatable; default: all of them)")
    command.add_argument("--require", choices=POLICIES,
                         help="what a translation needs to be published (default from "
                              "publisher.toml, else reviewed)")
    command.add_argument("--jobs", type=int, metavar="N",
                         help="worker processes (default: number of cores)")
    command.add_argument("--scheduler", metavar="tcp://HOST:PORT",
                         help="render on this Dask cluster instead of local processes")
    command.add_argument("--include-status", action="append", default=[],
                         choices=("draft", "retired"),
                         help="also publish seeds with this status (repeatable)")
    command.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    if args.jobs is not None and args.jobs < 1:
        raise ConfigError(error("command line", "must be at least 1", field="--jobs"))
    from ..worker_preload import start_for_cold_build
    # The workers' warm-up (~0.8 s) runs while this process imports the pipeline.
    start_for_cold_build(args.project, args.out, args.jobs, args.scheduler)
    from ..build import BuildOptions, build  # the pipeline: only when building
    options = BuildOptions(
        project=args.project, out=args.out, locales=tuple(args.locale),
        formats=tuple(args.format) or FORMATS, require=args.require, jobs=args.jobs,
        statuses=("active", *args.include_status), scheduler=args.scheduler)
    started = time.perf_counter()
    update, stop = progress(out)
    try:
        result = build(options, progress=update)
    finally:
        stop()
    print_problems(result.problems, out)
    manifest = result.manifest
    kept = f", {result.kept} kept from the last build" if result.kept else ""
    print(f"published {len(manifest.handouts)} handout(s) ({result.rendered} rendered, "
          f"{result.reused} unchanged{kept}) in {time.perf_counter() - started:.1f} s "
          f"into {options.out_dir}", file=out)
    for entry in manifest.handouts:
        if entry.kept:
            print(f"kept the previous version: {entry.slug} ({entry.locale}): {entry.kept}",
                  file=out)
    for skipped in manifest.skipped:
        print(f"not published: {skipped.slug} ({skipped.locale}): {skipped.reason}", file=out)
    if result.failed:
        print(f"{result.failed} input(s) failed; see the errors above", file=out)
    return EXIT_FAILED if result.failed else EXIT_OK
