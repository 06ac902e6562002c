"""Loading and validating seeds, and the scraped-seed quirks of DESIGN.md."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from publisher.errors import SeedError
from publisher.model import Card, Heading, ListBlock, segments
from publisher.seeds import add_months, load_seed, load_seeds, overdue

from conftest import ROOT, make_project, seed

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
