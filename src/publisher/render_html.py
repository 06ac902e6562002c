"""Render HTML: a localized document through the Jinja templates in ``templates/``.

Two pages come from one template: ``medium="print"`` is what WeasyPrint lays out for
the PDF (it links ``print.css``), ``medium="web"`` is the self-contained handout page
(its CSS inlined) that also links to the PDF and the other languages.
"""

from __future__ import annotations

import gettext
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from babel.dates import format_date
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateSyntaxError, select_autoescape
from markupsafe import Markup

from .config import Config
from .findable import FAVICON, absolute, description, hreflang_links
from .errors import RenderError, error
from .inline import links, to_html, to_plain_text
from .interface_text import EscapedGettext, css_string
from .locales import babel_locale, direction
from .model import LocalizedDocument, segments


@dataclass(frozen=True)
class PdfLink:
    href: str
    download_name: str
    pages: int
    size: str


@dataclass(frozen=True)
class Alternate:
    locale: str
    name: str
    href: str


@dataclass(frozen=True)
class PaperLink:
    text: str
    short: str


def short_url(url: str) -> str:
    """An address a reader can type from paper: no scheme, no www., no trailing /."""
    parts = urlsplit(url)
    host = parts.netloc.removeprefix("www.")
    return (host + parts.path.rstrip("/") + (f"?{parts.query}" if parts.query else "")) or url


def paper_links(handout: LocalizedDocument) -> list[PaperLink]:
    """Every distinct web address in the handout's text, in reading order."""
    seen: dict[str, PaperLink] = {}
    for segment in [handout.title, *segments(handout.blocks)]:
        for label, href in links(segment.text):
            if href.startswith(("http://", "https://")) and href not in seen:
                seen[href] = PaperLink(to_plain_text(label), short_url(href))
    for block in handout.blocks:
        href = getattr(block, "href", None)
        title = getattr(block, "title", None)
        if href and href not in seen:
            seen[href] = PaperLink(to_plain_text(title.text) if title else "", short_url(href))
    return list(seen.values())


def page_css(config: Config, translations: gettext.NullTranslations, dir_: str) -> str:
    """The print variant's sizes and the localized "Page X of Y" as CSS."""
    size = config.size
    pattern = translations.gettext("Page %(page)s of %(pages)s")
    pieces = pattern.replace("%(page)s", "\0page\0").replace("%(pages)s", "\0pages\0").split("\0")
    content = " ".join(f"counter({p})" if p in ("page", "pages") else css_string(p)
                       for p in pieces if p)
    number_box, title_box = ("bottom-right", "bottom-left") if dir_ == "ltr" \
        else ("bottom-left", "bottom-right")
    # The one-line footer must fit the top half of the 1-inch bottom margin
    # (nothing printed within 0.5 in of the edge); Arabic fonts reach 0.55 em
    # below the baseline, so the footer stays at the 18 pt large-print minimum
    # even when the body is extra-large, with a tight line height.
    footer_pt = min(size.body_pt, 18)
    return (
        f"@page {{ size: {config.page.css_size};"
        f" @{number_box} {{ content: {content}; text-align: end; font-size: {footer_pt}pt;"
        f" line-height: 1; }}"
        f" @{title_box} {{ content: string(doctitle); text-align: start;"
        f" font-size: {footer_pt}pt; line-height: 1; }} }}\n"
        f"html {{ font-size: {size.body_pt}pt; line-height: {size.line_height}; }}\n"
        f"h1 {{ font-size: {size.h1_pt}pt; }} h2 {{ font-size: {size.h2_pt}pt; }}"
        f" h3 {{ font-size: {size.h3_pt}pt; }} h4, h5, h6 {{ font-size: {size.body_pt}pt; }}"
    )


# A link or isolated run whose whole text is a web address: no space, and a dot,
# slash or @ in it.
_ADDRESS = re.compile(r"(<(a|bdi)\b[^>]*>)([^<\s]*[./@][^<\s]*)(</\2>)")


