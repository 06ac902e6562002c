"""Preflight checks: a good handout passes, each deliberate defect is reported."""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable
from pathlib import Path

import pikepdf
import pytest

from publisher.preflight import check_html, check_paths, check_pdf
from publisher.render_pdf import PdfRenderer

DOT_PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4"
           "2mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")


def handout(body: str, footer_align: str = "top") -> str:
    return textwrap.dedent("""\
        <!DOCTYPE html>
        <html lang="es"><head><meta charset="utf-8"><title>Folleto</title>
        <meta name="dcterms.created" content="2026-01-02">
        <style>
        @page { size: letter; margin: 1in;
          @bottom-center { content: "Página " counter(page) " de " counter(pages);
                           font-size: 18pt; vertical-align: {footer_align};
                           line-height: 1.2 } }
        body { font-family: "Noto Sans"; font-size: 18pt }
        </style></head>
        <body>
        {body}
        </body></html>
        """).replace("{body}", body).replace("{footer_align}", footer_align)


GOOD_BODY = f"""
<h1>Cáncer de mama</h1>
<p>Vea la <a href="https://www.cancer.gov/">página del NCI</a>.</p>
<h2>Dosis</h2>
<table><thead><tr><th>Medicamento</th><th>Dosis</th></tr></thead>
<tbody><tr><td>Tamoxifeno</td><td>20 mg</td></tr></tbody></table>
<p><img src="{DOT_PNG}" alt="Un punto" style="width: 24px; height: 24px"></p>
"""


@pytest.fixture(scope="module")
def renderer(tmp_path_factory: pytest.TempPathFactory) -> PdfRenderer:
    return PdfRenderer([tmp_path_factory.mktemp("templates")])


@pytest.fixture(scope="module")
def good_bytes(renderer: PdfRenderer) -> bytes:
    return renderer.render(handout(GOOD_BODY), source_path="x", base_url="file:///").data


def render_to(renderer: PdfRenderer, path: Path, body: str) -> Path:
    path.write_bytes(renderer.render(handout(body), source_path="x", base_url="file:///").data)
    return path


def checks(problems) -> set[str]:
    return {p.check for p in problems}


# --- PDF ---------------------------------------------------------------------------

def test_good_pdf_passes(good_bytes: bytes, tmp_path: Path) -> None:
    path = tmp_path / "good.pdf"
    path.write_bytes(good_bytes)
    assert check_pdf(path) == []
    assert check_paths([tmp_path]) == []


def _strip_lang(pdf: pikepdf.Pdf) -> None:
    del pdf.Root.Lang


def _untag(pdf: pikepdf.Pdf) -> None:
    del pdf.Root.StructTreeRoot
    del pdf.Root.MarkInfo


def _no_title(pdf: pikepdf.Pdf) -> None:
    del pdf.docinfo.Title
    xmp = pdf.Root.Metadata.read_bytes()
    pdf.Root.Metadata.write(re.sub(rb"<dc:title>.*?</dc:title>", b"", xmp))


def _title_not_displayed(pdf: pikepdf.Pdf) -> None:
    pdf.Root.ViewerPreferences.DisplayDocTitle = False


def _no_pdfua_id(pdf: pikepdf.Pdf) -> None:
    xmp = pdf.Root.Metadata.read_bytes()
    pdf.Root.Metadata.write(xmp.replace(b'pdfuaid:part="1"', b""))


def _no_alt(pdf: pikepdf.Pdf) -> None:
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/Figure":
            del obj.Alt


def _no_link_contents(pdf: pikepdf.Pdf) -> None:
    for annotation in pdf.pages[0].Annots:
        del annotation.Contents


def _no_font_file(pdf: pikepdf.Pdf) -> None:
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and "/FontFile2" in obj:
            del obj.FontFile2


def _no_scope(pdf: pikepdf.Pdf) -> None:
    for obj in pdf.objects:
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/S") == "/TH":
            del obj.A.Scope


