"""publisher extract / update / status / review: the translators' commands.

The pipeline's modules (catalogs, plan, the dashboard, readability) are imported in
the command that uses them, so that ``publisher --help`` and every other command do
not pay for them: these commands should answer at once.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from ..config import POLICIES
from ..errors import ConfigError, Severity, error
from . import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from .common import add_locales, add_project, load_project, print_problems

if TYPE_CHECKING:  # the catalogs load inside each command (a command answers sooner)
    from .. import catalogs
    from ..cache import Cache


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

    review = commands.add_parser(
        "review", help="sign off the entries of a complete, check-clean catalog that need it")
    add_project(review)
    review.add_argument("--locale", required=True, metavar="L")
    review.add_argument("--doc", required=True, metavar="SLUG",
                        help="the document (or 'messages' for the interface)")
    review.add_argument("--by", required=True, metavar="NAME", help="the reviewer's name")
    review.add_argument("--yes", action="store_true",
                        help="stamp without asking (needed when not on a terminal)")
    review.add_argument("--sign", type=Path, metavar="KEY",
                        help="also sign each stamp with this SSH key (ssh-keygen -Y sign)")
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


def _project_cache(args: argparse.Namespace) -> Cache:
    """The build's cache of parsed seeds and judged catalogs: keyed by their bytes and
    (the salt) this program's code and its libraries' versions, so it is never stale;
    shared with the build."""
    from ..cache import project_cache
    from ..memo import cache_salt
    return project_cache(args.project, cache_salt())


def run_extract(args: argparse.Namespace, out: TextIO) -> int:
    from .. import catalogs
    config, loaded = load_project(args, _project_cache(args))
    print_problems(loaded.problems, out)
    written = catalogs.extract(args.project, loaded.documents)
    return _report_written(args, out, written, "template", loaded.failed)


def run_update(args: argparse.Namespace, out: TextIO) -> int:
    from .. import catalogs
    config, loaded = load_project(args, _project_cache(args))
    print_problems(loaded.problems, out)
    locales = _translated_locales(config, loaded.documents, args.locale)
    catalogs.extract(args.project, loaded.documents)
    written = catalogs.update(args.project, locales)
    return _report_written(args, out, written, "catalog", loaded.failed)


def _report_written(args: argparse.Namespace, out: TextIO, written, what: str,
                    failed) -> int:
    from .. import catalogs
    for path in written:
        print(f"wrote {catalogs.shown(path, args.project)}", file=out)
    print(f"{len(written)} {what}(s) changed", file=out)
    return EXIT_FAILED if failed else EXIT_OK


def run_status(args: argparse.Namespace, out: TextIO) -> int:
    from ..cache import key_of
    from ..dashboard import interface_rows, to_json, to_table
    from ..plan import plan
    from ..readability import handout_text, measure
    # The build's cache of parsed seeds and judged catalogs, interface catalogs
    # included, and of readability figures: textstat loads the CMU dictionary (about
    # a second) to count syllables.
    cache = _project_cache(args)
    config, loaded = load_project(args, cache)
    locales = args.locale or list(config.locales)
    policy = args.require or config.require
    planned = plan(args.project, loaded.documents, locales, policy, cache)
    rows = [r for r in planned.rows if r.locale in locales]
    rows += [r for r in interface_rows(planned, policy) if r.locale in locales]
    texts = {(h.slug, h.locale): handout_text(h) for h in planned.handouts
             if h.locale in locales}
    measured = {key: cache.remember("readability", key_of(key[1], text),
                                    lambda text=text, locale=key[1]: measure(text, locale))
                for key, text in texts.items()}
    if args.format == "json":
        out.write(to_json(rows, policy, measured))
    else:
        out.write(to_table(rows, measured))
        # Every entry that keeps a handout from publishing, as file:line and why.
        notes = [n for r in rows if r.catalog is not None and not r.published
                 for n in r.catalog.notes_for(policy)]
        others = [p for p in planned.problems if p.severity is not Severity.INFO]
        print_problems([*loaded.problems, *others, *dict.fromkeys(notes)], out)
    return EXIT_FAILED if planned.failed or loaded.failed else EXIT_OK


def run_review(args: argparse.Namespace, out: TextIO) -> int:
    from .. import catalogs
    from ..plan import project_signers
    signers = project_signers(args.project)
    if signers is not None and args.sign is None:
        raise ConfigError(error("publisher.toml", "this project requires signed reviews: "
                                "add --sign KEY (your SSH key)", field="publish.signed_reviews"))
    review = catalogs.plan_review(args.project, args.locale, args.doc, args.by, signers,
                                  signing=args.sign is not None)
    if not review.entries:
        print(f"nothing to sign off in {review.where}: all {review.kept} entries carry a "
              "valid stamp", file=out)
        return EXIT_OK
    for entry in review.entries:
        show_entry(review.where, entry, out)
    question = (f"stamp these {len(review.entries)} entries as reviewed by {review.by}"
                + (f" (keeping {review.kept} valid stamps)" if review.kept else ""))
    if not args.yes:
        if not sys.stdin.isatty():
            print(f"publisher review: not on a terminal; run again with --yes to {question}",
                  file=sys.stderr)
            return EXIT_USAGE
        print(f"{question}? [y/N] ", end="", file=out, flush=True)
        if sys.stdin.readline().strip().lower() not in ("y", "yes"):
            print("nothing written", file=out)
            return EXIT_FAILED
    result = catalogs.apply_review(review, date.today(), args.sign)
    print(f"signed off {result.stamped} entries of {review.where} as reviewed by {result.by}"
          + (f"; kept {result.kept} valid stamps" if result.kept else "")
          + (" (signed)" if args.sign else ""), file=out)
    return EXIT_OK


def show_entry(where: str, entry: catalogs.ToReview, out: TextIO) -> None:
    """One entry as the reviewer should see it before stamping."""
    from .. import catalogs
    text = catalogs.entry_text
    print(f"{where}:{entry.line}:", file=out)
    if entry.old is not None:
        print(f"  was reviewed by {entry.old.by} on {entry.old.date.isoformat()}; "
              "changed since", file=out)
    if entry.previous is not None:
        print(f"  source before: {text(entry.previous)}", file=out)
    print(f"  source:        {text(entry.msgid)}", file=out)
    print(f"  translation:   {text(entry.msgstr)}", file=out)
