"""Local pictures: checked before use, named by their content, copied into ``dist/``.

A picture is a file under ``seeds/assets/`` (PNG or JPEG).  Before a handout that
shows it is rendered, the file is read once and checked with Pillow: it exists, it
is a picture Pillow can decode, and it is not too large in bytes or in pixels (a
small file can decode to gigabytes: a decompression bomb).  A failing picture is an
error naming the seed's file and line; the handout is not published, the rest build.

The PDF reads the checked file through the renderer's fetcher (``Figure.uri``); the
web page links a copy in ``dist/assets/`` whose name carries a hash of its bytes
(``assets/pic.3f2a9c1b.png``), so a changed picture is a new file and a browser never
shows a stale one.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import unquote

from PIL import Image, ImageFile, UnidentifiedImageError

from .errors import Problem, RenderError, error
from .model import Block, Figure, ListBlock, ListItem, LocalizedDocument, Quote
from .write_dist import DistWriter

#: A picture file may not be larger than this many bytes...
MAX_BYTES = 10 * 1024 * 1024
#: ...nor decode to more pixels than this (about 5000 × 5000).
MAX_PIXELS = 25_000_000
#: Formats a handout shows, with the suffix of their copy in dist/.
FORMATS = {"PNG": ".png", "JPEG": ".jpg"}
ASSETS = "assets"


class PictureError(ValueError):
    """Why a picture cannot be used, in words for the clinic's staff."""


@dataclass(frozen=True)
class PictureFile:
    path: Path
    sha256: str
    #: Where its copy goes, relative to dist/: ``assets/<stem>.<hash8><suffix>``.
    name: str
    width: int
    height: int


def check_picture(assets_dir: Path, src: str) -> PictureFile:
    """The picture ``src`` (``assets/x.png``, as the seed writes it), checked."""
    root = assets_dir.resolve()
    relative = unquote(src.removeprefix("./")).removeprefix(ASSETS + "/")
    path = (root / relative).resolve()
    if not path.is_relative_to(root):
        raise PictureError(f"picture {src!r} is outside seeds/{ASSETS}/")
    if not path.is_file():
        raise PictureError(f"picture {src!r} not found: put the file in seeds/{ASSETS}/")
    if path.suffix.lower() in (".svg", ".svgz"):
        # WeasyPrint would draw it, but an SVG can ask for other files and has no
        # pixel count to limit: not until it can be checked like the others.
        raise PictureError(f"picture {src!r} is SVG: use PNG or JPEG")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise PictureError(f"picture {src!r} is {size / 1e6:.1f} MB: the limit is "
                           f"{MAX_BYTES / 1e6:.0f} MB")
    data = path.read_bytes()
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            if kind not in FORMATS:
                raise PictureError(f"picture {src!r} is {kind or 'not a picture'}: "
                                   "use PNG or JPEG")
            if width * height > MAX_PIXELS:
                raise PictureError(f"picture {src!r} is {width} × {height} pixels: the limit "
                                   f"is {MAX_PIXELS // 1_000_000} million pixels")
            image.verify()  # chunks and checksums
        with Image.open(io.BytesIO(data)) as image:
            _decode_strictly(image)
    except PictureError:
        raise
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError,
            ValueError) as exc:
        raise PictureError(f"picture {src!r} cannot be read: {exc}") from exc
    digest = hashlib.sha256(data).hexdigest()
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(relative).stem).strip("-") or "picture"
    name = f"{ASSETS}/{stem}.{digest[:8]}{FORMATS[kind]}"
    return PictureFile(path, digest, name, width, height)


def _decode_strictly(image: Image.Image) -> None:
    """Decode every pixel: a truncated or corrupt file fails here.  WeasyPrint turns
    on Pillow's LOAD_TRUNCATED_IMAGES for the whole process; not for this check."""
    previous = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        image.load()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = previous


def resolve_pictures(handout: LocalizedDocument, project: Path) -> LocalizedDocument:
    """The handout with every picture checked and located; RenderError listing every
    picture that cannot be used (each with the seed's file and line)."""
    problems: list[Problem] = []
    assets_dir = project / "seeds" / ASSETS

    def locate(figure: Figure) -> Figure:
        try:
            found = check_picture(assets_dir, figure.src)
        except PictureError as exc:
            problems.append(error(handout.document.path, str(exc), line=figure.line,
                                  check="picture"))
            return figure
        return replace(figure, uri=found.path.as_uri(), file=found.name,
                       width=found.width, height=found.height)

    blocks = map_figures(handout.blocks, locate)
    if problems:
        raise RenderError(*problems)
    return replace(handout, blocks=blocks)


def copy_pictures(writer: DistWriter, handout: LocalizedDocument) -> dict[str, str]:
    """Copy the handout's checked pictures into dist/ (through the build's writer, which
    journals them and leaves an identical copy alone); path relative to dist/ -> sha256
    of each, for the manifest."""
    copied: dict[str, str] = {}
    for figure in figures(handout.blocks):
        if not figure.file or figure.file in copied:
            continue
        data = Path(unquote(figure.uri.removeprefix("file://"))).read_bytes()
        copied[figure.file] = writer.write(figure.file, data)
    return copied


def figures(blocks: tuple[Block, ...]) -> list[Figure]:
    found: list[Figure] = []
    map_figures(blocks, lambda f: found.append(f) or f)
    return found


def map_figures(blocks: tuple[Block, ...], change) -> tuple[Block, ...]:
    """The blocks with every picture, in quotes and list items too, changed."""
    out: list[Block] = []
    for block in blocks:
        if isinstance(block, Figure):
            block = change(block)
        elif isinstance(block, Quote):
            block = Quote(map_figures(block.blocks, change))
        elif isinstance(block, ListBlock):
            block = replace(block, items=tuple(ListItem(map_figures(i.blocks, change))
                                               for i in block.items))
        out.append(block)
    return tuple(out)
