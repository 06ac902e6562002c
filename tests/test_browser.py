"""Every built page in a real browser: axe-core (WCAG 2.x A/AA), a 320 px phone,
200% text, and the keyboard.

Debian's chromium is driven with Playwright (never a downloaded browser), one browser
for the whole session.  The pages are found by globbing ``dist/**/*.html`` of two
built projects — the real example, and a small site with several seeds in three
languages (one right-to-left) — so a new language or handout is checked without
touching this file.  Each check is a helper that returns problems; the tests at the
bottom prove every helper fails on a deliberately broken page.
"""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.request import urlopen

import pytest

from publisher.serve import address, make_server

from test_site import built_multi

sync_api = pytest.importorskip("playwright.sync_api")
axe_module = pytest.importorskip("axe_playwright_python.sync_playwright")

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PHONE = {"width": 320, "height": 640}

if not CHROMIUM.exists():  # `make test` installs it; say so instead of failing obscurely
    pytest.skip("Debian's chromium is not installed (apt-get install chromium)",
                allow_module_level=True)


# --------------------------------------------------------------------------- fixtures

@dataclass(frozen=True)
class Site:
    """A built dist/ folder and the address it is served at."""
    dist: Path
    url: str

    def pages(self) -> list[str]:
        return sorted(p.relative_to(self.dist).as_posix() for p in self.dist.rglob("*.html"))

    def manifest(self) -> dict:
        return json.loads((self.dist / "manifest.json").read_text(encoding="utf-8"))

    def pages_with_pdf_links(self) -> set[str]:
        """Addresses of the pages that must offer a PDF: handouts and language indexes."""
        handouts = [e for e in self.manifest()["handouts"] if e["pdf"]]
        return {self.url + name for e in handouts
                for name in (e["html"], f"{e['locale']}/index.html") if name}


@dataclass(frozen=True)
class Served:
    root: Path
    url: str


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One `publisher serve` server (in a thread) for every site of the session."""
    root = tmp_path_factory.mktemp("served")
    server = make_server(root, port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield Served(root, address(server))
    server.shutdown()
    server.server_close()


def _publish(served: Served, name: str, dist: Path) -> Site:
    shutil.copytree(dist, served.root / name)
    return Site(served.root / name, f"{served.url}{name}/")


@pytest.fixture(scope="session")
def multi_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Several seeds, three languages (one RTL), shared topics: the site's indexes."""
    return built_multi(tmp_path_factory)


@pytest.fixture(scope="session")
def sites(served: Served, example: Path, multi_dist: Path) -> list[Site]:
    return [_publish(served, "example", example / "dist"),
            _publish(served, "multi", multi_dist)]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM),
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def page(browser):
    """A desktop-sized tab, reused by every test that needs one."""
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def phone(browser):
    """A 320 CSS px wide tab (the WCAG reflow width)."""
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


@pytest.fixture(scope="session")
def all_pages(sites: list[Site]) -> list[str]:
    return [f"{site.url}{name}" for site in sites for name in site.pages()]


@pytest.fixture
def scratch(served: Served, request: pytest.FixtureRequest):
    """Write a small (bad) page beside the sites and return its address."""
    folder = served.root / "scratch"
    folder.mkdir(exist_ok=True)
    count = iter(range(1000))

    def write(html: str) -> str:
        name = f"{request.node.name}-{next(count)}.html"
        (folder / name).write_text(html, encoding="utf-8")
        return f"{served.url}scratch/{name}"
    return write


def _open(tab, url: str) -> None:
    response = tab.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url}: HTTP {response and response.status}"


# --------------------------------------------------------------------------- checks

