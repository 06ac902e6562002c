"""The other formats of one handout, made beside its PDF and web page in the worker:
a braille-ready file and Unicode braille (liblouis), the bilingual handout (the
translation block by block with its source) and the readability figures.

An extra format that cannot be made costs only itself: the handout is published,
the extra is not, and the reason is reported (a missing braille table is a warning
naming the language; a bilingual handout that fails its preflight is an error).
"""

from __future__ import annotations

import dataclasses
import gettext
from dataclasses import dataclass, field
from pathlib import Path

from .bilingual import render_bilingual
from .braille import braille_settings, render_braille
from .config import Config
from .errors import Problem, PublisherError, Severity
from .handout_checks import preflight
from .localize import source_handout
from .model import LocalizedDocument
from .readability import Readability, grade_warning, readability

#: Formats beyond the web page and the PDF, and the file name each kind gets.
EXTRA_FORMATS = ("braille", "bilingual")
FILE_NAMES = {
    "brf": "{slug}.brf",
    "braille": "{slug}.braille.txt",
    "bilingual-pdf": "{slug}.bilingual.pdf",
    "bilingual-html": "{slug}.bilingual.html",
}


@dataclass
class Extras:
    #: kind -> bytes of the file (see FILE_NAMES).
    files: dict[str, bytes] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    readability: Readability | None = None

    def links(self, slug: str) -> dict[str, str]:
        """kind -> file name beside the handout, for its web page."""
        return {kind: FILE_NAMES[kind].format(slug=slug) for kind in self.files}


def file_name(kind: str, slug: str) -> str:
    return FILE_NAMES[kind].format(slug=slug)


def render_extras(handout: LocalizedDocument, formats: tuple[str, ...], *, config: Config,
                  interface: gettext.NullTranslations, html_renderer, pdf_renderer,
                  project: Path, canonical: str = "") -> Extras:
    extras = Extras()
    extras.readability = readability(handout)
    warning = grade_warning(extras.readability, config.max_grade, handout.document.path)
    if warning is not None:
        extras.problems.append(warning)
    if "braille" in formats:
        _braille(handout, config, interface, extras)
    if "bilingual" in formats and handout.translation != "source":
        _bilingual(handout, interface, html_renderer, pdf_renderer, project, canonical,
                   extras)
    return extras


def _braille(handout: LocalizedDocument, config: Config,
             interface: gettext.NullTranslations, extras: Extras) -> None:
    try:
        braille = render_braille(handout, settings=braille_settings(config),
                                 translations=interface)
    except PublisherError as exc:  # no table for the language: the handout goes on
        extras.problems.extend(
            dataclasses.replace(p, severity=Severity.WARNING,
                                message=f"no braille file for the {handout.locale} handout: "
                                        f"{p.message}") for p in exc.problems)
        return
    extras.problems.extend(braille.problems)
    extras.files["brf"] = braille.brf
    extras.files["braille"] = braille.text.encode("utf-8")


def _bilingual(handout: LocalizedDocument, interface: gettext.NullTranslations,
               html_renderer, pdf_renderer, project: Path, canonical: str,
               extras: Extras) -> None:
    source = source_handout(handout.document)
    rendered = render_bilingual(source, handout, html_renderer=html_renderer,
                                pdf_renderer=pdf_renderer, project=project,
                                translations=interface, canonical=canonical)
    problems = list(rendered.problems)
    if rendered.html is None or rendered.pdf is None:
        extras.problems.extend(problems)
        return
    problems.extend(preflight(handout, rendered.html, rendered.pdf))
    extras.problems.extend(
        dataclasses.replace(p, message=f"bilingual handout not published: {p.message}")
        if p.is_error else p for p in problems)
    if not any(p.is_error for p in problems):
        extras.files["bilingual-pdf"] = rendered.pdf
        extras.files["bilingual-html"] = rendered.html.encode("utf-8")
