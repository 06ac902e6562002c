"""Every character of a handout must have a glyph: no missing-glyph boxes on paper.

The handouts' font stack (typography.css) is Noto Sans and its sister families. Before
rendering, the characters of a handout are checked against the union of those fonts'
character maps, and a gap is an error that names the Debian package to install.
"""

from __future__ import annotations

import subprocess
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from fontTools.ttLib import TTFont

#: Family -> the Debian package that installs it (kept in step with typography.css).
FONT_STACK: dict[str, str] = {
    "Noto Sans": "fonts-noto-core",
    "Noto Sans Arabic": "fonts-noto-core",
    "Noto Sans Hebrew": "fonts-noto-core",
    "Noto Sans Devanagari": "fonts-noto-core",
    "Noto Sans CJK SC": "fonts-noto-cjk",
    "Noto Sans Math": "fonts-noto-core",
    "Noto Sans Malayalam": "fonts-noto-core",
    "Noto Sans Kannada": "fonts-noto-core",
}


@dataclass(frozen=True)
class Coverage:
    codepoints: frozenset[int]
    #: Families of the stack that are not installed, with their package.
    missing: tuple[tuple[str, str], ...]


@lru_cache(maxsize=None)
def font_file(family: str) -> str | None:
    try:
        found = subprocess.run(["fc-match", "-f", "%{family}\n%{file}", family],
                               capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None
    families, _, path = found.partition("\n")
    # fc-match always answers with something: only an exact family counts.
    return path if family in families.split(",") else None


@lru_cache(maxsize=1)
def coverage() -> Coverage:
    codepoints: set[int] = set()
    missing = []
    for family, package in FONT_STACK.items():
        path = font_file(family)
        if path is None:
            missing.append((family, package))
            continue
        font = TTFont(path, fontNumber=0, lazy=True)
        codepoints.update(font.getBestCmap() or {})
        font.close()
    return Coverage(frozenset(codepoints), tuple(missing))


def uncovered(text: str) -> list[str]:
    """Characters of ``text`` that no font of the stack can draw."""
    have = coverage().codepoints
    return sorted({c for c in text if ord(c) not in have and not c.isspace()
                   and unicodedata.category(c) not in ("Cc", "Cf")})


def missing_glyphs_message(chars: list[str]) -> str:
    shown = ", ".join(f"U+{ord(c):04X} {unicodedata.name(c, '?')}" for c in chars[:5])
    more = f" and {len(chars) - 5} more" if len(chars) > 5 else ""
    packages = sorted({package for _, package in coverage().missing})
    if packages:
        advice = f"install {' '.join(packages)} (missing: " \
                 f"{', '.join(f for f, _ in coverage().missing)})"
    else:
        advice = "no installed Noto font has them; install fonts-noto-extra or change the text"
    return f"no font for {shown}{more}: {advice}"
