"""The same text as Typst, for ``typst_compare.py``: the print HTML that WeasyPrint
lays out, made ready for Pandoc's HTML reader, converted to Typst markup and put
under a large-print preamble (18 pt Noto, 1-inch margins, one-line footer)."""

from __future__ import annotations

import html as html_lib
import json
import re
import subprocess
from pathlib import Path

#: Typst's text.lang is ISO 639 (no script subtag): zh-Hans is written zh + region CN.
TYPST_LANG = {"zh-Hans": ("zh", "CN")}
FONTS = {"ar": '("Noto Sans Arabic", "Noto Sans")',
         "default": '("Noto Sans", "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans CJK SC")'}

# Pandoc keeps lang/dir of a Span or Div in its AST but its Typst writer drops them:
# wrap them in text(lang:, dir:) so the comparison is of Typst, not of that gap.
LUA_FILTER = r"""
local function args(attr)
  local out = {}
  local lang = attr.attributes["lang"]
  if lang then
    local code, region = lang:match("^(%a+)%-?(%a*)$")
    table.insert(out, 'lang: "' .. code:lower() .. '"')
  end
  local dir = attr.attributes["dir"]
  if dir == "ltr" or dir == "rtl" then table.insert(out, "dir: " .. dir) end
  return table.concat(out, ", ")
end
function Span(el)
  local a = args(el.attr)
  if a == "" then return nil end
  local out = {pandoc.RawInline("typst", "#text(" .. a .. ")[")}
  for _, x in ipairs(el.content) do table.insert(out, x) end
  table.insert(out, pandoc.RawInline("typst", "]"))
  return out
end
function Div(el)
  local a = args(el.attr)
  if a == "" then return nil end
  local out = {pandoc.RawBlock("typst", "#[#set text(" .. a .. ")")}
  for _, x in ipairs(el.content) do table.insert(out, x) end
  table.insert(out, pandoc.RawBlock("typst", "]"))
  return out
end
"""

PREAMBLE = r"""#set document(title: TITLE, author: AUTHOR)
#let fit-title(title, width) = {
  // One line, as our print.css: drop whole words and end with an ellipsis; a
  // title without spaces (Chinese) loses characters instead.
  let words = title.split(" ")
  let cut = if words.len() > 1 { words } else { title.clusters() }
  let glue = if words.len() > 1 { " " } else { "" }
  let shown = title
  let n = cut.len()
  while n > 1 and measure(text(shown)).width > width {
    n -= 1
    shown = cut.slice(0, n).join(glue).trim() + " …"
  }
  shown
}
#set page(paper: PAPER, margin: 1in, footer-descent: 0.06in, footer: context {
  set text(size: 18pt, top-edge: 0.8em, bottom-edge: -0.2em)
  grid(columns: (62%, 38%), align: (start, end),
    fit-title(TITLE, 0.62 * (PAGE_WIDTH - 2in)), FOOTER)
})
#set text(font: FONTS, size: 18pt, LANG hyphenate: false, top-edge: 0.8em,
          bottom-edge: -0.2em, fill: black)
#set par(leading: 0.5em, spacing: 1.05em, justify: false)
#show heading: set text(weight: "bold")
#show heading: set block(above: 1.2em, below: 0.75em)
#show heading.where(level: 1): set text(size: 28pt)
#show heading.where(level: 2): set text(size: 24pt)
#show heading.where(level: 3): set text(size: 21pt)
#show emph: it => strong(it.body)
#show link: underline
#set table(stroke: 1pt + black, inset: (x: 0.4em, y: 0.3em))
#show figure.caption: set text(weight: "bold")
#set figure(numbering: none)
#show figure: set align(start)
#show table.cell.where(y: 0): set text(weight: "bold")
#set list(indent: 0.4em, body-indent: 0.6em, marker: ([•], [◦], [▪]))
#set enum(indent: 0.4em, body-indent: 0.6em)
"""


def pandoc_ready(page: str) -> str:
    """Print HTML as Pandoc's reader keeps it: it drops <header>/<main>/<footer>
    with their content and <bdi> markup, and a <p lang> loses its lang."""
    page = re.sub(r"<(/?)(header|main|footer)\b", r"<\1div", page)
    page = re.sub(r'<bdi dir="(\w+)">(.*?)</bdi>', r'<span dir="\1">\2</span>', page, flags=re.S)
    return re.sub(r'<(p|dd|li|dt)\b([^>]*?) lang="([^"]+)"(?: dir="(\w+)")?([^>]*)>(.*?)</\1>',
                  lambda m: f'<{m[1]}{m[2]}{m[5]}><span lang="{m[3]}" dir="{m[4] or "ltr"}">'
                            f'{m[6]}</span></{m[1]}>', page, flags=re.S)


def typst_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def footer_expression(page: str) -> str:
    """The localized "Page X of Y" of the print HTML's @page rule, as Typst code."""
    content = re.search(r"content: ((?:\"[^\"]*\"|counter\(\w+\)|\s)+);", page)[1]
    pieces = re.findall(r'"((?:[^"\\]|\\.)*)"|counter\((\w+)\)', content)
    code = {"page": "str(counter(page).get().first())",
            "pages": "str(counter(page).final().first())"}
    return "(" + " + ".join(code[name] if name else typst_string(text)
                            for text, name in pieces) + ")"


def typst_source(page: str, pandoc: str, lua: Path, assets: Path) -> str:
    """A .typ file with the print HTML's text: Pandoc's body under our preamble."""
    lang = re.search(r'<html lang="([^"]+)"', page)[1]
    title = html_lib.unescape(re.search(r"<title>(.*?)</title>", page, re.S)[1])
    h1 = html_lib.unescape(re.sub(r"<[^>]+>", "", re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)[1]))
    author = re.search(r'<meta name="author" content="([^"]*)"', page)
    body = subprocess.run([pandoc, "-f", "html", "-t", "typst", "--lua-filter", str(lua)],
                          input=pandoc_ready(page), capture_output=True, text=True,
                          check=True).stdout
    # Pandoc's writer drops the picture's alt text (Typst ua-1 refuses a picture
    # without one): put back each <img alt> in order, with the file's local name.
    alts = iter(html_lib.unescape(alt) for alt in re.findall(r'<img [^>]*alt="([^"]*)"', page))
    body = re.sub(r'image\("file://[^"]*/([^"/]+)"\)',
                  lambda m: f'image("{assets.name}/{m[1]}", alt: {typst_string(next(alts))})', body)
    # Pandoc centres tables; ours are at the start of the line like the text.
    body = body.replace("align(center)[#table(", "align(start)[#table(")
    code, region = TYPST_LANG.get(lang, (lang, None))
    lang_args = f'lang: "{code}", ' + (f'region: "{region}", ' if region else "")
    paper = "us-letter" if "size: letter" in page else "a4"
    width = "8.5in" if paper == "us-letter" else "210mm"
    preamble = (PREAMBLE.replace("TITLE", typst_string(h1 or title))
                .replace("AUTHOR", typst_string(author[1] if author else ""))
                .replace("PAPER", typst_string(paper)).replace("PAGE_WIDTH", width)
                .replace("FOOTER", footer_expression(page))
                .replace("FONTS", FONTS.get(code, FONTS["default"]))
                .replace("LANG ", lang_args))
    return preamble + "\n" + body
