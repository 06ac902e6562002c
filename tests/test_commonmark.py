"""The CommonMark 0.31.2 spec's own examples, through the real build (commonmark_spec.py).

Every example without raw HTML is one seed; the handout's outline (blocks, text,
code, links, pictures, list numbers) must be the spec's, or differ only by the
reviewed list `commonmark_spec.EXPECTED`.  The examples with raw HTML are sanitized,
and a removal is reported exactly when something was removed.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

import commonmark_spec as spec
from conftest import make_project, run_cli

pytestmark = pytest.mark.skipif(not (spec.ROOT / "node_modules" / "commonmark-spec").is_dir(),
                                reason="run `make node` (npm commonmark-spec)")


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory: pytest.TempPathFactory) -> list[spec.Outcome]:
    started = time.monotonic()
    found = spec.run_all(tmp_path_factory.mktemp("spec") / "project")
    print(f"\n{spec.report(found)}\nspec build: {time.monotonic() - started:.1f} s")
    return found


def test_the_spec_examples_are_all_there(outcomes: list[spec.Outcome]) -> None:
    assert len(outcomes) == 580  # 652 examples, 72 with raw HTML


def test_no_example_is_refused(outcomes: list[spec.Outcome]) -> None:
    """Every script of the spec has a font in the handouts' stack (example 27's
    Malayalam and Kannada, written as entities, included): nothing is refused."""
    assert [o.example.number for o in outcomes if o.verdict == "refused"] == []


def test_no_example_is_lost_or_altered(outcomes: list[spec.Outcome]) -> None:
    wrong = [o for o in outcomes if o.verdict in ("lost", "altered")]
    assert not wrong, "\n\n".join(
        f"example {o.example.number} ({o.example.section}): {o.verdict}\n"
        f"{o.example.markdown}--- spec\n{o.expected}\n--- handout\n{o.got}" for o in wrong)


def test_expected_differences_stay_few(outcomes: list[spec.Outcome]) -> None:
    """Most examples come out identical; the rest only by the reviewed differences."""
    faithful = [o.example.number for o in outcomes if o.verdict == "faithful"]
    assert len(faithful) <= 40, faithful
    # Sections where the spec's outline must be kept exactly.
    exact = {"Tabs", "Thematic breaks", "Indented code blocks", "Fenced code blocks",
             "Link reference definitions", "Code spans", "Entity and numeric character references",
             "Backslash escapes", "Block quotes", "List items", "Setext headings"}
    assert [o.example.number for o in outcomes if o.example.section in exact
            and o.verdict not in ("identical", "refused")] == []


def test_the_comparison_sees_a_loss() -> None:
    """The judge itself: a code block turned into prose is not faithful."""
    example = spec.Example(1, "Tabs", "    a  b\n", "<pre><code>a  b\n</code></pre>\n")
    prose = '<main id="main" tabindex="-1">\n<p>a b</p>\n</main>'
    assert spec.judge(example, prose).verdict == "altered"
    code = '<main id="main" tabindex="-1">\n<pre><code>a  b\n</code></pre>\n</main>'
    assert spec.judge(example, code).verdict == "identical"


# --- a sample in PDF: large print, published, preflight-clean ------------------------

SAMPLE = {
    "code": "Take:\n\n```\nMorning   1 tablet   with food\nEvening   2 tablets  *before* bed\n"
            "https://www.example.org/a/long/address/without/any/spaces/that/goes/on/and/on.html\n"
            "```\n",
    "rule": "- one\n- two\n\n***\n\n- three\n",
    "links": "[Back](#fragment) to [the top][top], or [Doses](#doses).\n\n## Doses\n\n"
             "[top]: /top-of-page \"Top\"\n",
    "deep": "# A\n\n> # Quoted\n\n###### six\n\n0. ok\n1. next\n",
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = tmp_path_factory.mktemp("sample")
    seeds = {f"{name}.md": spec.seed_text(spec.Example(i, "sample", text, "")).encode()
             for i, (name, text) in enumerate(SAMPLE.items())}
    make_project(project, seeds, config='[project]\nsource_language = "en"\nlocales = ["en"]\n')
    run = run_cli("build", "--project", str(project), "--jobs", "1")
    assert run.status == 0, run.output
    (project / "output.txt").write_text(run.output)
    return project


def pdftotext(path: Path, *flags: str) -> str:
    return subprocess.run(["pdftotext", *flags, str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_a_code_block_keeps_its_spaces_in_the_pdf(sample: Path) -> None:
    pdf = sample / "dist" / "en" / "code.pdf"
    # pdftotext guesses spaces from positions; pdfplumber reads the characters drawn
    with pdfplumber.open(pdf) as document:
        chars = document.pages[0].chars
    drawn = "".join(c["text"] for c in chars)
    assert "Morning   1 tablet   with food" in drawn
    assert "Evening   2 tablets  *before* bed" in drawn  # verbatim: no emphasis read into it
    start = drawn.index("Morning")
    code = chars[start:start + len("Morning   1 tablet   with food")]
    assert {c["fontname"].split("+")[-1] for c in code} == {"Noto-Sans-Mono"}
    assert min(c["size"] for c in code) >= 18  # large print, like the body text
    # a line longer than the column wraps inside the margins instead of being cut
    assert "and/on.html" in drawn
    assert max(c["x1"] for c in chars) <= 612 - 72 + 0.5
    assert re.search(r"Morning +1 tablet +with food", pdftotext(pdf, "-layout"))
    html = (sample / "dist" / "en" / "code.html").read_text()
    assert "<pre><code>Morning   1 tablet   with food\n" in html


def test_a_rule_is_drawn_between_the_lists(sample: Path) -> None:
    html = (sample / "dist" / "en" / "rule.html").read_text()
    assert re.search(r"</ul>\s*<hr>\s*<ul>", html)


def test_in_page_links_go_to_their_heading_or_become_text(sample: Path) -> None:
    html = (sample / "dist" / "en" / "links.html").read_text()
    assert '<a href="#doses">Doses</a>' in html and '<h2 id="doses">Doses</h2>' in html
    assert "Back to" in html and 'href="#fragment"' not in html
    assert 'href="https://www.example.org/top-of-page" title="Top"' in html
    output = (sample / "output.txt").read_text()
    assert re.search(r"seeds/links\.md:\d+: warning: in-page link to '#fragment'", output)
    with pikepdf.open(sample / "dist" / "en" / "links.pdf") as pdf:
        uris = [str(a.A.URI) for page in pdf.pages for a in page.get("/Annots", [])
                if "/A" in a and "/URI" in a.A]
    assert "https://www.example.org/top-of-page" in uris


def test_headings_and_list_numbers(sample: Path) -> None:
    html = (sample / "dist" / "en" / "deep.html").read_text()
    main = spec.main_of(html)
    assert re.findall(r"<h(\d)", html).count("1") == 1
    assert '<ol start="0">' in main
    assert "<h7" not in main and re.search(r"<blockquote>\s*<h2", main)


def test_the_sample_passes_publisher_check(sample: Path) -> None:
    run = run_cli("check", str(sample / "dist"))
    assert run.status == 0, run.output


# --- raw HTML: sanitized, and reported when (and only when) something is removed ----

@pytest.fixture(scope="module")
def raw_html(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[spec.Example], dict, str]:
    chosen = [e for e in spec.examples() if spec.has_raw_html(e)]
    built = spec.build_examples(tmp_path_factory.mktemp("raw") / "project", chosen, ("html",))
    return chosen, built, built["__output__"]


def test_raw_html_examples_are_all_published_without_script(raw_html) -> None:
    chosen, built, _ = raw_html
    assert len(chosen) == 72
    missing = [e.number for e in chosen if e.slug not in built]
    assert not missing
    for example in chosen:
        main = spec.main_of(built[example.slug])
        assert not re.search(r"<(script|style|iframe)\b|\son\w+\s*=|javascript:", main, re.I), \
            example.number


def test_removals_are_reported_truthfully(raw_html) -> None:
    chosen, built, output = raw_html
    reported: dict[str, set[str]] = {}
    for slug, tag in re.findall(r"seeds/(example-\d+)\.md:\d+: warning: unsafe raw HTML <([\w-]+)> removed",
                                output):
        reported.setdefault(slug, set()).add(tag.lower())
    for example in chosen:
        for tag in reported.get(example.slug, ()):
            # what was reported removed was in the source and is not in the handout
            assert re.search(rf"<{re.escape(tag)}\b", example.markdown, re.I), (example.number, tag)
            assert not re.search(rf"<{re.escape(tag)}\b", spec.main_of(built[example.slug]),
                                 re.I), (example.number, tag)
    # an autolink is not raw HTML
    assert "https" not in {t for tags in reported.values() for t in tags}
    # and every tag removed is reported: a tag the spec's HTML keeps (beyond what
    # Markdown itself writes) and the sanitizer's allow-list does not
    from publisher.inline import ALLOWED_TAGS
    markdown_tags = {"p", "pre", "code", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol",
                     "li", "a", "img", "em", "strong", "blockquote", "hr", "br"}
    for example in chosen:
        kept = {t.lower() for t in re.findall(r"<([a-zA-Z][\w-]*)", example.html)}
        shown = spec.main_of(built[example.slug]).lower()  # a tag shown as text is not removed
        removed = {t for t in kept - markdown_tags - ALLOWED_TAGS if f"&lt;{t}" not in shown}
        assert removed <= reported.get(example.slug, set()), (example.number, removed)


def test_seed_json_is_what_node_reads() -> None:
    """The examples come from the package's own reader, tabs restored."""
    first = spec.examples()[0]
    assert first.markdown == "\tfoo\tbaz\t\tbim\n" and first.section == "Tabs"
    assert json.loads(json.dumps(first.__dict__))["number"] == 1


def test_a_segment_means_the_same_on_its_own() -> None:
    """A msgid is read without its seed (by translators' tools and by rendering):
    normalizing it again, with no link definitions at hand, changes nothing."""
    from publisher.inline import normalize_links
    from publisher.model import segments
    from publisher.segment import segment_body
    checked = 0
    for example in spec.examples():
        blocks, _, _ = segment_body(example.markdown, first_line=1, path="x.md", title="T",
                                    title_line=1, base_url=spec.BASE_URL)
        for segment in segments(blocks):
            again, notes = normalize_links(segment.text, {}, spec.BASE_URL, lambda f: f)
            assert (again, notes) == (segment.text, []), (example.number, segment.text)
            checked += 1
    assert checked > 600
