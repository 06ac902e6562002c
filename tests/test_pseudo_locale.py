"""No English left in a translated page: a pseudo-locale build.

Every interface string and every segment of every seed is "translated" into German,
Spanish and Arabic (right to left, six plural forms) as itself with each ASCII letter
swapped for an accented one and wrapped in «…» ("«Ṕáğé 1 óƒ 2»"; a link's text inside
a segment gets its own markers, as a real translation translates it too).  One build
of all three is read back:

- every visible text of a translated HTML page (read with an HTML5 parser) is inside
  markers, except what is no word of a language: numbers, punctuation, web addresses
  and Babel's unit symbols for the language ("46 kB");
- no page and no PDF (Poppler's pdftotext, footers included) has a word of plain
  ASCII letters except the words Babel writes for the language (month names);
- text marked with another ``lang`` is a name, right in its own language: the other
  languages' names, the seeds' front matter (source, citation), an unknown topic key.
"""

from __future__ import annotations

import json
import re
import subprocess
from datetime import date
from pathlib import Path

import pytest
import tinyhtml5
from babel.dates import format_date
from babel.messages.pofile import read_po, write_po

from publisher import catalogs
from publisher.inline import link_spans
from publisher.locales import babel_locale, human_size, native_name

from conftest import make_project, run_cli, seed

XHTML = "{http://www.w3.org/1999/xhtml}"
LOCALES = ("de", "es", "ar")
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

ACCENTED = str.maketrans("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
                         "áƀçďéƒğĥíĵķĺḿñóṕʠŕśţúṽŵẋýźÁɃÇĎÉƑĞĤÍĴĶĹḾÑÓṔꝖŔŚŢÚṼŴẊÝŹ")
#: What a translation keeps as it is: placeholders, link targets, tags, addresses.
KEPT = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|\]\([^)]*\)|<[^>]*>|&\w+;"
                  r"|https?://\S+|www\.\S+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def accented(text: str) -> str:
    """``text`` with its letters accented, except what a translation must keep."""
    pieces, last = [], 0
    for match in KEPT.finditer(text):
        pieces += [text[last:match.start()].translate(ACCENTED), match.group()]
        last = match.end()
    return "".join(pieces) + text[last:].translate(ACCENTED)


def pseudo(msgid: str) -> str:
    """The link labels marked too: a link's words are words of the page."""
    with_links = msgid
    for span in sorted(link_spans(msgid), key=lambda s: s.start, reverse=True):
        if span.token.type == "link_open":
            label = with_links[span.start + 1:span.label_end]
            with_links = (with_links[:span.start + 1] + f"«{label}»"
                          + with_links[span.label_end:])
    return f"«{accented(with_links)}»"


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


@pytest.fixture(scope="module", params=LOCALES)
def locale(request) -> str:
    return request.param


