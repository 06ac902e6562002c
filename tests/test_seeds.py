"""Loading and validating seeds, and the scraped-seed quirks of DESIGN.md."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from publisher.errors import SeedError
from publisher.catalogs import document_template
from publisher.model import Card, CodeBlock, Figure, Heading, ListBlock, segments
from publisher.seeds import add_months, load_seed, load_seeds, overdue

from conftest import ROOT, make_project, run_cli, seed

BAD = Path(__file__).parent / "bad_seeds"
EXAMPLE = ROOT / "seeds" / "recurrent-breast-cancer.md"


@pytest.mark.parametrize("path", sorted(BAD.glob("*.md")), ids=lambda p: p.stem)
def test_each_bad_seed_gets_its_own_clear_message(path: Path) -> None:
    expected = path.with_suffix(".expected").read_text(encoding="utf-8").strip()
    with pytest.raises(SeedError) as caught:
        load_seed(path, BAD)
    assert str(caught.value).startswith(expected)


def test_every_front_matter_error_is_reported_at_once(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"x.md": "---\nlanguage: 12\nstatus: gone\n---\nText\n"})
    with pytest.raises(SeedError) as caught:
        load_seed(project / "seeds" / "x.md", project)
    fields = [p.field for p in caught.value.problems]
    assert fields == ["title", "language", "status"]


def example():
    document, notes = load_seed(EXAMPLE, ROOT)
    return document, notes


def test_example_front_matter_is_typed() -> None:
    document, _ = example()
    meta = document.meta
    assert meta.title == "Recurrent Breast Cancer - NCI"
    assert meta.language == "en"
    assert meta.last_reviewed == date(2025, 12, 30)
    assert meta.review_due == date(2026, 3, 30)
    assert meta.cancer_types == ("breast", "lung", "skin", "liver")
    assert document.title.line == 18


def test_example_is_overdue_for_review() -> None:
    document, _ = example()
    problem = overdue(document, today=date(2026, 11, 25))
    assert problem is not None and "was due on 2026-03-30" in str(problem)
    assert overdue(document, today=date(2026, 3, 1)) is None


def test_example_outline_has_nine_question_headings_and_no_skips() -> None:
    document, _ = example()
    headings = [b for b in document.blocks if isinstance(b, Heading)]
    assert [(h.level, h.segment.text) for h in headings[:2]] == [
        (2, "Breast Cancer Recurrence"), (3, "What is breast cancer recurrence?")]
    questions = [h for h in headings if h.level == 3]
    assert len(questions) == 9
    assert all(h.segment.text for h in headings)
    assert questions[-1].segment.text == "Living with recurrent breast cancer"
    # The merged heading points at the line where its words are.
    assert EXAMPLE.read_text().splitlines()[questions[0].segment.line - 1] == \
        "What is breast cancer recurrence?"
    assert not any(h.level == 1 for h in headings)  # the title is the one H1


def test_example_links_are_absolute_and_never_broken() -> None:
    document, _ = example()
    texts = [s.text for s in segments(document.blocks)]
    joined = "\n".join(texts)
    assert "[chest wall](https://www.cancer.gov/publications/dictionaries/cancer-terms/def/44996)" \
        in joined
    assert "](/" not in joined
    for text in texts:
        assert not re.search(r"^\[|\]\($|^\]\(", text), text


def test_example_card_becomes_usable_text() -> None:
    document, _ = example()
    cards = [b for b in document.blocks if isinstance(b, Card)]
    assert len(cards) == 1
    card = cards[0]
    assert card.href == "https://www.cancer.gov/types/breast/stages/metastatic-breast-cancer"
    assert card.title.text == "Metastatic Breast Cancer"
    assert card.text.text.startswith("Learn about metastatic breast cancer symptoms")
    assert card.image_alt.text.startswith("Drawing of a female body")
    lines = EXAMPLE.read_text().splitlines()
    assert lines[card.title.line - 1] == "Metastatic Breast Cancer"


def test_example_lists_keep_their_items() -> None:
    document, _ = example()
    lists = [b for b in document.blocks if isinstance(b, ListBlock)]
    assert [len(item.items) for item in lists] == [3, 7, 4, 8, 9]


def test_segment_lines_point_at_the_seed() -> None:
    document, _ = example()
    lines = EXAMPLE.read_text().splitlines()
    for segment in segments(document.blocks):
        if segment.kind in ("paragraph", "heading"):
            assert lines[segment.line - 1].strip()[:20] in segment.text.replace(
                "https://www.cancer.gov", "")[:40] or segment.text[:20] in lines[segment.line - 1]


def test_draft_and_retired_seeds_are_skipped_unless_asked(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"a.md": seed("A"), "b.md": seed("B", status="draft"),
                                      "c.md": seed("C", status="retired")})
    loaded = load_seeds(project)
    assert [d.slug for d in loaded.documents] == ["a"]
    assert dict(loaded.skipped) == {"seeds/b.md": "status is draft",
                                    "seeds/c.md": "status is retired"}
    everything = load_seeds(project, statuses=("active", "draft", "retired"))
    assert len(everything.documents) == 3


def test_unsafe_links_are_dropped_and_reported(tmp_path: Path) -> None:
    body = "Click [here](javascript:alert(1)) or [there](https://example.org).\n\n" \
           "<script>alert(2)</script>\n"
    project = make_project(tmp_path, {"x.md": seed(body=body)})
    document, notes = load_seed(project / "seeds" / "x.md", project)
    messages = [str(n) for n in notes]
    assert any("unsafe link to 'javascript:alert(1)'" in m and ":9:" in m for m in messages)
    assert any("raw HTML <script>" in m for m in messages)


@pytest.mark.parametrize("start, months, due", [
    (date(2025, 12, 30), 3, date(2026, 3, 30)),
    (date(2025, 11, 30), 3, date(2026, 2, 28)),
    (date(2024, 2, 29), 12, date(2025, 2, 28)),
])
def test_review_due_date(start: date, months: int, due: date) -> None:
    assert add_months(start, months) == due


# --- Markdown read from the token tree (issue 13) ---------------------------------

def body_of(tmp_path: Path, body: str, **fields: str):
    project = make_project(tmp_path, {"x.md": seed(body=body, **fields)})
    return load_seed(project / "seeds" / "x.md", project)


def test_code_blocks_are_verbatim_and_never_in_the_catalogs(tmp_path: Path) -> None:
    body = ("Take:\n\n```\nMorning   1 *tablet*\n<a/> \\[\\] f&ouml;\n```\n\n"
            "    indented  [link](/x)\n")
    document, notes = body_of(tmp_path, body)
    code = [b for b in document.blocks if isinstance(b, CodeBlock)]
    assert [c.text for c in code] == ["Morning   1 *tablet*\n<a/> \\[\\] f&ouml;\n",
                                      "indented  [link](/x)\n"]
    assert not notes  # nothing was removed, so nothing is reported
    msgids = [m.id for m in document_template(document) if m.id]
    assert msgids == ["Test handout", "Take:"]


def test_reference_links_are_inline_links_in_the_msgid(tmp_path: Path) -> None:
    body = ("See [the guide][g], [Guide] and ![a chart][c].\n\n"
            "[g]: /guide \"The guide\"\n[guide]: <path with space>\n[c]: /chart.png\n")
    document, _ = body_of(tmp_path, body, url="https://www.example.org/a/page")
    (paragraph,) = document.blocks
    assert paragraph.segment.text == (
        'See [the guide](https://www.example.org/guide "The guide"), '
        "[Guide](https://www.example.org/a/path%20with%20space) and "
        "![a chart](https://www.example.org/chart.png).")
    msgids = [m.id for m in document_template(document) if m.id]
    assert not any("]: " in m for m in msgids)  # definitions stay out of the catalog


def test_link_rewriting_touches_link_targets_only(tmp_path: Path) -> None:
    body = ("[not a `link](/foo`) and `[x](/y)` and [ok](/url 'title') and "
            "[a](/url (t)) and [b](</my uri>) and [c](foo%20b&auml;) and [link](<foo\\>)\n")
    document, _ = body_of(tmp_path, body, url="https://www.example.org/a/page")
    text = document.blocks[0].segment.text
    assert "[not a `link](/foo`)" in text and "`[x](/y)`" in text
    assert '[ok](https://www.example.org/url "title")' in text
    assert '[a](https://www.example.org/url "t")' in text
    assert "[b](https://www.example.org/my%20uri)" in text
    assert "[c](https://www.example.org/a/foo%20b%C3%A4)" in text
    assert "[link](<foo\\>)" in text  # not a link in CommonMark: left as written


def test_in_page_links_name_a_heading_or_become_text(tmp_path: Path) -> None:
    body = ("## Side effects\n\nSee [side effects](#side-effects), [Side Effects](#Side-Effects) "
            "and [back to top](#top).\n\n## Side effects\n\nAgain.\n")
    document, notes = body_of(tmp_path, body)
    headings = [b for b in document.blocks if isinstance(b, Heading)]
    assert [h.anchor for h in headings] == ["side-effects", "side-effects-1"]
    text = document.blocks[1].segment.text
    assert text == ("See [side effects](#side-effects), [Side Effects](#side-effects) "
                    "and back to top.")
    assert [str(n) for n in notes] == [
        "seeds/x.md:11: warning: in-page link to '#top': no heading has that name; shown as text"]


def test_headings_are_clamped_and_shifted_inside_quotes(tmp_path: Path) -> None:
    body = "# One\n\n> # Quoted\n\n###### Six\n\n0. ok\n1. next\n\n---\n\nEnd.\n"
    document, _ = body_of(tmp_path, body)
    kinds = [type(b).__name__ for b in document.blocks]
    assert kinds == ["Heading", "Quote", "Heading", "ListBlock", "Rule", "Paragraph"]
    quoted = document.blocks[1].blocks[0]
    assert (document.blocks[0].level, quoted.level, document.blocks[2].level) == (2, 2, 3)
    assert document.blocks[3].start == 0


def test_only_real_removals_are_reported(tmp_path: Path) -> None:
    body = ("<https://foo.bar.baz> and `<script>` and <b>bold</b>.\n\n"
            "A <x-widget>thing</x-widget> and <span onclick=\"x()\">y</span>.\n")
    _, notes = body_of(tmp_path, body)
    assert [n.message for n in notes] == ["unsafe raw HTML <x-widget> removed",
                                          "unsafe script in raw HTML <span> removed"]


def test_a_local_picture_alone_in_its_paragraph_is_a_figure(tmp_path: Path) -> None:
    body = ("![Drawing of a sleeve](assets/sleeve.png \"On the arm\")\n\n"
            "![](assets/line.png)\n\nText with ![an icon](assets/i.png) inside.\n")
    document, notes = body_of(tmp_path, body)
    first, second, _ = document.blocks
    assert isinstance(first, Figure) and first.src == "assets/sleeve.png"
    assert (first.alt.text, first.alt.kind, first.caption.text) == (
        "Drawing of a sleeve", "picture description", "On the arm")
    assert isinstance(second, Figure) and second.alt.text == ""
    assert [n.message for n in notes] == [
        "a picture inside a sentence is shown as its description: give it a paragraph of "
        "its own"]
    msgids = [m.id for m in document_template(document) if m.id]
    assert "Drawing of a sleeve" in msgids and "On the arm" in msgids


def test_glyphs_are_checked_on_the_text_as_shown(tmp_path: Path) -> None:
    """An entity is a character too: Tamil written as &#xB86; has no font in the stack."""
    project = make_project(tmp_path, {"x.md": seed(body="Fine: f&ouml;\n\nNot: &#xB86;\n")})
    run = run_cli("build", "--project", str(project), "--jobs", "1", "--format", "html")
    assert run.status == 1
    assert "seeds/x.md:11: error: no font for U+0B86 TAMIL LETTER AA" in run.output


