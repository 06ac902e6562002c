"""The download site: dist/index.html (languages, each named in itself, its heading
and prompt in every language that translates them) and an index per language that
works without JavaScript: up to ``MAX_ON_ONE_PAGE`` handouts grouped by topic on one
page; above it, topics on pages of their own, the newest reviews and an A-Z list.
With ``site.base_url`` also sitemap.xml and robots.txt (findable.py); the search
index is search.py's.

Topic names are interface text, so they are translated like the rest of the
interface: ``templates/index.html`` names every known cancer type with
``pgettext("cancer type", "Breast cancer")``, which Babel's Jinja extractor puts in
``messages.pot`` (msgctxt ``cancer type``).  This module only passes the seeds' raw
``cancerTypes`` keys; a key the template does not know is shown humanized
("Soft-tissue sarcoma" from ``soft-tissue-sarcoma``) and untranslated.
"""

from __future__ import annotations

import gettext
import posixpath
import re
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any, Iterable

from .config import Config
from .search import SCRIPT as SEARCH_SCRIPT
from .findable import FAVICON, SitemapPage, absolute, hreflang_links, robots, sitemap
from .locales import direction, language, human_size, native_name
from .render_html import Alternate, HtmlRenderer
from .write_dist import DistWriter, Manifest, ManifestEntry

#: Below this many handouts a language index lists them without topic sections.
MIN_HANDOUTS_FOR_TOPICS = 2
#: Up to this many handouts a language's index lists every handout under every topic
#: on one page; above it, each topic gets a page of its own and the index lists the
#: newest reviews and every title from A to Z (at 200 handouts, about 100 kB).
MAX_ON_ONE_PAGE = 30
#: How many of the newest reviews a large index shows.
NEWEST = 10


def write_site(writer: DistWriter, project: Path, config: Config, manifest: Manifest,
               interface: dict[str, gettext.NullTranslations] | None = None,
               previous_pages: Iterable[str] = ()) -> None:
    """The site's pages, linking only what this build published.

    A configured language that had an index before and has nothing published now
    keeps an index that links no handout (an old bookmark finds a page in its
    language, not a list of deleted files); a language no longer configured loses it.
    """
    renderer = HtmlRenderer(project / "templates", config)
    interface = interface or {}
    by_locale: dict[str, list[ManifestEntry]] = {}
    for entry in manifest.handouts:
        by_locale.setdefault(entry.locale, []).append(entry)
    locales = published_locales(config, by_locale)
    topics = topic_pages(by_locale)
    dropped = [loc for loc in config.locales
               if loc not in by_locale and f"{loc}/index.html" in previous_pages]
    for locale in [*locales, *dropped]:
        translations = interface.get(locale, gettext.NullTranslations())
        alternates = tuple(Alternate(other, native_name(other), f"../{other}/index.html")
                           for other in locales if other != locale)
        entries = by_locale.get(locale, [])
        groups = topic_groups(entries, locale) if entries else []
        if len(entries) <= MAX_ON_ONE_PAGE:
            page = renderer.index(locale, translations=translations, groups=groups,
                                  alternates=alternates, search=True)
        else:
            page = renderer.index(locale, translations=translations, groups=groups,
                                  alternates=alternates, search=True, layout="large",
                                  recent=newest(entries, locale), letters=a_to_z(groups[0]))
            for group in groups[1:]:
                writer.write_page(f"{locale}/{group['page']}", topic_page(
                    renderer, config, locale, translations, group, alternates, topics))
        writer.write_page(f"{locale}/index.html", page)
    # The index pages' search (its index is written by search.py at the end of the build).
    writer.write_page(SEARCH_SCRIPT, (project / "templates" / SEARCH_SCRIPT).read_bytes())
    chooser_locale = config.source_language
    languages = [{"locale": loc, "name": native_name(loc), "dir": direction(loc),
                  "href": f"{loc}/index.html"} for loc in locales]
    page = renderer.languages(chooser_locale,
                              translations=interface.get(chooser_locale,
                                                         gettext.NullTranslations()),
                              languages=languages,
                              greetings=greetings(chooser_locale, locales, interface))
    writer.write_page("index.html", page)
    writer.write_page(FAVICON, (project / "templates" / FAVICON).read_bytes())
    if config.base_url:
        writer.write_page("sitemap.xml", sitemap(config.base_url,
                                                 sitemap_pages(manifest, locales, topics)))
        writer.write_page("robots.txt", robots(config.base_url))


#: The chooser's own words, shown in every language that translates them.
CHOOSER_HEADING = "Patient handouts"
CHOOSER_PROMPT = "Choose your language:"


def greetings(chooser_locale: str, locales: list[str],
              interface: dict[str, gettext.NullTranslations]) -> list[dict[str, str]]:
    """The chooser's heading and prompt in each published language other than the
    chooser's own whose catalog translates both (an untranslated string would be
    English marked as another language); words already shown are not repeated."""
    own = interface.get(chooser_locale, gettext.NullTranslations())
    seen = {(own.gettext(CHOOSER_HEADING), own.gettext(CHOOSER_PROMPT))}
    found: list[dict[str, str]] = []
    for locale in locales:
        translations = interface.get(locale, gettext.NullTranslations())
        heading = translations.gettext(CHOOSER_HEADING)
        prompt = translations.gettext(CHOOSER_PROMPT)
        # The interface's own words are English: English needs no catalog.
        untranslated = (heading == CHOOSER_HEADING or prompt == CHOOSER_PROMPT) and \
            language(locale) != "en"
        if locale == chooser_locale or untranslated or (heading, prompt) in seen:
            continue
        seen.add((heading, prompt))
        found.append({"locale": locale, "dir": direction(locale),
                      "heading": heading, "prompt": prompt})
    return found