@dataclass
class AxeReport:
    url: str
    violations: list[dict]
    passes: list[str]
    incomplete: list[str]

    def readable(self) -> str:
        lines = [f"{self.url}: {len(self.violations)} axe violation(s)"]
        for v in self.violations:
            lines.append(f"  {v['id']} ({v['impact']}): {v['help']}  [{', '.join(v['tags'])}]")
            lines.append(f"    {v['helpUrl']}")
            for node in v["nodes"][:5]:
                lines.append(f"    at {', '.join(map(str, node['target']))}: "
                             f"{node['html'][:160]}")
                summary = (node.get("failureSummary") or "").replace("\n", " / ")
                if summary:
                    lines.append(f"      {summary[:300]}")
            if len(v["nodes"]) > 5:
                lines.append(f"    ... and {len(v['nodes']) - 5} more")
        return "\n".join(lines)


_AXE = None


def axe_check(tab, url: str) -> AxeReport:
    """axe-core with the WCAG 2.0/2.1/2.2 A and AA rules on the page at ``url``."""
    global _AXE
    _AXE = _AXE or axe_module.Axe()
    _open(tab, url)
    results = _AXE.run(tab, options={"runOnly": {"type": "tag", "values": WCAG_TAGS},
                                     "resultTypes": ["violations"]}).response
    return AxeReport(url, results["violations"], [r["id"] for r in results["passes"]],
                     [r["id"] for r in results["incomplete"]])


#: JavaScript: elements whose own text is cut off by an ``overflow`` that hides it.
CLIPPED_TEXT = """() => {
  const hidden = v => v === "hidden" || v === "clip";
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") continue;
    const ownText = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!ownText && !el.querySelector("*")) continue;
    // Visually hidden text (1px clip for screen readers) is meant to be clipped.
    if (el.clientWidth <= 1 && el.clientHeight <= 1) continue;
    if (el.closest(".visually-hidden, .skip-link:not(:focus)")) continue;
    const cutX = hidden(style.overflowX) && el.scrollWidth > el.clientWidth + 1;
    const cutY = hidden(style.overflowY) && el.scrollHeight > el.clientHeight + 1;
    if ((cutX || cutY) && el.innerText.trim())
      out.push(`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}` +
               `.${[...el.classList].join(".")} "${el.innerText.trim().slice(0, 40)}"`);
  }
  return out;
}"""

#: JavaScript: font size of every element that has its own text.
TEXT_SIZES = """() => {
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (own && el.getClientRects().length)
      out.push(parseFloat(getComputedStyle(el).fontSize));
    else out.push(null);
  }
  return out;
}"""

ROOT_SIZE = "() => parseFloat(getComputedStyle(document.documentElement).fontSize)"


def horizontal_scroll(tab) -> list[str]:
    width = tab.evaluate("() => [document.documentElement.scrollWidth,"
                         " document.documentElement.clientWidth]")
    if width[0] > width[1]:
        return [f"the page scrolls sideways: {width[0]} px of content in {width[1]} px"]
    return []


def reflow_check(tab, url: str) -> list[str]:
    """At 320 CSS px: no sideways scrolling, no text cut off."""
    _open(tab, url)
    problems = horizontal_scroll(tab)
    problems += [f"text cut off: {c}" for c in tab.evaluate(CLIPPED_TEXT)]
    return [f"{url} at {tab.viewport_size['width']} px: {p}" for p in problems]


def text_resize_check(tab, url: str) -> list[str]:
    """Text doubled (the root font size set to 200%, as a reader's text-size setting
    does): every text grows with it, nothing scrolls sideways, nothing is cut off."""
    _open(tab, url)
    before, root = tab.evaluate(TEXT_SIZES), tab.evaluate(ROOT_SIZE)
    tab.evaluate("r => document.documentElement.style.setProperty("
                 "'font-size', (2 * r) + 'px', 'important')", root)
    after = tab.evaluate(TEXT_SIZES)
    problems = horizontal_scroll(tab)
    problems += [f"text cut off: {c}" for c in tab.evaluate(CLIPPED_TEXT)]
    fixed = sum(1 for b, a in zip(before, after)
                if b and a and a < 1.9 * b and a < 1.9 * root)
    if fixed:
        problems.append(f"{fixed} text element(s) do not grow with the text size "
                        f"(fixed font sizes?)")
    return [f"{url} at 200% text: {p}" for p in problems]


FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  return {tag: el.tagName.toLowerCase(), id: el.id, cls: el.className,
          href: el.getAttribute("href"), type: el.getAttribute("type"),
          text: (el.innerText || "").trim().slice(0, 60),
          outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth),
          visible: box.width > 1 && box.height > 1 && box.bottom > 0 && box.right > 0
                   && box.left < innerWidth && box.top < innerHeight};
}"""

AFTER_MAIN_START = """() => {
  const main = document.querySelector("main");
  const el = document.activeElement;
  if (!main || !el) return false;
  return el === main || !!(main.compareDocumentPosition(el) & Node.DOCUMENT_POSITION_FOLLOWING);
}"""


def focus_problems(focused: dict | None, what: str) -> list[str]:
    if focused is None:
        return [f"{what}: nothing has focus"]
    problems = []
    if focused["outlineStyle"] == "none" or focused["outlineWidth"] <= 0:
        problems.append(f"{what} <{focused['tag']}> {focused['text']!r} has no visible focus "
                        f"outline ({focused['outlineStyle']} {focused['outlineWidth']}px)")
    if not focused["visible"]:
        problems.append(f"{what} <{focused['tag']}> {focused['text']!r} is not on screen "
                        f"when it has focus")
    return problems


def keyboard_check(tab, url: str, *, expect_pdf: bool, max_tabs: int = 150) -> list[str]:
    """First Tab: a skip link to #main, visibly focused, and Enter moves focus into
    main; the PDF download link (if expected) can be reached with Tab."""
    _open(tab, url)
    problems: list[str] = []
    tab.keyboard.press("Tab")
    first = tab.evaluate(FOCUSED)
    if first is None or first["tag"] != "a" or first["href"] != "#main":
        problems.append(f"the first Tab stop is not a skip link to #main: {first}")
    else:
        problems += focus_problems(first, "the skip link")
        tab.keyboard.press("Enter")
        if tab.evaluate("() => document.activeElement && document.activeElement.id") != "main":
            tab.keyboard.press("Tab")  # focus may stay put but Tab must continue in main
        if not tab.evaluate(AFTER_MAIN_START):
            problems.append("the skip link does not move the focus to the main content")
    if expect_pdf:
        _open(tab, url)
        for _ in range(max_tabs):
            tab.keyboard.press("Tab")
            focused = tab.evaluate(FOCUSED)
            if focused and focused["type"] == "application/pdf":
                problems += focus_problems(focused, "the PDF link")
                break
        else:
            problems.append(f"no PDF link (type=application/pdf) within {max_tabs} Tab presses")
    return [f"{url}: {p}" for p in problems]


# --------------------------------------------------------------------------- the site

def test_every_language_every_handout_and_index_is_checked(sites: list[Site]) -> None:
    """The glob finds the chooser, one index per language and every handout page."""
    for site in sites:
        pages = set(site.pages())
        manifest = site.manifest()
        locales = {e["locale"] for e in manifest["handouts"]}
        expected = {"index.html", *(f"{loc}/index.html" for loc in locales),
                    *(e["html"] for e in manifest["handouts"] if e["html"])}
        assert expected <= pages, expected - pages
    assert {"en", "es", "ar"} <= {e["locale"] for e in sites[1].manifest()["handouts"]}


def test_no_axe_violations_on_any_page(page, all_pages: list[str],
                                       capsys: pytest.CaptureFixture[str]) -> None:
    reports = [axe_check(page, url) for url in all_pages]
    failures = [r.readable() for r in reports if r.violations]
    assert not failures, "\n\n".join(failures)
    passed = {rule for r in reports for rule in r.passes}
    incomplete = {rule for r in reports for rule in r.incomplete}
    with capsys.disabled():
        print(f"\naxe-core {WCAG_TAGS}: {len(reports)} page(s), 0 violations, "
              f"{len(passed)} rule(s) applicable and passed: {', '.join(sorted(passed))}; "
              f"needing a human look: {', '.join(sorted(incomplete)) or 'none'}")
    # The rules that matter most for these pages really ran and passed.
    assert {"html-has-lang", "document-title", "color-contrast", "link-name",
            "list", "valid-lang"} <= passed


def test_no_page_scrolls_sideways_or_cuts_text_at_320_px(phone, all_pages: list[str]) -> None:
    problems = [p for url in all_pages for p in reflow_check(phone, url)]
    assert not problems, "\n".join(problems)


def test_text_at_200_percent_grows_and_nothing_is_clipped(phone, all_pages: list[str]) -> None:
    problems = [p for url in all_pages for p in text_resize_check(phone, url)]
    assert not problems, "\n".join(problems)


def test_keyboard_skip_link_focus_outline_and_pdf_link(page, sites: list[Site],
                                                       all_pages: list[str]) -> None:
    with_pdf = set().union(*(site.pages_with_pdf_links() for site in sites))
    problems = []
    for url in all_pages:
        problems += keyboard_check(page, url, expect_pdf=url in with_pdf)
    assert not problems, "\n".join(problems)


# --------------------------------------------------------------------------- what pages say

def test_language_chooser_names_each_language_in_itself(page, sites: list[Site]) -> None:
    site = sites[1]
    _open(page, site.url + "index.html")
    links = page.eval_on_selector_all(
        "main a[hreflang]", "els => els.map(a => [a.hreflang, a.lang, a.dir, a.innerText,"
        " a.getAttribute('href')])")
    assert links == [["en", "en", "ltr", "English", "en/index.html"],
                     ["es", "es", "ltr", "Español", "es/index.html"],
                     ["ar", "ar", "rtl", "العربية", "ar/index.html"]]


def test_language_index_lists_handouts_with_date_pages_size_and_downloads(
        page, sites: list[Site]) -> None:
    site = sites[1]
    _open(page, site.url + "es/index.html")
    assert page.evaluate("document.documentElement.lang") == "es"
    entry = page.locator(".handout-entry").first
    assert entry.locator("h3 a").get_attribute("href") == "quimioterapia.html"
    assert "3 de febrero de 2026" in entry.inner_text()  # localized date
    pdf = entry.locator("a[type='application/pdf']")
    assert pdf.get_attribute("href") == "quimioterapia.pdf"
    assert pdf.get_attribute("download") == "quimioterapia-es.pdf"
    info = entry.locator(".file-info").inner_text()
    manifest = {e["slug"]: e for e in site.manifest()["handouts"]}
    assert f"{manifest['quimioterapia']['pages']} " in info and "kB" in info
    # Every link on the page works.
    for href in page.eval_on_selector_all("a[href]", "els => els.map(a => a.href)"):
        with urlopen(href.split("#")[0]) as response:
            assert response.status == 200, href


def test_topics_group_handouts_without_javascript(browser, sites: list[Site]) -> None:
    context = browser.new_context(java_script_enabled=False)
    tab = context.new_page()
    try:
        _open(tab, sites[1].url + "en/index.html")
        topics = tab.locator("nav.topics a").all_inner_texts()
        # Known cancer types get their interface name, an unknown one its key humanized.
        assert topics == ["All handouts", "A very rare type", "Breast cancer",
                          "Colorectal cancer", "Skin cancer"]
        tab.locator("nav.topics a", has_text="Skin cancer").click()
        assert tab.url.endswith("#topic-skin")
        assert tab.locator("#topic-skin + ul h3").all_inner_texts() == [
            "Radiation therapy and your skin"]
        assert tab.locator("#topic-breast + ul h3").all_inner_texts() == [
            "Chemotherapy: what to expect", "Radiation therapy and your skin"]
    finally:
        context.close()


def test_serve_sends_the_right_content_types(sites: list[Site]) -> None:
    site = sites[0]
    expected = {"index.html": "text/html; charset=utf-8",
                "en/recurrent-breast-cancer.pdf": "application/pdf",
                "manifest.json": "application/json"}
    for name, content_type in expected.items():
        with urlopen(site.url + name) as response:
            assert response.headers["Content-Type"] == content_type, name
            assert response.read() == (site.dist / name).read_bytes()


def test_serve_refuses_other_addresses(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="127.0.0.1"):
        make_server(tmp_path, port=0, host="0.0.0.0")
    with pytest.raises(FileNotFoundError):
        make_server(tmp_path / "missing", port=0)


# --------------------------------------------------------------------------- the checks fail

BAD_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"></head><body>
<p style="color:#bbb">Pale text</p><img src="x.png"><a href="next.html"></a>
</body></html>"""

