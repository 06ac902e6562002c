"""Local pictures: a Figure with /Alt in the PDF, <img alt> and a hashed copy on the web.

The PDFs are read back with pikepdf (structure) and Poppler (page images); nothing
remote is fetched; a bad picture costs its own handout only, with the seed's line.
"""

from __future__ import annotations

import hashlib
import json
import re
from html import unescape
import subprocess
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from PIL import Image, ImageDraw

from publisher.assets import MAX_PIXELS, PictureError, check_picture

from conftest import make_project, run_cli, seed

BODY = """\
## Putting it on

Pull the sleeve up from the wrist.

![Drawing of an arm with the sleeve pulled up to the shoulder](assets/sleeve.png "The sleeve reaches the shoulder")

Then smooth it out.

![Photo of the sleeve's label](./assets/label.jpg)

![](assets/border.png)

A remote picture: ![A diagram online](https://www.example.org/diagram.png)
"""


def drawing(path: Path, size=(600, 400), mode="RGB") -> None:
    image = Image.new(mode, size, "white")
    ImageDraw.Draw(image).ellipse((150, 50, 450, 350), outline="black", width=12)
    image.save(path)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    project = make_project(tmp_path_factory.mktemp("pictures"), {
        "sleeve.md": seed("How to wear a compression sleeve", BODY,
                          url="https://www.example.org/handouts/sleeve"),
        "missing.md": seed("Missing picture", "Text.\n\n![A drawing](assets/nowhere.png)\n"),
        "other.md": seed("Other handout", "Nothing to see.\n"),
    }, config='[project]\nsource_language = "en"\nlocales = ["en"]\n')
    assets = project / "seeds" / "assets"
    assets.mkdir()
    drawing(assets / "sleeve.png", (1600, 1000))  # wider than the column: scaled down
    drawing(assets / "label.jpg", (300, 200), "L")
    drawing(assets / "border.png", (600, 60))
    run = run_cli("build", "--project", str(project), "--jobs", "1")
    return project, run.output


def structure(pdf: pikepdf.Pdf) -> list[pikepdf.Dictionary]:
    found = []

    def walk(node) -> None:
        if isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                found.append(node)
            kids = node.get("/K")
            for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
                walk(kid)

    walk(pdf.Root.StructTreeRoot)
    return found


def test_a_figures_bbox_is_where_its_picture_is_drawn(built) -> None:
    """In the page's points from the bottom (WeasyPrint 70 writes CSS pixels from the
    top; pdfua.py converts them)."""
    import pdfplumber
    project, _ = built
    with pdfplumber.open(project / "dist" / "en" / "sleeve.pdf") as plumber:
        drawn = [(round(i["x0"]), round(i["y0"]), round(i["x1"]), round(i["y1"]))
                 for page in plumber.pages for i in page.images]
    with pikepdf.open(project / "dist" / "en" / "sleeve.pdf") as pdf:
        boxes = [tuple(round(float(v)) for v in e.A.BBox)
                 for e in structure(pdf) if e.S == "/Figure"]
    assert boxes and all(box in drawn for box in boxes), (boxes, drawn)


def test_pictures_are_figures_with_alt_text_in_the_pdf(built) -> None:
    project, _ = built
    with pikepdf.open(project / "dist" / "en" / "sleeve.pdf") as pdf:
        elements = structure(pdf)
        figures = [e for e in elements if e.S == "/Figure"]
        assert [str(f.Alt) for f in figures] == [
            "Drawing of an arm with the sleeve pulled up to the shoulder",
            "Photo of the sleeve's label"]
        assert all("/BBox" in f.A for f in figures)
        assert any(e.S == "/Caption" for e in elements)
        # the decorative picture is drawn, but as an Artifact: no Figure, no /Alt
        marks = []
        for page in pdf.pages:
            stack = []
            for operands, operator in pikepdf.parse_content_stream(page):
                if str(operator) in ("BMC", "BDC"):
                    stack.append(str(operands[0]))
                elif str(operator) == "EMC":
                    stack.pop()
                elif str(operator) == "Do":
                    marks.append(stack[-1] if stack else None)
        assert marks.count("/Figure") == 2 and marks.count("/Artifact") == 1, marks


def test_the_caption_is_shown_and_nothing_remote_is_fetched(built) -> None:
    project, output = built
    text = subprocess.run(["pdftotext", str(project / "dist" / "en" / "sleeve.pdf"), "-"],
                          check=True, capture_output=True, text=True).stdout
    assert "The sleeve reaches the shoulder" in text
    assert "A diagram online" in text  # the remote picture's alt text, not the picture
    assert "example.org/diagram.png" not in output


def test_the_web_page_links_hashed_copies(built) -> None:
    project, _ = built
    html = (project / "dist" / "en" / "sleeve.html").read_text()
    sources = [(src, unescape(alt)) for src, alt in re.findall(r'<img src="([^"]+)" alt="([^"]*)"', html)]
    assert [alt for _, alt in sources] == [
        "Drawing of an arm with the sleeve pulled up to the shoulder",
        "Photo of the sleeve's label"]
    assert "<figcaption>The sleeve reaches the shoulder</figcaption>" in html
    for src, _ in sources:
        copy = (project / "dist" / "en" / src).resolve()
        match = re.fullmatch(r"\.\./assets/(sleeve|label)\.([0-9a-f]{8})\.(png|jpg)", src)
        assert match, src
        original = project / "seeds" / "assets" / f"{match.group(1)}.{match.group(3)}"
        assert copy.read_bytes() == original.read_bytes()
        assert hashlib.sha256(copy.read_bytes()).hexdigest().startswith(match.group(2))
    # the decorative one: a background a screen reader skips
    assert re.search(r'class="picture-figure decorative"[^>]*><div style="[^"]*'
                     r'background-image: url\(\'\.\./assets/border\.[0-9a-f]{8}\.png\'\)', html)