@pytest.fixture(scope="module")
def pseudo_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One build of every pseudo locale (and English), shared by every test."""
    project = make_project(tmp_path_factory.mktemp("pseudo"), SEEDS, copy_example=True,
                           config=f'[project]\nlocales = {json.dumps(["en", *LOCALES])}\n'
                                  '[site]\nbase_url = "https://handouts.example.org"\n')
    assert run_cli("update", "--project", str(project)).status == 0
    for path in sorted((project / "locales").glob("*/LC_MESSAGES/*.po")):
        pseudo_translate(path)
    for locale in LOCALES:  # the notices a patient reads are used only once reviewed
        assert run_cli("review", "--project", str(project), "--locale", locale,
                       "--doc", "messages", "--by", "Test Reviewer", "--yes").status == 0
    result = run_cli("build", "--project", str(project), "--jobs", "2",
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


def leftover(text: str, locale: str) -> str:
    """The words of ``text`` outside «…» markers that are not numbers or addresses."""
    while MARKED.search(text):
        text = MARKED.sub(" ", text)
    for unit in _unit_symbols(locale):
        text = re.sub(rf"(?<=\d)\s*{re.escape(unit)}(?!\w)", " ", text)
    return " ".join(NOT_WORDS.sub(" ", text).split())


def _unit_symbols(locale: str) -> set[str]:
    return {re.sub(r"[\d\s.,]", "", human_size(size, locale)) for size in (5000, 5_000_000)}


def translated_pages(dist: Path, locale: str) -> list[Path]:
    # The bilingual handouts show the source beside the translation on purpose (each
    # text marked with its language: test_bilingual.py).
    return sorted(p for p in (dist / locale).glob("*.html") if ".bilingual." not in p.name)


def test_the_pseudo_locale_build_publishes_every_handout(pseudo_site: Path, locale: str) -> None:
    assert [p.name for p in translated_pages(pseudo_site, locale)] == [
        "chemotherapy.html", "index.html", "recurrent-breast-cancer.html"]


def page_text(page: Path, locale: str) -> str:
    """The page's visible text in its own language, in reading order: text in another
    language (checked separately) becomes a space; inline elements do not break it,
    so markers that enclose a link or a bold span still pair up."""
    return "".join(text if lang == locale else " " for lang, text in visible_texts(page))


def test_no_visible_text_of_a_translated_page_is_outside_the_markers(
        pseudo_site: Path, locale: str) -> None:
    leaks = {page.name: leftover(page_text(page, locale), locale)
             for page in translated_pages(pseudo_site, locale)}
    assert {name: text for name, text in leaks.items() if text} == {}


#: Words that are right in their own language on any page: the names of languages,
#: the seeds' front matter (no catalog has it) and a topic key no template names.
NAMES = {native_name("en"), "NCI", "NCI, 2025", "Test clinic", "Odd type"}


def test_text_in_another_language_is_marked_and_is_a_name(pseudo_site: Path,
                                                          locale: str) -> None:
    others = [loc for loc in ("en", *LOCALES) if loc != locale]
    other = {(lang, text.strip()) for page in translated_pages(pseudo_site, locale)
             for lang, text in visible_texts(page) if lang != locale and text.strip()}
    assert {text for _, text in other} == NAMES | {native_name(loc) for loc in others}
    assert {lang for lang, _ in other} == set(others)


def pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


def english_words(text: str, locale: str) -> set[str]:
    """Words of plain ASCII letters: no pseudo-translation has one.  Names, addresses,
    identifiers with digits and the words Babel writes for the language (month names,
    "de" in "15 de enero de 2026", unit symbols) are not English left over."""
    for name in sorted(NAMES, key=len, reverse=True):
        text = text.replace(name, " ")
    text = re.sub(r"\S*/\S*|(?:[\w-]+\.)+[a-z]{2,}\b|\w*\d\w*", " ", text)
    # The tail of a web address wrapped onto its own line ("activity-fact-sheet").
    text = re.sub(r"(?m)^\s*-?[a-z0-9]+(?:-[a-z0-9]+)+-?\s*$", " ", text)
    return set(re.findall(r"\b[A-Za-z]+\b", text)) - babel_words(locale)


def babel_words(locale: str) -> set[str]:
    dates = " ".join(format_date(date(2026, month, 15), "long", locale=babel_locale(locale))
                     for month in range(1, 13))
    return set(re.findall(r"[A-Za-z]+", dates)) | _unit_symbols(locale)


def test_no_english_word_in_a_translated_page(pseudo_site: Path, locale: str) -> None:
    leaks = {page.name: english_words(page_text(page, locale), locale)
             for page in translated_pages(pseudo_site, locale)}
    assert {name: words for name, words in leaks.items() if words} == {}


def test_no_english_word_in_a_translated_pdf(pseudo_site: Path, locale: str) -> None:
    """Poppler's text of every PDF, footers included (in either direction: the words,
    not the markers, since a right-to-left line comes out in visual order)."""
    leaks = {pdf.name: english_words(pdf_text(pdf), locale)
             for pdf in sorted((pseudo_site / locale).glob("*.pdf"))
             if ".bilingual." not in pdf.name}
    assert leaks and {name: words for name, words in leaks.items() if words} == {}