GOOD_HEAD = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>t</title>
<style>body { margin: 0; padding: 8px; font-size: 1rem; }</style></head><body>"""


def test_axe_helper_reports_violations_on_a_bad_page(page, scratch) -> None:
    report = axe_check(page, scratch(BAD_PAGE))
    found = {v["id"] for v in report.violations}
    assert {"html-has-lang", "document-title", "image-alt", "link-name",
            "color-contrast"} <= found
    assert "image-alt" in report.readable() and "<img" in report.readable()


def test_reflow_helper_catches_a_wide_page(phone, scratch) -> None:
    url = scratch(GOOD_HEAD + '<main id="main"><div style="width:600px">wide</div></main>')
    assert any("scrolls sideways" in p for p in reflow_check(phone, url))


def test_reflow_helper_catches_text_cut_off(phone, scratch) -> None:
    url = scratch(GOOD_HEAD + '<p style="width:100px;overflow:hidden;white-space:nowrap">'
                  "A long sentence that cannot fit</p>")
    assert any("text cut off" in p for p in reflow_check(phone, url))


def test_text_resize_helper_catches_fixed_sizes_and_clipping(phone, scratch) -> None:
    url = scratch(GOOD_HEAD + '<p style="font-size:16px">Fixed size</p>'
                  '<p style="height:24px;overflow:hidden;font-size:1rem">One line</p>')
    problems = text_resize_check(phone, url)
    assert any("do not grow" in p for p in problems)
    assert any("text cut off" in p for p in problems)
    fine = scratch(GOOD_HEAD + "<p>Text in rem</p></body></html>")
    assert text_resize_check(phone, fine) == []


def test_keyboard_helper_catches_missing_skip_link_and_invisible_focus(page, scratch) -> None:
    no_skip = scratch(GOOD_HEAD + '<main id="main"><a href="a.pdf" type="application/pdf">'
                      "PDF</a></main>")
    assert any("skip link" in p for p in keyboard_check(page, no_skip, expect_pdf=True))
    no_outline = scratch(GOOD_HEAD + "<style>a:focus { outline: none }</style>"
                         '<a href="#main">Skip</a><main id="main"><p>Text</p>'
                         '<a href="a.pdf" type="application/pdf">PDF</a></main>')
    problems = keyboard_check(page, no_outline, expect_pdf=True)
    assert any("no visible focus outline" in p and "Skip" in p for p in problems)
    assert any("no visible focus outline" in p and "PDF" in p for p in problems)
    no_pdf = scratch(GOOD_HEAD + '<a href="#main">Skip</a><main id="main">'
                     '<a href="a.html">HTML</a></main>')
    assert any("no PDF link" in p for p in keyboard_check(page, no_pdf, expect_pdf=True,
                                                          max_tabs=5))
    skip_elsewhere = scratch(GOOD_HEAD + '<a href="#main">Skip</a><a href="x">One</a>'
                             '<div id="main"></div><a href="y">Two</a>'
                             '<main><a href="z">Three</a></main>')
    assert any("does not move the focus" in p
               for p in keyboard_check(page, skip_elsewhere, expect_pdf=False))