def _unmark_first_span(pdf: pikepdf.Pdf) -> None:
    # Drop the first BDC and its EMC: its text is now outside marked content.
    instructions = list(pikepdf.parse_content_stream(pdf.pages[0]))
    first = next(i for i, ins in enumerate(instructions) if str(ins.operator) == "BDC"
                 and ins.operands[0] == pikepdf.Name.Span)
    end = next(i for i in range(first, len(instructions))
               if str(instructions[i].operator) == "EMC")
    del instructions[end], instructions[first]
    pdf.pages[0].Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))


def _orphan_mcid(pdf: pikepdf.Pdf) -> None:
    # Unlink the H2 from the tree: its marked content is then owned by nobody.
    document = pdf.Root.StructTreeRoot.K[0]
    document.K = pikepdf.Array([k for k in document.K if k.get("/S") != "/H2"])


BREAKAGES: dict[str, Callable[[pikepdf.Pdf], None]] = {
    "pdf-lang": _strip_lang,
    "pdf-tagged": _untag,
    "pdf-title": _no_title,
    "pdf-title ": _title_not_displayed,
    "pdf-ua-id": _no_pdfua_id,
    "figure-alt": _no_alt,
    "link-contents": _no_link_contents,
    "font-embedded": _no_font_file,
    "th-scope": _no_scope,
    "text-unmarked": _unmark_first_span,
    "mcid-orphan": _orphan_mcid,
}


@pytest.mark.parametrize("expected", sorted(BREAKAGES))
def test_broken_pdf_is_reported(expected: str, good_bytes: bytes, tmp_path: Path) -> None:
    source, broken = tmp_path / "good.pdf", tmp_path / "broken.pdf"
    source.write_bytes(good_bytes)
    with pikepdf.open(source) as pdf:
        BREAKAGES[expected](pdf)
        pdf.save(broken)
    problems = check_pdf(broken)
    assert expected.strip() in checks(problems), problems
    assert all(p.path == str(broken) and p.is_error for p in problems)


@pytest.mark.parametrize(("body", "expected", "fragment"), [
    ("<h1>T</h1><p>Normal</p><p style='font-size: 10pt'>letra chica</p>",
     "text-size", "smallest 10.0 pt"),
    ("<h1>T</h1><h2></h2><p>x</p>", "heading-empty", "empty H2"),
    ("<h1>T</h1><h3>Tres</h3><p>x</p>", "heading-skip", "H1 to H3: 'Tres'"),
    ("<h1>Uno</h1><h1>Otro</h1>", "heading-h1", "2 H1"),
    ("<h2>Sin título</h2><p>x</p>", "heading-h1", "0 H1"),
])
def test_bad_content_is_reported(body: str, expected: str, fragment: str,
                                 renderer: PdfRenderer, tmp_path: Path) -> None:
    problems = check_pdf(render_to(renderer, tmp_path / "bad.pdf", body))
    assert [p.check for p in problems] == [expected], problems
    assert fragment in problems[0].message


def test_text_size_threshold_is_configurable(renderer: PdfRenderer, tmp_path: Path) -> None:
    path = render_to(renderer, tmp_path / "p.pdf", "<h1>T</h1><p>Dieciocho puntos</p>")
    assert check_pdf(path) == []
    problems = check_pdf(path, min_text_pt=24)
    assert checks(problems) == {"text-size"} and "page 1" in problems[0].message


def test_heading_made_of_an_image_alt_is_not_empty(renderer: PdfRenderer, tmp_path) -> None:
    body = f'<h1>T</h1><h2><img src="{DOT_PNG}" alt="Logo" style="width:24px"> Uso</h2>'
    assert check_pdf(render_to(renderer, tmp_path / "h.pdf", body)) == []


def test_unreadable_pdf_is_a_problem(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"not a pdf")
    assert checks(check_pdf(path)) == {"pdf-read"}


# --- HTML --------------------------------------------------------------------------