def sitemap_pages(manifest: Manifest, locales: list[str],
                  topics: dict[str, dict[str, str]]) -> list[SitemapPage]:
    """The chooser, every language's index and topic pages and every handout page,
    each with the addresses of its other language versions."""
    indexes = {loc: f"{loc}/index.html" for loc in locales}
    pages = [SitemapPage("index.html", {}),
             *(SitemapPage(path, indexes) for path in indexes.values())]
    for versions in topics.values():
        pages.extend(SitemapPage(path, versions) for path in versions.values())
    versions: dict[str, dict[str, str]] = {}
    for entry in manifest.handouts:
        if entry.html:
            versions.setdefault(entry.slug, {})[entry.locale] = entry.html
    for entry in manifest.handouts:
        if entry.html:
            pages.append(SitemapPage(entry.html, versions[entry.slug], entry.last_reviewed))
    return pages


def topic_pages(by_locale: dict[str, list[ManifestEntry]]) -> dict[str, dict[str, str]]:
    """Topic key -> {locale: path in dist/} of the topic pages of large indexes."""
    found: dict[str, dict[str, str]] = {}
    for locale, entries in by_locale.items():
        if len(entries) > MAX_ON_ONE_PAGE:
            for key in sorted({slug(t) for e in entries for t in e.cancer_types}):
                found.setdefault(key, {})[locale] = f"{locale}/topics/{key}.html"
    return found


def topic_page(renderer: HtmlRenderer, config: Config, locale: str,
               translations: gettext.NullTranslations, group: dict[str, Any],
               alternates: tuple[Alternate, ...], topics: dict[str, dict[str, str]]) -> str:
    """One topic's handouts, each with everything a patient needs (a large index)."""
    versions = topics.get(group["key"], {})
    return renderer.page(
        "index.html", locale, translations, medium="web", root="../../", layout="topic",
        topic=group, groups=[], alternates=alternates,
        source_language=config.source_language,
        canonical=absolute(config.base_url, versions.get(locale, "")),
        head_links=hreflang_links(config.base_url, versions) if len(versions) > 1 else ())


def newest(entries: list[ManifestEntry], locale: str) -> list[dict[str, Any]]:
    """The most recently reviewed handouts, newest first."""
    reviewed = sorted((e for e in entries if e.last_reviewed),
                      key=lambda e: (e.last_reviewed, e.title), reverse=True)
    return [_listing(e, locale) for e in reviewed[:NEWEST]]


def a_to_z(everything: dict[str, Any]) -> list[dict[str, Any]]:
    """The "all handouts" group by first letter (accents set aside: "Á" is under "A";
    a title that starts with no letter is under "#")."""
    letters: dict[str, list[dict[str, Any]]] = {}
    for item in everything["entries"]:
        letters.setdefault(initial(item["title"]), []).append(item)
    return [{"letter": letter, "id": f"letter-{number}", "entries": items}
            for number, (letter, items) in enumerate(letters.items(), 1)]


def initial(title: str) -> str:
    for char in unicodedata.normalize("NFD", title):
        if char.isalpha():
            return char.upper()
        if char.isdigit():
            return "#"
    return "#"


def sort_key(title: str) -> str:
    """Titles in alphabetical order with accents set aside ("Árbol" beside "Arce")."""
    decomposed = unicodedata.normalize("NFD", title.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def published_locales(config: Config, by_locale: dict[str, list[ManifestEntry]]) -> list[str]:
    """The configured languages that have handouts, in configured order, then any other."""
    return [loc for loc in config.locales if loc in by_locale] + \
        sorted(loc for loc in by_locale if loc not in config.locales)


def topic_groups(entries: list[ManifestEntry], locale: str) -> list[dict[str, Any]]:
    """All handouts first, then one group per cancer type named in the seeds.

    A group is ``{"id", "kind": "all"|"topic", "key", "fallback", "entries"}``; the
    template turns ``kind``/``key`` into a translated name.  Keys are slugs, so
    "Lung", "lung" and "head and neck"/"head-and-neck" are one topic each.
    """
    ordered = sorted(entries, key=lambda e: (sort_key(e.title), e.slug))
    listed = [(e, _listing(e, locale)) for e in ordered]
    groups: list[dict[str, Any]] = [{"id": "all", "kind": "all", "key": "",
                                     "fallback": "", "entries": [item for _, item in listed]}]
    if len(entries) < MIN_HANDOUTS_FOR_TOPICS:
        return groups
    topics = {e.slug: {slug(t) for t in e.cancer_types} for e in entries}
    for key in sorted(set().union(*topics.values())):
        groups.append({"id": "topic-" + key, "kind": "topic", "key": key,
                       "fallback": humanize(key), "page": f"topics/{key}.html",
                       "entries": [item for e, item in listed if key in topics[e.slug]]})
    return groups


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def humanize(key: str) -> str:
    words = re.sub(r"[-_]+", " ", key).strip()
    return words[:1].upper() + words[1:]


def _listing(entry: ManifestEntry, locale: str) -> dict[str, Any]:
    return {
        "title": entry.title,
        "html": Path(entry.html).name if entry.html else None,
        "pdf": Path(entry.pdf).name if entry.pdf else None,
        "download_name": f"{entry.slug}-{entry.locale}.pdf",
        "pages": entry.pages or 0,
        "size": human_size(entry.bytes or 0, locale),
        "last_reviewed": date.fromisoformat(entry.last_reviewed) if entry.last_reviewed else None,
        "translation": entry.translation,
        "lang": None,
        # Other formats, relative to the language's index page (brf, bilingual-pdf…).
        "extras": {kind: posixpath.relpath(path, entry.locale)
                   for kind, path in entry.extras.items()},
    }
