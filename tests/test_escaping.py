"""Interface translations are text, never markup; a title's "&" is one "&".

Hostile msgstrs (attribute break-outs, tags, a stylesheet break-out, entities,
template syntax, broken placeholders) are rendered through the real templates, and
the pages are read back with an HTML5 parser (tinyhtml5, the one WeasyPrint uses),
the footer CSS with tinycss2, the PDFs with Poppler's pdftotext and pikepdf.
"""

from __future__ import annotations

import dataclasses
import gettext
import io
import json
import subprocess
import threading
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element

import pikepdf
import pytest
import tinycss2
import tinyhtml5
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from publisher import catalogs
from publisher.config import Config
from publisher.interface_text import EscapedGettext, css_string
from publisher.model import Document, FrontMatter, LocalizedDocument, Paragraph, Segment
from publisher.render_html import Alternate, HtmlRenderer, PdfLink
from publisher.site import topic_groups
from publisher.write_dist import ManifestEntry

from conftest import ROOT, make_project, run_cli, seed

XHTML = "{http://www.w3.org/1999/xhtml}"
TEMPLATES = ROOT / "templates"

#: msgid (context, id) -> a msgstr that tries to become markup.
HOSTILE = {
    (None, "Other languages"): 'Otros idiomas" onmouseover="alert(document.domain)',
    (None, "All handouts"): "Hojas<img src=x onerror=alert(document.domain)>",
    (None, "This handout in other languages"): "</h2><script>alert(document.domain)</script>",
    (None, "Source"): "Fuente & Co &amp; <b>",
    (None, "Last reviewed: %(date)s"): "Revisado: %(date)s <iframe src=x></iframe>",
    (None, "Download the large-print PDF"): "{{ 7*7 }}{% raw %}<a href=javascript:x>",
    (None, "Page %(page)s of %(pages)s"): 'Página %(page)s de %(pages)s"}</style>\\{',
    (None, "Skip to the content"): "100% seguro %(nada)s",   # placeholders that do not fit
    (None, "License"): "Licencia' onfocus='x",
    ("license", "Public domain"): "Dominio <u>público</u>",
    ("cancer type", "Breast cancer"): "<script>alert(document.domain)</script>Cáncer de mama",
    (None, "Patient handouts"): "Folletos --><!-- ",
}
BENIGN = {key: f"ES {key[1]}" for key in HOSTILE}


def translations_of(strings: dict[tuple[str | None, str], str]) -> gettext.GNUTranslations:
    catalog = Catalog(locale="es")
    for (context, msgid), msgstr in strings.items():
        catalog.add(msgid, msgstr, context=context)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def shape(page: str) -> list[tuple[str, tuple[str, ...]]]:
    """Every element of the parsed page with its attribute names, in document order."""
    root = tinyhtml5.parse(page)
    return [(element.tag.removeprefix(XHTML), tuple(sorted(element.attrib)))
            for element in root.iter() if isinstance(element.tag, str)]


def text_and_attributes(page: str) -> str:
    root = tinyhtml5.parse(page)
    pieces: list[str] = []
    for element in root.iter():
        pieces.extend(element.attrib.values())
        pieces.extend(t for t in (element.text, element.tail) if t)
    return "\n".join(pieces)


def handout_document() -> LocalizedDocument:
    meta = FrontMatter(title="Diet & You", language="en", last_reviewed=date(2026, 1, 15),
                       source="Test clinic & friends", license="public_domain",
                       url="https://example.org/diet")
    document = Document("diet", "seeds/diet.md", meta, Segment("Diet & You", 1, "title"),
                        (Paragraph(Segment("Eat **well** & rest.", 3, "paragraph")),),
                        "0" * 64)
    return LocalizedDocument(document, "es", document.title, document.blocks, "translated")


