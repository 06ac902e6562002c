"""Real WeasyPrint handouts for comparing PDF readers: the example in English (with its
QR code) and Spanish, the medicine seed (a table, a nested list, a remote picture's
card) in Arabic and in Chinese, the English/Arabic bilingual PDF, and a handout with
a local picture.  Rendered as the build renders them (print page, PDF/UA-1)."""

from __future__ import annotations

import gettext
from pathlib import Path

from PIL import Image, ImageDraw

from publisher.assets import resolve_pictures
from publisher.bilingual import render_bilingual
from publisher.catalogs import load_interface
from publisher.config import Config
from publisher.model import LocalizedDocument
from publisher.render_handout import qr_data_uri
from publisher.render_html import HtmlRenderer
from publisher.render_pdf import PdfRenderer
from publisher.seeds import load_seed

from conftest import seed
from fixture_translations import translate
from formats_fixtures import (ARABIC, ROOT, SPANISH, example_document, example_spanish,
                              medicine_document, source, translated)

PICTURE_BODY = """\
# A compression sleeve

Pull the sleeve up from the wrist.

![Drawing of an arm with the sleeve pulled up](assets/sleeve.png "The sleeve reaches the shoulder")

Then smooth it out.
"""


def _interface(locale: str) -> gettext.NullTranslations:
    try:
        return load_interface(ROOT, locale)[0]
    except Exception:  # a locale without interface catalog: English labels
        return gettext.NullTranslations()


def _render(handout: LocalizedDocument, project: Path, canonical: str = "") -> bytes:
    html = HtmlRenderer(project / "templates", Config()).handout(
        handout, medium="print", translations=_interface(handout.locale),
        canonical=canonical, qr=qr_data_uri(canonical) if canonical else "")
    renderer = PdfRenderer([project / "templates", project / "seeds" / "assets"])
    return renderer.render(html, source_path=handout.document.path,
                           base_url=(project / "templates").as_uri() + "/").data


def _picture_project(folder: Path) -> Path:
    import shutil
    shutil.copytree(ROOT / "templates", folder / "templates")
    (folder / "seeds" / "assets").mkdir(parents=True)
    image = Image.new("RGB", (600, 400), "white")
    ImageDraw.Draw(image).ellipse((150, 50, 450, 350), outline="black", width=12)
    image.save(folder / "seeds" / "assets" / "sleeve.png")
    (folder / "seeds" / "sleeve.md").write_text(
        seed("A compression sleeve", PICTURE_BODY), encoding="utf-8")
    return folder


def render_samples(folder: Path) -> dict[str, bytes]:
    """Name -> PDF bytes of every sample."""
    medicine = medicine_document(folder / "medicine")
    chinese = {msgid: translate(msgid, "zh-Hans", index)
               for index, msgid in enumerate(SPANISH)}
    picture_project = _picture_project(folder / "picture")
    picture = source(load_seed(picture_project / "seeds" / "sleeve.md", picture_project)[0])
    original, arabic = source(medicine), translated(medicine, "ar", ARABIC)
    bilingual = render_bilingual(
        original, arabic, html_renderer=HtmlRenderer(ROOT / "templates", Config()),
        pdf_renderer=PdfRenderer([ROOT / "templates", ROOT / "seeds" / "assets"]),
        project=ROOT, translations=_interface("ar"))
    assert bilingual.problems == () and bilingual.pdf is not None
    return {
        "example-en": _render(source(example_document()), ROOT,
                              "https://clinic.example.org/en/recurrent-breast-cancer.html"),
        "example-es": _render(example_spanish(), ROOT),
        "medicine-ar": _render(arabic, ROOT),
        "medicine-zh": _render(translated(medicine, "zh-Hans", chinese), ROOT),
        "bilingual-en-ar": bilingual.pdf,
        "picture": _render(resolve_pictures(picture, picture_project), picture_project),
    }
