"""Message catalogs: one import for what the modules below do.

- `catalog_files`: paths, reading (strict, with file:line) and writing .po/.pot files;
- `extraction`: the templates (.pot) from seeds and templates;
- `merging`: create or update each locale's .po files;
- `review_stamps`: the per-entry sign-off comment and its hash;
- `catalog_state`: usable entries, checks and progress of one catalog;
- `review`: `publisher review`, the sign-off itself;
- `interface`: messages.po compiled in memory for the templates, and its review;
- `catalog_syntax`, `plural_forms`, `review_signatures`: what the others lean on.

Each module is imported when one of its names is first used.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

#: Where each name lives.  The modules load on first use (PEP 562), so that a command
#: pays only for what it uses: `extraction` brings Babel's extractors, `catalog_state`
#: the translation checks (Translate Toolkit, markdown-it), `review` the signing code.
_HOMES = {
    "catalog_files": ("INTERFACE", "LOCALES_DIR", "TEMPLATES_DIR", "WIDTH", "babel_locale_name",
                      "catalog_bytes", "catalog_path", "parse_catalog", "read_catalog", "shown",
                      "template_path"),
    "catalog_state": ("CatalogStatus", "UsableTranslations", "catalog_status",
                      "message_problems", "translation_state", "usable_translations"),
    "extraction": ("document_template", "extract", "interface_template", "template_bytes"),
    "interface": ("compile_translations", "interface_policy", "interface_status",
                  "interface_translations", "load_interface"),
    "merging": ("merge", "new_catalog", "update"),
    "review": ("ReviewPlan", "ReviewResult", "ToReview", "apply_review", "plan_review",
               "review", "review_problems"),
    "review_stamps": ("HASH_LENGTH", "STAMP", "ReviewStamp", "is_reviewed", "is_translated",
                      "entry_text", "review_stamp", "stamp", "stamp_hash", "stamp_state"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}


def __getattr__(name: str):
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f".{module}", __package__), name)
    globals()[name] = value  # found once: the next use is a plain attribute
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_HOME_OF])


if TYPE_CHECKING:  # what type checkers and readers see; nothing is imported at run time
    from .catalog_files import (INTERFACE, LOCALES_DIR, TEMPLATES_DIR, WIDTH,
                                babel_locale_name, catalog_bytes, catalog_path, parse_catalog,
                                read_catalog, shown, template_path)
    from .catalog_state import (CatalogStatus, UsableTranslations, catalog_status,
                                message_problems, translation_state, usable_translations)
    from .extraction import document_template, extract, interface_template, template_bytes
    from .interface import (compile_translations, interface_policy, interface_status,
                            interface_translations, load_interface)
    from .merging import merge, new_catalog, update
    from .review import (ReviewPlan, ReviewResult, ToReview, apply_review, plan_review,
                         review, review_problems)
    from .review_stamps import (HASH_LENGTH, STAMP, ReviewStamp, is_reviewed, is_translated,
                                entry_text, review_stamp, stamp, stamp_hash, stamp_state)

__all__ = [
    "INTERFACE", "LOCALES_DIR", "TEMPLATES_DIR", "WIDTH", "babel_locale_name", "catalog_bytes",
    "catalog_path", "parse_catalog", "read_catalog", "shown", "template_path",
    "CatalogStatus", "UsableTranslations", "catalog_status", "message_problems",
    "translation_state", "usable_translations", "document_template", "extract",
    "interface_template", "template_bytes", "compile_translations", "interface_translations",
    "load_interface", "interface_policy", "interface_status", "merge", "new_catalog", "update", "ReviewPlan", "ReviewResult", "ToReview", "apply_review", "plan_review", "review",
    "review_problems", "HASH_LENGTH", "STAMP", "ReviewStamp", "is_reviewed", "is_translated",
    "entry_text", "review_stamp", "stamp", "stamp_hash", "stamp_state",
]
