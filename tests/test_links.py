"""No dangling links: every local link and image of a built site leads to a file (and a
fragment to an element), also after a language drops out of publication."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import tinyhtml5

from publisher.preflight import check_paths
from publisher.preflight.html import check_html

from conftest import run_cli
from test_translation import SPANISH, build, fill, project_with

XHTML = "{http://www.w3.org/1999/xhtml}"


def link_problems(path: Path) -> list[str]:
    return [str(p) for p in check_paths([path]) if p.check == "html-link"]


def hrefs(page: Path) -> list[str]:
    root = tinyhtml5.parse(page.read_text(encoding="utf-8"))
    return [e.get("href") for e in root.iter() if isinstance(e.tag, str) and e.get("href")]


@pytest.fixture()
def site(tmp_path: Path) -> Path:
    """en and es published (es translated, not reviewed)."""
    project = project_with(tmp_path, ["es"])
    fill(project, "es", SPANISH)
    result = build(project, "--require", "translated")
    assert result.status == 0, result.output
    return project


def test_a_built_site_has_no_dangling_link(site: Path) -> None:
    dist = site / "dist"
    assert (dist / "es" / "care.html").is_file()
    assert link_problems(dist) == []
    result = run_cli("check", str(dist))
    assert "html-link" not in result.output


def test_a_deleted_handout_is_reported_where_it_is_linked(site: Path) -> None:
    dist = site / "dist"
    (dist / "es" / "care.pdf").unlink()
    problems = link_problems(dist)
    assert any(p.startswith(f"{dist / 'es' / 'index.html'}:") and "'care.pdf'" in p
               and "points at a missing file" in p for p in problems), problems
    assert any(p.startswith(f"{dist / 'es' / 'care.html'}:") for p in problems), problems
    result = run_cli("check", str(dist))
    assert result.status == 1 and "missing file" in result.output


def test_broken_links_images_and_fragments_in_a_page(site: Path) -> None:
    page = site / "dist" / "en" / "extra.html"
    page.write_text(
        '<!DOCTYPE html><html lang="en"><head><title>x</title></head><body><h1 id="top">x</h1>\n'
        '<a href="#top">ok</a> <a href="#nowhere">no</a>\n'
        '<a href="care.html#main">ok</a> <a href="care.html#gone">no</a>\n'
        '<img src="missing.png" alt="x"> <a href="../es/">ok: a folder with index.html</a>\n'
        '<a href="../fr/care.html">no</a> <a href="care%20copy.pdf">no</a>\n'
        '<a href="https://example.org/x.pdf">external</a> <a href="mailto:a@b.org">m</a>\n'
        '</body></html>\n', encoding="utf-8")
    messages = [p.message for p in check_html(page) if p.check == "html-link"]
    assert messages == [
        "<a href='#nowhere'> no element with id 'nowhere' in this page",
        "<a href='care.html#gone'> no element with id 'gone' in care.html",
        "<img src='missing.png'> points at a missing file",
        "<a href='../fr/care.html'> points at a missing file",
        "<a href='care%20copy.pdf'> points at a missing file",
    ]
    assert [p.line for p in check_html(page) if p.check == "html-link"] == [2, 3, 4, 5, 5]


def test_a_language_that_drops_out_is_linked_from_nowhere(site: Path) -> None:
    dist = site / "dist"
    assert any("../es/" in h for h in hrefs(dist / "en" / "care.html"))
    # The Spanish catalog is emptied: es is no longer published.
    fill(site, "es", {})
    result = build(site, "--require", "translated")
    assert "not published: care (es)" in result.output, result.output
    assert not (dist / "es" / "care.pdf").exists()
    assert link_problems(dist) == []
    assert not any("es/" in h for h in hrefs(dist / "index.html"))
    assert not any("/es/" in h for h in hrefs(dist / "en" / "index.html"))
    assert not any("/es/" in h for h in hrefs(dist / "en" / "care.html"))
    # An old bookmark of the Spanish index finds a page that links no handout.
    spanish_index = hrefs(dist / "es" / "index.html")
    assert not any(h.endswith((".pdf", "care.html")) for h in spanish_index), spanish_index
    assert "../index.html" in spanish_index


def test_a_language_removed_from_the_configuration_is_linked_from_nowhere(site: Path) -> None:
    (site / "publisher.toml").write_text('[project]\nlocales = ["en"]\n', encoding="utf-8")
    shutil.rmtree(site / "locales" / "es")
    assert build(site).status == 0
    dist = site / "dist"
    assert link_problems(dist) == []
    assert not any("es/" in h for h in hrefs(dist / "index.html"))
