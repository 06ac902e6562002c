"""The numbers check: every number of the source, as a value, in the translation.

A dose, an age, a phone number or a time that a translator changed, added or
dropped can hurt a patient, so the numbers are compared as a multiset of values,
each side read in its own language's notation (Babel's CLDR symbols):

- ``2.5 mg`` (en) and ``2,5 mg`` (es) are both 2.5; ``4,000`` (en), ``4.000`` (es)
  and ``4 000`` (fr) are all 4000.  Arabic-Indic (٠-٩), Persian (۰-۹) and any other
  Unicode decimal digits are digits; ``٫``/``٬`` are the Arabic decimal and group
  marks; no-break, narrow no-break and thin spaces group digits in every language.
- Ranges, times, dates and phone numbers are several numbers: ``2-3``, ``2–3`` and
  ``2 a 3`` are {2, 3}; ``8:30`` is {8, 30}; ``555-0100`` is {555, 0100}.  Leading
  zeros count ("0100" is not "100"), so phone numbers match digit for digit; the
  order does not (a translator may write a range or a date in words or reorder it).
- A minus sign before a number is part of it (−5 °C is not 5 °C); a hyphen between
  digits is a range or a phone number, never a sign.
- Vulgar fractions (½, ¼, ¾ …) are numbers too: dropping "½" doubles a dose.

Decisions where notations collide (documented because a reviewer must know them):

- A number is read in the translation's notation first.  "1,000" in a Spanish
  translation is **one** (decimal comma), so it fails against an English "1,000"
  (one thousand); the message says how to write the source's value in Spanish
  ("1.000").  A Spanish reader would read 1,000 as one: the check sides with them.
- A number that is not well formed in the translation's notation but is in the
  source's (an English "2.5" copied into Spanish, where "." only groups thousands
  in threes) is read as the source wrote it: it cannot be read as another number.
- A run of digits and separators well formed in neither notation ("1.2.3",
  "15.01.2026") is compared digit run by digit run.
- Numbers inside Markdown link and image targets and in bare web or e-mail
  addresses are not read here: the ``links``, ``urls`` and ``emails`` checks own them.
- Numbers written as words ("two", "dos") are not numbers: a translation that spells
  out a source's digit fails, which a reviewer then confirms by hand.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.numbers import (NumberFormatError, format_decimal, get_decimal_symbol,
                           get_group_symbol, parse_decimal)

from .inline import without_link_targets

#: Characters that group digits in every language that uses a space to group them,
#: and that nobody types between two separate numbers.
NO_BREAK_SPACES = "\u00a0\u202f\u2009"
ARABIC_DECIMAL, ARABIC_GROUP = "\u066b", "\u066c"
#: What is not read for numbers: web and e-mail addresses, printf/brace placeholders.
_NOT_TEXT = re.compile(r"(?:https?://|www\.)\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
                       r"|%(?:\(\w+\))?\d*\$?[-+ #0]*\d*(?:\.\d+)?[sdifeEgGxXoc]|\{\w*\}")


@dataclass(frozen=True)
class Notation:
    """How one language writes numbers: Babel's symbols for it, with their variants."""
    locale: str          # the Babel identifier parse_decimal reads with
    decimal: str
    group: str
    #: Every character read as the group symbol, and as the decimal symbol.
    groups: frozenset[str]
    decimals: frozenset[str]

    @property
    def separators(self) -> str:
        return "".join(sorted(self.groups | self.decimals))


@dataclass(frozen=True)
class NumberToken:
    """One number as written (``text``) and as read (``value``, leading zeros, sign)."""
    text: str
    value: Decimal
    leading_zeros: int = 0

    @property
    def key(self) -> tuple[Decimal, int]:
        return self.value, self.leading_zeros

    def __str__(self) -> str:
        return _plain(self.value) if self.text == _plain(self.value) else \
            f"{self.text!r} ({_plain(self.value)})"


def _plain(value: Decimal) -> str:
    """1000 for Decimal('1E+3') and 2.5 for Decimal('2.50'): the value, as digits."""
    return format(value.normalize(), "f")


def _babel_id(tag: str) -> str:
    for candidate in (tag.replace("-", "_"), tag.replace("-", "_").split("_")[0]):
        try:
            return str(Locale.parse(candidate))
        except (UnknownLocaleError, ValueError):
            continue
    return "en"


@lru_cache(maxsize=None)
def notation(tag: str) -> Notation:
    """Babel's decimal and group symbols for a language tag (``es``, ``zh-Hans``, ``pt_BR``)."""
    locale = _babel_id(tag)
    decimal = get_decimal_symbol(locale, numbering_system="latn")
    group = get_group_symbol(locale, numbering_system="latn")
    groups = {group, *NO_BREAK_SPACES}
    decimals = {decimal}
    native_decimal = get_decimal_symbol(locale, numbering_system="default")
    native_group = get_group_symbol(locale, numbering_system="default")
    if native_decimal != decimal:   # e.g. Persian: ٫ and ٬ with Persian digits
        decimals.add(native_decimal)
        groups.add(native_group)
    if group.isspace():             # French, Russian…: a typed space groups too
        groups.add(" ")
    if group == "'":                # Swiss German: the typographic apostrophe too
        groups.add("\u2019")
    if decimal == "." and ARABIC_DECIMAL not in decimals and _uses_arabic_script(locale):
        decimals.add(ARABIC_DECIMAL)
        groups.add(ARABIC_GROUP)
    return Notation(locale, decimal, group, frozenset(groups - decimals), frozenset(decimals))


