"""A print page's HTML read into the element tree WeasyPrint lays out, with Lexbor.

WeasyPrint parses its input with tinyhtml5, a pure-Python implementation of the
WHATWG parsing algorithm: ~7 ms of a clinic handout's ~290 ms.  Lexbor (through
selectolax) implements the same algorithm in C; walking its tree into ElementTree
elements takes ~0.3 ms and gives the tree tinyhtml5 gives: the same tags, the
attributes in the same order, the same text and tails (tests/test_html_tree.py
compares the two on pages the pipeline makes and on hostile input).

The fast path takes only pages made of the elements it was compared on, those the
print templates, Markdown and the sanitizer write (``LEXBOR_TAGS``), each made by its
own start tag, in the order written.  A page with any other element (``<svg>``,
``<math>``, ``<template>``, ``<select>``, ``<ruby>``: where the two parsers differ,
tinyhtml5 following an older edition of the standard), with misnested or stray tags
(``<b>1<p>2</b>3``, a ``<pre>`` directly in a ``<table>``: both parsers mend them,
not always alike), a NUL character, or text that is not valid Unicode is read by
tinyhtml5.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ElementTree

import cssselect2
import tinyhtml5
import weasyprint
from selectolax.lexbor import LexborHTMLParser

__all__ = ["parse", "weasyprint_html"]

#: The elements the print pages are made of, on which the two parsers were compared.
LEXBOR_TAGS = frozenset("""
    html head title meta link style body header main footer section nav aside article
    div p h1 h2 h3 h4 h5 h6 ul ol li dl dt dd blockquote pre hr br figure figcaption img
    table caption colgroup col thead tbody tfoot tr th td
    a span bdi bdo strong em b i u s del ins mark small sub sup abbr code kbd samp var
    q cite dfn time wbr
""".split())


#: Start tags' names, but for the elements the parser adds when the page leaves
#: them out.
_START_TAG = re.compile(r"<(?!(?:html|head|body|tbody)[\s/>])([a-z][^\s/>]*)", re.IGNORECASE)
_IMPLIED = frozenset({"html", "head", "body", "tbody"})


class _LeftToTinyhtml5(Exception):
    """The page has an element outside ``LEXBOR_TAGS``, or an element that no start
    tag made or a start tag that made none (misnested or stray tags)."""


def parse(html: str) -> ElementTree.Element:
    """The ``<html>`` element of ``html``, as tinyhtml5 builds it for WeasyPrint
    (``namespace_html_elements=False``)."""
    if "\x00" not in html:
        try:
            html.encode()  # Lexbor drops what is not UTF-8 (a lone surrogate)
            return _lexbor(html)
        except (_LeftToTinyhtml5, UnicodeEncodeError):
            pass
    return tinyhtml5.parse(html, namespace_html_elements=False)


def _lexbor(html: str) -> ElementTree.Element:
    """Lexbor's tree as ElementTree elements: text joined into ``text`` and
    ``tail``, a valueless attribute as the empty string, comments kept."""
    source = LexborHTMLParser(html).root
    root = ElementTree.Element(source.tag, _attributes(source))
    sub_element, comment, known = ElementTree.SubElement, ElementTree.Comment, LEXBOR_TAGS
    made = []  # elements' names in document order, but for the implied ones
    pending = [(source.child, root)]  # a node and its parent, its siblings after it
    while pending:
        node, parent = pending.pop()
        if node is None:
            continue
        pending.append((node.next, parent))
        tag = node.tag
        if tag == "-text":
            text = node.text_content
            if len(parent) == 0:
                parent.text = text if parent.text is None else parent.text + text
            else:
                last = parent[-1]
                last.tail = text if last.tail is None else last.tail + text
        elif tag == "-comment":  # comment_content strips the text's ends
            parent.append(comment(node.html[4:-3]))
        elif tag in known:
            element = sub_element(parent, tag, _attributes(node))
            if tag not in _IMPLIED:
                made.append(tag)
            pending.append((node.child, element))
        elif tag != "!doctype":
            raise _LeftToTinyhtml5(tag)
    # The parsers part where the tree is not the tags as written: formatting elements
    # closed out of order are cloned (the adoption agency), an element written inside
    # a table but outside its cells is moved before it (foster parenting), stray tags
    # are dropped or make elements.  The tree's elements in document order, each the
    # page's next start tag: nothing of the kind.
    written = _START_TAG.findall(html)
    if not html.islower():
        written = [name.lower() for name in written]
    if made != written:
        raise _LeftToTinyhtml5("misnested or stray tags")
    return root


def _attributes(node) -> dict[str, str]:
    attributes = node.attributes
    if None in attributes.values():
        return {name: "" if value is None else value for name, value in attributes.items()}
    return attributes


class _ParsedHtml(weasyprint.HTML):
    """WeasyPrint's ``HTML`` for a tree parsed already: what its constructor sets
    after tinyhtml5 has run (WeasyPrint 70)."""

    def __init__(self, root: ElementTree.Element, *, base_url: str,
                 url_fetcher: weasyprint.urls.URLFetcher, media_type: str = "print") -> None:
        self.base_url = weasyprint._find_base_url(root, base_url)
        self.url_fetcher = url_fetcher
        self.media_type = media_type
        self.wrapper_element = cssselect2.ElementWrapper.from_html_root(
            root, content_language=None)
        self.etree_element = self.wrapper_element.etree_element


def weasyprint_html(html: str, *, base_url: str,
                    url_fetcher: weasyprint.urls.URLFetcher) -> weasyprint.HTML:
    """``weasyprint.HTML(string=html, ...)``, its tree parsed by ``parse``."""
    return _ParsedHtml(parse(html), base_url=base_url, url_fetcher=url_fetcher)
