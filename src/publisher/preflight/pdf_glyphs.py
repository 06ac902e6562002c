"""Every glyph of a page as pdfplumber's ``page.chars`` gives it, read by pdfminer: the
preflight's reader for a page its own (``pdf_text``) does not understand.

pdfminer's own interpreter and device do everything that decides a glyph's text,
size, box and marked-content ID (fonts, ToUnicode maps, text state, matrices, form
XObjects), but the operators come from pikepdf's content-stream parser (qpdf, in
C++), converted to the values pdfminer's tokenizer would have made, and the glyphs
are read from pdfminer's layout objects instead of pdfplumber's dicts.  A stream
pikepdf cannot give or parse cleanly, or one with an inline image, is left to
pdfminer's tokenizer.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterator
from decimal import Decimal

import pdfplumber
import pikepdf
from pdfminer.layout import LTChar, LTContainer
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfminer.pdftypes import stream_value
from pdfminer.psparser import LIT
from pdfplumber.page import PDFPageAggregatorWithMarkedContent

from .pdf_show import Glyph


_TYPE = pikepdf.ObjectType


def _pdfminer_value(value: object) -> object:
    """An operand as pdfminer's tokenizer makes it: reals as float, strings as
    bytes, names as literals, dictionaries keyed by name without the slash.

    Dispatched on the type code: ``isinstance`` against pikepdf's classes asks qpdf
    each time, and a page has thousands of operands."""
    kind = type(value)
    if kind is Decimal:
        return float(value)
    if kind is int or kind is bool or value is None:
        return value
    code = getattr(value, "_type_code", None)
    if code == _TYPE.string:
        return bytes(value)
    if code == _TYPE.name_:
        return LIT(str(value)[1:])
    if code == _TYPE.array:
        return [_pdfminer_value(item) for item in value]
    if code == _TYPE.dictionary:
        return {str(key)[1:]: _pdfminer_value(item) for key, item in value.items()}
    raise TypeError(f"operand pdfminer would not make: {type(value).__name__}")


class _Interpreter(PDFPageInterpreter):
    """pdfminer's interpreter, fed by pikepdf's content-stream parser."""

    def __init__(self, rsrcmgr, device, pdf: pikepdf.Pdf) -> None:
        super().__init__(rsrcmgr, device)
        self.pdf = pdf

    def dup(self) -> _Interpreter:
        return self.__class__(self.rsrcmgr, self.device, self.pdf)

    def execute(self, streams) -> None:
        operations = self._operations(streams)
        if operations is None:
            super().execute(streams)
            return
        for operands, name in operations:
            # Operands left over by a malformed operator stay on the stack, as in pdfminer.
            self.argstack.extend(_pdfminer_value(operand) for operand in operands)
            method = getattr(self, "do_" + name.replace("*", "_a").replace('"', "_w")
                             .replace("'", "_q"), None)
            if method is None:
                continue
            count = method.__code__.co_argcount - 1
            if count:
                arguments = self.pop(count)
                if len(arguments) == count:
                    method(*arguments)
            else:
                method()

    def _operations(self, streams) -> list[tuple[list, str]] | None:
        """The streams' operators as (operands, name), or None for pdfminer to read them
        (a stream pikepdf does not know by number, an inline image, a nested stream)."""
        found: list[tuple[list, str]] = []
        self.stream_ids.clear()
        for obj in streams:
            stream = stream_value(obj)
            if stream.objid is None or stream.objid in self.parent_stream_ids:
                return None
            try:
                # qpdf stops quietly (a warning) at what it cannot parse, where pdfminer
                # may read on: a stream that is not clean goes to pdfminer whole.
                with warnings.catch_warnings():
                    warnings.simplefilter("error")
                    own = self.pdf.get_object((stream.objid, stream.genno or 0))
                    parsed = pikepdf.parse_content_stream(own)
            except (pikepdf.PdfError, ValueError, TypeError, Warning):
                return None
            self.stream_ids.add(stream.objid)
            for operands, operator in parsed:
                name = str(operator)
                if name in ("INLINE IMAGE", "BI", "ID", "EI"):
                    return None
                found.append((list(operands), name))
        return found


def page_glyphs(plumber: pdfplumber.PDF, page: pdfplumber.page.Page,
                pdf: pikepdf.Pdf) -> Iterator[tuple[Glyph, float, int | None]]:
    """(glyph, size, MCID) of every character, in pdfplumber's coordinates (``top``
    from the top edge, the MediaBox origin added), form XObjects included."""
    device = PDFPageAggregatorWithMarkedContent(plumber.rsrcmgr, pageno=page.page_number,
                                                laparams=plumber.laparams)
    _Interpreter(plumber.rsrcmgr, device, pdf).process_page(page.page_obj)
    layout = device.get_result()
    mb_x0, mb_top = page.mediabox[:2]
    height = page.height

    def walk(objects: list) -> Iterator[LTChar]:
        for obj in objects:
            if isinstance(obj, LTContainer):
                yield from walk(obj._objs)
            elif isinstance(obj, LTChar):
                yield obj

    for char in walk(layout._objs):
        x0, x1 = (char.x0 + mb_x0, char.x1 + mb_x0) if mb_x0 != 0 else (char.x0, char.x1)
        yield (Glyph(char.get_text(), x0, (height - char.y1) + mb_top, x1,
                     (height - char.y0) + mb_top), char.size, getattr(char, "mcid", None))

