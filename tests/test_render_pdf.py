"""Render real handouts with WeasyPrint and read the PDFs back with pikepdf."""

from __future__ import annotations

import http.server
import io
import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import pikepdf
import pytest
import weasyprint

from publisher import pdfua
from publisher.preflight.pdf import check_pdf, read_pdf
from publisher.errors import Severity
from publisher.render_pdf import FetchRefused, LocalFetcher, PdfRenderer

SRC = Path(__file__).resolve().parents[1] / "src"
DOT_PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4"
           "2mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")

CSS = """
@page { size: letter; margin: 1in;
  @top-left { content: "Cáncer de mama"; font-size: 18pt; vertical-align: bottom;
              line-height: 1.2 }
  @bottom-center { content: "Página " counter(page) " de " counter(pages); font-size: 18pt;
                   vertical-align: top; line-height: 1.2 } }
body { font-family: "Noto Sans"; font-size: 18pt; line-height: 1.4 }
"""


def handout(body: str, *, lang: str | None = "es", title: str = "Cáncer de mama recurrente",
            css: str = CSS) -> str:
    lang_attr = f' lang="{lang}"' if lang else ""
    return textwrap.dedent("""\
        <!DOCTYPE html>
        <html{lang_attr}><head><meta charset="utf-8"><title>{title}</title>
        <meta name="dcterms.created" content="2026-01-02">
        <meta name="dcterms.modified" content="2026-01-03">
        <style>{css}</style></head>
        <body>
        {body}
        </body></html>
        """).format(lang_attr=lang_attr, title=title, css=css, body=body)


GOOD_BODY = textwrap.dedent(f"""\
    <h1>Cáncer de mama recurrente</h1>
    <p>Puede volver en la <a href="https://www.cancer.gov/types/breast">pared torácica</a>.</p>
    <p lang="en">This paragraph is not translated yet.</p>
    <p>Más información en <a href="https://example.org/" aria-label="Sitio del ejemplo">aquí</a>.</p>
    <h2>Tratamiento</h2>
    <table>
      <thead><tr><th>Medicamento</th><th>Dosis</th></tr></thead>
      <tbody><tr><th scope="row">Tamoxifeno</th><td>20 mg</td></tr></tbody>
    </table>
    <p><img src="{DOT_PNG}" alt="Un punto negro" style="width: 24px; height: 24px"></p>
    <h2>Preguntas</h2>
    <ul><li>¿Qué es?</li><li>¿Cómo se trata?</li></ul>
    """)
GOOD_HTML = handout(GOOD_BODY)


@pytest.fixture(scope="module")
def roots(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    base = tmp_path_factory.mktemp("project")
    templates, assets = base / "templates", base / "seeds" / "assets"
    templates.mkdir()
    assets.mkdir(parents=True)
    return templates, assets


@pytest.fixture(scope="module")
def renderer(roots: tuple[Path, Path]) -> PdfRenderer:
    return PdfRenderer(list(roots))


@pytest.fixture(scope="module")
def good(renderer: PdfRenderer, roots: tuple[Path, Path]):
    return renderer.render(GOOD_HTML, source_path="seeds/x.md", base_url=roots[0].as_uri() + "/")


@pytest.fixture()
def good_pdf(good, tmp_path: Path) -> Path:
    path = tmp_path / "good.pdf"
    path.write_bytes(good.data)
    return path


def render_unfixed(html: str) -> bytes:
    """What WeasyPrint 70 writes on its own, to show each gap is real."""
    pdfua.uninstall()
    try:
        return weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")
    finally:
        pdfua.install()


def operators(page: pikepdf.Page) -> list[tuple[list, str]]:
    return [(list(operands), str(op)) for operands, op in pikepdf.parse_content_stream(page)]


def element_with_text(doc, role: str, text: str):
    matches = [e for e in doc.elements if e.role == role and text in doc.text_of(e)]
    assert len(matches) == 1, (role, text, [doc.text_of(e) for e in doc.elements])
    return matches[0]


# --- the good render ----------------------------------------------------------------

def test_good_render_passes_every_check(good, good_pdf: Path) -> None:
    assert good.pages == 1
    assert good.problems == ()
    assert good.data.startswith(b"%PDF-1.7")
    assert check_pdf(good_pdf) == []


def test_metadata_weasyprint_provides_is_kept(good) -> None:
    with pikepdf.open(io.BytesIO(good.data)) as pdf:
        assert str(pdf.Root.Lang) == "es"
        assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle) is True
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert str(pdf.docinfo.Title) == "Cáncer de mama recurrente"
        assert str(pdf.docinfo.CreationDate) == "D:20260102"
        assert str(pdf.docinfo.ModDate) == "D:20260103"
        xmp = pdf.Root.Metadata.read_bytes().decode()
        assert 'pdfuaid:part="1"' in xmp
        assert "Cáncer de mama recurrente</rdf:li>" in xmp
        # Bookmarks from headings: H1 with its two H2s below it.
        top = pdf.Root.Outlines.First
        assert str(top.Title) == "Cáncer de mama recurrente"
        assert [str(top.First.Title), str(top.First.Next.Title)] == ["Tratamiento", "Preguntas"]


