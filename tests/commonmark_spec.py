"""The CommonMark spec's own examples through the real pipeline, compared with the spec.

The examples come from npm's ``commonmark-spec`` (locked in package-lock.json), read
by its own ``index.js``.  Each example is one seed (link reference definitions are
document-wide, and an unclosed fence runs to the end of its document, so examples
cannot share a seed without changing each other), with a ``url`` in its front
matter as real seeds have; one ``publisher build`` renders them all.

Both the handout's ``<main>`` and the spec's HTML are reduced to the same outline
(blocks, their text, links, code, pictures) and compared:

- identical: the same outline once heading levels are read as "a heading" (the
  handout's H1 is its title, so every seed heading is one level down) and links
  are resolved against the seed's ``url`` (a design rule, not a difference);
- faithful: identical once the reviewed, expected differences below are applied;
- refused: no handout, because it has characters no font of the handouts' font
  stack can draw (the build says which, and names the package to install);
- altered: anything else; lost: no handout at all.

Run ``python tests/commonmark_spec.py [--pdf]`` for the counts per section.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import lxml.html

ROOT = Path(__file__).resolve().parent.parent
BASE_URL = "https://www.example.org/spec/page"
SAFE_SCHEMES = ("http:", "https:", "mailto:", "tel:")
BLOCKS = {"p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "pre",
          "hr", "table", "tr", "th", "td", "figure", "figcaption"}

# The reviewed list of expected differences between a handout and the spec's HTML.
EXPECTED = {
    "heading repair": "an empty heading takes the paragraph after it as its words "
                      "(scraped '##' quirk), or is left out with a warning",
    "list spacing": "a list item of one paragraph is shown without <p> (tight and loose "
                    "lists differ only in spacing)",
    "remote picture": "a remote picture is never fetched: its alt text is shown",
    "unsafe link": "a link whose scheme is not http, https, mailto or tel is shown as text",
    "missing anchor": "an in-page link to no heading is shown as text (with a warning)",
}


@dataclass(frozen=True)
class Example:
    number: int
    section: str
    markdown: str
    html: str

    @property
    def slug(self) -> str:
        return f"example-{self.number:03d}"


@dataclass(frozen=True)
class Outcome:
    example: Example
    verdict: str  # identical, faithful, altered, lost
    expected: str
    got: str


def examples() -> list[Example]:
    """Every spec example, read by the package's own index.js (tabs shown as →)."""
    out = subprocess.run(
        ["node", "-e", "process.stdout.write(JSON.stringify(require('commonmark-spec').tests))"],
        cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return [Example(t["number"], t["section"], t["markdown"].replace("→", "\t"),
                    t["html"].replace("→", "\t")) for t in json.loads(out)]


def has_raw_html(example: Example) -> bool:
    from markdown_it import MarkdownIt
    tokens = MarkdownIt("commonmark").parse(example.markdown)
    return any(t.type == "html_block" or any(c.type == "html_inline" for c in t.children or [])
               for t in tokens)


def seed_text(example: Example) -> str:
    return ("---\n"
            f"title: CommonMark spec example {example.number}\n"
            "language: en\n"
            "lastReviewed: 2026-01-15\n"
            "reviewFrequency: annual\n"
            f"url: {BASE_URL}\n"
            "---\n"
            f"{example.markdown}")


# --- outlines ---------------------------------------------------------------------

def outline(fragment: str, *, spec: bool) -> list[str]:
    """One line per block: nesting, the block's kind and its inline content."""
    wrapper = lxml.html.fragment_fromstring(fragment or "<div></div>", create_parent="div")
    lines: list[str] = []
    _walk(wrapper, 0, lines, spec)
    return lines


def _walk(element, depth: int, lines: list[str], spec: bool) -> None:
    for child in element:
        if not isinstance(child.tag, str):
            continue
        tag = child.tag
        if tag in ("thead", "tbody", "div", "main"):
            _walk(child, depth, lines, spec)
        elif tag == "pre":
            code = child.find("code")
            text = (code if code is not None else child).text_content()
            lines.append("  " * depth + "pre: " + json.dumps(text))
        elif tag == "hr":
            lines.append("  " * depth + "hr")
        elif tag in ("ul", "ol", "blockquote", "table", "tr", "figure"):
            start = child.get("start")
            label = tag + (f" start={start}" if tag == "ol" and start not in (None, "1") else "")
            lines.append("  " * depth + label)
            _walk(child, depth + 1, lines, spec)
        elif tag == "li" and any(isinstance(c.tag, str) and c.tag in BLOCKS for c in child):
            lines.append("  " * depth + "li")
            _inline_then_blocks(child, depth + 1, lines, spec)
        elif tag in BLOCKS:
            kind = "h" if re.fullmatch(r"h[1-6]", tag) else tag
            lines.append("  " * depth + f"{kind}: {inline(child, spec)}")
        else:
            lines.append("  " * depth + f"?{tag}: {inline(child, spec)}")


def _inline_then_blocks(element, depth: int, lines: list[str], spec: bool) -> None:
    """A list item holding text and blocks: its loose text is a paragraph of its own."""
    loose = (element.text or "").strip()
    if loose:
        lines.append("  " * depth + "p: " + " ".join(loose.split()))
    for child in element:
        if isinstance(child.tag, str) and child.tag in BLOCKS:
            _walk_one(child, depth, lines, spec)
        elif isinstance(child.tag, str):
            lines.append("  " * depth + "p: " + inline_one(child, spec))
        tail = (child.tail or "").strip()
        if tail:
            lines.append("  " * depth + "p: " + " ".join(tail.split()))


def _walk_one(child, depth: int, lines: list[str], spec: bool) -> None:
    holder = lxml.html.Element("div")
    holder.append(child.__copy__())
    _walk(holder, depth, lines, spec)


def inline(element, spec: bool) -> str:
    parts = [element.text or ""]
    for child in element:
        parts.append(inline_one(child, spec))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def inline_one(child, spec: bool) -> str:
    if not isinstance(child.tag, str):
        return ""
    tag = child.tag
    if tag == "a":
        href = child.get("href", "")
        if spec and not href.startswith("#"):
            href = urljoin(BASE_URL, href)
        return f"[{inline(child, spec)}]({href})"
    if tag == "img":
        return f"![{child.get('alt', '')}]({child.get('src', '')})"
    if tag == "span" and "picture" in (child.get("class") or "").split():
        return f"![{inline(child, spec)}](remote)"
    if tag == "code":
        return "`" + child.text_content() + "`"
    if tag == "br":
        return "⏎"
    if tag in ("em", "strong"):
        mark = "*" if tag == "em" else "**"
        return mark + inline(child, spec) + mark
    return inline(child, spec)


# --- expected differences, applied to the spec's outline ---------------------------

def faithful_form(lines: list[str], *, spec: bool) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        stripped = line.strip()
        if spec and stripped == "h:":  # heading repair
            following = lines[i + 1] if i + 1 < len(lines) else ""
            if following.strip().startswith("p: ") and _indent(following) == _indent(line):
                out.append(line.replace("h:", "h: " + following.strip()[3:]))
                i += 2
                continue
            i += 1
            continue
        out.append(line)
        i += 1
    out = _tight_items(out)
    text = "\n".join(out)
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"![\1](remote)", text)  # remote picture
    # unsafe links and in-page links to nothing: their text only
    text = re.sub(r"\[((?:[^\[\]]|\[[^\]]*\])*)\]\((?!https?:|mailto:|tel:)[^)]*\)", r"\1", text)
    return text.split("\n") if text else []


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _tight_items(lines: list[str]) -> list[str]:
    """``li`` holding a single ``p`` → the item's text on the ``li`` line."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() == "li" and i + 1 < len(lines):
            depth = _indent(line)
            children = []
            j = i + 1
            while j < len(lines) and _indent(lines[j]) > depth:
                children.append(lines[j])
                j += 1
            if len(children) == 1 and children[0].strip().startswith("p: "):
                out.append(" " * depth + "li: " + children[0].strip()[3:])
                i = j
                continue
        out.append(line)
        i += 1
    return out


def main_of(handout_html: str) -> str:
    match = re.search(r'<main id="main"[^>]*>(.*?)</main>', handout_html, re.S)
    return match.group(1) if match else ""


def judge(example: Example, handout_html: str | None, output: str = "") -> Outcome:
    expected = outline(example.html, spec=True)
    if handout_html is None:
        refused = re.search(rf"seeds/{example.slug}\.md(:\d+)?: error: no font for ", output)
        return Outcome(example, "refused" if refused else "lost", "\n".join(expected), "")
    got = outline(main_of(handout_html), spec=False)
    if expected == got:
        verdict = "identical"
    elif faithful_form(expected, spec=True) == faithful_form(got, spec=False):
        verdict = "faithful"
    else:
        verdict = "altered"
    return Outcome(example, verdict, "\n".join(expected), "\n".join(got))


# --- building -------------------------------------------------------------------

def build_examples(project: Path, chosen: list[Example], formats: tuple[str, ...]) -> dict[str, str]:
    """Build the chosen examples as seeds; the handout HTML of each one built."""
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import make_project, run_cli
    make_project(project, {f"{e.slug}.md": seed_text(e).encode() for e in chosen},  # bytes: not dedented
                 config='[project]\nsource_language = "en"\nlocales = ["en"]\n')
    argv = ["build", "--project", str(project), "--jobs", "1"]
    for fmt in formats:
        argv += ["--format", fmt]
    run = run_cli(*argv)
    built: dict[str, str] = {}
    manifest = json.loads((project / "dist" / "manifest.json").read_text())
    for entry in manifest["handouts"]:
        if entry.get("html"):
            built[entry["slug"]] = (project / "dist" / entry["html"]).read_text()
        elif entry.get("pdf"):
            built[entry["slug"]] = ""
    built["__output__"] = run.output
    return built


def run_all(project: Path, formats: tuple[str, ...] = ("html",)) -> list[Outcome]:
    chosen = [e for e in examples() if not has_raw_html(e)]
    built = build_examples(project, chosen, formats)
    return [judge(e, built.get(e.slug), built["__output__"]) for e in chosen]


def counts_by_section(outcomes: list[Outcome]) -> dict[str, Counter]:
    table: dict[str, Counter] = {}
    for outcome in outcomes:
        table.setdefault(outcome.example.section, Counter())[outcome.verdict] += 1
    return table


def report(outcomes: list[Outcome]) -> str:
    verdicts = ("identical", "faithful", "refused", "altered", "lost")
    rows = [f"{'section':<36}" + "".join(f"{v:>10}" for v in verdicts)]
    table = counts_by_section(outcomes)
    for section, counter in table.items():
        rows.append(f"{section:<36}" + "".join(f"{counter[v]:>10}" for v in verdicts))
    total = Counter(o.verdict for o in outcomes)
    rows.append(f"{'TOTAL':<36}" + "".join(f"{total[v]:>10}" for v in verdicts))
    return "\n".join(rows)


if __name__ == "__main__":
    import tempfile
    formats = ("html", "pdf") if "--pdf" in sys.argv else ("html",)
    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        outcomes = run_all(Path(tmp) / "spec", formats)
        took = time.monotonic() - started
    print(report(outcomes))
    print(f"{len(outcomes)} examples in {took:.1f} s ({', '.join(formats)})")
    if "-v" in sys.argv:
        for o in outcomes:
            if o.verdict in ("altered", "lost", "refused"):
                print(f"\n## {o.example.number} {o.example.section} {o.verdict}\n"
                      f"{o.example.markdown}--- spec\n{o.expected}\n--- ours\n{o.got}")