def pages(strings: dict[tuple[str | None, str], str]) -> dict[str, str]:
    renderer = HtmlRenderer(TEMPLATES, Config())
    translations = translations_of(strings)
    handout = handout_document()
    entry = ManifestEntry("diet", "es", "Diet & You", "es/diet.html", "es/diet.pdf", {}, 2, 900,
                          "translated", "2026-01-15", None, (), ("breast", "lung"))
    return {
        "web": renderer.handout(handout, medium="web", translations=translations,
                                pdf=PdfLink("diet.pdf", "diet-es.pdf", 2, "1 kB"),
                                alternates=(Alternate("en", "English", "../en/diet.html"),)),
        "print": renderer.handout(handout, medium="print", translations=translations),
        "index": renderer.index("es", translations=translations,
                                groups=topic_groups([entry, entry], "es"),
                                alternates=(Alternate("en", "English", "../en/index.html"),)),
        "languages": renderer.languages("es", translations=translations, languages=[
            {"locale": "es", "name": "Español", "dir": "ltr", "href": "es/index.html"}]),
    }


@pytest.mark.parametrize("page", ["web", "print", "index", "languages"])
def test_hostile_interface_strings_do_not_change_the_markup(page):
    hostile, benign = pages(HOSTILE)[page], pages(BENIGN)[page]
    assert shape(hostile) == shape(benign)


def test_hostile_interface_strings_are_shown_as_the_text_they_are():
    shown = "\n".join(text_and_attributes(page) for page in pages(HOSTILE).values())
    for (_, msgid), msgstr in HOSTILE.items():
        if "%" in msgid or "%" in msgstr:
            continue
        assert msgstr in shown, msgstr
    assert "Revisado: 15 de enero de 2026 <iframe src=x></iframe>" in shown
    # A msgstr whose placeholders do not fit falls back to the source string.
    assert "Skip to the content" in shown and "%(nada)s" not in shown


def test_a_title_ampersand_is_one_ampersand_in_html():
    web = pages(BENIGN)["web"]
    root = tinyhtml5.parse(web)
    assert root.find(f".//{XHTML}title").text == "Diet & You"
    assert "".join(root.find(f".//{XHTML}h1").itertext()) == "Diet & You"
    description = root.find(f".//{XHTML}meta[@name='description']").get("content")
    assert description == "Eat well & rest."  # the handout's first paragraph
    assert "Test clinic & friends" in text_and_attributes(web)
    assert "&amp;amp;" not in web


def footer_content(print_page: str) -> list:
    root = tinyhtml5.parse(print_page)
    styles = root.findall(f".//{XHTML}style")
    assert len(styles) == 1, "a msgstr opened or closed a <style> element"
    rules = tinycss2.parse_stylesheet(styles[0].text, skip_whitespace=True)
    page_rule = next(r for r in rules if r.type == "at-rule" and r.lower_at_keyword == "page")
    margin = next(r for r in tinycss2.parse_blocks_contents(page_rule.content)
                  if r.type == "at-rule" and r.lower_at_keyword == "bottom-right")
    [content] = [d for d in tinycss2.parse_blocks_contents(margin.content)
                 if d.type == "declaration" and d.lower_name == "content"]
    return [t for t in content.value if t.type != "whitespace"]


def test_the_footer_text_is_one_css_string_whatever_the_msgstr():
    tokens = footer_content(pages(HOSTILE)["print"])
    assert [t.type for t in tokens] == ["string", "function", "string", "function", "string"]
    assert [t.value for t in tokens if t.type == "string"] == [
        "Página ", " de ", '"}</style>\\{']


@pytest.mark.parametrize("text", ['"', "\\", "}", "</style>", "a\nb", "\x00", "é ü 中", "';{"])
def test_css_string_round_trips_through_a_css_parser(text):
    [token] = [t for t in tinycss2.parse_component_value_list(css_string(text))]
    assert token.type == "string" and token.value == text.replace("\x00", "\ufffd")