# --- gap a: margin boxes -------------------------------------------------------------

def test_margin_box_text_is_an_artifact_without_mcid(good) -> None:
    with pikepdf.open(io.BytesIO(good.data)) as pdf:
        artifacts = [operands[1] for operands, op in operators(pdf.pages[0])
                     if op == "BDC" and operands[0] == pikepdf.Name.Artifact]
        assert {str(a.get("/Subtype")) for a in artifacts} == {"/Header", "/Footer"}
        assert all(str(a.Type) == "/Pagination" and "/MCID" not in a for a in artifacts)
        # Every ParentTree entry is null or an element reachable from the root.
        reachable = reachable_elements(pdf.Root.StructTreeRoot)
        entries = pdf.Root.StructTreeRoot.ParentTree.Nums[1]
        assert all(e is None or e.objgen in reachable for e in entries)
        assert None in list(entries)
    doc_text = "".join(c for c in pdfplumber_text(good.data))
    assert "Página 1 de 1" in doc_text  # still printed, only no longer tagged


def reachable_elements(tree: pikepdf.Dictionary) -> set[tuple[int, int]]:
    """Object ids of every structure element reachable from the root."""
    seen: set[tuple[int, int]] = set()
    stack = [tree.get("/K")]
    while stack:
        kid = stack.pop()
        if isinstance(kid, pikepdf.Array):
            stack.extend(kid)
        elif isinstance(kid, pikepdf.Dictionary) and kid.is_indirect \
                and kid.objgen not in seen and "/S" in kid:
            seen.add(kid.objgen)
            stack.append(kid.get("/K"))
    return seen


def pdfplumber_text(data: bytes) -> str:
    import pdfplumber
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return pdf.pages[0].extract_text()


def test_footer_is_an_orphan_span_without_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "unfixed.pdf"
    path.write_bytes(render_unfixed(GOOD_HTML))
    with pikepdf.open(path) as pdf:
        assert not any(op == "BDC" and operands[0] == pikepdf.Name.Artifact
                       and "/Subtype" in operands[1] for operands, op in operators(pdf.pages[0]))
    checks = {p.check for p in check_pdf(path)}
    assert {"mcid-orphan", "th-scope"} <= checks


def test_footer_on_every_page_is_an_artifact(renderer: PdfRenderer, roots, tmp_path) -> None:
    body = "<h1>Largo</h1>" + "".join(f"<p>Párrafo {i}.</p>" for i in range(40))
    result = renderer.render(handout(body), source_path="seeds/long.md",
                             base_url=roots[0].as_uri() + "/")
    assert result.pages > 1
    path = tmp_path / "long.pdf"
    path.write_bytes(result.data)
    assert check_pdf(path) == []
    with pikepdf.open(path) as pdf:
        for page in pdf.pages:
            footers = [o for o, op in operators(page) if op == "BDC"
                       and o[0] == pikepdf.Name.Artifact and o[1].get("/Subtype") == "/Footer"]
            assert len(footers) == 1


# --- gap b: lang below <html> --------------------------------------------------------

def test_lang_on_nested_element(good_pdf: Path) -> None:
    doc = read_pdf(good_pdf)
    english = element_with_text(doc, "P", "not translated")
    assert str(english.obj.Lang) == "en"
    spanish = element_with_text(doc, "P", "Puede volver")
    assert "/Lang" not in spanish.obj  # inherits the catalog's "es"


def test_lang_from_an_ancestor_without_structure_element(renderer, roots, tmp_path) -> None:
    # <body lang> produces no structure element; its children must carry it.
    html = handout("<h1>Título</h1><p>Hola</p>").replace("<body>", '<body lang="en">')
    path = tmp_path / "body.pdf"
    path.write_bytes(renderer.render(html, source_path="x", base_url=roots[0].as_uri()).data)
    doc = read_pdf(path)
    assert str(element_with_text(doc, "P", "Hola").obj.Lang) == "en"


def test_nested_lang_is_missing_without_the_fix(tmp_path: Path) -> None:
    path = tmp_path / "unfixed.pdf"
    path.write_bytes(render_unfixed(GOOD_HTML))
    doc = read_pdf(path)
    assert "/Lang" not in element_with_text(doc, "P", "not translated").obj


