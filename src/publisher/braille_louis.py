"""liblouis, the braille translator: text in, braille cells out (and back, for the tests).

We use liblouis' own Python binding, ``louis`` (Debian ``python3-louis``, a ctypes
wrapper over ``liblouis20``).  It is not on PyPI, and our virtual environment does
not see Debian's ``dist-packages``, so when a plain ``import louis`` fails the module
is loaded from Debian's folder by its file path: only that one module, never the
rest of ``dist-packages``.

A braille cell here is an ``int``: bit 0 is dot 1 ... bit 5 is dot 6 (the Unicode
braille order, so U+2800 + cell is the cell's character); 0 is the blank cell.
"""

from __future__ import annotations

import importlib.util
import sys
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType

DEBIAN_MODULE = Path("/usr/lib/python3/dist-packages/louis/__init__.py")
APT_HINT = "install the Debian packages liblouis20, liblouis-data and python3-louis (make setup)"
#: How BRF (North American ASCII braille) writes each of the 64 six-dot cells.
BRF_DISPLAY_TABLE = "en-us-brf.dis"

_lock = threading.Lock()


class LouisMissing(RuntimeError):
    """liblouis or its Python binding is not installed."""


@lru_cache(maxsize=1)
def louis() -> ModuleType:
    """The ``louis`` module, with liblouis' own messages kept off stderr."""
    try:
        import louis as module  # a Python where python3-louis is on the path
    except ImportError:
        if not DEBIAN_MODULE.exists():
            raise LouisMissing(f"liblouis is not installed: {APT_HINT}") from None
        spec = importlib.util.spec_from_file_location("louis", DEBIAN_MODULE)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except OSError as exc:  # the C library itself is missing
            raise LouisMissing(f"liblouis cannot be loaded ({exc}): {APT_HINT}") from None
        sys.modules.setdefault("louis", module)
    # Table compilation warnings ("Duplicate emphasis class") would be printed on
    # stderr, once per process, in the middle of the build's own output: keep them.
    global _callback
    _callback = module.LogCallback(_keep_log)  # referenced, or ctypes frees it
    module.registerLogCallback(_callback)
    return module


_log: list[str] = []
_callback = None


def _keep_log(level: int, message: bytes) -> None:
    del _log[:-20]
    _log.append(message.decode("utf-8", "replace"))


@lru_cache(maxsize=64)
def table_problem(table: str) -> str | None:
    """Why liblouis cannot use ``table`` (None when it can)."""
    module = louis()
    with _lock:
        _log.clear()
        try:
            module.checkTable([table])
        except RuntimeError:
            detail = "; ".join(m for m in _log if "rror" in m or "annot" in m)[:200]
            return f"liblouis cannot load {table!r}" + (f" ({detail})" if detail else "")
    return None


@dataclass(frozen=True)
class Translated:
    """Braille for one piece of text; ``sources[i]`` is the text index of ``cells[i]``."""
    cells: tuple[int, ...]
    sources: tuple[int, ...]


def translate(text: str, table: str, typeform: list[int] | None = None) -> Translated:
    """Six-dot cells for ``text``; characters the table does not know are left out
    (see `undefined_characters` to report them)."""
    if not text:
        return Translated((), ())
    module = louis()
    # A tuple, not a list: the binding copies a list back from a buffer twelve times
    # the text's length (liblouis' output size), which doubled the time of a handout's
    # braille; we never read it back.
    forms = tuple(typeform) if typeform and any(typeform) else None
    with _lock:  # liblouis keeps global state; one translation at a time per process
        braille, sources, _, _ = module.translate(
            [table], text, typeform=forms,
            mode=module.dotsIO | module.noUndefined)
    mapped = braille.translate(_DOTS_TO_CELLS)
    # Anything but dotsIO characters (none seen) is masked as before, one by one.
    cells = tuple(mapped.encode("latin-1")) if max(mapped, default="") <= "\x3f" \
        else tuple(ord(c) & 0x3F for c in braille)
    return Translated(cells, tuple(sources[: len(cells)]))


@lru_cache(maxsize=65536)
def is_defined(character: str, table: str) -> bool:
    module = louis()
    with _lock:
        braille = module.translateString([table], character,
                                         mode=module.dotsIO | module.noUndefined)
    return bool(braille)


def undefined_characters(text: str, table: str) -> list[str]:
    """Characters of ``text`` the table has no braille for, in order of appearance."""
    return [c for c in dict.fromkeys(text) if not c.isspace() and not is_defined(c, table)]


def back_translate(cells: list[int] | tuple[int, ...], table: str) -> str:
    """Text for braille cells (grade 2 back-translation is a best guess)."""
    if not cells:
        return ""
    module = louis()
    with _lock:
        return module.backTranslateString([table], "".join(chr(0x8000 | c) for c in cells),
                                          mode=module.dotsIO)


@lru_cache(maxsize=1)
def brf_characters() -> str:
    """The BRF (North American ASCII braille) character of each of the 64 cells."""
    module = louis()
    with _lock:
        return module.dotsToChar([BRF_DISPLAY_TABLE], "".join(chr(0x8000 | c)
                                                              for c in range(64)))


def to_brf(cells: list[int] | tuple[int, ...]) -> str:
    return bytes(cells).decode("latin-1").translate(_brf_map())


@lru_cache(maxsize=1)
def _brf_map() -> dict[int, str]:
    return dict(enumerate(brf_characters()))


def to_unicode(cells: list[int] | tuple[int, ...]) -> str:
    return bytes(cells).decode("latin-1").translate(_CELLS_TO_UNICODE)


# liblouis' dotsIO characters (U+8000 + dots, dots 7 and 8 in bits 6 and 7) to the
# six-dot cell (0-63) as a character, and a cell to Unicode braille: str.translate and
# bytes do per character what a generator did in Python (a handout has ~40,000 cells).
_DOTS_TO_CELLS = {0x8000 + dots: dots & 0x3F for dots in range(256)}
_CELLS_TO_UNICODE = {cell: 0x2800 + cell for cell in range(64)}


def from_brf(line: str) -> list[int]:
    """Cells of one BRF line (upper or lower case), for reading a BRF back."""
    index = {c: i for i, c in enumerate(brf_characters())}
    return [index[c] for c in line.upper()]


def version() -> str:
    """liblouis' version: the braille files depend on it and its tables (fingerprints)."""
    return louis().version()
