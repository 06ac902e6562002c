"""Interface strings are text, never markup.

Jinja's i18n extension, with autoescaping on, marks every translation as safe
(``Markup(gettext(...))``): a msgstr such as ``Otros idiomas" onmouseover="…`` would
close the attribute it is written into, and ``Hojas<img src=x onerror=…>`` would be a
live tag.  The callables here escape the translated text and every ``%(name)s``
value, then mark the result safe, so only the markup our templates write is markup.

A msgstr whose placeholders do not fit the values (a misspelt name, a stray ``%``
beside a placeholder) is not worth a crash: the source string is used instead, as
gettext does for a missing translation.  A string with no values to put in is shown
as written, so a bare "100%" is "100%".

`css_string` is the same promise for text written into a stylesheet (the PDF's
localized "Page X of Y" footer): a quoted CSS string nothing can leave.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from typing import Any, Callable

from markupsafe import Markup, escape


class InterfaceText(Markup):
    """An escaped interface string; ``translated`` is False when the source (English)
    string is shown, so a template can mark it ``lang="en"`` on another language's page."""
    translated: bool = True


_PLACEHOLDER = re.compile(r"%\(\w*\)|%[-+ #0-9.]*[sdifeEgGxXorac]")


def _formatted(translated: str, source: str, variables: dict[str, Any]) -> InterfaceText:
    # gettext returns the msgid object itself when it has no translation.
    candidates = ((translated, translated is not source), (source, False))
    for text, is_translation in candidates:
        try:
            # Jinja's newstyle gettext always %-formats, even without values ("%%": "%").
            result = InterfaceText(escape(text) % variables)  # Markup % escapes the values
        except (KeyError, ValueError, TypeError):
            if variables or _PLACEHOLDER.search(text):
                continue    # placeholders that do not fit: the source string instead
            # No value to put in and no placeholder: a bare "%" ("100%") means itself.
            result = InterfaceText(escape(text.replace("%%", "%")))
        result.translated = is_translation
        return result
    result = InterfaceText(escape(source))
    result.translated = False
    return result


@dataclass(frozen=True)
class EscapedGettext:
    """gettext, ngettext, pgettext and npgettext for templates, each returning escaped
    text marked safe (the signatures of Jinja's newstyle gettext)."""
    translations: gettext.NullTranslations

    def gettext(self, message: str, **variables: Any) -> InterfaceText:
        return _formatted(self.translations.gettext(message), message, variables)

    def ngettext(self, singular: str, plural: str, num: int, **variables: Any) -> InterfaceText:
        variables.setdefault("num", num)
        source = singular if num == 1 else plural
        return _formatted(self.translations.ngettext(singular, plural, num), source, variables)

    def pgettext(self, context: str, message: str, **variables: Any) -> InterfaceText:
        return _formatted(self.translations.pgettext(context, message), message, variables)

    def npgettext(self, context: str, singular: str, plural: str, num: int,
                  **variables: Any) -> InterfaceText:
        variables.setdefault("num", num)
        source = singular if num == 1 else plural
        return _formatted(self.translations.npgettext(context, singular, plural, num),
                          source, variables)

    def callables(self) -> dict[str, Callable[..., InterfaceText]]:
        """The template globals, under the names Babel's Jinja extractor looks for."""
        return {"_": self.gettext, "gettext": self.gettext, "ngettext": self.ngettext,
                "pgettext": self.pgettext, "npgettext": self.npgettext}


#: Characters written as themselves inside a CSS string; everything else is escaped.
_CSS_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,:-_")


def css_string(text: str) -> str:
    """``text`` as a double-quoted CSS string that cannot end the string, the rule or
    the ``<style>`` element: quotes, backslashes, ``<``, ``>``, ``&``, braces and
    control characters become CSS hex escapes (``\\3c `)."""
    return '"' + "".join(
        c if c in _CSS_PLAIN or (ord(c) > 0x7F and c.isprintable())
        else f"\\{ord(c):x} " for c in text) + '"'