# --- gap c: TH scope -----------------------------------------------------------------

def test_table_headers_have_scope(good_pdf: Path, renderer, roots, tmp_path) -> None:
    def scope(path: Path, text: str) -> str:
        doc = read_pdf(path)
        return str(element_with_text(doc, "TH", text).obj.A.Scope)
    assert scope(good_pdf, "Medicamento") == "/Column"
    assert scope(good_pdf, "Tamoxifeno") == "/Row"
    # Without <thead> or scope: a row of headers heads columns, a header
    # beside data cells heads its row.
    table = ("<h1>T</h1><table><tr><th>Día</th><th>Hora</th></tr>"
             "<tr><th>Lunes</th><td>9:00</td></tr></table>")
    path = tmp_path / "table.pdf"
    path.write_bytes(renderer.render(handout(table), source_path="x",
                                     base_url=roots[0].as_uri()).data)
    assert scope(path, "Día") == "/Column"
    assert scope(path, "Lunes") == "/Row"


# --- gap d: link descriptions ----------------------------------------------------------

def test_link_contents_describe_the_link(good) -> None:
    with pikepdf.open(io.BytesIO(good.data)) as pdf:
        contents = sorted(str(a.Contents) for a in pdf.pages[0].Annots)
    assert contents == ["Sitio del ejemplo",
                        "pared torácica: https://www.cancer.gov/types/breast"]


def test_link_contents_is_the_bare_url_without_the_fix() -> None:
    with pikepdf.open(io.BytesIO(render_unfixed(GOOD_HTML))) as pdf:
        contents = sorted(str(a.Contents) for a in pdf.pages[0].Annots)
    assert contents == ["https://example.org/", "https://www.cancer.gov/types/breast"]


def test_install_is_idempotent() -> None:
    pdfua.install()
    pdfua.install()
    assert weasyprint.pdf.tags._build_box_tree is pdfua._build_box_tree


# --- WeasyPrint's log becomes problems ---------------------------------------------------

def test_missing_alt_and_lang_are_errors(renderer, roots, capfd) -> None:
    html = handout(f'<h1>Sin</h1><p><img src="{DOT_PNG}"></p>', lang=None)
    result = renderer.render(html, source_path="seeds/bad.md", base_url=roots[0].as_uri())
    found = {(p.check, p.severity, p.path) for p in result.problems}
    assert ("pdf-alt", Severity.ERROR, "seeds/bad.md") in found
    assert ("pdf-lang", Severity.ERROR, "seeds/bad.md") in found
    assert capfd.readouterr().err == ""


def test_log_is_captured_even_with_an_application_root_handler(renderer, roots, capfd) -> None:
    import logging
    root = logging.getLogger()
    printer = logging.StreamHandler()  # what a CLI's logging.basicConfig() would add
    root.addHandler(printer)
    old_level = root.level
    root.setLevel(logging.ERROR)
    logger = logging.getLogger("weasyprint")
    handlers, propagate, level = list(logger.handlers), logger.propagate, logger.level
    try:
        result = renderer.render(handout("<h1>x</h1><p style='colour: red'>y</p>"),
                                 source_path="s", base_url=roots[0].as_uri())
    finally:
        root.removeHandler(printer)
        root.setLevel(old_level)
    assert [p.check for p in result.problems] == ["weasyprint"]  # the unknown property
    assert "colour" in result.problems[0].message
    assert (logger.handlers, logger.propagate, logger.level) == (handlers, propagate, level)
    assert capfd.readouterr().err == ""


# --- the URL fetcher --------------------------------------------------------------------

class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server API)
        self.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture()
def server():
    _Recorder.requests = []
    httpd = http.server.HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()


def test_fetcher_refuses_network_and_outside_files(renderer, roots, server, tmp_path) -> None:
    port = server.server_address[1]
    http_url = f"http://127.0.0.1:{port}/x.png"
    body = (f'<h1>Seguro</h1><p><img src="{http_url}" alt="remoto"></p>'
            '<p><img src="file:///etc/passwd" alt="secreto"></p>'
            f'<p><img src="{DOT_PNG}" alt="local"></p>')
    html = handout(body).replace(
        "</head>", f'<link rel="stylesheet" href="http://127.0.0.1:{port}/x.css"></head>')
    result = renderer.render(html, source_path="seeds/s.md", base_url=roots[0].as_uri() + "/")
    assert _Recorder.requests == []
    assert result.pages == 1 and result.data.startswith(b"%PDF")
    warnings = " ".join(p.message for p in result.problems if p.check == "fetch")
    assert http_url in warnings and "file:///etc/passwd" in warnings
    assert f"http://127.0.0.1:{port}/x.css" in warnings
    assert all(p.severity is Severity.WARNING for p in result.problems if p.check == "fetch")
    assert _Recorder.requests == []


