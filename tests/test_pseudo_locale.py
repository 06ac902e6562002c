"""No English left in a translated page: a pseudo-locale build.

Every interface string and every segment of every seed is "translated" into German
as itself wrapped in «…» (link texts inside a segment get their own markers, as a
real translation translates them too).  The built site is read back — the HTML with
an HTML5 parser, the PDFs with Poppler's pdftotext — and every visible text of a
German page must be inside markers, except what is not words of a language: numbers,
punctuation, web addresses, and Babel's German unit symbols ("46 kB").  Text marked
with another ``lang`` must be a name that is right in its own language (the other
languages' names, the seed's source).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import tinyhtml5
from babel.messages.pofile import read_po, write_po

from publisher import catalogs
from publisher.inline import LINK
from publisher.locales import human_size, native_name

from conftest import ROOT, make_project, run_cli, seed

XHTML = "{http://www.w3.org/1999/xhtml}"
LOCALE = "de"
#: Elements whose text is not shown (or is the page's own code).
HIDDEN = {"style", "script", "head"}
#: Attributes a reader sees or hears.
SHOWN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder")
MARKED = re.compile(r"«[^«»]*»")
#: What is not a word of any language: digits, punctuation, symbols, web addresses.
NOT_WORDS = re.compile(r"\S*/\S*|(?:[\w-]+\.)+[a-z]{2,}\b|\w*\d\w*|[^\w]|_")

SEEDS = {
    "chemotherapy.md": seed(
        "'Chemotherapy: what to expect'", cancerTypes="[breast, colorectal, odd-type]",
        source="Test clinic", license="cc-by-4.0",
        body="""\
        ## Before your first treatment

        Eat a light meal. Bring a list of your medicines and call
        [the clinic](https://example.org/contact) at 555-0100 with questions.

        | When | What |
        | --- | --- |
        | Day 1 | Infusion, about 4 hours |
        | Day 2 to 5 | Rest and drink water |

        > Ask about **side effects** and *tiredness*.
        """),
}


def pseudo(msgid: str) -> str:
    with_links = LINK.sub(lambda m: m.group(0).replace(
        f"[{m.group('text')}]", f"[«{m.group('text')}»]", 1), msgid)
    return f"«{with_links}»"


def pseudo_translate(path: Path) -> None:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, (list, tuple)):
            forms = [message.id[0]] + [message.id[1]] * (catalog.num_plurals - 1)
            message.string = tuple(pseudo(form) for form in forms)
        else:
            message.string = pseudo(message.id)
    with path.open("wb") as handle:
        write_po(handle, catalog)


@pytest.fixture(scope="module")
def pseudo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    project = make_project(tmp_path_factory.mktemp("pseudo"), SEEDS, copy_example=True,
                           config=f'[project]\nlocales = ["en", "{LOCALE}"]\n'
                                  '[site]\nbase_url = "https://handouts.example.org"\n')
    assert run_cli("update", "--project", str(project)).status == 0
    for path in sorted((project / "locales" / LOCALE / "LC_MESSAGES").glob("*.po")):
        pseudo_translate(path)
    result = run_cli("build", "--project", str(project), "--jobs", "1",
                     "--require", "translated")
    assert result.status == 0, result.output
    return project / "dist"


def effective_lang(element, inherited: str) -> str:
    return element.get("lang") or inherited


def visible_texts(page: Path) -> list[tuple[str, str]]:
    """``(lang, text)`` of every text node and shown attribute outside <head>, plus <title>."""
    root = tinyhtml5.parse(page.read_text(encoding="utf-8"))
    found: list[tuple[str, str]] = []

    def walk(element, lang: str) -> None:
        name = element.tag.removeprefix(XHTML) if isinstance(element.tag, str) else ""
        lang = effective_lang(element, lang)
        if name == "title":
            found.append((lang, element.text or ""))
        if name in HIDDEN and name != "head":
            return
        if name != "head":
            found.extend((lang, element.get(a)) for a in SHOWN_ATTRIBUTES if element.get(a))
            if element.text and name not in HIDDEN:
                found.append((lang, element.text))
        for child in element:
            walk(child, lang)
            if child.tail:
                found.append((lang, child.tail))

    walk(root, root.get("lang") or "")
    return [(lang, text) for lang, text in found if text.strip()]


def leftover(text: str) -> str:
    """The words of ``text`` outside «…» markers that are not numbers or addresses."""
    while MARKED.search(text):
        text = MARKED.sub(" ", text)
    for unit in _unit_symbols():
        text = re.sub(rf"(?<=\d)\s*{re.escape(unit)}\b", " ", text)
    return " ".join(NOT_WORDS.sub(" ", text).split())


def _unit_symbols() -> set[str]:
    return {re.sub(r"[\d\s.,]", "", human_size(size, LOCALE)) for size in (5000, 5_000_000)}


def german_pages(dist: Path) -> list[Path]:
    return sorted((dist / LOCALE).glob("*.html"))


def test_the_pseudo_locale_build_publishes_every_handout(pseudo_site: Path) -> None:
    assert [p.name for p in german_pages(pseudo_site)] == [
        "chemotherapy.html", "index.html", "recurrent-breast-cancer.html"]


def page_text(page: Path) -> str:
    """The page's visible text in its own language, in reading order: text in another
    language (checked separately) becomes a space; inline elements do not break it,
    so markers that enclose a link or a bold span still pair up."""
    return "".join(text if lang == LOCALE else " " for lang, text in visible_texts(page))


def test_no_visible_text_of_a_translated_page_is_outside_the_markers(pseudo_site: Path) -> None:
    leaks = {page.name: leftover(page_text(page)) for page in german_pages(pseudo_site)}
    assert {name: text for name, text in leaks.items() if text} == {}


#: Words that are right in their own language on any page: the names of languages,
#: the seeds' front matter (no catalog has it) and a topic key no template names.
NAMES = {native_name("en"), "NCI", "NCI, 2025", "Test clinic", "Odd type"}


def test_text_in_another_language_is_marked_and_is_a_name(pseudo_site: Path) -> None:
    other = {(lang, text.strip()) for page in german_pages(pseudo_site)
             for lang, text in visible_texts(page) if lang != LOCALE and text.strip()}
    assert {text for _, text in other} == NAMES
    assert {lang for lang, _ in other} == {"en"}


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def test_no_text_of_a_translated_pdf_is_outside_the_markers(pseudo_site: Path) -> None:
    leaks = {}
    for pdf in sorted((pseudo_site / LOCALE).glob("*.pdf")):
        text = pdf_text(pdf)
        for name in sorted(NAMES, key=len, reverse=True):  # tagged with their /Lang
            text = text.replace(name, " ")
        text = leftover(text)
        if text:
            leaks[pdf.name] = text
    assert leaks == {}