GOOD_HTML = """\
<!DOCTYPE html>
<html lang="es" dir="ltr">
<head><meta charset="utf-8"><title>Folleto</title></head>
<body>
<h1>Cáncer de mama</h1>
<p><a href="https://www.cancer.gov/">NCI</a> <img src="logo.png" alt=""></p>
<h2><img src="icon.png" alt="Preguntas"></h2>
<h3>Más</h3>
</body></html>
"""


def with_images(folder: Path) -> Path:
    """The pictures GOOD_HTML shows, beside it (a missing one is an html-link error)."""
    for name in ("logo.png", "icon.png"):
        (folder / name).write_bytes(b"\x89PNG\r\n\x1a\n")
    return folder


def test_good_html_passes(tmp_path: Path) -> None:
    path = with_images(tmp_path) / "good.html"
    path.write_text(GOOD_HTML, encoding="utf-8")
    assert check_html(path) == []


@pytest.mark.parametrize(("old", "new", "expected", "line"), [
    ('<html lang="es" dir="ltr">', "<html>", "html-lang", 2),
    ("<title>Folleto</title>", "<title> </title>", "html-title", 3),
    ("<title>Folleto</title>", "", "html-title", None),
    ("<h3>Más</h3>", "<h1>Otra</h1>", "heading-h1", 8),
    ("<h3>Más</h3>", "<h4>Más</h4>", "heading-skip", 8),
    ("<h3>Más</h3>", "<h3> <span></span> </h3>", "heading-empty", 8),
    ('<img src="logo.png" alt="">', '<img src="logo.png">', "img-alt", 6),
    ("<h3>Más</h3>", "<h3>Más</h3><script>alert(1)</script>", "html-script", 8),
    ('<a href="https://www.cancer.gov/">', '<a href="#" onclick="x()">', "html-script", 6),
    ('<a href="https://www.cancer.gov/">', '<a href=" JavaScript:alert(1)">', "html-script", 6),
    ('<a href="https://www.cancer.gov/">', '<a href="java\tscript:x">', "html-script", 6),
])
def test_broken_html_is_reported(old: str, new: str, expected: str, line: int | None,
                                 tmp_path: Path) -> None:
    assert old in GOOD_HTML
    path = with_images(tmp_path) / "bad.html"
    path.write_text(GOOD_HTML.replace(old, new), encoding="utf-8")
    problems = check_html(path)
    assert [(p.check, p.line) for p in problems] == [(expected, line)], problems
    assert str(problems[0]).startswith(f"{path}:{line}: error:" if line else f"{path}: error:")


def test_check_paths_recurses_and_reports_missing(good_bytes: bytes, tmp_path: Path) -> None:
    (tmp_path / "es").mkdir()
    with_images(tmp_path / "es")
    (tmp_path / "es" / "a.pdf").write_bytes(good_bytes)
    (tmp_path / "es" / "a.html").write_text(GOOD_HTML.replace("<html lang=\"es\" dir=\"ltr\">",
                                                              "<html>"), encoding="utf-8")
    (tmp_path / "es" / "notes.txt").write_text("ignored")
    problems = check_paths([tmp_path, tmp_path / "missing.pdf"])
    assert [(p.check, Path(p.path).name) for p in problems] == [
        ("html-lang", "a.html"), ("path", "missing.pdf")]


def test_footer_in_the_unprintable_band_is_reported(renderer: PdfRenderer,
                                                    tmp_path: Path) -> None:
    # Centred in a 1-inch margin, an 18 pt footer reaches into the last half inch.
    path = tmp_path / "edge.pdf"
    path.write_bytes(renderer.render(handout("<h1>T</h1><p>x</p>", footer_align="bottom"),
                                     source_path="x", base_url="file:///").data)
    problems = check_pdf(path)
    assert [p.check for p in problems] == ["print-margin"], problems
    assert "page 1:" in problems[0].message and "Página" in problems[0].message