def test_a_msgstr_with_a_stray_percent_sign_is_no_crash():
    gettext_ = EscapedGettext(translations_of({
        (None, "Source"): "Fuente 100% & más",
        (None, "Last reviewed: %(date)s"): "Revisado: %(date)s al 100%",
        (None, "%(num)s page"): "%(num)s página %"}))
    assert gettext_.gettext("Source") == "Fuente 100% &amp; más"
    reviewed = gettext_.gettext("Last reviewed: %(date)s", date="15 de enero")
    assert reviewed == "Last reviewed: 15 de enero" and not reviewed.translated
    assert gettext_.ngettext("%(num)s page", "%(num)s pages", 1) == "1 page"


def test_escaped_gettext_escapes_values_and_keeps_plural_numbers():
    gettext_ = EscapedGettext(translations_of({(None, "Hello %(name)s"): "Hola <%(name)s>"}))
    assert gettext_.gettext("Hello %(name)s", name="<b>&") == "Hola &lt;&lt;b&gt;&amp;&gt;"
    assert gettext_.ngettext("%(num)s page", "%(num)s pages", 3) == "3 pages"


# --- through a real build: PDF text, metadata and outline, site pages ---------------------

def fill_po(path: Path, strings: dict[str, str]) -> None:
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id in strings:
            message.string = strings[message.id]
    with path.open("wb") as handle:
        write_po(handle, catalog)


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory) -> Path:
    project = make_project(tmp_path_factory.mktemp("hostile"), {
        "diet.md": seed("'Diet & You'", license="public_domain", source="'Clinic & Co'",
                        body="# Diet & You\n\n## Food & drink\n\nEat well & rest.\n")},
        config='[project]\nlocales = ["en", "es"]\n')
    assert run_cli("update", "--project", str(project)).status == 0
    path = catalogs.catalog_path(project, "es", "messages")
    with path.open("rb") as handle:
        catalog = read_po(handle)
    for message in catalog:
        if message.id and (message.context, message.id) in HOSTILE:
            message.string = HOSTILE[(message.context, message.id)]
    with path.open("wb") as handle:
        write_po(handle, catalog)
    fill_po(catalogs.catalog_path(project, "es", "diet"), {
        "Diet & You": "Diet & You", "Food & drink": "Comida & bebida",
        "Eat well & rest.": "Coma bien & descanse."})
    result = run_cli("build", "--project", str(project), "--jobs", "1",
                     "--require", "translated")
    assert (project / "dist" / "es" / "diet.pdf").exists(), result.output
    return project


def test_a_built_site_with_hostile_interface_strings_has_no_markup_from_them(hostile_build):
    for page in sorted((hostile_build / "dist").rglob("*.html")):
        root = tinyhtml5.parse(page.read_text(encoding="utf-8"))
        # The index pages' own search script (search.py) is the one script allowed.
        elements = [e for e in root.iter() if isinstance(e.tag, str) and not (
            e.tag == f"{XHTML}script" and e.get("src") == "../search.js")]
        names = {e.tag.removeprefix(XHTML) for e in elements}
        assert not names & {"script", "iframe", "u", "b"}, (page, names)
        assert not any(a.startswith("on") for e in elements for a in e.attrib), page
        assert all(not (e.get("href") or "").startswith("javascript") for e in elements), page
    es = (hostile_build / "dist" / "es" / "diet.html").read_text(encoding="utf-8")
    nav = tinyhtml5.parse(es).find(f".//{XHTML}nav")
    assert nav.get("aria-label") == HOSTILE[(None, "Other languages")]


