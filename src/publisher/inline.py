"""Inline Markdown: the text of a segment, as translators see it and as handouts show it.

A segment's text is inline Markdown that means the same on its own as it did in its
seed: `segment.py` writes reference links as inline links with absolute targets
(`normalize_links`), so a msgid shows ``[text](https://...)`` and a translation is
read with exactly the rules the source was.  Everything here works on markdown-it's
tokens, never on the text with patterns, so code spans, escapes and raw HTML are
never taken for links: unsafe links are dropped from the token stream, raw HTML is
sanitized (nh3 allow-list) and reported only when something is really removed.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable
from urllib.parse import urljoin, urlsplit

import nh3
from markdown_it import MarkdownIt
from markdown_it.rules_inline.state_inline import StateInline
from markdown_it.token import Token

SAFE_SCHEMES = frozenset({"http", "https", "mailto", "tel"})
ALLOWED_TAGS = frozenset({"a", "strong", "em", "b", "i", "code", "br", "span",
                          "sub", "sup", "abbr", "small"})
ALLOWED_ATTRIBUTES = {"a": {"href", "title", "hreflang"}, "abbr": {"title"},
                      "span": {"class"}, "*": {"lang", "dir"}}
# Elements whose content is code or invisible, never text for a patient.
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed",
                                  "template", "noscript", "svg", "math"})

RAW_TAG = re.compile(r"<\s*(?P<name>[a-zA-Z][\w-]*)(?P<attrs>[^>]*)>")
EVENT_ATTR = re.compile(r"\bon[a-z]+\s*=", re.I)
ENTITY_LIKE = re.compile(r"&(?=#?[A-Za-z0-9]+;)")

_RECORD = "publisher_links"
_SOURCE = "publisher_text"
_NEWLINES = re.compile(r"\r\n?")


@lru_cache(maxsize=1)
def markdown() -> MarkdownIt:
    return _configured()


def _configured() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": True, "typographer": False}).enable("table")
    # Let every link through the parser so that unsafe ones are dropped by our own
    # rule (and reported), instead of surviving as literal "[text](javascript:...)".
    md.validateLink = lambda url: True
    md.add_render_rule("image", _render_image)
    # Where each link and image sits in its source text, so that normalize_links can
    # rewrite the destination part and nothing else.
    for name in ("link", "image"):
        rule = next(r.fn for r in md.inline.ruler.__rules__ if r.name == name)
        md.inline.ruler.at(name, _recording(rule))
    return md


@lru_cache(maxsize=1)
def block_markdown() -> MarkdownIt:
    """``markdown()`` without its inline pass: the block structure, each inline token
    with its ``content`` and no ``children``.  A seed's texts are parsed inline as
    segments (``parse_inline``), with the link definitions this parse collects; the
    inline pass of the whole body was a second parse of every text (~half of a seed's
    loading)."""
    return _configured().disable(["inline", "text_join"])


def _render_image(self, tokens, idx, options, env) -> str:
    # Pictures inside text are never fetched: the reader gets what the picture shows.
    token = tokens[idx]
    alt = self.renderInlineAsText(token.children or [], options, env)
    return f'<span class="picture">{html.escape(alt)}</span>'


@dataclass(frozen=True)
class LinkSpan:
    """A link or image in a text: ``text[start:label_end]`` is ``[label`` (or ``![alt``),
    ``text[label_end:end]`` its destination part (``](/url "t")``, ``][ref]``, ``]``)."""
    start: int
    label_end: int
    end: int
    token: Token


def _recording(rule: Callable[[StateInline, bool], bool]) -> Callable[[StateInline, bool], bool]:
    def recorded(state: StateInline, silent: bool) -> bool:
        start, before = state.pos, len(state.tokens)
        if not rule(state, silent):
            return False
        spans = state.env.get(_RECORD)
        # A picture's description is parsed as a text of its own (another state.src):
        # only links and pictures of the text itself are recorded.
        if not silent and spans is not None and state.src == state.env.get(_SOURCE):
            # push() first turns pending text into a token of its own
            token = next(t for t in state.tokens[before:] if t.type in ("link_open", "image"))
            image = token.type == "image"
            end = state.pos
            label_end = state.md.helpers.parseLinkLabel(state, start + image, not image)
            state.pos = end
            spans.append(LinkSpan(start, label_end, end, token))
        return True

    return recorded


@dataclass(frozen=True)
class ParsedInline:
    """One parse of a segment's text: its inline tokens and its links and pictures."""
    text: str
    tokens: list[Token]
    spans: list[LinkSpan]


