"""The print page parsed by Lexbor (html_tree.py) is the tree WeasyPrint's own parser,
tinyhtml5, builds, and the PDF is the same to the byte: on the pages the pipeline
writes (English with its QR code, Spanish, Arabic with a table, Chinese, the bilingual
page, a picture) and, for the tree, on hostile markup (Hypothesis)."""

from __future__ import annotations

import xml.etree.ElementTree as ElementTree

import pytest
import tinyhtml5
from hypothesis import example, given, settings, strategies as st

from publisher import html_tree
from publisher.render_pdf import PdfRenderer

import reader_samples


def tinyhtml5_tree(html: str) -> ElementTree.Element:
    """What ``weasyprint.HTML(string=html)`` parses."""
    return tinyhtml5.parse(html, namespace_html_elements=False)


def difference(ours: ElementTree.Element, theirs: ElementTree.Element,
               path: str = "html") -> str | None:
    """Where two trees differ, or None.  An empty text and no text are the same:
    WeasyPrint reads an element's ``text`` and ``tail`` with ``if text``."""
    if ours.tag != theirs.tag:
        return f"{path}: {ours.tag!r} against {theirs.tag!r}"
    if list(ours.attrib.items()) != list(theirs.attrib.items()):
        return f"{path}: attributes {ours.attrib} against {theirs.attrib}"
    for name in ("text", "tail"):
        if (getattr(ours, name) or None) != (getattr(theirs, name) or None):
            return f"{path}: {name} {getattr(ours, name)!r} against {getattr(theirs, name)!r}"
    if len(ours) != len(theirs):
        return f"{path}: {[c.tag for c in ours]} against {[c.tag for c in theirs]}"
    for index, (mine, other) in enumerate(zip(ours, theirs)):
        found = difference(mine, other, f"{path}/{other.tag}[{index}]")
        if found:
            return found
    return None


class RecordingRenderer(PdfRenderer):
    """The build's renderer, keeping each page it was given and the PDF it made."""

    pages: list[tuple[str, dict, bytes]] = []

    def render(self, html, **options):
        rendered = super().render(html, **options)
        RecordingRenderer.pages.append((html, options, rendered.data))
        return rendered


@pytest.fixture(scope="module")
def pipeline_pages(tmp_path_factory) -> list[tuple[str, dict, bytes]]:
    RecordingRenderer.pages = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(reader_samples, "PdfRenderer", RecordingRenderer)
        names = reader_samples.render_samples(tmp_path_factory.mktemp("samples"))
    assert len(RecordingRenderer.pages) == len(names) == 6
    return RecordingRenderer.pages


def test_every_print_page_takes_the_fast_path_and_gives_the_same_tree(pipeline_pages) -> None:
    for html, _, _ in pipeline_pages:
        fast = html_tree._lexbor(html)  # raises if the page has an element it leaves alone
        assert difference(fast, tinyhtml5_tree(html)) is None
        assert difference(html_tree.parse(html), fast) is None


def test_the_pdf_is_the_same_to_the_byte(pipeline_pages, monkeypatch) -> None:
    renderer = PdfRenderer([reader_samples.ROOT / "templates",
                            reader_samples.ROOT / "seeds" / "assets"])
    monkeypatch.setattr(html_tree, "parse", tinyhtml5_tree)
    compared = 0
    for html, options, fast_bytes in pipeline_pages:
        if "sleeve" in str(options["source_path"]):
            continue  # its picture is in a folder of its own, outside these roots
        assert renderer.render(html, **options).data == fast_bytes, options["source_path"]
        compared += 1
    assert compared == 5


TAGS = sorted(html_tree.LEXBOR_TAGS) + [
    # Where Lexbor and tinyhtml5 differ, or the fast path never went.
    "svg", "math", "path", "mi", "template", "select", "option", "search", "dialog",
    "ruby", "rb", "rtc", "rt", "isindex", "image", "frameset", "noscript", "xmp",
    "plaintext", "textarea", "script", "form", "input", "button", "font", "nobr", "x-y"]
ATTRIBUTES = [" class=a", " lang=ar", ' dir="rtl"', " hidden", " A=1 a=2", " href='?a&amp;b&copy=1'",
              ' title="x&notit;y"', " scope=col", ""]
TEXT = ["word", " ", "\n", "\r\n", "\t", "&amp;", "&nbsp;", "&notin", "&#x41;", "&#0;",
        "&", "<", ">", "مرحبا", "中文", "\ufeff", "\u202e", "<!-- c -->", "<!---->", "<!-->",
        "<!DOCTYPE html>", "<?x?>", "<![CDATA[y]]>", "\x00", "\ud800"]


@st.composite
def markup(draw) -> str:
    pieces = []
    for _ in range(draw(st.integers(0, 40))):
        kind = draw(st.sampled_from(("open", "close", "self", "text")))
        tag = draw(st.sampled_from(TAGS))
        if kind == "open":
            pieces.append(f"<{tag}{draw(st.sampled_from(ATTRIBUTES))}>")
        elif kind == "close":
            pieces.append(f"</{tag}>")
        elif kind == "self":
            pieces.append(f"<{tag}/>")
        else:
            pieces.append(draw(st.sampled_from(TEXT)))
    return "".join(pieces)


# Well-nested markup of the elements the fast path takes: most of it takes it.
nested_markup = st.recursive(
    st.sampled_from(TEXT[:14]),
    lambda inner: st.tuples(st.sampled_from(sorted(html_tree.LEXBOR_TAGS)),
                            st.sampled_from(ATTRIBUTES), st.lists(inner, max_size=4))
    .map(lambda made: f"<{made[0]}{made[1]}>{''.join(made[2])}</{made[0]}>"),
    max_leaves=40)


@settings(max_examples=400, deadline=None)
@given(markup() | nested_markup, st.booleans())
@example("<p>x<search>y</search>z", True)
@example("<b>1<p>2</b>3</p>", True)
@example("<table>x<tr><td>y</table>", False)
@example("<pre>\n\nx</pre>", True)
def test_any_markup_gives_the_tree_tinyhtml5_gives(body: str, whole_page: bool) -> None:
    html = (f"<!DOCTYPE html><html lang=en><head><title>t</title></head><body>{body}"
            "</body></html>" if whole_page else body)
    assert difference(html_tree.parse(html), tinyhtml5_tree(html)) is None
