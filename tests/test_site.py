"""The download site as files: the language chooser, the index per language, topic
groups, and `publisher serve`.  (The browser checks are in test_browser.py.)

``built_multi`` is the small several-language site that test_browser.py and
test_visual.py also use; it is built once per session however many modules ask.
"""

from __future__ import annotations

import argparse
import io
import re
import threading
import time
from pathlib import Path
from urllib.request import urlopen

import pytest

from publisher import serve as serve_module
from publisher.serve import address, make_server
from publisher.site import humanize, slug, topic_groups
from publisher.write_dist import ManifestEntry

from conftest import make_project, run_cli, seed

MULTI_SEEDS = {
    "chemotherapy.md": seed(
        "'Chemotherapy: what to expect'", cancerTypes="[breast, colorectal]",
        tags="[treatment]",
        body="""\
        ## Before your first treatment

        Eat a light meal. Bring a list of your medicines and call
        [the clinic](https://example.org/contact) at 555-0100 with questions.

        | When | What |
        | --- | --- |
        | Day 1 | Infusion, about 4 hours |
        | Day 2 to 5 | Rest and drink water |
        """),
    "radiation-therapy.md": seed(
        "Radiation therapy and your skin", cancerTypes="[breast, skin]",
        body="## Skin care\n\n- Wash with mild soap.\n- Avoid the sun.\n"),
    "fatigue.md": seed("Coping with fatigue", cancerTypes="[a-very-rare-type]",
                       body="Rest when you need to, and keep moving a little each day.\n"),
    "quimioterapia.md": seed(
        "'Quimioterapia: qué esperar'", language="es", lastReviewed="2026-02-03",
        cancerTypes="[breast]", body="## Antes del tratamiento\n\nComa algo ligero.\n"),
    "nutrition-ar.md": seed(
        "التغذية أثناء العلاج", language="ar", cancerTypes="[colorectal]",
        body="## الطعام\n\nتناول وجبات صغيرة عدة مرات في اليوم.\n"),
}
MULTI_CONFIG = """\
[project]
source_language = "en"
locales = ["en", "es", "ar"]
"""

_built: dict[str, Path] = {}