def parse_inline(text: str, references: dict | None = None) -> ParsedInline:
    """``text`` parsed once, with the places of its links and pictures recorded."""
    text = _NEWLINES.sub("\n", text).replace("\0", "\ufffd")  # as markdown-it reads it
    env: dict = {_RECORD: [], _SOURCE: text, "references": dict(references or {})}
    tokens = markdown().parseInline(text, env)
    return ParsedInline(text, tokens[0].children or [] if tokens else [], env[_RECORD])


@lru_cache(maxsize=512)
def read_inline(text: str) -> ParsedInline:
    """``parse_inline(text)`` for the readers that only look at it (the braille runs,
    the print page's list of addresses, the readability figures): one Markdown parse
    of a segment per worker, however many outputs read it.  Not to be changed."""
    return parse_inline(text)


def link_spans(text: str, references: dict | None = None) -> list[LinkSpan]:
    """Every link and image of ``text`` with its place (nested ones first)."""
    return (read_inline(text) if references is None else parse_inline(text, references)).spans


def resolve(href: str, base: str) -> str:
    """A link target as the handout uses it: site-relative ones made absolute."""
    if not base or href.startswith("#") or urlsplit(href).scheme:
        return href
    return urljoin(base, href)


def destination(href: str) -> str:
    """``href`` written so that markdown-it reads it back unchanged."""
    href = ENTITY_LIKE.sub("&amp;", href)
    if not href or re.search(r"[\s<>\\]", href) or href.count("(") != href.count(")"):
        return "<" + href.replace("\\", "%5C").replace("<", "%3C").replace(">", "%3E") + ">"
    return href


def title_part(title: str | None) -> str:
    if not title:
        return ""
    escaped = ENTITY_LIKE.sub("&amp;", title.replace("\\", "\\\\").replace('"', '\\"'))
    return f' "{escaped}"'


def normalize_links(text: str, references: dict, base: str,
                    anchor: Callable[[str], str | None]) -> tuple[str, list[str]]:
    """``text`` with every link written inline with its resolved target; notes.

    Reference links get their definition's target and title; site-relative targets
    are resolved against ``base``; ``#fragment`` targets go through ``anchor``, which
    names the heading they point at or None, and a link to no heading keeps only its
    text (noted).  Only the destination part of a link is rewritten.
    """
    return normalize_parsed(parse_inline(text, references), base, anchor)


def normalize_parsed(parsed: ParsedInline, base: str,
                     anchor: Callable[[str], str | None]) -> tuple[str, list[str]]:
    """`normalize_links` of a text already parsed (with its references)."""
    notes: list[str] = []
    edits: list[tuple[int, int, str]] = []
    text = parsed.text
    for span in parsed.spans:
        attr = "src" if span.token.type == "image" else "href"
        read = href = span.token.attrGet(attr) or ""
        title = span.token.attrGet("title")
        if href.startswith("#") and span.token.type != "image":
            target = anchor(href[1:])
            if target is None:
                notes.append(f"in-page link to {href!r}: no heading has that name; "
                             "shown as text")
                edits.append((span.start, span.start + 1, ""))
                edits.append((span.label_end, span.end, ""))
                continue
            href = "#" + target
        else:
            href = resolve(href, base)
        if href == read and text.startswith("](", span.label_end):
            continue  # an inline link already pointing where it should: left as written
        edits.append((span.label_end, span.end, f"]({destination(href)}{title_part(title)})"))
    for start, end, new in sorted(edits, reverse=True):
        text = text[:start] + new + text[end:]
    return text, notes


