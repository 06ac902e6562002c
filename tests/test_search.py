"""Search with no server: Pagefind indexes the published handout pages at the end of
each build, one index per language, and each language's index page gets a search
form (search.js, the only script in dist/) that works in a real browser."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from publisher.preflight import html as html_checks
from publisher.serve import address, make_server

from conftest import make_project, run_cli, seed

HERE = Path(__file__).resolve().parent
SEEDS = {
    "linfedema.md": seed(
        "'Linfedema: cómo cuidar su brazo'", language="es", cancerTypes="[breast]",
        tags="[swelling]",
        body="El linfedema es una hinchazón del brazo. Para el linfedema, levante el brazo "
             "y use una manga de compresión.\n"),
    "quimioterapia.md": seed(
        "'Quimioterapia: qué esperar'", language="es", cancerTypes="[breast]",
        body="Coma algo ligero antes del tratamiento. Pregunte por el riesgo de linfedema "
             "si le operaron.\n"),
    "lymphedema.md": seed(
        "'Lymphedema: caring for your arm'", cancerTypes="[breast]",
        body="Lymphedema is swelling of the arm. Raise your arm and wear a compression "
             "sleeve.\n"),
    "fatigue.md": seed("Coping with fatigue",
                       body="Rest when you need to, and keep moving a little each day.\n"),
    "lymph-ar.md": seed(
        "'الوذمة اللمفية: العناية بذراعك'", language="ar", cancerTypes="[breast]",
        body="الوذمة اللمفية هي تورم في الذراع. ارفع ذراعك وارتد كمًا ضاغطًا.\n"),
}
CONFIG = '[project]\nsource_language = "en"\nlocales = ["en", "es", "ar"]\n'


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = make_project(tmp_path_factory.mktemp("search"), SEEDS, CONFIG)
    result = run_cli("build", "--project", str(root), "--jobs", "1")
    assert result.status == 0, result.output
    return root


def fragments(dist: Path) -> list[dict]:
    """What Pagefind stored for each indexed page (its fragments are gzip'd JSON)."""
    found = []
    for path in (dist / "pagefind" / "fragment").iterdir():
        raw = gzip.decompress(path.read_bytes())
        found.append(json.loads(raw[raw.index(b"{"):]))
    return found


def test_only_published_handout_pages_are_indexed_one_index_per_language(
        project: Path) -> None:
    dist = project / "dist"
    stored = {f["url"]: f for f in fragments(dist)}
    assert set(stored) == {"/es/linfedema.html", "/es/quimioterapia.html",
                           "/en/lymphedema.html", "/en/fatigue.html", "/ar/lymph-ar.html"}
    linfedema = stored["/es/linfedema.html"]
    assert linfedema["meta"] == {"title": "Linfedema: cómo cuidar su brazo",
                                 "pdf": "linfedema.pdf"}
    assert linfedema["filters"] == {"topic": ["breast"], "tag": ["swelling"]}
    # The handout's text, not the page's navigation or download link.
    assert linfedema["content"].startswith("El linfedema es una hinchazón")
    entry = json.loads((dist / "pagefind" / "pagefind-entry.json").read_text())
    assert set(entry["languages"]) == {"en", "es", "ar"}


def test_index_files_are_owned_by_the_build(project: Path) -> None:
    dist = project / "dist"
    pages = json.loads((dist / "manifest.json").read_text())["pages"]
    on_disk = {p.relative_to(dist).as_posix() for p in (dist / "pagefind").rglob("*")
               if p.is_file()}
    assert on_disk and on_disk <= set(pages)
    assert "search.js" in pages
    assert not any("-ui" in name for name in on_disk)  # Pagefind's unused interfaces
    # A removed seed takes its fragment with it: the next build removes what it
    # no longer writes.
    (project / "seeds" / "fatigue.md").unlink()
    assert run_cli("build", "--project", str(project), "--jobs", "1").status == 0
    assert "/en/fatigue.html" not in {f["url"] for f in fragments(dist)}
    left = {p.relative_to(dist).as_posix() for p in (dist / "pagefind").rglob("*")
            if p.is_file()}
    assert left <= set(json.loads((dist / "manifest.json").read_text())["pages"])


def test_only_index_pages_load_a_script_and_check_allows_only_that(project: Path) -> None:
    dist = project / "dist"
    for page in dist.rglob("*.html"):
        scripts = re.findall(r"<script[^>]*>", page.read_text(encoding="utf-8"))
        is_index = page.name == "index.html" and page.parent != dist
        assert scripts == (['<script src="../search.js" defer>'] if is_index else []), page
    assert run_cli("check", str(dist)).status == 0
    # The same script tag on a handout page, or any other script, is refused.
    handout = dist / "es" / "linfedema.html"
    bad = handout.with_name("copy.html")
    bad.write_text(handout.read_text().replace(
        "</head>", '<script src="../search.js" defer></script></head>'))
    assert [p.check for p in html_checks.check_html(bad)] == ["html-script"]
    index = dist / "es" / "index.html"
    other = index.parent / "sub"
    other.mkdir()
    (other / "index.html").write_text(index.read_text().replace(
        'src="../search.js" defer', 'src="../search.js" defer async'))
    assert "html-script" in [p.check for p in html_checks.check_html(other / "index.html")]
    bad.unlink()
    (other / "index.html").unlink()
    other.rmdir()


def test_without_javascript_the_form_stays_hidden(project: Path) -> None:
    page = (project / "dist" / "es" / "index.html").read_text(encoding="utf-8")
    assert '<section id="search" class="search" aria-labelledby="search-heading" hidden>' \
        in page
    assert '<h2 id="all">' in page  # the lists are all there


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs chromium")
def test_search_in_a_browser_every_language_both_widths(project: Path) -> None:
    """A Spanish query finds the Spanish handout first; en and ar (RTL) too; at 320 and
    1280 px: reached with Tab, count announced in a polite live region, results link
    the page and the PDF, no axe violation, nothing scrolls sideways, also at 200 %."""
    server = make_server(project / "dist", port=0)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        done = subprocess.run(
            [sys.executable, str(HERE / "search_job.py"), address(server),
             json.dumps({"es": "linfedema", "en": "lymphedema", "ar": "الوذمة"})],
            capture_output=True, text=True, timeout=300, cwd=HERE)
    finally:
        server.shutdown()
        server.server_close()
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    site = address(server)
    first = {"es": "es/linfedema", "en": "en/lymphedema", "ar": "ar/lymph-ar"}
    for key, seen in report.items():
        locale = key.split("@")[0]
        assert seen["violations"] == [], (key, seen["violations"])
        assert seen["tab_stops"][-1] == "search-input", key
        assert seen["role"] == "status" and seen["live"] == "polite"
        assert seen["status"] == f"Handouts found: {len(seen['results'])}", key
        top = seen["results"][0]
        assert top["html"] == f"{site}{first[locale]}.html", key
        assert top["pdf"] == f"{site}{first[locale]}.pdf", key
        assert all(r["html"].startswith(f"{site}{locale}/") for r in seen["results"])
        assert seen["after_results_tab"] == f"a:{top['html']}", key
        assert not seen["scrolls"] and not seen["scrolls_at_200"], key
    assert [r["title"] for r in report["es@320"]["results"]] == [
        "Linfedema: cómo cuidar su brazo", "Quimioterapia: qué esperar"]
