"""What several subcommands share: the project option, problem printing, progress."""

from __future__ import annotations

import argparse
import os
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence, TextIO

from ..config import Config, load_config
from ..errors import Problem

if TYPE_CHECKING:
    from ..cache import Cache
    from ..seeds import LoadedSeeds


def add_project(command: argparse.ArgumentParser) -> None:
    command.add_argument("--project", type=Path, default=Path("."),
                         help="project folder (default: current folder)")


def add_locales(command: argparse.ArgumentParser, help_text: str) -> None:
    command.add_argument("--locale", action="append", default=[], metavar="L", help=help_text)


def print_problems(problems: Sequence[Problem], stream: TextIO) -> None:
    for problem in problems:
        print(problem, file=stream)


def load_project(args: argparse.Namespace,
                 cache: Cache | None = None) -> tuple[Config, LoadedSeeds]:
    from ..seeds import load_seeds  # YAML, Markdown: only for commands that read seeds
    config = load_config(args.project)
    return config, load_seeds(args.project, statuses=("active", "draft"),
                              default_language=config.source_language, cache=cache)


def progress(stream: TextIO) -> tuple[Callable[[str, int, int], None], Callable[[], None]]:
    """A progress bar on a terminal, plain lines otherwise."""
    if stream.isatty() and os.environ.get("TERM") != "dumb":
        from rich.progress import Progress
        bar = Progress(transient=True)
        task = bar.add_task("rendering", total=None)
        bar.start()

        def update(label: str, done: int, total: int) -> None:
            if done < 0:  # what is in flight, not a finished handout
                bar.update(task, total=total, description=label)
            else:
                bar.update(task, completed=done, total=total, description=label)
        return update, bar.stop

    def line(label: str, done: int, total: int) -> None:
        print(f"[{done}/{total}] {label}" if done >= 0 else f"... {label}", file=stream,
              flush=True)
    return line, lambda: None
