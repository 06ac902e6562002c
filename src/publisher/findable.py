"""What search engines need to find and pair the site's pages: absolute ``hreflang``
alternates (every language, the page itself and ``x-default``), a meta description,
``sitemap.xml`` and ``robots.txt``.

Everything here needs the site's public address (``site.base_url``): a relative
``hreflang`` or sitemap address is ignored by search engines, so without one the
pages carry none of it (their visible language links stay relative and work).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin
from xml.etree import ElementTree as ET

from .inline import to_plain_text
from .model import LocalizedDocument, Paragraph

#: Search engines show about this many characters of a description.
DESCRIPTION_CHARS = 160
#: The site's icon, copied from templates/ into dist/ (``link rel=icon``).
FAVICON = "favicon.svg"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"


@dataclass(frozen=True)
class HeadLink:
    """One ``<link rel="alternate" hreflang=… href=…>`` with an absolute address."""
    hreflang: str
    href: str


def site_root(base_url: str) -> str:
    """The base address with exactly one trailing slash ("" when the site has none)."""
    return base_url.rstrip("/") + "/" if base_url else ""


def absolute(base_url: str, relative: str) -> str:
    """The public address of a file in dist/ ("" without a base address)."""
    return urljoin(site_root(base_url), relative) if base_url else ""


def hreflang_links(base_url: str, pages: dict[str, str]) -> tuple[HeadLink, ...]:
    """Alternates for one page in every language (locale -> path in dist/, the page's
    own language included), then ``x-default``: the language chooser."""
    if not base_url:
        return ()
    links = [HeadLink(locale, absolute(base_url, path)) for locale, path in pages.items()]
    return (*links, HeadLink("x-default", absolute(base_url, "index.html")))


def description(handout: LocalizedDocument) -> str:
    """The handout's first paragraph (in the handout's language), as plain text cut at
    a word near ``DESCRIPTION_CHARS``; the title when it has no paragraph."""
    first = next((b.segment.text for b in handout.blocks if isinstance(b, Paragraph)),
                 handout.title.text)
    return shorten(to_plain_text(first))


def shorten(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit]
    # Cut at a space when there is one late enough (languages written without spaces
    # between words are cut at a character).
    space = cut.rfind(" ")
    if space > limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + "…"


@dataclass(frozen=True)
class SitemapPage:
    """One page of the sitemap: its path in dist/, its language versions, its date."""
    path: str
    alternates: dict[str, str]
    lastmod: str | None = None


def sitemap(base_url: str, pages: list[SitemapPage]) -> bytes:
    """``sitemap.xml``: every page with its language versions as ``xhtml:link``
    (https://developers.google.com/search/docs/specialty/international/localized-versions)."""
    ET.register_namespace("", SITEMAP_NS)
    ET.register_namespace("xhtml", XHTML_NS)
    urlset = ET.Element(f"{{{SITEMAP_NS}}}urlset")
    for page in pages:
        url = ET.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        ET.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = absolute(base_url, page.path)
        if page.lastmod:
            ET.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = page.lastmod
        for link in hreflang_links(base_url, page.alternates) if len(page.alternates) > 1 \
                else ():
            ET.SubElement(url, f"{{{XHTML_NS}}}link", rel="alternate",
                          hreflang=link.hreflang, href=link.href)
    ET.indent(urlset)
    return ET.tostring(urlset, encoding="utf-8", xml_declaration=True) + b"\n"


def robots(base_url: str) -> str:
    """``robots.txt``: everything may be crawled; where the sitemap is."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute(base_url, 'sitemap.xml')}\n"
