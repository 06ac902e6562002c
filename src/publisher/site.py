"""The download site: dist/index.html (languages, each named in itself) and an index
per language listing its handouts, grouped by topic so it works without JavaScript."""

from __future__ import annotations

import gettext
import re
from pathlib import Path
from typing import Any

from .config import Config
from .locales import direction, human_size, native_name
from .render_html import Alternate, HtmlRenderer
from .write_dist import Manifest, ManifestEntry, write_file


def write_site(out: Path, project: Path, config: Config, manifest: Manifest,
               interface: dict[str, gettext.NullTranslations] | None = None) -> None:
    renderer = HtmlRenderer(project / "templates", config)
    interface = interface or {}
    by_locale: dict[str, list[ManifestEntry]] = {}
    for entry in manifest.handouts:
        by_locale.setdefault(entry.locale, []).append(entry)
    locales = [loc for loc in config.locales if loc in by_locale] + \
        sorted(loc for loc in by_locale if loc not in config.locales)
    for locale in locales:
        translations = interface.get(locale, gettext.NullTranslations())
        alternates = tuple(Alternate(other, native_name(other), f"../{other}/index.html")
                           for other in locales if other != locale)
        page = renderer.index(locale, translations=translations,
                              groups=topic_groups(by_locale[locale], locale, translations),
                              alternates=alternates)
        write_file(out, f"{locale}/index.html", page)
    chooser_locale = config.source_language
    languages = [{"locale": loc, "name": native_name(loc), "dir": direction(loc),
                  "href": f"{loc}/index.html"} for loc in locales]
    page = renderer.languages(chooser_locale,
                              translations=interface.get(chooser_locale,
                                                         gettext.NullTranslations()),
                              languages=languages)
    write_file(out, "index.html", page)


def topic_groups(entries: list[ManifestEntry], locale: str,
                 translations: gettext.NullTranslations) -> list[dict[str, Any]]:
    """All handouts first, then one group per cancer type named in the seeds."""
    listed = [_listing(e, locale, translations) for e in sorted(entries, key=lambda e: e.title)]
    groups = [{"id": "all", "name": translations.gettext("All handouts"), "entries": listed}]
    topics = sorted({t for e in entries for t in e.cancer_types})
    for topic in topics:
        members = [item for item, e in zip(listed, sorted(entries, key=lambda e: e.title))
                   if topic in e.cancer_types]
        groups.append({"id": "topic-" + re.sub(r"[^a-z0-9-]", "-", topic.lower()),
                       "name": translations.gettext(topic.replace("-", " ").capitalize()),
                       "entries": members})
    return groups


def _listing(entry: ManifestEntry, locale: str,
             translations: gettext.NullTranslations) -> dict[str, Any]:
    from datetime import date
    notice = {
        "translated": translations.gettext("Translation not yet reviewed"),
        "draft": translations.gettext("Draft translation"),
    }.get(entry.translation, "")
    return {
        "title": entry.title,
        "html": Path(entry.html).name if entry.html else (Path(entry.pdf).name if entry.pdf else ""),
        "pdf": Path(entry.pdf).name if entry.pdf else None,
        "download_name": f"{entry.slug}-{entry.locale}.pdf",
        "pages": entry.pages or 0,
        "size": human_size(entry.bytes or 0, locale),
        "last_reviewed": date.fromisoformat(entry.last_reviewed) if entry.last_reviewed else None,
        "notice": notice,
        "lang": None,
    }