def links(text: str) -> list[tuple[str, str]]:
    """(label as written, target) of each link (not picture) in ``text``, in order."""
    if "[" not in text and "<" not in text:  # no link syntax: not worth a parse
        return []
    return [(text[span.start + 1:span.label_end], span.token.attrGet("href") or "")
            for span in link_spans(text) if span.token.type == "link_open"]


def without_link_targets(text: str) -> str:
    """``text`` with each link and picture reduced to its label (the ``[`` and the
    destination part dropped): what a check of the words should read."""
    text = _NEWLINES.sub("\n", text).replace("\0", "\ufffd")
    edits = []
    for span in link_spans(text):
        opener = 2 if span.token.type == "image" else 1
        edits += [(span.start, span.start + opener), (span.label_end, span.end)]
    for start, end in sorted(edits, reverse=True):
        text = text[:start] + text[end:]
    return text


def link_targets(text: str) -> list[str]:
    """The targets of the links (not pictures) in ``text``, in order."""
    return [href for _, href in links(text)]


def is_safe_target(href: str) -> bool:
    scheme = urlsplit(href.strip()).scheme.lower()
    return scheme in SAFE_SCHEMES or (not scheme and not href.strip().lower().startswith("//"))


def _inline_tokens(text: str) -> list[Token]:
    tokens = markdown().parseInline(text)
    return tokens[0].children or [] if tokens else []


def unsafe_content(text: str) -> list[str]:
    """What in this text is removed as unsafe, described for a report."""
    return unsafe_in(_inline_tokens(text))


def unsafe_in(tokens: list[Token]) -> list[str]:
    """`unsafe_content` of a text's inline tokens."""
    found = []
    for token in tokens:
        if token.type == "link_open" and not is_safe_target(token.attrGet("href") or ""):
            found.append(f"link to {token.attrGet('href')!r}")
        elif token.type == "html_inline":
            found.extend(unsafe_html(token.content))
    return found


def unsafe_html(raw: str) -> list[str]:
    """The tags of raw HTML that the sanitizer removes (allowed tags are kept)."""
    found = []
    for match in RAW_TAG.finditer(raw):
        name = match.group("name").lower()
        if name in DROPPED_WITH_CONTENT or name not in ALLOWED_TAGS:
            found.append(f"raw HTML <{name}>")
        elif EVENT_ATTR.search(match.group("attrs")) or "javascript:" in match.group("attrs").lower():
            found.append(f"script in raw HTML <{name}>")
    return found


def _without_unsafe_links(tokens: list[Token]) -> list[Token]:
    kept, dropping = [], False
    for token in tokens:
        if token.type == "link_open" and not is_safe_target(token.attrGet("href") or ""):
            dropping = True
            continue
        if token.type == "link_close" and dropping:
            dropping = False
            continue
        kept.append(token)
    return kept


def _keep_attribute(tag: str, name: str, value: str) -> str | None:
    if name == "href" and not is_safe_target(value):
        return None
    return value


@lru_cache(maxsize=16384)
def to_html(text: str) -> str:
    """Sanitized HTML for one segment's inline Markdown."""
    md = markdown()
    rendered = md.renderer.render(_without_unsafe_links(_inline_tokens(text)), md.options, {})
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
    """The words of a segment without markup (titles, metadata, alt text): text, not
    HTML, so "Diet & You" is one ``&`` (templates escape it once, where it is written)."""
    return html.unescape(nh3.clean(to_html(text), tags=set(),
                                   clean_content_tags=set(DROPPED_WITH_CONTENT)))


def drop_unsafe_links(text: str) -> str:
    """``[text](javascript:...)`` becomes plain ``text``; safe links stay."""
    edits = []
    for span in link_spans(text):
        if span.token.type == "link_open" and not is_safe_target(span.token.attrGet("href") or ""):
            edits += [(span.start, span.start + 1), (span.label_end, span.end)]
    for start, end in sorted(edits, reverse=True):
        text = text[:start] + text[end:]
    return text