def test_a_handout_failing_the_preflight_is_not_published(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"x.md": seed(), "y.md": seed("Other")})
    template = project / "templates" / "handout.html"
    # a template mistake: a second H1 in every handout
    text, added = re.subn(r'(<main id="main" tabindex="-1"[^>]*>)', r"\1<h1>Extra</h1>",
                          template.read_text())
    assert added == 1
    template.write_text(text)
    run = run_cli("build", "--project", str(project), "--jobs", "1")
    assert run.status == 1
    assert re.search(r"seeds/x.md: error: \[[a-z-]*h1\] the en (PDF|HTML) fails the preflight", run.output)
    assert "fails the preflight (not published)" in run.output
    assert not (project / "dist" / "en" / "x.pdf").exists()
    assert not (project / "dist" / "en" / "x.html").exists()


def test_a_code_block_in_a_translation_is_marked_as_the_source_language(tmp_path: Path) -> None:
    import gettext
    from publisher.config import load_config
    from publisher.model import LocalizedDocument
    from publisher.render_html import HtmlRenderer
    document, _ = body_of(tmp_path, "Hi\n\n    code  here\n")
    handout = LocalizedDocument(document, "es", document.title, document.blocks, "translated")
    renderer = HtmlRenderer(tmp_path / "templates", load_config(tmp_path))
    html = renderer.handout(handout, medium="web", translations=gettext.NullTranslations())
    assert '<pre lang="en" dir="ltr"><code>code  here\n</code></pre>' in html