def test_fetcher_serves_only_roots_and_data(roots, tmp_path: Path) -> None:
    templates, assets = roots
    (templates / "ok.css").write_text("h1 { color: black }")
    outside = tmp_path / "outside.css"
    outside.write_text("h1 { color: red }")
    (assets / "escape.css").unlink(missing_ok=True)
    (assets / "escape.css").symlink_to(outside)
    fetcher = LocalFetcher(list(roots))
    assert fetcher.fetch((templates / "ok.css").as_uri()).read() == b"h1 { color: black }"
    assert fetcher.fetch("data:text/plain;base64,aGk=").read() == b"hi"
    for url in ["file:///etc/passwd", (assets / "escape.css").as_uri(), outside.as_uri(),
                (templates / ".." / ".." / "outside.css").as_uri(),
                "https://www.cancer.gov/x.png", "ftp://example.org/x", "file://evil.org/etc/x"]:
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)


def test_linked_stylesheet_from_templates_is_used(renderer, roots, tmp_path) -> None:
    templates = roots[0]
    (templates / "handout.css").write_text("h1 { font-size: 40pt }")
    html = handout("<h1>Grande</h1><p>texto</p>").replace(
        "</head>", '<link rel="stylesheet" href="handout.css"></head>')
    result = renderer.render(html, source_path="s", base_url=templates.as_uri() + "/")
    assert result.problems == ()
    path = tmp_path / "big.pdf"
    path.write_bytes(result.data)
    assert max(max(sizes) for sizes in read_pdf(path).char_sizes) == pytest.approx(40, abs=0.01)


def test_stylesheet_is_parsed_once_per_file_version(renderer, roots, tmp_path) -> None:
    css = roots[0] / "extra.css"
    css.write_text("p { font-size: 30pt }")
    first = renderer.stylesheet(css)
    assert renderer.stylesheet(css) is first
    css.write_text("p { font-size: 32pt }  ")
    assert renderer.stylesheet(css) is not first
    result = renderer.render(handout("<h1>t</h1><p>texto</p>"), source_path="s",
                             base_url=roots[0].as_uri(), stylesheets=[css])
    path = tmp_path / "extra.pdf"
    path.write_bytes(result.data)
    assert pytest.approx(32, abs=0.01) in read_pdf(path).char_sizes[0]
    with pytest.raises(FetchRefused):
        renderer.stylesheet(tmp_path / "extra.pdf")


# --- reproducible bytes -------------------------------------------------------------------

RENDER_SCRIPT = """
import sys
from pathlib import Path
from publisher.render_pdf import PdfRenderer
html = Path(sys.argv[1]).read_text(encoding="utf-8")
result = PdfRenderer([Path(sys.argv[1]).parent]).render(
    html, source_path="x", base_url=Path(sys.argv[1]).parent.as_uri() + "/")
Path(sys.argv[2]).write_bytes(result.data)
"""


def test_same_html_gives_identical_bytes_in_two_processes(tmp_path: Path, good, renderer,
                                                          roots) -> None:
    source = tmp_path / "handout.html"
    source.write_text(GOOD_HTML, encoding="utf-8")
    outputs = []
    for seed in ("1", "2"):
        out = tmp_path / f"out{seed}.pdf"
        subprocess.run([sys.executable, "-c", RENDER_SCRIPT, str(source), str(out)],
                       check=True, env={"PYTHONPATH": str(SRC), "PYTHONHASHSEED": seed,
                                        "PATH": "/usr/bin:/bin"})
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert outputs[0] == good.data  # and the same as in this process,
    again = renderer.render(GOOD_HTML, source_path="x", base_url=roots[0].as_uri() + "/")
    assert again.data == good.data  # even after other renders shared its fonts
    with pikepdf.open(io.BytesIO(outputs[0])) as pdf:
        ids = pdf.trailer.ID
        assert bytes(ids[0]) == bytes(ids[1])  # derived from content


def test_different_content_gives_a_different_id(renderer, roots, good) -> None:
    other = renderer.render(GOOD_HTML.replace("Tratamiento", "Tratamientos"),
                            source_path="x", base_url=roots[0].as_uri() + "/")
    with pikepdf.open(io.BytesIO(other.data)) as a, pikepdf.open(io.BytesIO(good.data)) as b:
        assert bytes(a.trailer.ID[0]) != bytes(b.trailer.ID[0])

