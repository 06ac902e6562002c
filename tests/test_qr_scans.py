"""The QR code a handout prints opens the handout online: read back from the printed
page by ZXing (zxing-cpp), a decoder we did not write, after Poppler has drawn the
PDF at 150 dpi.  For a built handout, and for addresses of every length a handout's
can have, whose codes between them use every one of the eight data masks
(qr_mask.py chooses them)."""

from __future__ import annotations

import subprocess
from itertools import product
from pathlib import Path

import segno
import weasyprint
import zxingcpp
from PIL import Image

from conftest import make_project, run_cli, seed
from publisher.render_handout import qr_data_uri


def decoded(pdf: Path, folder: Path) -> list[list[str]]:
    """The text of every QR code ZXing finds on each page of ``pdf``, drawn at 150 dpi."""
    subprocess.run(["pdftoppm", "-png", "-r", "150", str(pdf), str(folder / "page")],
                   check=True)
    return [sorted(found.text for found in zxingcpp.read_barcodes(Image.open(png))
                   if found.format == zxingcpp.BarcodeFormat.QRCode)
            for png in sorted(folder.glob("page*.png"))]


def test_the_handouts_code_opens_the_handout(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", {"care.md": seed("Care")}, config="""
        [site]
        base_url = "https://handouts.example.org/"
        """)
    assert run_cli("build", "--project", str(project), "--jobs", "1").status == 0
    pages = decoded(project / "dist" / "en" / "care.pdf", tmp_path)
    assert pages[0] == ["https://handouts.example.org/en/care.html"]


WORDS = ("living", "with", "breast", "cancer", "after", "treatment", "care", "of", "your",
         "port", "screening", "risk", "nutrition", "during", "chemotherapy")


def addresses_of_every_mask_and_length() -> list[str]:
    """The first address (in a fixed order) for each data mask and for each QR version
    a handout's address takes (4 to 8: 40 to 150 characters)."""
    wanted = {("mask", mask) for mask in range(8)} | {("version", v) for v in range(4, 9)}
    chosen: dict[tuple[str, int], str] = {}
    for count in range(1, len(WORDS) + 1):
        for number, locale in product(range(40), ("en", "es", "vi", "zh-Hans", "ar")):
            slug = "-".join(WORDS[:count])
            address = f"https://handouts.example.org/{locale}/{slug}-{number:03}.html"
            code = segno.make(address, error="m")
            for key in (("mask", code.mask), ("version", code.version)):
                chosen.setdefault(key, address)
            if wanted <= chosen.keys():
                return sorted(set(chosen.values()))
    raise AssertionError(f"no address for {sorted(wanted - chosen.keys())}")


def test_codes_of_every_length_and_mask_scan_back(tmp_path: Path) -> None:
    addresses = addresses_of_every_mask_and_length()
    masks = {segno.make(address, error="m").mask for address in addresses}
    versions = {segno.make(address, error="m").version for address in addresses}
    assert masks == set(range(8)) and versions == set(range(4, 9))  # what it covers
    figures = "".join(f'<img src="{qr_data_uri(address)}" style="width: 2.5in; margin: 0.4in">'
                      for address in addresses)
    html = f'<html lang="en"><body style="margin: 0">{figures}</body></html>'
    pdf = tmp_path / "codes.pdf"
    weasyprint.HTML(string=html).write_pdf(pdf)
    found = [text for page in decoded(pdf, tmp_path) for text in page]
    assert sorted(found) == sorted(addresses)