def built_multi(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """dist/ of several seeds in three languages (one RTL) with shared topics."""
    if "multi" not in _built:
        project = make_project(tmp_path_factory.mktemp("multi"), MULTI_SEEDS, MULTI_CONFIG)
        result = run_cli("build", "--project", str(project), "--jobs", "1")
        assert result.status == 0, result.output
        _built["multi"] = project / "dist"
    return _built["multi"]


@pytest.fixture(scope="session")
def multi_dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return built_multi(tmp_path_factory)


def body(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("<body>", 1)[1]


# --------------------------------------------------------------------------- pages

def test_language_chooser_names_languages_in_themselves(multi_dist: Path) -> None:
    page = body(multi_dist / "index.html")
    links = re.findall(r'<a href="([^"]+)" hreflang="([^"]+)" lang="([^"]+)" dir="([^"]+)">'
                       r"([^<]+)</a>", page)
    assert links == [("en/index.html", "en", "en", "ltr", "English"),
                     ("es/index.html", "es", "es", "ltr", "Español"),
                     ("ar/index.html", "ar", "ar", "rtl", "العربية")]


def test_language_index_entry_has_everything_a_patient_needs(multi_dist: Path) -> None:
    page = (multi_dist / "es" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="es" dir="ltr">' in page
    assert '<a href="quimioterapia.html">Quimioterapia: qué esperar</a>' in page
    assert "3 de febrero de 2026" in page
    assert ('<a href="quimioterapia.pdf" type="application/pdf" '
            'download="quimioterapia-es.pdf">') in page
    assert re.search(r"\(1 page, \d+ kB\)", page)
    # Without site.base_url no hreflang alternates: search engines take only absolute
    # addresses (test_findable.py has them with one).
    assert 'rel="alternate"' not in page and 'rel="canonical"' not in page


def test_index_groups_by_topic_with_links_that_need_no_javascript(multi_dist: Path) -> None:
    page = body(multi_dist / "en" / "index.html")
    assert "<script" not in page
    nav = re.search(r'<nav aria-labelledby="topics-heading".*?</nav>', page, re.S).group(0)
    assert re.findall(r'<a href="#([^"]+)">([^<]+)</a> \((\d+)\)', nav) == [
        ("all", "All handouts", "3"), ("topic-a-very-rare-type", "A very rare type", "1"),
        ("topic-breast", "Breast cancer", "2"), ("topic-colorectal", "Colorectal cancer", "1"),
        ("topic-skin", "Skin cancer", "1")]
    for anchor in re.findall(r'href="#([^"]+)"', nav):
        assert f'<h2 id="{anchor}">' in page


def test_a_single_handout_gets_no_topic_sections(multi_dist: Path) -> None:
    page = body(multi_dist / "ar" / "index.html")
    assert "topics-heading" not in page and page.count('class="handout-entry"') == 1


def test_topic_names_are_interface_text_with_a_context(tmp_path: Path) -> None:
    """Babel's Jinja extractor finds the topic names (msgctxt "cancer type")."""
    from babel.messages.extract import extract_from_file
    messages = list(extract_from_file(
        "jinja2", str(Path(__file__).parent.parent / "templates" / "index.html"),
        options={"extensions": "jinja2.ext.i18n", "silent": "false"}))
    names = {m[1] for m in messages if m[3] == "cancer type"}
    assert {"Breast cancer", "Skin cancer", "Head and neck cancer"} <= names
    plain = {m[1] for m in messages if not m[3]}
    assert {"All handouts", "Translation not yet reviewed", "Draft translation"} <= plain


def test_topic_groups_are_data_for_the_template() -> None:
    def entry(slug_: str, title: str, types: tuple[str, ...]) -> ManifestEntry:
        return ManifestEntry(slug_, "en", title, f"en/{slug_}.html", f"en/{slug_}.pdf", {},
                             2, 2048, "source", "2026-01-01", None, (), types)
    groups = topic_groups([entry("b", "beta", ("Lung",)), entry("a", "Alpha", ("lung", "x y"))],
                          "en")
    assert [(g["id"], g["kind"], g["key"]) for g in groups] == [
        ("all", "all", ""), ("topic-lung", "topic", "lung"), ("topic-x-y", "topic", "x-y")]
    assert [len(g["entries"]) for g in groups] == [2, 2, 1]
    assert [e["title"] for e in groups[0]["entries"]] == ["Alpha", "beta"]
    assert groups[0]["entries"][0]["size"] == "2 kB"
    assert slug("Head & Neck") == "head-neck" and humanize("head-and-neck") == "Head and neck"


# --------------------------------------------------------------------------- serve

def test_serve_run_serves_dist_until_stopped(multi_dist: Path, monkeypatch) -> None:
    started: dict[str, object] = {}
    real = serve_module.make_server

    def capture(*args, **kwargs):
        started["server"] = server = real(*args, **kwargs)
        return server
    monkeypatch.setattr(serve_module, "make_server", capture)
    parser = argparse.ArgumentParser()
    serve_module.add_arguments(parser)
    args = parser.parse_args(["--out", str(multi_dist), "--port", "0"])
    out = io.StringIO()
    thread = threading.Thread(target=lambda: started.setdefault(
        "status", serve_module.run(args, out)), daemon=True)
    thread.start()
    for _ in range(100):
        if "server" in started and "serving" in out.getvalue():
            break
        time.sleep(0.02)
    server = started["server"]
    url = address(server)
    assert url.startswith("http://127.0.0.1:") and url in out.getvalue()
    with urlopen(url + "ar/index.html") as response:
        assert response.headers["Content-Type"] == "text/html; charset=utf-8"
        assert '<html lang="ar" dir="rtl">' in response.read().decode("utf-8")
    with urlopen(url + "manifest.json") as response:
        assert response.headers["Content-Type"] == "application/json"
    pdf = next(multi_dist.glob("*/*.pdf")).relative_to(multi_dist).as_posix()
    with urlopen(url + pdf) as response:
        assert response.headers["Content-Type"] == "application/pdf"
        assert response.read().startswith(b"%PDF-")
    server.shutdown()
    thread.join(5)
    assert started["status"] == 0


def test_serve_run_without_a_built_site_is_a_usage_error(tmp_path: Path, capsys) -> None:
    parser = argparse.ArgumentParser()
    serve_module.add_arguments(parser)
    status = serve_module.run(parser.parse_args(["--project", str(tmp_path)]), io.StringIO())
    assert status == 2
    assert f"{tmp_path / 'dist'}: error: no such folder" in capsys.readouterr().err


def test_serve_listens_on_loopback_only(tmp_path: Path) -> None:
    for host in ("0.0.0.0", "192.168.1.5", "example.org", "::"):
        with pytest.raises(ValueError, match="127.0.0.1"):
            make_server(tmp_path, port=0, host=host)
    with make_server(tmp_path, port=0) as server:
        assert server.server_address[0] == "127.0.0.1"


def test_topic_names_follow_the_interface_catalog(tmp_path: Path) -> None:
    """A translated interface catalog names the topics; unknown keys stay humanized."""
    import gettext
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo

    from publisher.config import Config
    from publisher.render_html import HtmlRenderer

    catalog = Catalog(locale="es")
    catalog.add("Breast cancer", "Cáncer de mama", context="cancer type")
    catalog.add("All handouts", "Todos los folletos")
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    translations = gettext.GNUTranslations(buffer)
    entries = [ManifestEntry(s, "es", s.title(), f"es/{s}.html", f"es/{s}.pdf", {}, 1, 900,
                             "source", None, None, (), ("breast", "odd-type"))
               for s in ("uno", "dos")]
    templates = Path(__file__).parent.parent / "templates"
    page = HtmlRenderer(templates, Config()).index(
        "es", translations=translations, groups=topic_groups(entries, "es"), alternates=())
    assert '<h2 id="topic-breast">Cáncer de mama</h2>' in page
    assert '<h2 id="topic-odd-type"><span lang="en">Odd type</span></h2>' in page
    assert '<h2 id="all">Todos los folletos</h2>' in page


def test_serve_registers_as_a_subcommand() -> None:
    parser = argparse.ArgumentParser()
    serve_module.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["serve", "--port", "8123"])
    assert (args.command, args.port, args.run) == ("serve", 8123, serve_module.run)
