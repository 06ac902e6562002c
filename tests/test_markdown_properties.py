"""Hostile Markdown as a test (Hypothesis): segmenting any text gives blocks or a
clean warning, never a crash; every segment means the same on its own; code is kept
byte for byte."""

from __future__ import annotations

from hypothesis import given, settings, strategies as st

from publisher.inline import normalize_links, to_html, to_plain_text
from publisher.model import CodeBlock, segments
from publisher.segment import segment_body

BASE = "https://www.example.org/a/page"
# Pieces that make markdown-it work hard: brackets, links, definitions, code, HTML.
PIECES = ["[", "]", "(", ")", "!", "<", ">", "`", "*", "_", "#", "\\", "&ouml;", "&",
          "\n", "\n\n", "    ", "> ", "- ", "1. ", "0) ", "```", "~~~", "---", "***",
          "[foo]", "[foo]: /url \"t\"\n", "[x](/y 'z')", "![a](assets/p.png)",
          "![b](/r.png)", "(#frag)", "<a href='x'>", "<script>", "</b>", "<https://x.y>",
          "| a | b |\n|---|---|\n| 1 | 2 |\n", "word", " ", "\t", "é", "ا"]
markdown_text = st.lists(st.sampled_from(PIECES) | st.text(max_size=3), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(markdown_text)
def test_any_text_segments_cleanly(body: str) -> None:
    blocks, _, notes = segment_body(body, first_line=5, path="seeds/x.md", title="T",
                                    title_line=2, base_url=BASE)
    assert all(n.path == "seeds/x.md" and not n.is_error for n in notes)
    for segment in segments(blocks):
        again, more = normalize_links(segment.text, {}, BASE, lambda f: f)
        assert (again, more) == (segment.text, [])
        to_plain_text(segment.text)
        assert "<script" not in to_html(segment.text).lower()


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\0"),
               max_size=60))
def test_a_fenced_block_is_kept_byte_for_byte(code: str) -> None:
    if "```" in code or any(line.lstrip().startswith("```") for line in code.split("\n")):
        return
    body = f"```\n{code}\n```\n"
    blocks, _, _ = segment_body(body, first_line=1, path="x.md", title="T", title_line=1)
    (block,) = [b for b in blocks if isinstance(b, CodeBlock)]
    assert block.text == code + "\n"
