"""Preflight of built HTML pages: language, title, headings, images, no script, and no
local link or image that points at a missing file or a missing fragment.

Each check is a plain function ``(doc) -> problems`` listed in ``HTML_CHECKS``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..errors import Problem, error
from .pdf import skipped_levels

URL_ATTRIBUTES = frozenset({"href", "src", "action", "formaction", "xlink:href",
                            "data", "poster", "cite", "background", "srcset"})
_CONTROL = re.compile(r"[\x00-\x20]+")


@dataclass
class HtmlTag:
    name: str
    attrs: dict[str, str | None]
    line: int
    text: str = ""   # text content, for headings and <title>


@dataclass
class HtmlDoc:
    path: Path
    tags: list[HtmlTag]

    def find(self, *names: str) -> list[HtmlTag]:
        return [tag for tag in self.tags if tag.name in names]

    @property
    def fragments(self) -> frozenset[str]:
        """What ``#x`` can point at: every id, and the name of every <a name>."""
        return frozenset(value for tag in self.tags
                         for key, value in tag.attrs.items()
                         if value and (key == "id" or (key == "name" and tag.name == "a")))

    def problem(self, check: str, message: str, line: int | None = None) -> Problem:
        return error(self.path, message, line=line, check=check)


class _Collector(HTMLParser):
    """Start tags with their line, plus the text of headings and the title."""

    TEXT_OF = frozenset({"title", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[HtmlTag] = []
        self.open: list[HtmlTag] = []

    def handle_starttag(self, name: str, attrs: list[tuple[str, str | None]]) -> None:
        tag = HtmlTag(name, dict(attrs), self.getpos()[0])
        self.tags.append(tag)
        if name == "img":  # an image's alt text is text of an enclosing heading
            self.handle_data(tag.attrs.get("alt") or "")
        if name in self.TEXT_OF:
            self.open.append(tag)

    def handle_endtag(self, name: str) -> None:
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index].name == name:
                del self.open[index:]
                break

    def handle_data(self, data: str) -> None:
        for tag in self.open:
            tag.text += data


def read_html(path: Path, text: str | None = None) -> HtmlDoc:
    """The page at ``path``, or ``text`` (then ``path`` only names it)."""
    collector = _Collector()
    collector.feed(Path(path).read_text(encoding="utf-8") if text is None else text)
    collector.close()
    return HtmlDoc(Path(path), collector.tags)


def check_html_lang(doc: HtmlDoc) -> list[Problem]:
    html = doc.find("html")
    if not html or not (html[0].attrs.get("lang") or "").strip():
        return [doc.problem("html-lang", "<html> has no lang attribute",
                            html[0].line if html else None)]
    return []


def check_html_title(doc: HtmlDoc) -> list[Problem]:
    titles = doc.find("title")
    if not titles or not titles[0].text.strip():
        return [doc.problem("html-title", "no <title> or an empty one",
                            titles[0].line if titles else None)]
    return []


def _html_headings(doc: HtmlDoc) -> list[HtmlTag]:
    return doc.find("h1", "h2", "h3", "h4", "h5", "h6")


def check_html_h1(doc: HtmlDoc) -> list[Problem]:
    h1s = doc.find("h1")
    if len(h1s) != 1:
        return [doc.problem("heading-h1", f"{len(h1s)} <h1> elements, expected exactly one",
                            h1s[1].line if len(h1s) > 1 else None)]
    return []


def check_html_heading_levels(doc: HtmlDoc) -> list[Problem]:
    headings = list(_html_headings(doc))
    return [doc.problem("heading-skip", f"heading level skips from h{previous} to h{level}",
                        headings[index].line)
            for index, previous, level in skipped_levels([int(h.name[1]) for h in headings])]


def check_html_heading_empty(doc: HtmlDoc) -> list[Problem]:
    return [doc.problem("heading-empty", f"empty <{tag.name}>", tag.line)
            for tag in _html_headings(doc) if not tag.text.strip()]


def check_html_img_alt(doc: HtmlDoc) -> list[Problem]:
    return [doc.problem("img-alt", f"<img src={tag.attrs.get('src')!r}> has no alt attribute",
                        tag.line)
            for tag in doc.find("img") if tag.attrs.get("alt") is None]


#: The one script a page may load: the site's search (search.py), on a language's
#: index page only, from the file the build wrote, with no inline code.
SEARCH_SCRIPT = {"src": "../search.js", "defer": None}


def allowed_script(doc: HtmlDoc, tag: HtmlTag) -> bool:
    return doc.path.name == "index.html" and tag.attrs == SEARCH_SCRIPT


def check_html_script(doc: HtmlDoc) -> list[Problem]:
    problems = [doc.problem("html-script", "<script> element", tag.line)
                for tag in doc.find("script") if not allowed_script(doc, tag)]
    for tag in doc.tags:
        for name, value in tag.attrs.items():
            if name.startswith("on"):
                problems.append(doc.problem(
                    "html-script", f"event handler attribute {name} on <{tag.name}>", tag.line))
            elif name in URL_ATTRIBUTES and value and \
                    _CONTROL.sub("", value).lower().startswith("javascript:"):
                problems.append(doc.problem(
                    "html-script", f"javascript: URL in {name} of <{tag.name}>", tag.line))
    return problems


#: Attributes that load or link another local file (``srcset`` lists several).
LINK_ATTRIBUTES = frozenset({"href", "src", "poster", "data", "srcset"})


def local_targets(tag: HtmlTag) -> list[tuple[str, str]]:
    """``(attribute, address)`` of every relative address on the tag."""
    found = []
    for name, value in tag.attrs.items():
        if name not in LINK_ATTRIBUTES or value is None:
            continue
        addresses = [part.strip().split()[0] for part in value.split(",") if part.strip()] \
            if name == "srcset" else [value.strip()]
        for address in addresses:
            parts = urlsplit(address)
            if not parts.scheme and not parts.netloc:
                found.append((name, address))
    return found


@lru_cache(maxsize=256)
def _fragments_of(path: Path, modified: int) -> frozenset[str]:
    return read_html(path).fragments


def missing_target(page: Path, address: str, own_fragments: frozenset[str]) -> str | None:
    """Why ``address`` (relative to ``page``) leads nowhere, or None when it is there."""
    parts = urlsplit(address)
    if not parts.path:  # "#x" or "" or "?q": this page
        if parts.fragment and unquote(parts.fragment) not in own_fragments:
            return f"no element with id {unquote(parts.fragment)!r} in this page"
        return None
    target = page.parent / unquote(parts.path)
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"  # what a static web server serves for a folder
    if not target.is_file():
        return "points at a missing file"
    if parts.fragment and target.suffix.lower() in (".html", ".htm"):
        try:
            fragments = _fragments_of(target.resolve(), target.stat().st_mtime_ns)
        except (OSError, UnicodeDecodeError):
            return None
        if unquote(parts.fragment) not in fragments:
            return f"no element with id {unquote(parts.fragment)!r} in {parts.path}"
    return None


def check_html_links(doc: HtmlDoc) -> list[Problem]:
    own = doc.fragments
    problems = []
    for tag in doc.tags:
        for name, address in local_targets(tag):
            why = missing_target(doc.path, address, own)
            if why:
                problems.append(doc.problem(
                    "html-link", f"<{tag.name} {name}={address!r}> {why}", tag.line))
    return problems


def check_html_fragments(doc: HtmlDoc) -> list[Problem]:
    """In-page links only: what can be checked of a page before its site exists."""
    own = doc.fragments
    return [doc.problem("html-link", f"<{tag.name} {name}={address!r}> {why}", tag.line)
            for tag in doc.tags for name, address in local_targets(tag)
            if not urlsplit(address).path and (why := missing_target(doc.path, address, own))]


HTML_CHECKS: list[Callable[[HtmlDoc], list[Problem]]] = [
    check_html_lang, check_html_title, check_html_h1, check_html_heading_levels,
    check_html_heading_empty, check_html_img_alt, check_html_script, check_html_links,
]
#: The checks of one page on its own, as the build runs them before the page is in
#: its site (the PDF, the other languages and the index are written later).
PAGE_CHECKS = [*HTML_CHECKS[:-1], check_html_fragments]


def check_html(path: Path, *, alone: bool = False, text: str | None = None) -> list[Problem]:
    try:
        doc = read_html(Path(path), text)
    except (OSError, UnicodeDecodeError) as exc:
        return [error(path, f"cannot read HTML: {exc}", check="html-read")]
    return [problem for check in (PAGE_CHECKS if alone else HTML_CHECKS)
            for problem in check(doc)]
