"""Index pages that scale: above `site.MAX_ON_ONE_PAGE` handouts a language's index
shows the search, its topics (each on a page of its own), the newest reviews and every
title from A to Z, so a patient reaches any handout in three steps from the chooser
without search (language -> title, or language -> topic -> title) and every page
stays under `PAGE_BUDGET` bytes at 200 handouts in a language."""

from __future__ import annotations

import gettext
import json
import re
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from publisher.config import Config
from publisher.site import MAX_ON_ONE_PAGE, NEWEST, initial, sort_key, write_site
from publisher.write_dist import DistWriter, Manifest, ManifestEntry

from conftest import ROOT, make_project, run_cli

sys.path.insert(0, str(ROOT / "benchmarks"))
import chromium_job  # noqa: E402
import corpus  # noqa: E402  (the benchmark corpus' seed generator)

#: Every page of the site at 200 handouts per language, PDFs and extras linked.
PAGE_BUDGET = 100_000
LOCALES = ("en", "es", "vi", "ar", "zh-Hans")


def network(seeds: int = 200) -> Manifest:
    """A manifest as a 200 seeds x 5 languages build leaves it (no files needed:
    the site is made from the manifest)."""
    handouts = []
    for index in range(seeds):
        slug, text = corpus.seed_text(index, 1)
        title = re.search(r"^title: (.*)$", text, re.M).group(1)
        types = tuple(re.findall(r"^- (\w+)$", text.split("tags:")[0], re.M))
        for locale in LOCALES:
            handouts.append(ManifestEntry(
                slug=slug, locale=locale, title=f"{title} ({locale})",
                html=f"{locale}/{slug}.html", pdf=f"{locale}/{slug}.pdf", sha256={},
                pages=12, bytes=480_000, translation="reviewed",
                last_reviewed=(date(2026, 1, 1) + timedelta(days=index)).isoformat(),
                review_due=None, cancer_types=types, tags=("cancer-type",),
                extras={"brf": f"{locale}/{slug}.brf"}))
    return Manifest(handouts)


@pytest.fixture(scope="module")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("large") / "dist"
    writer = DistWriter(dist)
    config = Config(locales=LOCALES, base_url="https://handouts.example.org/")
    write_site(writer, ROOT, config, network(), {loc: gettext.NullTranslations()
                                                 for loc in LOCALES})
    writer.close()
    return dist


def test_every_page_stays_under_the_budget(large_site: Path) -> None:
    sizes = {p.relative_to(large_site).as_posix(): p.stat().st_size
             for p in large_site.rglob("*.html")}
    assert len(sizes) > 5 * 15  # indexes and topic pages
    too_big = {page: size for page, size in sizes.items() if size > PAGE_BUDGET}
    assert not too_big, too_big
    print(f"largest page: {max(sizes.values())} bytes "
          f"({max(sizes, key=sizes.get)})")


def test_every_handout_is_one_step_from_its_index_and_two_through_a_topic(
        large_site: Path) -> None:
    manifest = network()
    for locale in LOCALES:
        index = (large_site / locale / "index.html").read_text(encoding="utf-8")
        mine = [e for e in manifest.handouts if e.locale == locale]
        az = re.search(r'<section aria-labelledby="all".*?</section>', index, re.S).group(0)
        linked = re.findall(r'<li><a href="([^"]+\.html)"', az)
        assert sorted(linked) == sorted(f"{e.slug}.html" for e in mine)
        topics = re.findall(r'<li><a href="(topics/[^"]+)">', index)
        assert len(topics) == len({t for e in mine for t in e.cancer_types})
        for topic in topics:
            key = Path(topic).stem
            page = (large_site / locale / topic).read_text(encoding="utf-8")
            expected = {f"../{e.slug}.html" for e in mine if key in e.cancer_types}
            assert set(re.findall(r'<h2><a href="([^"]+)"', page)) == expected
            assert set(re.findall(r'href="(\.\./[^"]+\.pdf)"', page)) == {
                x.replace(".html", ".pdf") for x in expected}
            assert re.search(r'<link rel="canonical" href="https://handouts\.example\.org/'
                             rf'{locale}/topics/{key}\.html">', page)


def test_newest_reviews_first_and_letters_in_order(large_site: Path) -> None:
    index = (large_site / "es" / "index.html").read_text(encoding="utf-8")
    recent = re.search(r'<section aria-labelledby="recent".*?</section>', index, re.S)
    titles = re.findall(r"<h3><a [^>]+>([^<]+)</a></h3>", recent.group(0))
    assert len(titles) == NEWEST
    newest_first = sorted(network().handouts, key=lambda e: e.last_reviewed, reverse=True)
    assert titles == [e.title for e in newest_first if e.locale == "es"][:NEWEST]
    letters = re.findall(r'<h3 id="letter-\d+">([^<]+)</h3>', index)
    assert letters == sorted(letters) and len(letters) == len(set(letters))
    assert '<a href="../es/index.html"' not in index  # relative links stay in the folder


def test_titles_sort_and_group_without_their_accents() -> None:
    assert initial("Árbol") == "A" and initial("¿Qué es?") == "Q" and initial("5 tips") == "#"
    assert sorted(["Zeta", "Árbol", "Arce"], key=sort_key) == ["Árbol", "Arce", "Zeta"]


def test_a_real_build_of_a_generated_corpus_passes_check_and_the_budget(
        tmp_path: Path) -> None:
    """HTML only, one language: MAX_ON_ONE_PAGE + 10 generated seeds."""
    seeds = dict(corpus.seed_text(i, 1) for i in range(MAX_ON_ONE_PAGE + 10))
    project = make_project(tmp_path, {f"{slug}.md": text for slug, text in seeds.items()})
    result = run_cli("build", "--project", str(project), "--format", "html")
    assert result.status == 0, result.output
    dist = project / "dist"
    index = (dist / "en" / "index.html").read_text(encoding="utf-8")
    assert 'aria-labelledby="recent"' in index and "topics/breast.html" in index
    assert run_cli("check", str(dist)).status == 0   # every link leads somewhere
    assert max(p.stat().st_size for p in dist.rglob("*.html")
               if "topics" in p.parts or p.name == "index.html") < PAGE_BUDGET
    pages = json.loads((dist / "manifest.json").read_text())["pages"]
    assert "en/topics/breast.html" in pages   # owned: removed when no longer written
    if Path(chromium_job.CHROMIUM).exists():
        for page in (dist / "en" / "index.html", dist / "en" / "topics" / "breast.html"):
            found = json.loads(chromium_job.run("axe", str(page)))
            assert found["violations"] == [], (page, found["violations"])
    # Fewer handouts again: back to one page, and the topic pages are removed.
    for slug in list(seeds)[MAX_ON_ONE_PAGE - 5:]:
        (project / "seeds" / f"{slug}.md").unlink()
    assert run_cli("build", "--project", str(project), "--format", "html").status == 0
    assert not (dist / "en" / "topics").exists()
    assert 'aria-labelledby="recent"' not in (dist / "en" / "index.html").read_text()
