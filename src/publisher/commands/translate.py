"""publisher extract / update / status / review: the translators' commands."""

from __future__ import annotations

import argparse
from datetime import date
from typing import TextIO

from .. import catalogs
from ..config import POLICIES
from ..dashboard import to_json, to_table
from ..errors import ConfigError, error
from ..plan import plan
from . import EXIT_FAILED, EXIT_OK
from .common import add_locales, add_project, load_project, print_problems


def add_parser(commands) -> None:
    extract = commands.add_parser("extract", help="write the translation templates (.pot)")
    add_project(extract)
    extract.set_defaults(run=run_extract)

    update = commands.add_parser("update", help="create or merge the .po catalogs")
    add_project(update)
    add_locales(update, "only this language (repeatable; default: all but the source)")
    update.set_defaults(run=run_update)

    status = commands.add_parser("status", help="translation progress per language and document")
    add_project(status)
    add_locales(status, "only this language (repeatable)")
    status.add_argument("--format", choices=("table", "json"), default="table")
    status.add_argument("--require", choices=POLICIES, help="policy to judge by")
    status.set_defaults(run=run_status)

    review = commands.add_parser("review", help="sign off a complete, check-clean catalog")
    add_project(review)
    review.add_argument("--locale", required=True, metavar="L")
    review.add_argument("--doc", required=True, metavar="SLUG",
                        help="the document (or 'messages' for the interface)")
    review.add_argument("--by", required=True, metavar="NAME", help="the reviewer's name")
    review.set_defaults(run=run_review)


def _translated_locales(config, documents, chosen: list[str]) -> list[str]:
    """The locales that need catalogs: those some seed is not written in."""
    unknown = [loc for loc in chosen if loc not in config.locales]
    if unknown:
        raise ConfigError(*(error("command line", f"{loc!r} is not in publisher.toml's locales",
                                  field="--locale") for loc in unknown))
    if chosen:
        return chosen
    languages = {d.meta.language for d in documents} or {config.source_language}
    return [loc for loc in config.locales if languages != {loc}]


def run_extract(args: argparse.Namespace, out: TextIO) -> int:
    config, loaded = load_project(args)
    print_problems(loaded.problems, out)
    written = catalogs.extract(args.project, loaded.documents)
    return _report_written(args, out, written, "template", loaded.failed)


def run_update(args: argparse.Namespace, out: TextIO) -> int:
    config, loaded = load_project(args)
    print_problems(loaded.problems, out)
    locales = _translated_locales(config, loaded.documents, args.locale)
    catalogs.extract(args.project, loaded.documents)
    written = catalogs.update(args.project, locales)
    return _report_written(args, out, written, "catalog", loaded.failed)


def _report_written(args: argparse.Namespace, out: TextIO, written, what: str,
                    failed) -> int:
    for path in written:
        print(f"wrote {catalogs.shown(path, args.project)}", file=out)
    print(f"{len(written)} {what}(s) changed", file=out)
    return EXIT_FAILED if failed else EXIT_OK


def run_status(args: argparse.Namespace, out: TextIO) -> int:
    config, loaded = load_project(args)
    locales = args.locale or list(config.locales)
    planned = plan(args.project, loaded.documents, locales, args.require or config.require)
    rows = [r for r in planned.rows if r.locale in locales]
    if args.format == "json":
        out.write(to_json(rows))
    else:
        out.write(to_table(rows))
        print_problems([*loaded.problems, *planned.problems], out)
    return EXIT_FAILED if planned.failed or loaded.failed else EXIT_OK


def run_review(args: argparse.Namespace, out: TextIO) -> int:
    result = catalogs.review(args.project, args.locale, args.doc, args.by, date.today())
    print(f"signed off {result.stamped} entries of "
          f"{catalogs.shown(result.path, args.project)} as reviewed by {result.by}", file=out)
    return EXIT_OK
