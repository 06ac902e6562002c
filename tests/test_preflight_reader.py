"""The preflight's own glyph reader (``pdf_text``: pikepdf's content-stream parser and a
small text-state interpreter) gives what pdfplumber's ``page.chars`` gives — text,
size, box to 0.01 pt, marked-content ID — glyph by glyph, on real WeasyPrint
handouts and on hand-written streams with every text operator; what it does not
understand goes to pdfminer; and the build's check of a handout runs without
pdfminer or pdfplumber."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from publisher.preflight import check_pdf, pdf_model
from publisher.preflight.pdf_fonts import FontCache, NotUnderstood
from publisher.preflight.pdf_model import read_pdf
from publisher.preflight.pdf_text import read_page

from reader_samples import render_samples

Row = tuple  # (text, x0, top, x1, bottom, size, mcid)


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    return render_samples(tmp_path_factory.mktemp("samples"))


def plumber_rows(data: bytes) -> list[list[Row]]:
    """Every page's ``page.chars`` from pdfplumber itself (pdfminer's tokenizer and
    interpreter, nothing of ours)."""
    with pdfplumber.open(io.BytesIO(data)) as plumber:
        return [[(c["text"], c["x0"], c["top"], c["x1"], c["bottom"], c["size"],
                  c.get("mcid")) for c in page.chars] for page in plumber.pages]


def fast_rows(data: bytes) -> list[list[Row]]:
    """Every page as ``pdf_text`` reads it (``NotUnderstood`` escapes)."""
    fonts = FontCache()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = [read_page(page, fonts) for page in pdf.pages]
    return [[(*glyph, size, mcid) for glyph, size, mcid in zip(page.glyphs, page.sizes,
                                                                page.mcids)]
            for page in pages]


def assert_same_glyphs(ours: list[list[Row]], theirs: list[list[Row]]) -> None:
    assert len(ours) == len(theirs)
    for number, (mine, plumber) in enumerate(zip(ours, theirs), 1):
        assert [(r[0], r[6]) for r in mine] == [(r[0], r[6]) for r in plumber], \
            f"page {number}: text or MCID differs"
        assert [r[1:6] for r in mine] == \
            [pytest.approx(r[1:6], abs=0.01) for r in plumber], f"page {number}: box"


@pytest.mark.parametrize("name", ["example-en", "example-es", "medicine-ar", "medicine-zh",
                                  "bilingual-en-ar", "picture"])
def test_glyphs_are_pdfplumbers_chars(samples: dict[str, bytes], name: str) -> None:
    ours, theirs = fast_rows(samples[name]), plumber_rows(samples[name])
    assert sum(map(len, theirs)) > 150
    assert_same_glyphs(ours, theirs)


def test_read_pdf_reads_what_pdfminer_reads(samples: dict[str, bytes],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The whole model (text per MCID, sizes, glyphs, marked content, page sizes) and
    every check's problems, with every page read by pdfminer instead."""
    fast = {name: read_pdf(Path(f"{name}.pdf"), data=data) for name, data in samples.items()}
    fast_problems = {name: check_pdf(Path("x.pdf"), data=data, read_twin=False)
                     for name, data in samples.items()}

    def refuse(page, fonts):
        raise NotUnderstood("test: every page to pdfminer")
    monkeypatch.setattr(pdf_model, "read_page", refuse)
    for name, data in samples.items():
        slow = read_pdf(Path(f"{name}.pdf"), data=data)
        mine = fast[name]
        assert mine.text == slow.text and len(mine.text) > 5, name
        assert [(p.unmarked_text, p.mcids) for p in mine.pages] == \
            [(p.unmarked_text, p.mcids) for p in slow.pages], name
        assert mine.page_sizes == slow.page_sizes
        assert [[round(s, 2) for s in sizes] for sizes in mine.char_sizes] == \
            [[round(s, 2) for s in sizes] for sizes in slow.char_sizes], name
        assert check_pdf(Path("x.pdf"), data=data, read_twin=False) == fast_problems[name]
        mine.pdf.close()
        slow.pdf.close()


# --- hand-written streams: every text operator --------------------------------------