def pdftotext(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def test_the_pdf_shows_the_hostile_footer_as_text_and_one_ampersand(hostile_build):
    pdf = hostile_build / "dist" / "es" / "diet.pdf"
    text = pdftotext(pdf)
    assert 'Página1de1"}</style>\\{' in "".join(text.split())  # the footer wraps
    assert "Diet & You" in text and "&amp;" not in text
    with pikepdf.open(pdf) as document:
        assert str(document.docinfo["/Title"]) == "Diet & You"
        with document.open_outline() as outline:
            titles = [item.title for item in outline.root]
        assert "Diet & You" in titles, titles


def test_index_and_manifest_show_one_ampersand(hostile_build):
    dist = hostile_build / "dist"
    manifest = json.loads((dist / "manifest.json").read_text(encoding="utf-8"))
    assert {h["title"] for h in manifest["handouts"]} == {"Diet & You"}
    for locale in ("en", "es"):
        root = tinyhtml5.parse((dist / locale / "index.html").read_text(encoding="utf-8"))
        titles = ["".join(h.itertext()) for h in root.iter(f"{XHTML}h3")]
        assert titles == ["Diet & You"], titles


# --- license names are interface text, in the page's language or marked -------------------

def license_dd(page: str) -> Element:
    root = tinyhtml5.parse(page)
    terms = list(root.iter(f"{XHTML}dt"))
    [term] = [t for t in terms if t.text in ("License", "Licencia")]
    return list(root.iter(f"{XHTML}dd"))[terms.index(term)]


@pytest.mark.parametrize(("key", "strings", "text", "lang"), [
    ("public_domain", {("license", "Public domain"): "Dominio público"}, "Dominio público", None),
    ("public_domain", {}, "Public domain", "en"),            # untranslated: marked English
    ("cc-by-4.0", {("license", "CC BY 4.0"): "CC BY 4.0"}, "CC BY 4.0", None),
    ("all_rights_reserved", {}, "all rights reserved", "en"),  # unknown key: the seed's words
])
def test_license_names_are_interface_strings_with_their_language(key, strings, text, lang):
    handout = handout_document()
    meta = dataclasses.replace(handout.document.meta, license=key)
    handout = dataclasses.replace(
        handout, document=dataclasses.replace(handout.document, meta=meta))
    page = HtmlRenderer(TEMPLATES, Config()).handout(
        handout, medium="web", translations=translations_of(strings))
    dd = license_dd(page)
    assert "".join(dd.itertext()) == text
    marked = [e.get("lang") for e in dd.iter() if e.get("lang")]
    assert marked == ([lang] if lang else []), marked


def test_license_names_are_extracted_with_their_context(tmp_path):
    template = catalogs.interface_template(make_project(tmp_path))
    assert template.get("Public domain", context="license") is not None
    assert template.get("CC BY-SA 4.0", context="license") is not None


# --- in a real browser: nothing a msgstr wrote runs ----------------------------------------

def test_no_hostile_interface_string_runs_in_chromium(tmp_path):
    """Every page with the hostile msgstrs in Debian's chromium: every element gets
    mouseover, focus and click events; no alert() is ever raised and no script runs."""
    from test_browser import CHROMIUM, CHROMIUM_ARGS, sync_api
    files = {}
    for name, html in pages(HOSTILE).items():
        files[name] = tmp_path / f"{name}.html"
        files[name].write_text(html, encoding="utf-8")
    dialogs: list[str] = []
    scripts: dict[str, int] = {}
    failures: list[BaseException] = []

    def visit() -> None:
        # In a thread of its own: test_browser's session browser owns this thread's loop.
        try:
            with sync_api.sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                                     args=CHROMIUM_ARGS)
                page = browser.new_page()
                page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
                for name, path in files.items():
                    page.goto(path.as_uri())
                    page.evaluate("""() => { for (const e of document.querySelectorAll('*'))
                        for (const type of ['mouseover', 'focus', 'click'])
                            e.dispatchEvent(new Event(type, {bubbles: false})); }""")
                    page.wait_for_timeout(100)
                    scripts[name] = page.evaluate("document.scripts.length")
                browser.close()
        except BaseException as exc:  # noqa: BLE001 (re-raised in the test's thread)
            failures.append(exc)

    thread = threading.Thread(target=visit)
    thread.start()
    thread.join(120)
    if failures:
        raise failures[0]
    assert scripts == {name: 0 for name in files}
    assert dialogs == []
