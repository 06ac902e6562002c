"""Interface translations: messages.po compiled in memory for the templates.

The interface catalog is reviewed like a document's: under the ``reviewed`` policy
only entries with a valid stamp are used (an interface string changed after its
review falls back to the source text), and `interface_status` tells the plan whether
the whole catalog is signed off, which a translated handout needs to be published.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING

from babel.messages.catalog import Catalog

from .cache import key_of
from .catalog_files import (INTERFACE, catalog_path, catalog_size_limit, read_catalog, shown,
                            template_path)
from .catalog_state import CatalogStatus, assess, read_template, status_of
from .errors import Problem
from .memo import libraries_digest
from .review_signatures import required_signers

if TYPE_CHECKING:  # Babel's gettext support loads when translations are compiled
    from babel.support import NullTranslations, Translations

    from .cache import Cache

#: What a handout says about its own translation: used only once reviewed, under every
#: policy, so an unreviewed catalog cannot make a handout claim it was reviewed.
NOTICES = frozenset({
    "This translation has not been reviewed yet.",
    "Ask your care team if anything is unclear.",
    "DRAFT",
    "This translation is not finished and has not been reviewed. Parts of it are in the "
    "original language.",
    "Draft translation",
})


def compile_translations(catalog: Catalog, path: str | Path, *, reviewed_only: bool = False,
                         signers: Path | None = None) -> tuple[Translations, list[Problem]]:
    """In-memory Translations of the usable entries: not fuzzy, translated, check-clean
    (and reviewed, with ``reviewed_only``; the `NOTICES` only when reviewed, always)."""
    from babel.messages.mofile import write_mo
    from babel.support import Translations

    from .plural_forms import set_plural_forms  # Translate Toolkit's language data
    usable = Catalog(locale=catalog.locale, domain=catalog.domain, charset="utf-8",
                     fuzzy=False)
    # The catalog's own rule: its strings were written for it, not for CLDR's.
    set_plural_forms(usable, catalog.plural_forms)
    found = assess(catalog, path, signers if reviewed_only else None)
    for message in catalog:
        key = (message.context, message.id)
        needs_review = reviewed_only or message.id in NOTICES
        if key in found.strings and (not needs_review or key in found.reviewed):
            usable.add(message.id, message.string, context=message.context)
    buffer = io.BytesIO()
    write_mo(buffer, usable, use_fuzzy=False)
    buffer.seek(0)
    return (Translations(fp=buffer, domain=catalog.domain or INTERFACE),
            [*found.check_failures, *found.signature_failures])


def load_interface(project: Path, locale: str, policy: str = "translated",
                   signers: Path | None = None) -> tuple[NullTranslations, list[Problem]]:
    """The interface translations a policy allows for a locale, and the problems with them."""
    from babel.support import NullTranslations
    path = catalog_path(project, locale, INTERFACE)
    if not path.exists():
        return NullTranslations(), []
    return compile_translations(read_catalog(path, locale, project=project),
                                shown(path, project), reviewed_only=policy == "reviewed",
                                signers=signers)


def interface_translations(project: Path, locale: str) -> NullTranslations:
    """Babel Translations compiled in memory from messages.po; NullTranslations if none.

    Use `load_interface` to also get the problems of the entries left out.
    """
    return load_interface(project, locale)[0]


def interface_status(project: Path, locale: str, signers: Path | None = None,
                     cache: Cache | None = None) -> tuple[CatalogStatus, list[Problem]]:
    """The interface catalog's progress (review included) and its header warnings.

    Judging the interface catalog runs every check on every entry (a third of a second
    for the example's four languages), so with ``cache`` the answer is kept under the
    bytes of the catalog, its template and the allowed signers, the size limit, the
    versions of Babel and Translate Toolkit (whose data the checks use) and (the cache's
    salt) this program's code: any edit is a new key.
    """
    if cache is None:
        return _interface_status(project, locale, signers)
    inputs = [catalog_path(project, locale, INTERFACE), template_path(project, INTERFACE),
              *([signers] if signers else [])]
    key = key_of(str(project), locale, str(signers), str(catalog_size_limit()),
                 libraries_digest(),
                 *(path.read_bytes() if path.is_file() else b"-" for path in inputs))
    return cache.remember("interface", key, lambda: _interface_status(project, locale,
                                                                      signers))


def _interface_status(project: Path, locale: str, signers: Path | None
                      ) -> tuple[CatalogStatus, list[Problem]]:
    from .plural_forms import cldr_plural_problems  # Translate Toolkit's language data
    path = catalog_path(project, locale, INTERFACE)
    where = shown(path, project)
    template = read_template(project, INTERFACE)
    if not path.exists():
        return status_of(None, template, locale, INTERFACE, path, where), []
    data = path.read_bytes()
    catalog = read_catalog(path, locale, project=project)
    found = assess(catalog, where, signers)
    return (status_of(catalog, template, locale, INTERFACE, path, where, found),
            cldr_plural_problems(catalog, where, data))


def interface_policy(project: Path, config) -> tuple[str, Path | None]:
    """`load_interface`'s policy and signers for a project's configuration."""
    return config.require, required_signers(project, config.signed_reviews,
                                            config.allowed_signers)