def keep_address_hyphens(page: str) -> str:
    """On paper a web address breaks before a "-", never just after it: a line that
    ends in "-" reads as a hyphenated word, to text extractors and to people, and the
    hyphen is dropped ("breast-cancer-" + "survivorship" copied as
    "breast-cancersurvivorship"); a line that starts with "-" shows it belongs to the
    address.  A zero-width space before each "-" and a word joiner after it; both are
    invisible and extract as nothing."""
    return _ADDRESS.sub(lambda m: m[1] + m[3].replace("-", "\u200b-\u2060") + m[4], page)


class HtmlRenderer:
    """Jinja environment over the project's templates; one per process."""

    def __init__(self, templates: Path, config: Config) -> None:
        self.templates = templates
        self.config = config
        self.env = Environment(
            loader=FileSystemLoader(templates),
            autoescape=select_autoescape(["html"]),
            extensions=["jinja2.ext.i18n"],
            undefined=StrictUndefined,
            trim_blocks=False,
        )
        self.env.policies["ext.i18n.trimmed"] = True
        self.env.filters.update(
            inline=lambda text: Markup(to_html(text)),
            plain=to_plain_text,
            direction=direction,
            short_url=short_url,
        )
        self.web_css = Markup("\n".join(
            (templates / name).read_text(encoding="utf-8")
            for name in ("typography.css", "web.css")))

    def page(self, name: str, locale: str, translations: gettext.NullTranslations,
                *, root: str | None = None, **context: Any) -> str:
        """``root``: the way from the page to dist/ ("" for dist/index.html, "../" for
        a page in a language's folder); the page links the site's icon when given."""
        # Interface strings are text: escaped, never trusted as markup (interface_text).
        self.env.globals.update(EscapedGettext(translations).callables())
        self.env.newstyle_gettext = True  # type: ignore[attr-defined]
        self.env.filters["date"] = lambda d: format_date(d, "long", locale=babel_locale(locale))
        dir_ = direction(locale)
        try:
            template = self.env.get_template(name)
            page = template.render(lang=locale, dir=dir_, web_css=self.web_css,
                                   favicon="" if root is None else root + FAVICON,
                                   size_css=Markup(page_css(self.config, translations, dir_)),
                                   **context)
            return keep_address_hyphens(page) if context.get("medium") == "print" else page
        except TemplateSyntaxError as exc:
            raise RenderError(error(f"templates/{exc.name or name}", exc.message or str(exc),
                                    line=exc.lineno)) from exc

    def handout(self, handout: LocalizedDocument, *, medium: str,
                translations: gettext.NullTranslations, pdf: PdfLink | None = None,
                alternates: tuple[Alternate, ...] = (), canonical: str = "",
                qr: str = "", extras: dict[str, str] | None = None) -> str:
        # Every language's version, this one included, by its path in dist/.
        versions = {handout.locale: f"{handout.locale}/{handout.slug}.html",
                    **{alt.locale: f"{alt.locale}/{alt.href.rsplit('/', 1)[-1]}"
                       for alt in alternates}}
        return self.page(
            "handout.html", handout.locale, translations, medium=medium, root="../",
            handout=handout,
            meta=handout.document.meta, pdf=pdf, alternates=alternates, canonical=canonical,
            qr=qr, extras=extras or {}, description=description(handout),
            head_links=hreflang_links(self.config.base_url, versions) if len(versions) > 1
            else (),
            paper_links=paper_links(handout) if medium == "print" else [])

    def index(self, locale: str, *, translations: gettext.NullTranslations,
              groups: list[dict[str, Any]], alternates: tuple[Alternate, ...],
              **context: Any) -> str:
        versions = {locale: f"{locale}/index.html",
                    **{alt.locale: f"{alt.locale}/index.html" for alt in alternates}}
        return self.page("index.html", locale, translations, medium="web", root="../",
                         groups=groups, alternates=alternates,
                         source_language=self.config.source_language,
                         canonical=absolute(self.config.base_url, f"{locale}/index.html"),
                         head_links=hreflang_links(self.config.base_url, versions),
                         **context)

    def languages(self, locale: str, *, translations: gettext.NullTranslations,
                  languages: list[dict[str, str]], **context: Any) -> str:
        versions = {lang["locale"]: lang["href"] for lang in languages}
        return self.page("languages.html", locale, translations, medium="web", root="",
                         languages=languages,
                         canonical=absolute(self.config.base_url, "index.html"),
                         head_links=hreflang_links(self.config.base_url, versions),
                         **context)
