"""What Babel's reader lets through: checks on a .po file's bytes before Babel reads it.

Babel's `read_po` silently truncates a string that misses its closing quote, keeps
only one of two entries with the same msgid, decodes UTF-8 bytes as Latin-1 when
the header says so (mojibake), raises LookupError on an unknown ``charset=``,
allocates ``nplurals`` strings per plural entry however large the number, and
reports a byte order mark as "Unknown or misformatted keyword".  Each of these is
an error here, with the file and line, before anything is published.
"""

from __future__ import annotations

import codecs
import gettext
import re
from pathlib import Path

from babel.messages.pofile import unescape

from .errors import Problem, error

BOM = b"\xef\xbb\xbf"
#: CLDR's plural categories (zero, one, two, few, many, other): no language has more.
MAX_PLURALS = 6
STRING = r'"(?:[^"\\]|\\.)*"'
KEYWORD = re.compile(r'^(?:#~\s*)?(?P<key>msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)'
                     r'(?:\s+(?P<rest>.*))?$')
CONTINUATION = re.compile(r'^(?:#~\s*)?"')
COMPLETE = re.compile(rf"^{STRING}\s*$")
CHARSET = re.compile(r"charset=(?P<charset>[^\s;]*)")
NPLURALS = re.compile(r"nplurals\s*=\s*(?P<n>[^;\s]*)")
PLURAL = re.compile(r"plural\s*=\s*(?P<expr>[^;]*)")


def syntax_problems(data: bytes, path: str | Path) -> list[Problem]:
    """Every problem Babel would miss or misreport, each with its line."""
    if data.startswith(BOM):
        return [error(path, "the file starts with a UTF-8 byte order mark (BOM), which PO "
                      "tools reject; save it as UTF-8 without BOM", line=1)]
    lines = data.decode("utf-8", errors="replace").splitlines()
    problems = _string_problems(lines, path)
    problems += _header_problems(lines, data, path)
    return problems


def _string_problems(lines: list[str], path: str | Path) -> list[Problem]:
    """Unterminated strings, and two entries for the same msgctxt and msgid."""
    problems: list[Problem] = []
    first_line: dict[tuple[bool, str | None, str], int] = {}
    entry: dict[str, list[str]] = {}
    key = None
    start = 0

    def finish() -> None:
        if "msgid" in entry:
            msgid = "".join(entry["msgid"])
            context = "".join(entry["msgctxt"]) if "msgctxt" in entry else None
            ident = (obsolete, context, msgid)
            if ident in first_line and msgid:
                problems.append(error(path, f"duplicate entry for msgid {_short(msgid)} (its "
                                      f"first definition is at line {first_line[ident]}); "
                                      "PO tools keep only one of them", line=start))
            first_line.setdefault(ident, start)

    obsolete = False
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        match = KEYWORD.match(line)
        if match:
            name = match.group("key")
            if name == "msgctxt" or (name == "msgid" and key != "msgctxt"):
                finish()
                entry, start, obsolete = {}, number, line.startswith("#~")
            key, text = name, match.group("rest") or ""
        elif CONTINUATION.match(line) and key is not None:
            text = line[2:].strip() if line.startswith("#~") else line
        else:
            key = None
            continue
        if not COMPLETE.match(text):
            problems.append(error(path, "a string here does not end with a closing quote "
                                  '(")', line=number))
            key = None
            continue
        entry.setdefault(key, []).append(unescape(text.strip()))
    finish()
    return problems


def _header_problems(lines: list[str], data: bytes, path: str | Path) -> list[Problem]:
    problems: list[Problem] = []
    for name, value, line in header_fields(lines):
        if name == "content-type":
            charset = CHARSET.search(value)
            if charset:
                problems += _charset_problems(charset.group("charset"), data, path, line)
        elif name == "plural-forms":
            problems += _plural_problems(value, path, line)
    return problems


def header_fields(lines: list[str]) -> list[tuple[str, str, int]]:
    """(lower-case name, value, line) of each field of the header entry (msgid "")."""
    fields: list[tuple[str, str, int]] = []
    in_header = False
    pending = ""
    start = 0
    for number, raw in enumerate(lines, 1):
        line = raw.strip()
        if line.startswith("#") or not line:
            if in_header:
                break
            continue
        if line.startswith("msgid ") and line != 'msgid ""':
            break
        if line.startswith("msgstr "):
            in_header, line = True, line[len("msgstr "):].strip()
        if not in_header or not COMPLETE.match(line):
            continue
        if not pending:
            start = number
        pending += unescape(line)
        while "\n" in pending:
            field, pending = pending.split("\n", 1)
            name, _, value = field.partition(":")
            fields.append((name.strip().lower(), value.strip(), start))
            start = number
    return fields


def _charset_problems(name: str, data: bytes, path: str | Path, line: int) -> list[Problem]:
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return [error(path, f"Content-Type: charset={name!r} is not a character set Python "
                      "knows; use charset=UTF-8", line=line)]
    if codec == "utf-8" or data.isascii():
        return []
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return []  # really in that character set: Babel decodes it
    return [error(path, f"Content-Type says charset={name} but the file is UTF-8 text: it "
                  "would be read as garbled characters; change the header to charset=UTF-8",
                  line=line)]


def _plural_problems(value: str, path: str | Path, line: int) -> list[Problem]:
    count = NPLURALS.search(value)
    expression = PLURAL.search(value)
    if count is None or expression is None:
        return [error(path, f"Plural-Forms {value!r} needs nplurals=N; plural=EXPRESSION;",
                      line=line)]
    text = count.group("n")
    if not text.isdigit() or not 1 <= int(text) <= MAX_PLURALS:
        return [error(path, f"Plural-Forms: nplurals={text} is not a number of plural forms "
                      f"(1 to {MAX_PLURALS})", line=line)]
    forms = int(text)
    try:
        rule = gettext.c2py(expression.group("expr").strip())
        wrong = next((n for n in range(1001) if not 0 <= rule(n) < forms), None)
    except (ValueError, SyntaxError, ZeroDivisionError, RecursionError, OverflowError):
        return [error(path, f"Plural-Forms: plural={expression.group('expr').strip()} is not "
                      "a C plural expression gettext can evaluate", line=line)]
    if wrong is not None:
        return [error(path, f"Plural-Forms: plural= gives form {rule(wrong)} for n={wrong}, "
                      f"but nplurals={forms}", line=line)]
    return []


def _short(text: str, limit: int = 50) -> str:
    text = text.replace("\n", " ")
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")