def _font_and_codes(pdf: pikepdf.Pdf) -> tuple[str, list[int]]:
    """A composite font of the first page and codes from its ToUnicode CMap (the first
    is the code space's <0000>, without text: pdfminer's "(cid:0)")."""
    for name, font in pdf.pages[0].obj.Resources.Font.items():
        stream = font.ToUnicode.read_bytes().decode("latin-1")
        codes = [int(token[1:5], 16) for token in stream.split()
                 if len(token) == 6 and token.startswith("<") and token.endswith(">")]
        if len(codes) >= 12:
            return str(name)[1:], codes[:24:2]
    raise AssertionError("no font with a dozen mapped codes")


def _with_stream(data: bytes, content: str, *, form: bool = False) -> bytes:
    """The sample with ``content`` added to its first page (``{F}`` is a font of the
    page, ``{c0}``…``{c11}`` hex strings of codes it maps); with ``form``, the page's
    own content drawn again, scaled, through a form XObject that also tries to draw
    itself (refused, as pdfminer refuses it)."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        font, codes = _font_and_codes(pdf)
        text = content.replace("{F}", font)
        for index, code in enumerate(codes):
            text = text.replace(f"{{c{index}}}", f"<{code:04x}>")
        text = text.replace("><", "")  # {c1}{c2}: one string of two codes
        if form:
            xobject = pdf.make_stream(
                page.obj.Contents.read_bytes() + b"\n/Fx Do\n", Type=pikepdf.Name.XObject,
                Subtype=pikepdf.Name.Form, BBox=page.mediabox, Resources=page.obj.Resources)
            page.obj.Resources.XObject.Fx = xobject
            text += "\nq 0.5 0 0 0.4 30 40 cm /Fx Do Q\n"
        page.contents_add(pdf.make_stream(text.encode()), prepend=False)
        out = io.BytesIO()
        pdf.save(out)
        return out.getvalue()


EVERY_OPERATOR = """
q 1 0 0 1 10 20 cm
/Span <</MCID 900>> BDC
BT {F} 20 Tf 1 0 0 1 100 500 Tm
3 Tc 90 Tz 2 Ts 30 TL [{c0} {c1} {c2}] TJ
T* {c3}{c4} Tj
5 -40 Td {c5} Tj
5 -40 TD [{c6} -200 {c7} 150.5 {c8}] TJ
T* {c9} Tj {c10} '
0 Tc 100 Tz 0 Ts
0.866 0.5 -0.5 0.866 200 200 Tm [{c0} 40 {c1}] TJ
-1 0 0 1 400 100 Tm {c2}{c3} Tj
ET
EMC
q 0.5 0 0 0.5 0 0 cm BT {F} 30 Tf 100 100 Td {c4} Tj ET Q
/Artifact BMC BT {F} 20 Tf 1 0 0 1 50 50 Tm {c5}{c6} Tj ET EMC
Q
BT {F} 12 Tf 1 0 0 1 300 60 Tm {c7} Tj ET
""".replace("{F}", "/{F}")


@pytest.mark.parametrize("form", [False, True], ids=["page", "form-xobject"])
def test_every_text_operator_as_pdfminer_reads_it(samples: dict[str, bytes],
                                                  form: bool) -> None:
    data = _with_stream(samples["picture"], EVERY_OPERATOR, form=form)
    ours, theirs = fast_rows(data), plumber_rows(data)
    assert_same_glyphs(ours, theirs)
    added = [row for row in ours[0] if row[6] == 900]
    assert len(added) == 15 and len({round(row[5], 2) for row in added}) >= 3  # rotated too
    assert any(row[6] is None and row[5] == pytest.approx(12) for row in ours[0])
    page = len(fast_rows(samples["picture"])[0])
    assert len(ours[0]) == page * (2 if form else 1) + 19  # the page again in the form


def test_double_quote_moves_to_the_next_line_unlike_pdfminer(samples: dict[str, bytes]) -> None:
    """``aw ac string "`` is ``aw Tw ac Tc string '`` (PDF 32000, 9.4.3); pdfminer
    leaves out the move to the next line."""
    base = "BT /{F} 20 Tf 30 TL 1 0 0 1 100 500 Tm {c0} Tj %s ET"
    quote = _with_stream(samples["picture"], base % "0 0 {c1} \"")
    tick = _with_stream(samples["picture"], base % "{c1} '")
    assert fast_rows(quote)[0][-1] == fast_rows(tick)[0][-1]
    # 30 pt lower on the paper (the page's matrix turns y down: top is 30 less).
    assert fast_rows(quote)[0][-1][2] == pytest.approx(fast_rows(quote)[0][-2][2] - 30)
    assert plumber_rows(quote)[0][-1][2] == pytest.approx(plumber_rows(quote)[0][-2][2])


def test_after_a_form_the_pages_matrix_is_current_again_unlike_pdfminer(
        samples: dict[str, bytes]) -> None:
    """A form XObject's ``cm`` ends with the form (PDF 32000, 8.10.1: Do saves and
    restores the graphics state); pdfminer keeps the form's matrix for what follows."""
    after = "BT /{F} 20 Tf 1 0 0 1 100 500 Tm {c1} Tj ET"
    with_form = _with_stream(samples["picture"], "q 2 0 0 2 0 0 cm /Fx Do " + after + " Q",
                             form=True)
    without = _with_stream(samples["picture"], "q 2 0 0 2 0 0 cm " + after + " Q")
    assert fast_rows(with_form)[0][-1 - len(fast_rows(samples["picture"])[0])] == \
        fast_rows(without)[0][-1]
    assert plumber_rows(with_form)[0][-1 - len(plumber_rows(samples["picture"])[0])] != \
        plumber_rows(without)[0][-1]


