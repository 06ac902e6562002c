"""The site's own pages are made again only when what they are made from changed.

A build that renders nothing would otherwise still lay out every index page, the
translations dashboard and the search index (Pagefind over every handout page: seconds
at a few thousand handouts).  Each group of pages is keyed by everything it is made
from; the pages one build wrote for a key are remembered in the project's cache, and a
later build with the same key keeps them, only when every one is still on disk with
the recorded hash (read from the file stamps, file_stamps.py), exactly as a handout is
reused.  Otherwise the group is written as before.
"""

from __future__ import annotations

import gettext
import hashlib
import json
from importlib.metadata import PackageNotFoundError, version
from typing import Callable, Iterable

from .cache import Cache
from .config import Config
from .errors import Problem
from .file_stamps import FileHashes
from .write_dist import DistWriter, Manifest

PAGES = "site-pages"


class SitePages:
    def __init__(self, cache: Cache, hashes: FileHashes, writer: DistWriter) -> None:
        self.cache, self.hashes, self.writer = cache, hashes, writer

    def write(self, group: str, key: str,
              make: Callable[[], list[Problem] | None]) -> list[Problem]:
        """Run ``make`` (which writes the group's pages with ``writer.write_page``) unless
        the pages made for ``key`` before are all on disk as they were written."""
        cache_key = f"{group}\0{key}".encode()
        recorded: dict[str, str] | None = self.cache.get(PAGES, cache_key, None)
        if recorded and all(self.hashes.sha256(path) == digest
                            for path, digest in recorded.items()):
            self.writer.pages.update(recorded)
            return []
        before = dict(self.writer.pages)
        problems = list(make() or [])
        if not problems:  # a group cut short (a failed search index) is made again
            self.cache.put(PAGES, cache_key, {path: digest for path, digest
                                              in self.writer.pages.items()
                                              if before.get(path) != digest})
        return problems


def digest(*parts: object) -> str:
    hashed = hashlib.sha256()
    for part in parts:
        hashed.update(repr(part).encode("utf-8"))
        hashed.update(b"\0")
    return hashed.hexdigest()


def translations_key(interface: dict[str, gettext.NullTranslations]) -> list:
    """What the interface translations say, locale by locale."""
    # Keys are msgids, (msgid, plural index) and context-joined ids: sorted by repr.
    return [(locale, type(found).__name__,
             sorted(getattr(found, "_catalog", {}).items(), key=repr),
             sorted(getattr(found, "_info", {}).items(), key=repr))
            for locale, found in sorted(interface.items())]


def site_key(environment: str, config: Config, manifest: Manifest,
             interface: dict[str, gettext.NullTranslations],
             previous_pages: Iterable[str]) -> str:
    """Inputs of `site.write_site`: the handouts published, the interface, the templates,
    configuration and code (``environment``), and which languages lost their handouts
    but had an index (as write_site decides)."""
    published = {entry.locale for entry in manifest.handouts}
    previous = set(previous_pages)
    dropped = [loc for loc in config.locales
               if loc not in published and f"{loc}/index.html" in previous]
    handouts = json.dumps(manifest.handout_records(), ensure_ascii=False)
    return digest(environment, handouts, translations_key(interface), dropped)


def dashboard_key(environment: str, rows: list, manifest: Manifest,
                  interface: dict[str, gettext.NullTranslations]) -> str:
    """Inputs of `dashboard.write_dashboard`: every status row (catalog progress
    included), the readability figures (in the manifest) and the interface."""
    return digest(environment, rows, [(e.slug, e.locale, e.readability)
                                      for e in manifest.handouts],
                  translations_key(interface))


def search_key(manifest: Manifest) -> str:
    """Inputs of the search index: every published page's bytes, and Pagefind."""
    return digest(pagefind_version(), sorted((e.html, e.sha256.get("html"))
                                             for e in manifest.handouts if e.html))


def pagefind_version() -> str:
    found = []
    for name in ("pagefind", "pagefind_bin"):
        try:
            found.append(f"{name} {version(name)}")
        except PackageNotFoundError:
            found.append(f"{name} none")
    return "; ".join(found)
