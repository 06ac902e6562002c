"""Write a PDF with a content-derived ``/ID`` while serializing each object once.

``render_pdf`` asks WeasyPrint for ``pdf_identifier=True`` (the same HTML gives the
same bytes, ``/ID`` included).  pydyf then serializes every object twice: once to
write it, once more to hash all objects for the identifier, and a stream's
serialization is a fresh zlib compression at level 9 (the fonts, each page's
content, the object stream holding every dictionary).  On a 10-page handout that
second pass was a quarter of ``write_pdf``'s time (~25 ms).

``serialize_once`` is a WeasyPrint *finisher* (called with the finished
``pydyf.PDF`` just before it is written): for the write, each object's
serialization is kept the first time it is made and reused for the hash.  The
bytes are the ones pydyf would write, by construction: the same serialization of
the same, no longer changing, objects — but for the compression level.

Streams are compressed at zlib's own default level (6) instead of pydyf's 9: half
the compression time (7.4 -> 3.3 ms a 10-page handout, the fonts included) for
streams ~1.4 % larger (39.2 -> 39.7 KB of a clinic handout's ~40 KB of streams).
The PDF says the same: its streams decode to the same bytes (tests/test_pdf_write.py).
"""

from __future__ import annotations

import zlib
from typing import Any

import pydyf

#: zlib level of the PDF's streams (pydyf's is 9).
ZLIB_LEVEL = 6

#: Object class -> its subclass that keeps its serialization (made on first use).
_ONCE_CLASSES: dict[type, type] = {}


def serialize_once(document: Any, pdf: pydyf.PDF) -> None:
    """WeasyPrint finisher: ``pdf``'s objects are serialized once while it is written."""
    if type(pdf) is pydyf.PDF:       # someone else's subclass: leave it alone
        pdf.__class__ = _WrittenOncePdf


def _serialized_once(cls: type) -> type:
    """``cls`` with a ``data`` property that keeps its first result."""
    once = _ONCE_CLASSES.get(cls)
    if once is None:
        # pydyf's own serialization where its stream is not the one _stream_data copies
        # (another class's data, or a pydyf without the helper it uses).
        ours = cls.data is pydyf.Stream.data and hasattr(pydyf, "_to_bytes")
        serialize = _stream_data if ours else cls.data.fget

        def data(self: Any) -> bytes:
            try:
                return self._publisher_data
            except AttributeError:
                self._publisher_data = serialize(self)
                return self._publisher_data

        once = _ONCE_CLASSES[cls] = type(cls.__name__, (cls,), {
            "data": property(data), "__module__": __name__,
            "__doc__": f"{cls.__name__} serialized once (pdf_write)."})
    return once


def _stream_data(stream: pydyf.Stream) -> bytes:
    """pydyf's ``Stream.data`` (0.13), compressed at ``ZLIB_LEVEL``."""
    if not stream.compress:
        return pydyf.Stream.data.fget(stream)  # type: ignore[attr-defined]
    raw = b"\n".join(pydyf._to_bytes(item) for item in stream.stream)
    extra = pydyf.Dictionary(stream.extra.copy())
    extra["Filter"] = "/FlateDecode"
    compressor = zlib.compressobj(level=ZLIB_LEVEL)
    packed = compressor.compress(raw) + compressor.flush()
    extra["Length"] = len(packed)
    return b"\n".join((extra.data, b"stream", packed, b"endstream"))


def _keep_serialization(obj: Any) -> None:
    # Only classes whose ``data`` pydyf defines as a property (Dictionary, Stream,
    # String, Array and WeasyPrint's subclasses): their instances take a subclass
    # of their own class, so nothing else about them changes.
    if isinstance(obj, pydyf.Object) and obj.free != "f" \
            and type(obj) not in _ONCE_CLASSES.values() \
            and isinstance(getattr(type(obj), "data", None), property):
        obj.__class__ = _serialized_once(type(obj))


class _WrittenOncePdf(pydyf.PDF):
    """A ``pydyf.PDF`` whose objects keep their serialization during ``write``
    (also the object and cross-reference streams ``write`` adds itself)."""

    def add_object(self, object_: Any) -> None:
        super().add_object(object_)
        _keep_serialization(object_)

    def write(self, *args: Any, **kwargs: Any) -> None:
        for obj in self.objects:
            _keep_serialization(obj)
        super().write(*args, **kwargs)