def _simple_font_pdf() -> bytes:
    """A page in a simple (one byte a code) Type1 font with /Widths and ToUnicode."""
    pdf = pikepdf.new()
    to_unicode = pdf.make_stream(
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap\n"
        b"1 begincodespacerange <00> <ff> endcodespacerange\n"
        b"1 beginbfrange <20> <7e> <0020> endbfrange\n"
        b"1 beginbfchar <80> <00660069> endbfchar\n"
        b"endcmap CMapName currentdict /CMap defineresource pop end end")
    descriptor = pikepdf.Dictionary(Type=pikepdf.Name.FontDescriptor,
                                    FontName=pikepdf.Name("/ABCDEF+Plain"), Flags=32,
                                    FontBBox=[0, -210, 1000, 790], ItalicAngle=0,
                                    Ascent=790, Descent=-210, CapHeight=700, StemV=80)
    font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
        BaseFont=pikepdf.Name("/ABCDEF+Plain"), FirstChar=32, LastChar=128,
        Widths=[250 + 5 * (n % 40) for n in range(97)], FontDescriptor=descriptor,
        ToUnicode=pdf.make_indirect(to_unicode)))
    page = pdf.add_blank_page(page_size=(612, 792))
    page.obj.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(P=font))
    page.contents_add(pdf.make_stream(
        b"/P <</MCID 0>> BDC BT /P 24 Tf 7 Tw 1.5 Tc 72 700 Td (Take two \x80lms a day) Tj"
        b" 0 -40 Td [(with) -300 (food.)] TJ 12 0 (Then rest) \" ET EMC"), prepend=False)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_simple_font_with_word_spacing() -> None:
    data = _simple_font_pdf()
    ours = fast_rows(data)
    assert "".join(row[0] for row in ours[0]).startswith("Take two films a day")
    # pdfminer does not move to the next line on '"': compare what comes before it.
    assert_same_glyphs([ours[0][:-9]], [plumber_rows(data)[0][:-9]])


# --- what the reader leaves to pdfminer ----------------------------------------------

def _inline_image(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].contents_add(pdf.make_stream(
        b"q 10 0 0 10 300 300 cm BI /W 1 /H 1 /CS /G /BPC 8 ID \x80 EI Q"), prepend=False)


def _unknown_operator(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].contents_add(pdf.make_stream(b"1 2 frobnicate"), prepend=False)


def _no_to_unicode(pdf: pikepdf.Pdf) -> None:
    page = pdf.pages[0].obj  # copies: the other page keeps its resources and fonts
    page.Resources = pikepdf.Dictionary(dict(page.Resources.items()))
    page.Resources.Font = pikepdf.Dictionary({
        name: pdf.make_indirect(pikepdf.Dictionary(
            {key: value for key, value in font.items() if key != "/ToUnicode"}))
        for name, font in page.Resources.Font.items()})