def test_a_missing_picture_is_an_error_with_its_line_and_the_rest_builds(built) -> None:
    project, output = built
    assert re.search(r"seeds/missing\.md:\d+: error: \[picture\] picture 'assets/nowhere\.png' "
                     r"not found", output)
    manifest = json.loads((project / "dist" / "manifest.json").read_text())
    published = {e["slug"] for e in manifest["handouts"]}
    assert published == {"sleeve", "other"}
    line = int(re.search(r"seeds/missing\.md:(\d+): error", output).group(1))
    assert "nowhere.png" in (project / "seeds" / "missing.md").read_text().splitlines()[line - 1]


def test_pictures_fit_the_column_and_stay_whole(built) -> None:
    project, _ = built
    css = (project / "templates" / "typography.css").read_text()
    assert re.search(r"\.picture-figure \{[^}]*break-inside: avoid", css)
    assert re.search(r"\.picture-figure img \{[^}]*max-width: 100%", css)
    with pdfplumber.open(project / "dist" / "en" / "sleeve.pdf") as pdf:
        drawn = [(page.width, image) for page in pdf.pages for image in page.images]
    assert len(drawn) == 3
    for width, image in drawn:  # inside the 1-inch margins of a letter page
        assert width == 612 and image["x0"] >= 72 - 0.5 and image["x1"] <= 612 - 72 + 0.5
    widest = max(image["x1"] - image["x0"] for _, image in drawn)
    assert widest == pytest.approx(612 - 144, abs=1)


@pytest.mark.parametrize("make, message", [
    (lambda p: p.write_bytes(b"not a picture at all"), "cannot be read"),
    (lambda p: p.write_bytes(open_png_bytes()[:200]), "cannot be read"),
    (lambda p: Image.new("1", (6000, 5000)).save(p), "million pixels"),
    (lambda p: Image.new("RGB", (20, 20)).save(p, format="GIF"), "use PNG or JPEG"),
])
def test_bad_pictures_are_refused(tmp_path: Path, make, message: str) -> None:
    assets = tmp_path / "assets"
    assets.mkdir()
    make(assets / "x.png")
    with pytest.raises(PictureError, match=message):
        check_picture(assets, "assets/x.png")


def test_svg_is_refused_with_a_reason(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    (tmp_path / "assets" / "x.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    with pytest.raises(PictureError, match="is SVG: use PNG or JPEG"):
        check_picture(tmp_path / "assets", "assets/x.svg")


def test_a_picture_outside_the_assets_folder_is_refused(tmp_path: Path) -> None:
    (tmp_path / "assets").mkdir()
    drawing(tmp_path / "secret.png")
    with pytest.raises(PictureError, match="outside seeds/assets"):
        check_picture(tmp_path / "assets", "assets/../secret.png")


def test_the_pixel_limit_is_checked_before_decoding(tmp_path: Path) -> None:
    """A small file that would decode to a huge bitmap (a decompression bomb)."""
    assets = tmp_path / "assets"
    assets.mkdir()
    Image.new("1", (20000, 20000)).save(assets / "bomb.png", optimize=True)
    assert (assets / "bomb.png").stat().st_size < 1_000_000
    assert 20000 * 20000 > MAX_PIXELS
    with pytest.raises(PictureError, match="pixels"):
        check_picture(assets, "assets/bomb.png")


def open_png_bytes() -> bytes:
    import io
    buffer = io.BytesIO()
    Image.new("RGB", (300, 300), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def test_the_byte_limit_is_checked_before_reading(tmp_path: Path, monkeypatch) -> None:
    import publisher.assets as assets_module
    (tmp_path / "assets").mkdir()
    drawing(tmp_path / "assets" / "x.png")
    monkeypatch.setattr(assets_module, "MAX_BYTES", 1000)
    with pytest.raises(PictureError, match=r"MB: the limit is"):
        check_picture(tmp_path / "assets", "assets/x.png")


def test_the_bilingual_handout_keeps_pictures_code_and_rules(tmp_path: Path) -> None:
    """The bilingual handout once dropped every block it had no pair for: the
    picture (no Figure, no description), code blocks and rules."""
    from readers.fill_fixture_catalogs import fill

    body = BODY.split("Then smooth it out.")[0] + "---\n\n```\nsleeve size: M\n```\n"
    project = make_project(tmp_path, {"sleeve.md": seed("How to wear a compression sleeve",
                                                        body)},
                           config='[project]\nsource_language = "en"\nlocales = ["en", "ar"]\n')
    (project / "seeds" / "assets").mkdir()
    drawing(project / "seeds" / "assets" / "sleeve.png")
    assert run_cli("update", "--project", str(project)).status == 0
    fill(project, "ar")
    run = run_cli("build", "--project", str(project), "--jobs", "1", "--require", "translated")
    assert run.status == 0, run.output
    pdf_path = project / "dist" / "ar" / "sleeve.bilingual.pdf"
    with pikepdf.open(pdf_path) as pdf:
        figures = [node for node in structure(pdf) if node.S == "/Figure"]
        assert len(figures) == 1
        assert any("\u0600" <= char <= "\u06ff" for char in str(figures[0].Alt))
    text = subprocess.run(["pdftotext", str(pdf_path), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "sleeve size: M" in text
    html = (project / "dist" / "ar" / "sleeve.bilingual.html").read_text()
    assert re.search(r'<img src="\.\./assets/[^"]+" alt="[^"]+" lang="ar"', html)
    assert "<hr>" in html
