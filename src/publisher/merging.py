"""Merging: create or bring up to date each locale's .po files from the templates."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Sequence

from babel.messages.catalog import Catalog
from babel.util import LOCALTZ

from . import memo
from .catalog_files import (LOCALES_DIR, TEMPLATES_DIR, babel_locale_name, catalog_bytes,
                            catalog_path, parse_catalog, shown)
from .errors import CatalogError, Problem, error
from .locales import catalog_name
from .write_dist import write_atomic


def merge(catalog: Catalog, template: Catalog) -> Catalog:
    """``catalog`` brought up to ``template`` (in place): Babel's update plus two fixes.

    A translation that was obsolete comes back when its msgid does (as msgmerge does),
    and an entry that is still fuzzy keeps its previous msgid (``#|``), which Babel
    would otherwise drop on the second update.
    """
    for key, message in list(catalog.obsolete.items()):
        if template.get(message.id, context=message.context) is not None and \
                catalog.get(message.id, context=message.context) is None:
            del catalog.obsolete[key]
            catalog[message.id] = message
    before = {message.id: message for message in catalog if message.id}
    catalog.update(template, no_fuzzy_matching=False, update_header_comment=False,
                   keep_user_comments=True, update_creation_date=True)
    for message in catalog:
        old = before.get(message.id)
        if (message.fuzzy and not message.previous_id and old is not None
                and old.fuzzy and old.previous_id):
            message.previous_id = list(old.previous_id)
    for key, message in list(catalog.obsolete.items()):
        if catalog.get(message.id, message.context) is not None:
            del catalog.obsolete[key]
    return catalog


def new_catalog(template: Catalog, locale: str, now: datetime | None = None) -> Catalog:
    """What ``pybabel init`` makes: the template's messages in an empty catalog for the locale,
    with the Plural-Forms gettext tools write for it (see plural_forms.py)."""
    catalog = Catalog(locale=babel_locale_name(locale), domain=template.domain,
                      header_comment=template.header_comment, project=template.project,
                      version=template.version, copyright_holder=template.copyright_holder,
                      msgid_bugs_address=template.msgid_bugs_address,
                      creation_date=template.creation_date,
                      revision_date=(now or datetime.now(LOCALTZ)).replace(second=0,
                                                                           microsecond=0),
                      charset="utf-8", fuzzy=False)
    from .plural_forms import conventional_plural_forms, set_plural_forms  # Translate Toolkit
    forms = conventional_plural_forms(catalog_name(locale))
    if forms:
        set_plural_forms(catalog, forms)
    catalog.update(template, no_fuzzy_matching=True)
    return catalog


def merged_bytes(project: Path, locale: str, template_file: Path, path: Path,
                 previous: bytes | None) -> bytes:
    """The .po bytes for ``locale`` from ``template_file``: the catalog at ``path`` (whose
    bytes are ``previous``) merged with it, or a new catalog when there is none.

    Merging is a function of the two files' bytes, the locale and the code (Babel's
    included), so its answer is kept in a slot (`memo`) under all of them; a new catalog
    carries today's date and is never kept, nor is a merge with a template that has
    no creation date.  Reading, merging and writing a catalog
    with Babel costs tens of milliseconds, and ``update`` does it for every catalog.
    """
    template_data = template_file.read_bytes()
    template_where, where = shown(template_file, project), shown(path, project)

    def merged() -> bytes:
        template = parse_catalog(template_data, template_where)
        if previous is None:
            return catalog_bytes(new_catalog(template, locale))
        return catalog_bytes(merge(parse_catalog(previous, where, locale), template))

    # Babel puts the time of the run in what it writes in two cases: a template without
    # a POT-Creation-Date (the minute), and a header comment's "YEAR" (the year).
    if previous is None or b'"POT-Creation-Date: ' not in template_data:
        return merged()
    key = memo.digest_of("merged catalog", locale, template_where, where, template_data,
                         previous, str(datetime.now(LOCALTZ).year))
    return memo.remember(project, f"merged/{catalog_name(locale)}/{template_file.stem}", key,
                         merged)


def update(project: Path, locales: Sequence[str]) -> list[Path]:
    """Create or merge every .po of each locale from the templates; return the paths written."""
    folder = project / LOCALES_DIR / TEMPLATES_DIR
    templates = sorted(folder.glob("*.pot"))
    written = []
    problems: list[Problem] = []
    for locale in locales:
        if babel_locale_name(locale) is None:
            problems.append(error("publisher.toml", f"{locale!r} is not a locale Babel knows",
                                  field="locales"))
            continue
        for template_file in templates:
            path = catalog_path(project, locale, template_file.stem)
            try:
                previous = path.read_bytes() if path.exists() else None
                data = merged_bytes(project, locale, template_file, path, previous)
            except CatalogError as exc:
                problems.extend(exc.problems)
                continue
            if data != previous:
                write_atomic(path, data)
                written.append(path)
    if problems:
        raise CatalogError(*problems)
    return written
