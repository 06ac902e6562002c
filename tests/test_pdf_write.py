"""``pdf_write.serialize_once``: the PDF pydyf writes, each stream compressed once
instead of twice (pydyf hashes every object again for ``/ID``), at zlib's default
level instead of 9: the same objects, the same decoded streams."""

from __future__ import annotations

import zlib

import pikepdf
import pydyf
import pytest
import weasyprint

from publisher import pdf_write, render_pdf  # noqa: F401  (render_pdf: our tagging)
from publisher.pdf_write import serialize_once

HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>T</title>
<meta name="dcterms.created" content="2026-01-02"></head><body>
<h1>Taking your medicines</h1><p>Keep a list of your medicines.</p>
<p style="break-before: page"><a href="https://example.org/">The clinic</a></p>
</body></html>"""


class CountingZlib:
    """pydyf's ``zlib`` with its compressions counted."""

    def __init__(self) -> None:
        self.compressions = 0

    def compressobj(self, *args: object, **kwargs: object) -> object:
        self.compressions += 1
        return zlib.compressobj(*args, **kwargs)

    def __getattr__(self, name: str) -> object:
        return getattr(zlib, name)


def written(finisher: object, monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, int]:
    counting = CountingZlib()
    monkeypatch.setattr(pydyf, "zlib", counting)
    monkeypatch.setattr(pdf_write, "zlib", counting)
    document = weasyprint.HTML(string=HTML).render(pdf_variant="pdf/ua-1")
    data = document.write_pdf(pdf_variant="pdf/ua-1", pdf_identifier=True,
                              finisher=finisher)
    monkeypatch.setattr(pydyf, "zlib", zlib)
    monkeypatch.setattr(pdf_write, "zlib", zlib)
    return data, counting.compressions


def objects(data: bytes, tmp_path, name: str) -> list:
    """Every object of the file as qpdf reads it, streams decoded; not the
    cross-reference stream (byte offsets, which the compression moves)."""
    path = tmp_path / name
    path.write_bytes(data)
    with pikepdf.open(path) as pdf:
        return [(obj.objgen, obj.read_bytes() if isinstance(obj, pikepdf.Stream) else
                 None, repr(obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj))
                for obj in pdf.objects if not (isinstance(obj, pikepdf.Stream)
                                               and obj.get("/Type") == "/XRef")]


def test_same_bytes_with_each_stream_compressed_once(monkeypatch: pytest.MonkeyPatch,
                                                     tmp_path) -> None:
    plain, twice = written(None, monkeypatch)
    once_data, once = written(serialize_once, monkeypatch)
    assert once_data != plain   # other compressed bytes (and so another /ID) ...
    ours, pydyfs = objects(once_data, tmp_path, "ours.pdf"), objects(plain, tmp_path, "p.pdf")
    assert [o[:2] for o in ours] == [o[:2] for o in pydyfs]  # ... the same content
    assert [o[2] for o in ours if "/Length" not in o[2]] == \
        [o[2] for o in pydyfs if "/Length" not in o[2]]
    assert len(once_data) < len(plain) * 1.03
    # pydyf compresses every stream twice (write, then /ID hash) but the
    # cross-reference stream, written after the hash, once.
    assert twice == 2 * once - 1 and once > 3
    path = tmp_path / "t.pdf"
    path.write_bytes(once_data)
    with pikepdf.open(path) as pdf:    # qpdf reads it, /ID included
        assert len(pdf.pages) == 2 and len(pdf.trailer.ID) == 2