def _type3_font(pdf: pikepdf.Pdf) -> None:
    glyph = pdf.make_stream(b"1000 0 0 0 750 750 d1 0 0 750 750 re f")
    font = pdf.make_indirect(pikepdf.Dictionary(
        Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type3, FontBBox=[0, 0, 750, 750],
        FontMatrix=[0.001, 0, 0, 0.001, 0, 0], FirstChar=65, LastChar=65, Widths=[1000],
        Encoding=pikepdf.Dictionary(Differences=[65, pikepdf.Name.box]),
        CharProcs=pikepdf.Dictionary(box=glyph)))
    page = pdf.pages[0]
    page.obj.Resources.Font.T3 = font
    page.contents_add(pdf.make_stream(b"BT /T3 24 Tf 100 100 Td (AA) Tj ET"), prepend=False)


def _rotated_page(pdf: pikepdf.Pdf) -> None:
    pdf.pages[0].obj.Rotate = 90


@pytest.mark.parametrize("defect", [_inline_image, _unknown_operator, _no_to_unicode,
                                    _type3_font, _rotated_page])
def test_what_it_does_not_understand_goes_to_pdfminer(samples: dict[str, bytes], defect,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    with pikepdf.open(io.BytesIO(samples["medicine-ar"])) as pdf:
        defect(pdf)
        out = io.BytesIO()
        pdf.save(out)
        data = out.getvalue()
    with pytest.raises(NotUnderstood):
        fast_rows(data)
    asked = []
    pdfminer_page = pdf_model._pdfminer_page
    monkeypatch.setattr(pdf_model, "_pdfminer_page",
                        lambda *args: (asked.append(args[1]), pdfminer_page(*args))[1])
    doc = read_pdf(Path("x.pdf"), data=data)
    assert asked == [0]  # that page, and only it
    theirs = plumber_rows(data)
    assert [(g.text, g.x0, g.top, g.x1, g.bottom) for g in doc.glyphs[0]] == \
        [row[:5] for row in theirs[0]]
    assert_same_glyphs(fast_rows_after_first(data), theirs[1:])
    doc.pdf.close()


def test_what_the_reader_trips_on_goes_to_pdfminer(samples: dict[str, bytes],
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """An exception of a malformed file inside the reader (here a KeyError from a
    font) is not a crash of the check: pdfminer reads the page."""
    from publisher.preflight import pdf_fonts

    def trip(font):
        raise KeyError("/W")
    monkeypatch.setattr(pdf_fonts, "font_metrics", trip)
    with pytest.raises(NotUnderstood):
        fast_rows(samples["picture"])
    doc = read_pdf(Path("x.pdf"), data=samples["picture"])
    assert [(g.text, g.x0, g.top, g.x1, g.bottom) for g in doc.glyphs[0]] == \
        [row[:5] for row in plumber_rows(samples["picture"])[0]]
    doc.pdf.close()


def fast_rows_after_first(data: bytes) -> list[list[Row]]:
    fonts = FontCache()
    with pikepdf.open(io.BytesIO(data)) as pdf:
        pages = [read_page(page, fonts) for page in list(pdf.pages)[1:]]
    return [[(*glyph, size, mcid) for glyph, size, mcid in zip(p.glyphs, p.sizes, p.mcids)]
            for p in pages]


def test_the_builds_check_needs_neither_pdfminer_nor_pdfplumber(
        samples: dict[str, bytes], tmp_path: Path) -> None:
    path = tmp_path / "example.pdf"
    path.write_bytes(samples["example-es"])
    script = ("import sys\nfrom pathlib import Path\n"
              "from publisher.handout_checks import preflight\n"
              "from publisher.preflight import check_pdf\n"
              "data = Path(sys.argv[1]).read_bytes()\n"
              "problems = check_pdf(Path('x.pdf'), data=data, read_twin=False)\n"
              "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
              "('pdfminer', 'pdfplumber'))\n"
              "print(len(problems), loaded)\n")
    result = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True,
                            text=True, check=True)
    assert result.stdout.split() == ["0", "[]"], result.stdout + result.stderr
