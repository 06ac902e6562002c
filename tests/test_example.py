"""The real example seed, built once, read back as a reader and a screen reader meet it."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pikepdf

from pdfread import elements, glyph_sizes, structure


def squash(text: str) -> str:
    # Text extracted from a PDF loses the spaces at line ends.
    return re.sub(r"\s+", "", text)


QUESTIONS = [
    "What is breast cancer recurrence?",
    "What type of breast cancer has the highest recurrence rate?",
    "What is the risk of breast cancer recurrence?",
    "Can I prevent breast cancer recurrence?",
    "What are the symptoms of breast cancer recurrence?",
    "How is recurrent breast cancer diagnosed?",
    "How is recurrent breast cancer treated?",
    "What is the survival rate and prognosis for people with recurrent breast cancer?",
    "Living with recurrent breast cancer",
]


def test_pdf_has_one_h1_and_the_questions_as_headings(example_pdf: Path) -> None:
    h1 = elements(example_pdf, "H1")
    assert [squash(e.text) for e in h1] == [squash("Recurrent Breast Cancer - NCI")]
    h3 = [squash(e.text) for e in elements(example_pdf, "H3")]
    assert h3 == [squash(q) for q in QUESTIONS]
    headings = [e for e in structure(example_pdf).walk() if re.fullmatch(r"H[1-6]", e.type)]
    levels = [int(e.type[1]) for e in headings]
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    assert all(e.text.strip() for e in headings)


def test_pdf_lists_and_links_are_tagged(example_pdf: Path) -> None:
    lists = elements(example_pdf, "L")
    assert len(lists) >= 5
    items = [e for e in structure(example_pdf).walk() if e.type == "LI"]
    assert any(squash("a cough that doesn’t go away") in squash(i.text) for i in items)
    links = [squash(e.text) for e in elements(example_pdf, "Link")]
    assert "chestwall" in links and "denosumab" in links


def test_pdf_metadata_language_and_title(example_pdf: Path) -> None:
    with pikepdf.open(example_pdf) as pdf:
        assert str(pdf.Root.Lang) == "en"
        assert str(pdf.docinfo["/Title"]) == "Recurrent Breast Cancer - NCI"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
        with pdf.open_metadata() as xmp:
            assert xmp.get("pdfuaid:part") == "1"
        assert len(pdf.open_outline().root) >= 1


def test_pdf_link_annotations_are_absolute_and_described(example_pdf: Path) -> None:
    with pikepdf.open(example_pdf) as pdf:
        uris = []
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                if annot.get("/Subtype") == "/Link" and "/A" in annot:
                    uris.append(str(annot.A.URI))
                    assert str(annot.get("/Contents", "")).strip()
    assert uris and all(u.startswith("https://www.cancer.gov/") for u in uris), uris[:3]
    assert "https://www.cancer.gov/publications/dictionaries/cancer-terms/def/44996" in uris


def test_pdf_text_is_large_print_and_in_reading_order(example_pdf: Path) -> None:
    sizes = glyph_sizes(example_pdf)
    assert min(sizes) >= 18 - 0.1
    text = squash(structure(example_pdf).text)
    positions = [text.find(squash(q)) for q in QUESTIONS]
    assert -1 not in positions and positions == sorted(positions)
    assert "[" not in text.replace("[1]", "") and "](" not in text


def test_pdf_has_no_remote_image_and_says_what_the_card_shows(example_pdf: Path) -> None:
    with pikepdf.open(example_pdf) as pdf:
        for page in pdf.pages:
            assert not list(page.get_images().keys())
    text = squash(structure(example_pdf).text)
    assert squash("Drawing of a female body shows where primary breast cancer may spread") in text
    assert squash("Learn more online: Metastatic Breast Cancer") in text


class _Outline(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_handout_has_language_title_one_h1_and_pdf_link(example_html: Path) -> None:
    page = example_html.read_text(encoding="utf-8")
    parser = _Outline()
    parser.feed(page)
    tags = parser.tags
    html = next(attrs for tag, attrs in tags if tag == "html")
    assert html["lang"] == "en" and html["dir"] == "ltr"
    assert "<title>Recurrent Breast Cancer - NCI</title>" in page
    assert [t for t, _ in tags].count("h1") == 1
    pdf_links = [a for t, a in tags if t == "a" and a.get("type") == "application/pdf"]
    assert pdf_links[0]["href"] == "recurrent-breast-cancer.pdf"
    assert re.search(r"\(\d+ pages, \d+ kB\)", page)
    assert "<script" not in page and "<img" not in page
    hrefs = [a["href"] for t, a in tags if t == "a" and a.get("href")]
    assert not any(h.startswith("/") for h in hrefs)


def test_manifest_lists_the_handout(example: Path) -> None:
    manifest = json.loads((example / "dist" / "manifest.json").read_text())
    [entry] = manifest["handouts"]
    assert entry["slug"] == "recurrent-breast-cancer" and entry["locale"] == "en"
    assert entry["html"] == "en/recurrent-breast-cancer.html"
    assert entry["pdf"] == "en/recurrent-breast-cancer.pdf"
    assert entry["translation"] == "source"
    import hashlib
    pdf = (example / "dist" / entry["pdf"]).read_bytes()
    assert entry["sha256"]["pdf"] == hashlib.sha256(pdf).hexdigest()
    with pikepdf.open(example / "dist" / entry["pdf"]) as opened:
        assert entry["pages"] == len(opened.pages)
    assert (example / "dist" / "index.html").exists()
    assert (example / "dist" / "en" / "index.html").exists()


def test_pdf_lists_the_web_addresses_for_paper_readers(example_pdf: Path) -> None:
    text = squash(structure(example_pdf).text)
    assert squash("Web addresses in this handout") in text
    assert squash("chest wall: cancer.gov/publications/dictionaries/cancer-terms/def/44996") in text
    # Each address once, in reading order.
    assert text.count(squash("cancer.gov/types/breast/diagnosis")) == 1


def test_qr_code_to_the_online_handout_when_the_site_has_an_address(tmp_path: Path) -> None:
    from conftest import make_project, run_cli, seed
    project = make_project(tmp_path, {"care.md": seed("Care")}, config="""
        [site]
        base_url = "https://handouts.example.org/"
        """)
    assert run_cli("build", "--project", str(project), "--jobs", "1").status == 0
    pdf = project / "dist" / "en" / "care.pdf"
    figures = [e for e in structure(pdf).walk() if e.type == "Figure"]
    assert [f.alt for f in figures] == [
        "QR code: scan it to open this handout online at handouts.example.org/en/care.html"]
    page = (project / "dist" / "en" / "care.html").read_text()
    assert '<link rel="canonical" href="https://handouts.example.org/en/care.html">' in page
    with pikepdf.open(pdf) as opened:
        first = opened.pages[0]
        assert first.get("/Resources") is not None
        # Vector, not a picture: the code is drawn, no image XObject is embedded.
        assert not list(first.get_images().keys())
    unconfigured = make_project(tmp_path / "plain", {"care.md": seed("Care")})
    run_cli("build", "--project", str(unconfigured), "--jobs", "1")
    assert not [e for e in structure(unconfigured / "dist" / "en" / "care.pdf").walk()
                if e.type == "Figure"]