def _uses_arabic_script(locale: str) -> bool:
    return Locale.parse(locale).language in {"ar", "fa", "ur", "ps", "sd", "ckb", "ug"}


def _ascii_digits(text: str) -> str:
    """Every Unicode decimal digit as its ASCII digit; the minus sign as a hyphen."""
    return "".join(str(unicodedata.decimal(c)) if c.isdecimal() and not c.isascii()
                   else "-" if c == "\u2212" else c for c in text)


def _readable_text(text: str) -> str:
    """The text without link targets, addresses and placeholders."""
    text = without_link_targets(text)
    return _NOT_TEXT.sub(" ", text)


@lru_cache(maxsize=64)
def _token_pattern(separators: str, decimals: str) -> re.Pattern[str]:
    seps, points = re.escape(separators), re.escape(decimals)
    fraction = re.escape("".join(sorted(_FRACTIONS)))
    return re.compile(
        r"(?P<sign>(?<![\w.,])-(?=[\d" + points + r"]))?"  # a minus, not a range's hyphen
        r"(?P<number>(?:(?<![\w" + seps + r"])[" + points + r"](?=\d))?"  # ",5" / ".5"
        r"\d+(?:[" + seps + r"]\d+)*)"
        r"|(?P<fraction>[" + fraction + r"])")


_FRACTIONS = {c: Decimal(str(unicodedata.numeric(c))).quantize(Decimal("0.0001"))
              for c in map(chr, range(0xA0, 0x2190))
              if unicodedata.category(c) == "No" and c.isnumeric() and not c.isdigit()
              and unicodedata.numeric(c) % 1}


def _leading_zeros(digits: str) -> int:
    """Zeros before the first other digit of an integer part ("0100": 1, "0": 0)."""
    return len(digits) - len(digits.lstrip("0")) if len(digits) > 1 else 0


def _read(text: str, written: Notation) -> Decimal | None:
    """The value of ``text`` in one notation, or None when it is not well formed there."""
    canonical = "".join(written.group if c in written.groups else
                        written.decimal if c in written.decimals else c for c in text)
    if canonical.startswith(written.decimal):
        canonical = "0" + canonical
    try:
        return parse_decimal(canonical, written.locale, strict=True, numbering_system="latn")
    except (NumberFormatError, ValueError):
        return None


def _tokens_of(text: str, sign: str, notations: tuple[Notation, ...],
               all_separators: str) -> list[NumberToken]:
    for written in notations:
        if any(c in all_separators and c not in written.separators for c in text):
            continue
        value = _read(text, written)
        if value is not None:
            integer = re.split("[" + re.escape("".join(written.decimals)) + "]", text)[0]
            zeros = _leading_zeros(re.sub(r"\D", "", integer))
            return [NumberToken(sign + text, -value if sign else value, zeros)]
    # Not a number in any notation: each run of digits is a number ("1.2.3", a date).
    runs = re.findall(r"\d+", text)
    return [NumberToken(run, Decimal(run) * (-1 if sign and i == 0 else 1), _leading_zeros(run))
            for i, run in enumerate(runs)]


def numbers_in(text: str, *notations: Notation) -> list[NumberToken]:
    """Every number in ``text`` read in the first notation it is well formed in."""
    separators = "".join(sorted({c for n in notations for c in n.separators}))
    decimals = "".join(sorted({c for n in notations for c in n.decimals}))
    found: list[NumberToken] = []
    for match in _token_pattern(separators, decimals).finditer(_ascii_digits(_readable_text(text))):
        if match.group("fraction"):
            found.append(NumberToken(match.group("fraction"), _FRACTIONS[match.group("fraction")]))
            continue
        written = match.group("number")
        found.extend(_tokens_of(written, "-" if match.group("sign") else "", notations,
                                separators))
    return found


def compare_numbers(source: str, translation: str, source_locale: str = "en",
                    target_locale: str | None = None) -> list[str]:
    """One message saying which numbers differ, or [] when the values are the same."""
    source_notation = notation(source_locale)
    target_notation = notation(target_locale or source_locale)
    wanted = numbers_in(source, source_notation)
    found = numbers_in(translation, target_notation, source_notation)
    missing = Counter(t.key for t in wanted) - Counter(t.key for t in found)
    extra = Counter(t.key for t in found) - Counter(t.key for t in wanted)
    if not missing and not extra:
        return []
    parts = [f"{token} is missing" for token in _listed(wanted, missing)]
    parts += [f"{token} is not in the source"
              + _hint(token, missing, source_notation, target_notation)
              for token in _listed(found, extra)]
    return ["numbers differ from the source: " + "; ".join(parts)]


def _listed(tokens: list[NumberToken], keys: Counter) -> list[NumberToken]:
    left = Counter(keys)
    listed = []
    for token in tokens:
        if left[token.key] > 0:
            left[token.key] -= 1
            listed.append(token)
    return listed


def _hint(token: NumberToken, missing: Counter, source: Notation, target: Notation) -> str:
    """When the translation copied a source number whose notation means another value
    in its language ("1,000" is one in Spanish), say how to write it."""
    if target == source:
        return ""
    value = _read(token.text.lstrip("-"), source)
    if value is None or (value, token.leading_zeros) not in missing:
        return ""
    return (f": in {target.locale} {token.text!r} reads as {_plain(token.value)};"
            f" write {format_decimal(value, locale=target.locale)!r} for {_plain(value)}")
