"""The cyclic garbage collector paused while a piece of work makes many objects.

A job in a worker allocates millions of objects (WeasyPrint's boxes, the PDF's
objects, the preflight's glyphs, a tuple per glyph); reference counting frees nearly
all of them, and with the collector on its passes walked them again and again and
promoted them, bringing full collections of a warm worker's whole heap sooner: 6 % of
a clinic handout's CPU (350 -> 330 ms, benchmarks/README.md section 6).  The work
makes little cyclic garbage (+0.6 MB on a 68-page handout), collected when it ends.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    """The collector off while the block runs, then what the block left collected
    (everything it made is in the youngest generation).  A caller that turned the
    collector off keeps it off, and collects when it sees fit."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect(0)
