"""Facts about languages: script direction, fonts, names (Babel's CLDR data)."""

from __future__ import annotations

from functools import lru_cache

from babel import Locale, UnknownLocaleError
from babel.units import format_unit

RTL_LANGUAGES = frozenset({"ar", "he", "fa", "ur", "yi", "ps", "sd", "ug", "ckb", "dv"})


@lru_cache(maxsize=None)
def babel_locale(tag: str) -> Locale:
    """The Babel locale for a BCP 47 tag such as ``zh-Hans`` or ``pt-BR``."""
    try:
        return Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError):
        return Locale.parse(tag.split("-")[0])


def language(tag: str) -> str:
    return tag.split("-")[0].lower()


def direction(tag: str) -> str:
    return "rtl" if language(tag) in RTL_LANGUAGES else "ltr"


def native_name(tag: str) -> str:
    """The language's name in itself ("Español", "中文", "العربية")."""
    name = babel_locale(tag).get_display_name(babel_locale(tag)) or tag
    return name[:1].upper() + name[1:]


def catalog_name(tag: str) -> str:
    """The folder name gettext tools expect (``zh_Hans``, ``pt_BR``)."""
    return tag.replace("-", "_")


def human_size(size: int, tag: str) -> str:
    """A file size in the reader's language ("46 kB", "1,5 MB", "46 كيلوبايت")."""
    locale = babel_locale(tag)
    if size < 1024 * 1024:
        return format_unit(max(1, round(size / 1024)), "digital-kilobyte", length="short",
                           locale=locale)
    return format_unit(round(size / 1024 / 1024, 1), "digital-megabyte", length="short",
                       locale=locale)
