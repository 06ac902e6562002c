"""Inline Markdown: the text of a segment, as translators see it and as handouts show it.

Everything that looks inside a segment's text lives here, so seeds and translations
go through the same rules: site-relative links made absolute, unsafe links and raw
HTML found and reported, and the Markdown rendered to sanitized HTML (nh3 allow-list).
"""

from __future__ import annotations

import html
import re
from functools import lru_cache
from urllib.parse import urljoin, urlsplit

import nh3
from markdown_it import MarkdownIt

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
ALLOWED_TAGS = frozenset({"a", "strong", "em", "b", "i", "code", "br", "span",
                          "sub", "sup", "abbr", "small"})
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"},
                      "span": {"class"}, "*": {"lang", "dir"}}
# Elements whose content is code or invisible, never text for a patient.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed",
                                  "template", "noscript", "svg", "math"})

# [text](target "title") — the link form scraped seeds and translators use.
LINK = re.compile(r"(?<!!)\[(?P<text>(?:[^\[\]]|\[[^\]]*\])*)\]\(\s*<?(?P<href>(?:[^()\s<>]|\([^()\s]*\))*)>?"
                  r"(?:\s+\"[^\"]*\")?\s*\)")
IMAGE = re.compile(r"!\[(?P<alt>[^\]]*)\]\(\s*<?(?P<src>[^)\s>]*)>?(?:\s+\"[^\"]*\")?\s*\)")
RAW_TAG = re.compile(r"<\s*(?P<name>[a-zA-Z][\w-]*)(?P<attrs>[^>]*)>")
EVENT_ATTR = re.compile(r"\bon[a-z]+\s*=", re.I)


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable("table")
    # Let every link through the parser so that unsafe ones are dropped by our own
    # rule (and reported), instead of surviving as literal "[text](javascript:...)".
    md.validateLink = lambda url: True
    md.add_render_rule("image", _render_image)
    return md


def _render_image(self, tokens, idx, options, env) -> str:
    # Inline pictures are never fetched: the reader gets what the picture shows.
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    return f'<span class="picture">{html.escape(alt)}</span>'


def link_targets(text: str) -> list[str]:
    return [m.group("href") for m in LINK.finditer(text)]


def is_safe_target(href: str) -> bool:
    scheme = urlsplit(href.strip()).scheme.lower()
    return scheme in SAFE_SCHEMES or (not scheme and not href.strip().lower().startswith("//"))


def absolutize_links(text: str, base: str) -> str:
    """Site-relative and relative link targets resolved against the seed's ``url``."""
    if not base:
        return text

    def resolve(match: re.Match[str]) -> str:
        href = match.group("href")
        if not href or urlsplit(href).scheme or href.startswith("#"):
            return match.group(0)
        start, end = match.span("href")
        whole = match.group(0)
        offset = match.start()
        return whole[: start - offset] + urljoin(base, href) + whole[end - offset:]

    return LINK.sub(resolve, text)


def unsafe_content(text: str) -> list[str]:
    """What in this text would be removed as unsafe, described for a report."""
    found = [f"link to {href!r}" for href in link_targets(text) if not is_safe_target(href)]
    for match in RAW_TAG.finditer(text):
        name = match.group("name").lower()
        if name in DROPPED_WITH_CONTENT or name not in ALLOWED_TAGS:
            found.append(f"raw HTML <{name}>")
        elif EVENT_ATTR.search(match.group("attrs")) or "javascript:" in match.group("attrs").lower():
            found.append(f"script in raw HTML <{name}>")
    return found


def drop_unsafe_links(text: str) -> str:
    """``[text](javascript:...)`` becomes plain ``text``; safe links stay."""
    return LINK.sub(lambda m: m.group(0) if is_safe_target(m.group("href")) else m.group("text"),
                    text)


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    if name == "href" and not is_safe_target(value):
        return None
    return value


@lru_cache(maxsize=16384)
def to_html(text: str) -> str:
    """Sanitized HTML for one segment's inline Markdown."""
    rendered = markdown().renderInline(drop_unsafe_links(text))
    return isolate_addresses(nh3.clean(
        rendered, tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES,
        clean_content_tags=set(DROPPED_WITH_CONTENT), url_schemes=set(SAFE_SCHEMES),
        attribute_filter=_keep_attribute, link_rel=None, strip_comments=True))


# A web address written out in the text (link text or bare), up to its last
# character that is not sentence punctuation.
_ADDRESS = re.compile(r"(?:https?://|www\.)[^\s<]*[^\s<.,;:!?)\]»”’]")
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")


def isolate_addresses(html: str) -> str:
    """Web addresses in the text, isolated left to right (``<bdi dir="ltr">``):
    in a right-to-left sentence the bidi algorithm would otherwise move their
    "/" and "-" (https://x.org/a-b/ drawn as /https://x.org/a-b), and a reader
    copying one by hand gets it wrong.  Harmless in left-to-right text."""
    if "http" not in html and "www." not in html:
        return html
    pieces = _TAG_OR_TEXT.split(html)
    return "".join(piece if piece.startswith("<") else
                   _ADDRESS.sub(lambda m: f'<bdi dir="ltr">{m.group(0)}</bdi>', piece)
                   for piece in pieces)


@lru_cache(maxsize=16384)
def to_plain_text(text: str) -> str:
    """The words of a segment without markup (titles, metadata, alt text)."""
    return nh3.clean(to_html(text), tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT))
