"""Findable: with ``site.base_url`` every page names its absolute language versions
(itself and ``x-default`` included) and its canonical address, ``sitemap.xml`` pairs
them, every page has a description and an icon; without it, nothing absolute."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from publisher.findable import shorten

from conftest import ROOT, run_cli

BASE = "https://handouts.example.org/network/"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example in en and es (drafts published), with a public address."""
    project = tmp_path_factory.mktemp("findable")
    for name in ("seeds", "locales", "templates"):
        shutil.copytree(ROOT / name, project / name)
    config = (ROOT / "publisher.toml").read_text(encoding="utf-8")
    config = config.replace('base_url = ""', f'base_url = "{BASE}"')
    config = config.replace('require = "reviewed"', 'require = "draft"')
    (project / "publisher.toml").write_text(config, encoding="utf-8")
    result = run_cli("build", "--project", str(project), "--jobs", "1", "--format", "html")
    assert result.status == 0, result.output
    return project / "dist"


def head(path: Path) -> str:
    return path.read_text(encoding="utf-8").split("</head>", 1)[0]


def alternates(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', page)


def test_handout_names_every_language_version_itself_and_the_chooser(site: Path) -> None:
    page = head(site / "es" / "recurrent-breast-cancer.html")
    assert sorted(alternates(page)) == [
        ("en", BASE + "en/recurrent-breast-cancer.html"),
        ("es", BASE + "es/recurrent-breast-cancer.html"),
        ("x-default", BASE + "index.html")]
    assert f'<link rel="canonical" href="{BASE}es/recurrent-breast-cancer.html">' in page


def test_handout_description_is_its_first_paragraph_translated(site: Path) -> None:
    page = head(site / "es" / "recurrent-breast-cancer.html")
    text = re.search(r'<meta name="description" content="([^"]+)">', page).group(1)
    assert text.startswith("El cáncer de seno recidivante es el cáncer de seno que vuelve")
    assert len(text) <= 161 and text.endswith("…")


def test_index_pages_have_canonical_alternates_and_a_translated_description(
        site: Path) -> None:
    page = head(site / "es" / "index.html")
    assert f'<link rel="canonical" href="{BASE}es/index.html">' in page
    assert sorted(alternates(page)) == [("en", BASE + "en/index.html"),
                                        ("es", BASE + "es/index.html"),
                                        ("x-default", BASE + "index.html")]
    assert '<meta name="description" content="Lea una hoja informativa' in page
    chooser = head(site / "index.html")
    assert f'<link rel="canonical" href="{BASE}index.html">' in chooser
    assert ("x-default", BASE + "index.html") in alternates(chooser)


def test_sitemap_lists_every_page_with_its_language_versions(site: Path) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9",
          "x": "http://www.w3.org/1999/xhtml"}
    root = ET.parse(site / "sitemap.xml").getroot()
    urls = {u.findtext("s:loc", namespaces=ns): u for u in root.findall("s:url", ns)}
    assert set(urls) == {BASE + p for p in (
        "index.html", "en/index.html", "es/index.html",
        "en/recurrent-breast-cancer.html", "es/recurrent-breast-cancer.html")}
    handout = urls[BASE + "es/recurrent-breast-cancer.html"]
    assert handout.findtext("s:lastmod", namespaces=ns) == "2025-12-30"
    assert sorted((link.get("hreflang"), link.get("href"))
                  for link in handout.findall("x:link", ns)) == [
        ("en", BASE + "en/recurrent-breast-cancer.html"),
        ("es", BASE + "es/recurrent-breast-cancer.html"),
        ("x-default", BASE + "index.html")]
    assert (site / "robots.txt").read_text() .endswith(f"Sitemap: {BASE}sitemap.xml\n")
    manifest = (site / "manifest.json").read_text()
    for owned in ("sitemap.xml", "robots.txt", "favicon.svg"):
        assert f'"{owned}"' in manifest  # the build owns (and later removes) them


def test_every_page_links_the_icon_that_is_there(site: Path) -> None:
    for page in (site / "index.html", site / "es" / "index.html",
                 site / "es" / "recurrent-breast-cancer.html"):
        href = re.search(r'<link rel="icon" href="([^"]+)" type="image/svg\+xml">',
                         head(page)).group(1)
        icon = (page.parent / href).resolve()
        assert icon == (site / "favicon.svg").resolve()
        ET.parse(icon)  # well-formed SVG


def test_chooser_speaks_every_language_that_translates_it(site: Path) -> None:
    page = (site / "index.html").read_text(encoding="utf-8")
    h1 = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
    assert h1 == ('Patient handouts<br><span lang="es" dir="ltr">'
                  "Hojas informativas para pacientes</span>")
    assert '<span lang="es" dir="ltr">Elija su idioma:</span>' in page


def test_card_title_is_a_heading_one_below_its_section(site: Path) -> None:
    page = (site / "es" / "recurrent-breast-cancer.html").read_text(encoding="utf-8")
    levels = [int(n) for n in re.findall(r"<h([1-6])[ >]", page.split("<main", 1)[1])]
    card = re.search(r'<h([1-6]) class="card-title">', page)
    assert card, "the card's title is a heading"
    before = page[:card.start()]
    last = int(re.findall(r"<h([1-6])[ >]", before)[-1])
    assert int(card.group(1)) == last + 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))  # no skipped level


def test_other_language_links_carry_lang_and_dir(tmp_path: Path, site: Path) -> None:
    page = (site / "en" / "recurrent-breast-cancer.html").read_text(encoding="utf-8")
    assert '<a href="../es/recurrent-breast-cancer.html" hreflang="es" lang="es" dir="ltr">' \
        in page


def test_without_a_public_address_nothing_absolute(tmp_path: Path) -> None:
    from conftest import make_project, seed
    project = make_project(tmp_path, {"care.md": seed("Care", body="Rest well.\n")})
    assert run_cli("build", "--project", str(project), "--jobs", "1",
                   "--format", "html").status == 0
    dist = project / "dist"
    for page in (dist / "index.html", dist / "en" / "index.html", dist / "en" / "care.html"):
        text = head(page)
        assert 'href="https://' not in text and 'rel="alternate"' not in text
        assert 'rel="canonical"' not in text
    assert '<meta name="description" content="Rest well.">' in head(dist / "en" / "care.html")
    assert not (dist / "sitemap.xml").exists() and not (dist / "robots.txt").exists()
    assert (dist / "favicon.svg").is_file()


def test_description_is_cut_at_a_word() -> None:
    assert shorten("word " * 50) == " ".join(["word"] * 32) + "…"
    # no space late enough: cut at a character rather than lose half the text
    assert shorten("aaaa " * 20 + "b" * 100) == "aaaa " * 20 + "b" * 60 + "…"
    assert shorten("短" * 200) == "短" * 160 + "…"
    assert shorten("  Two\n lines. ") == "Two lines."
