"""Which braille table and page layout each language gets: the defaults (checked by
back-translating the example, see braille.py) and ``[braille]`` of publisher.toml."""

from __future__ import annotations

from dataclasses import dataclass

from . import braille_louis as lou
from .braille_layout import LAYOUTS
from .errors import RenderError, error
from .locales import babel_locale, language

DEFAULT_TABLES: dict[str, str] = {
    "en": "en-ueb-g2.ctb",
    "es": "es-g1.ctb",
    "vi": "vi-vn-g0.utb",
    "ar": "ar-ar-g1.utb",
    "zh": "zhcn-cbs.ctb",
    "zh-Hans": "zhcn-cbs.ctb",
    "zh-Hant": "zh-tw.ctb",
}

@dataclass(frozen=True)
class BrailleSettings:
    """``[braille]`` of publisher.toml: table and layout per language tag."""
    tables: tuple[tuple[str, str], ...] = ()
    layouts: tuple[tuple[str, str], ...] = ()


def braille_settings(config: object) -> BrailleSettings:
    return BrailleSettings(tuple(getattr(config, "braille_tables", ())),
                           tuple(getattr(config, "braille_layouts", ())))


def _lookup(locale: str, table: dict[str, str]) -> str | None:
    """The entry for ``zh-Hans``, else ``zh``."""
    return table.get(locale) or table.get(language(locale))


def table_for(locale: str, settings: BrailleSettings = BrailleSettings()) -> str:
    """The liblouis table for a language; a RenderError naming the language if none."""
    configured = _lookup(locale, dict(settings.tables))
    table = configured or _lookup(locale, DEFAULT_TABLES)
    name = _english_name(locale)
    if table is None:
        raise RenderError(error("publisher.toml", f"no braille table for {name} ({locale}): "
                                f"add one, e.g. [braille] tables = {{ {locale} = \"...\" }}",
                                field="braille.tables"))
    try:
        problem = lou.table_problem(table)
    except lou.LouisMissing as exc:
        raise RenderError(error("publisher.toml", str(exc), field="braille")) from exc
    if problem:
        where = "set in publisher.toml" if configured else "default"
        raise RenderError(error("publisher.toml", f"braille table for {name} ({locale}), "
                                f"{where}: {problem}", field="braille.tables"))
    return table


def _english_name(locale: str) -> str:
    try:
        return babel_locale(locale).english_name or locale
    except ValueError:  # a tag CLDR does not know (UnknownLocaleError)
        return locale


def layout_for(locale: str, settings: BrailleSettings = BrailleSettings()) -> str:
    layout = _lookup(locale, dict(settings.layouts)) or "bana"
    if layout not in LAYOUTS:
        raise RenderError(error("publisher.toml", f"{layout!r} is not one of "
                                f"{', '.join(LAYOUTS)}", field=f"braille.layout.{locale}"))
    return layout
