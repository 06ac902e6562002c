"""Translation checks: a plain list of functions, each
``(source, translation, context) -> messages``.

Placeholders, URLs and e-mail addresses are Translate Toolkit's own tests
(``translate.filters.checks``, the library behind ``pofilter``).  Ours are the
numbers check (values read in each language's notation, see `translation_numbers`:
Translate Toolkit compares digit substrings, so 5 → 50 mg passed and the correct
Spanish "2,5" for "2.5" failed) and the Markdown-specific checks: link targets,
balanced emphasis and raw HTML.  Adding a check is adding a function to `CHECKS`;
the ``context`` (the two languages) is optional for a check that does not need it.

A translation that fails any check is reported with its file and line and is
never used (see `publisher.catalogs.usable_translations`).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, NamedTuple

from translate.filters import checks as toolkit

from .inline import RAW_TAG, link_targets, markdown, unsafe_content, without_link_targets
from .translation_numbers import compare_numbers


@dataclass(frozen=True)
class CheckContext:
    """The languages of a source and its translation (tags such as ``en``, ``zh-Hans``);
    with no ``target_locale`` the translation is read in the source's notation."""
    source_locale: str = "en"
    target_locale: str | None = None


DEFAULT_CONTEXT = CheckContext()
CheckFunction = Callable[[str, str, CheckContext], list[str]]


class Check(NamedTuple):
    id: str
    run: CheckFunction
    description: str


@lru_cache(maxsize=1)
def _checker() -> toolkit.StandardChecker:
    return toolkit.StandardChecker()


def _toolkit_tests(*names: str) -> CheckFunction:
    """One check from Translate Toolkit tests: a FilterFailure becomes its messages."""

    def run(source: str, translation: str, context: CheckContext = DEFAULT_CONTEXT) -> list[str]:
        found: list[str] = []
        for name in names:
            try:
                getattr(_checker(), name)(source, translation)
            except toolkit.FilterFailure as failure:  # SeriousFilterFailure is a subclass
                found.extend(failure.messages)
        return found

    run.__name__ = "_".join(names)
    return run


placeholders = _toolkit_tests("printf", "pythonbraceformat")
_toolkit_urls = _toolkit_tests("urls")


def urls(source: str, translation: str, context: CheckContext = DEFAULT_CONTEXT) -> list[str]:
    """Bare web addresses are kept (Markdown link targets are the `links` check's:
    Translate Toolkit would read the ")." after a link as part of its address)."""
    return _toolkit_urls(_without_link_targets(source), _without_link_targets(translation))


_without_link_targets = without_link_targets
emails = _toolkit_tests("emails")


def numbers(source: str, translation: str, context: CheckContext = DEFAULT_CONTEXT) -> list[str]:
    """The same numbers as values: doses, ages, times, ranges, phone numbers."""
    return compare_numbers(source, translation, context.source_locale, context.target_locale)


def links(source: str, translation: str, context: CheckContext = DEFAULT_CONTEXT) -> list[str]:
    """The link targets of ``[text](target)`` are the same, as many times each."""
    want, got = Counter(link_targets(source)), Counter(link_targets(translation))
    if want == got:
        return []
    messages = [f"link target {target!r} is missing" for target in sorted(want - got)]
    messages += [f"link target {target!r} is not in the source"
                 for target in sorted(got - want)]
    return messages


# A run of * or _ that markdown-it left as text is an unmatched marker, unless it
# stands alone between spaces ("2 * 3") or, for _, inside a word ("file_name").
_MARKER = re.compile(r"\*+|_+")


def _stray_markers(text: str) -> int:
    count = 0
    for match in _MARKER.finditer(text):
        before = text[match.start() - 1] if match.start() else " "
        after = text[match.end()] if match.end() < len(text) else " "
        if before.isspace() and after.isspace():
            continue
        if match.group().startswith("_") and before.isalnum() and after.isalnum():
            continue
        count += 1
    return count


@lru_cache(maxsize=65536)
def _emphasis(text: str) -> tuple[int, int, int]:
    """(bold spans, italic spans, stray markers) of inline Markdown."""
    if "*" not in text and "_" not in text:
        return 0, 0, 0  # most segments: no marker, no need to parse
    bold = italic = stray = 0
    for token in markdown().parseInline(text)[0].children or []:
        if token.type == "strong_open":
            bold += 1
        elif token.type == "em_open":
            italic += 1
        elif token.type == "text":
            stray += _stray_markers(token.content)
    return bold, italic, stray


def emphasis(source: str, translation: str,
             context: CheckContext = DEFAULT_CONTEXT) -> list[str]:
    """``**``, ``*`` and ``_`` markers are balanced; as many bold spans as the source."""
    source_bold, _, source_stray = _emphasis(source)
    bold, _, stray = _emphasis(translation)
    messages = []
    if stray > source_stray:
        messages.append("unbalanced emphasis: a '**', '*' or '_' marker has no partner")
    if bold != source_bold:
        messages.append(f"{bold} bold span(s) where the source has {source_bold}")
    return messages


def _tags(text: str) -> Counter[str]:
    return Counter(match.group("name").lower() for match in RAW_TAG.finditer(text))


def html(source: str, translation: str, context: CheckContext = DEFAULT_CONTEXT) -> list[str]:
    """No raw HTML or script that the source does not have (even allowed tags)."""
    unsafe = Counter(unsafe_content(translation)) - Counter(unsafe_content(source))
    messages = [f"{what} is not allowed" for what in sorted(unsafe)]
    reported = {what.rsplit("<", 1)[-1].rstrip(">") for what in unsafe if "<" in what}
    messages += [f"raw HTML <{name}> is not in the source"
                 for name in sorted(_tags(translation) - _tags(source)) if name not in reported]
    return messages


CHECKS: tuple[Check, ...] = (
    Check("placeholders", placeholders, "%(name)s, %s and {name} placeholders match"),
    Check("urls", urls, "web addresses are kept"),
    Check("emails", emails, "e-mail addresses are kept"),
    Check("numbers", numbers, "the same numbers, as values in each language's notation"
                              " (doses, ages, times, phone numbers)"),
    Check("links", links, "Markdown link targets are kept"),
    Check("emphasis", emphasis, "emphasis markers balanced, same bold spans"),
    Check("html", html, "no raw HTML or script the source does not have"),
)


def check_message(source: str, translation: str, checks: tuple[Check, ...] = CHECKS, *,
                  locale: str | None = None, source_locale: str = "en",
                  context: CheckContext | None = None) -> list[tuple[str, str]]:
    """Every ``(check id, message)`` for one translation; [] when it is clean or empty.

    ``locale`` is the translation's language (e.g. the catalog's ``es``): numbers are
    read in its notation.  Without it, the translation is read as the source language.
    """
    if not translation:
        return []
    context = context or CheckContext(source_locale, locale)
    return list(_check_pair(source, translation, checks, context))


@lru_cache(maxsize=65536)
def _check_pair(source: str, translation: str, checks: tuple[Check, ...],
                context: CheckContext) -> tuple[tuple[str, str], ...]:
    # Checks are pure: the status table and the build ask about the same entries.
    return tuple((check.id, message) for check in checks
                 for message in check.run(source, translation, context))
