"""Mistakes translators and reviewers make, deliberately: each is caught, with file:line.

Hostile catalog bytes, plural forms that disagree with CLDR, stamps edited, copied or
outdated, forged signatures, interface strings changed after review.  Every case goes
through the real command line and build and reads the result back.
"""

from __future__ import annotations

import io
import json
import os
import pty
import re
import select
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from publisher import catalogs
from publisher.errors import CatalogError
from publisher.review_signatures import sign
from publisher.review_stamps import signed_data

from conftest import run_cli
from test_translation import SPANISH, build, entry_line, fill, project_with

HEADER = ('msgid ""\nmsgstr ""\n"Language: es\\n"\n"Content-Type: text/plain; charset={charset}\\n"\n'
          '"Plural-Forms: {plural}\\n"\n\n')


def po(body: str, charset: str = "UTF-8", plural: str = "nplurals=2; plural=(n != 1);") -> bytes:
    return (HEADER.format(charset=charset, plural=plural) + body).encode("utf-8")


HOSTILE = {
    "absurd nplurals": (po('msgid "a"\nmsgid_plural "as"\nmsgstr[0] "x"\nmsgstr[1] "y"\n',
                           plural="nplurals=99999999999; plural=(n != 1);"),
                        5, "nplurals=99999999999 is not a number of plural forms"),
    "plural rule out of range": (po('msgid "a"\nmsgstr "b"\n', plural="nplurals=2; plural=n;"),
                                 5, "gives form 2 for n=2"),
    "plural rule not C": (po('msgid "a"\nmsgstr "b"\n', plural="nplurals=2; plural=(import os);"),
                          5, "not a C plural expression"),
    "unknown charset": (po('msgid "a"\nmsgstr "b"\n', charset="klingon"),
                        4, "charset='klingon' is not a character set"),
    "latin-1 header on UTF-8 bytes": (po('msgid "a"\nmsgstr "café"\n', charset="ISO-8859-1"),
                                      4, "the file is UTF-8 text"),
    "missing closing quote": (po('msgid "a"\nmsgstr "bcd\n\nmsgid "c"\nmsgstr "d"\n'),
                              8, "does not end with a closing quote"),
    "duplicate msgid": (po('msgid "a"\nmsgstr "b"\n\nmsgid "a"\nmsgstr "c"\n'),
                        10, "duplicate entry for msgid 'a' (its first definition is at line 7)"),
    "byte order mark": (b"\xef\xbb\xbf" + po('msgid "a"\nmsgstr "b"\n'), 1, "BOM"),
}


@pytest.mark.parametrize("case", HOSTILE, ids=list(HOSTILE))
def test_a_hostile_catalog_is_a_catalog_error_with_its_line(tmp_path, case):
    data, line, words = HOSTILE[case]
    path = tmp_path / "x.po"
    path.write_bytes(data)
    with pytest.raises(CatalogError) as caught:
        catalogs.read_catalog(path, "es", project=tmp_path)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("x.po", line), problem
    assert words in problem.message


def test_babel_alone_would_have_truncated_or_dropped_silently():
    """Why the raw-byte checks exist: what Babel 2.19 does with the same bytes."""
    quote = read_po(io.BytesIO(HOSTILE["missing closing quote"][0]))
    assert quote["a"].string == "bc"                               # "bcd" cut short
    duplicate = read_po(io.BytesIO(HOSTILE["duplicate msgid"][0]))
    assert len([m for m in duplicate if m.id]) == 1                # one entry gone
    mojibake = read_po(io.BytesIO(HOSTILE["latin-1 header on UTF-8 bytes"][0]))
    assert mojibake["a"].string == "cafÃ©"


# --- plural forms -------------------------------------------------------------------------

def test_interface_plurals_follow_the_catalogs_own_plural_forms(tmp_path):
    project = project_with(tmp_path, ["es"])
    path = catalogs.catalog_path(project, "es", "messages")
    assert '"Plural-Forms: nplurals=2; plural=(n != 1);\\n"' in path.read_text()
    fill(project, "es", lambda m: ("%(num)s página", "%(num)s páginas")
         if m == ("%(num)s page", "%(num)s pages") else "", slug="messages")
    translations, _ = catalogs.load_interface(project, "es")
    assert [translations.ngettext("%(num)s page", "%(num)s pages", n) for n in (1, 3, 1000000)] \
        == ["%(num)s página", "%(num)s páginas", "%(num)s páginas"]
    status = run_cli("status", "--project", str(project))
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1)
                if text.startswith('"Plural-Forms'))
    assert (f"locales/es/LC_MESSAGES/messages.po:{line}: warning: Plural-Forms: 2 forms here, "
            "but CLDR (Babel) has 3 for es") in status.output
    assert "give every plural entry 3 forms" in status.output


# --- stamps that mean something -----------------------------------------------------------

def reviewed_project(tmp_path: Path) -> tuple[Path, Path]:
    project = project_with(tmp_path, ["es"])
    path = fill(project, "es", SPANISH)
    catalogs.review(project, "es", "care", "Ana Pérez", date(2026, 11, 20))
    fill(project, "es", lambda m: m, slug="messages")
    catalogs.review(project, "es", "messages", "Ana Pérez", date(2026, 11, 20))
    assert build(project).status == 0
    assert (project / "dist" / "es" / "care.pdf").exists()
    return project, path


def stamp_of(path: Path, msgid: str) -> str:
    lines = path.read_text().splitlines()
    index = lines.index(f'msgid "{msgid}"')
    return next(line for line in reversed(lines[:index]) if line.startswith("# reviewed:"))


def edit_stamp(path: Path, msgid: str, change) -> None:
    old = stamp_of(path, msgid)
    path.write_text(path.read_text().replace(old, change(old), 1))


MUTATIONS = {
    "edited msgstr": lambda p: p.write_text(p.read_text().replace("Beba agua", "Beba vino")),
    "edited stamp name": lambda p: edit_stamp(p, "Drink water",
                                              lambda s: s.replace("Ana Pérez", "Dr. House")),
    "edited stamp date": lambda p: edit_stamp(p, "Drink water",
                                              lambda s: s.replace("2026-11-20", "2027-01-01")),
    "copied stamp": lambda p: edit_stamp(p, "Drink water",
                                         lambda s: stamp_of(p, "Rest well")),
}


@pytest.mark.parametrize("mutation", MUTATIONS, ids=list(MUTATIONS))
def test_a_mutated_stamp_stops_publication_and_names_the_entry(tmp_path, mutation):
    project, path = reviewed_project(tmp_path)
    MUTATIONS[mutation](path)
    result = build(project)
    assert not (project / "dist" / "es" / "care.pdf").exists()
    line = entry_line(path, "Beba")
    assert f"locales/es/LC_MESSAGES/care.po:{line}: info: review out of date: changed since " \
           "it was reviewed by" in result.output, result.output
    status = json.loads(run_cli("status", "--project", str(project), "--format", "json").output)
    row = next(r for r in status if (r["locale"], r["document"]) == ("es", "care"))
    assert [(e["line"], e["reason"]) for e in row["not_publishable"]] == [(line, "review out of date")]


def test_a_source_change_names_the_entry_its_reviewer_and_the_old_text(tmp_path):
    project, path = reviewed_project(tmp_path)
    seed = project / "seeds" / "care.md"
    seed.write_text(seed.read_text().replace("Rest well", "Rest very well"))
    assert run_cli("update", "--project", str(project)).status == 0
    result = run_cli("status", "--project", str(project))
    line = entry_line(path, "Rest very well")
    assert (f"locales/es/LC_MESSAGES/care.po:{line}: info: fuzzy: needs a translator's "
            "check: 'Rest very well'; the source was 'Rest well'; reviewed by Ana Pérez on "
            "2026-11-20 for that source") in result.output
    # The translator checks it and clears the flag: now the review is what is missing.
    path.write_text(path.read_text().replace("#, fuzzy\n", ""))
    result = run_cli("status", "--project", str(project))
    assert (f"care.po:{entry_line(path, 'Rest very well')}: info: review out of date: the "
            "source changed since it was reviewed by Ana Pérez on 2026-11-20 (it was 'Rest well')") \
        in result.output
    build(project)
    assert not (project / "dist" / "es" / "care.pdf").exists()
    # The reviewer is shown the entry with the source text it had before.
    shown = run_cli("review", "--project", str(project), "--locale", "es", "--doc", "care",
                    "--by", "Bo Li").output
    assert "source before: Rest well\n  source:        Rest very well\n" \
           "  translation:   Descanse bien" in shown


# --- the interface catalog is reviewed too ---------------------------------------------------

def test_unreviewed_interface_keeps_a_reviewed_handout_back(tmp_path):
    project = project_with(tmp_path, ["es"])
    fill(project, "es", SPANISH)
    catalogs.review(project, "es", "care", "Ana Pérez", date(2026, 11, 20))
    result = build(project)
    assert not (project / "dist" / "es" / "care.pdf").exists()
    assert "not published: care (es): requires reviewed: the interface catalog is not fully " \
           "reviewed" in result.output
    assert "publisher review --locale es --doc messages" in result.output


def test_an_interface_string_changed_after_review_is_not_used(tmp_path):
    """The issue's case: the "not reviewed" notice rewritten to claim a review."""
    project, care = reviewed_project(tmp_path)
    messages = catalogs.catalog_path(project, "es", "messages")
    notice = "This translation has not been reviewed yet."
    edit_msgstr = f'msgid "{notice}"\nmsgstr "{notice}"'
    assert edit_msgstr in messages.read_text()
    messages.write_text(messages.read_text().replace(
        edit_msgstr, f'msgid "{notice}"\nmsgstr "Un médico revisó esta traducción."'))
    result = build(project)
    assert not (project / "dist" / "es" / "care.pdf").exists()
    line = entry_line(messages, "Un médico")
    assert f"locales/es/LC_MESSAGES/messages.po:{line}: info: review out of date: changed since" \
        in result.output
    # Under `translated` the handout is published as unreviewed, and the rewritten
    # notice is still not used: what a handout says about its review must be reviewed.
    care.write_text(care.read_text().replace("Beba agua", "Beba mucha agua"))
    assert build(project, "--require", "translated").status == 0
    page = (project / "dist" / "es" / "care.html").read_text()
    assert "Un médico revisó" not in page and notice in page


def test_the_source_language_handout_needs_no_interface_review(tmp_path):
    project = project_with(tmp_path, ["es"])
    assert build(project).status == 0
    assert (project / "dist" / "en" / "care.pdf").exists()


# --- publisher review ------------------------------------------------------------------------

def test_review_shows_what_it_stamps_and_refuses_without_yes_off_a_terminal(tmp_path):
    project, path = reviewed_project(tmp_path)
    path.write_text(path.read_text().replace("Beba agua", "Beba mucha agua"))
    before = path.read_bytes()
    args = ("review", "--project", str(project), "--locale", "es", "--doc", "care",
            "--by", "Bo Li")
    refused = run_cli(*args)
    assert refused.status == 2 and path.read_bytes() == before
    assert f"locales/es/LC_MESSAGES/care.po:{entry_line(path, 'Beba')}:" in refused.output
    assert "was reviewed by Ana Pérez on 2026-11-20; changed since" in refused.output
    assert "translation:   Beba mucha agua" in refused.output
    done = run_cli(*args, "--yes")
    assert done.status == 0
    assert "signed off 1 entries" in done.output and "kept 4 valid stamps" in done.output
    text = path.read_text()
    assert text.count("# reviewed: Ana Pérez") == 4 and text.count("# reviewed: Bo Li") == 1


# --- signed reviews ----------------------------------------------------------------------------

@pytest.fixture
def keys(tmp_path) -> dict[str, Path]:
    found = {}
    for name in ("ana", "mallory"):
        key = tmp_path / f"{name}_key"
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", name, "-f",
                        str(key)], check=True)
        found[name] = key
    return found


def signed_project(tmp_path: Path, keys) -> tuple[Path, Path]:
    project = project_with(tmp_path / "project", ["es"])
    (project / "publisher.toml").write_text(
        (project / "publisher.toml").read_text() + "\n[publish]\nsigned_reviews = true\n")
    public = keys["ana"].with_suffix(".pub").read_text().split()
    (project / "allowed_signers").write_text(f"ana@clinic.example {public[0]} {public[1]}\n")
    path = fill(project, "es", SPANISH)
    fill(project, "es", lambda m: m, slug="messages")
    for slug in ("care", "messages"):
        result = run_cli("review", "--project", str(project), "--locale", "es", "--doc", slug,
                         "--by", "Ana Pérez", "--yes", "--sign", str(keys["ana"]))
        assert result.status == 0, result.output
    return project, path


def test_signed_reviews_publish_and_a_forged_signature_is_named(tmp_path, keys):
    project, path = signed_project(tmp_path, keys)
    assert re.search(r"^# review-signature: [A-Za-z0-9+/=]{20,56}$", path.read_text(), re.M)
    assert build(project).status == 0
    assert (project / "dist" / "es" / "care.pdf").exists()
    # Mallory re-stamps an edited entry with her own key, which is not an allowed signer.
    path.write_text(path.read_text().replace("Beba agua", "Beba vino"))
    catalog = catalogs.read_catalog(path, "es")
    message = catalog["Drink water"]
    stamp = catalogs.stamp(message, "Ana Pérez", date(2026, 11, 20))
    catalogs.stamp(message, "Ana Pérez", date(2026, 11, 20),
                   sign(signed_data(message, stamp), keys["mallory"]))
    path.write_bytes(catalogs.catalog_bytes(catalog))
    result = build(project)
    assert result.status == 1
    line = entry_line(path, "Beba vino")
    assert (f"locales/es/LC_MESSAGES/care.po:{line}: error: signature: the review signature of "
            "'Drink water' (reviewed by Ana Pérez on 2026-11-20) does not verify: the signing "
            "key is not in allowed_signers") in result.output
    assert not (project / "dist" / "es" / "care.pdf").exists()


def test_an_unsigned_stamp_does_not_count_when_signatures_are_required(tmp_path, keys):
    project, path = signed_project(tmp_path, keys)
    path.write_text(re.sub(r"^# review-signature: .*\n", "", path.read_text(), flags=re.M))
    result = build(project)
    assert "does not verify: the stamp is not signed" in result.output
    assert not (project / "dist" / "es" / "care.pdf").exists()
    unsigned = run_cli("review", "--project", str(project), "--locale", "es", "--doc", "care",
                       "--by", "Ana Pérez", "--yes")
    assert unsigned.status == 2
    again = run_cli("review", "--project", str(project), "--locale", "es", "--doc", "care",
                    "--by", "Ana Pérez", "--yes", "--sign", str(keys["ana"]))
    assert again.status == 0 and "signed off 5 entries" in again.output, again.output
    assert build(project).status == 0
    assert (project / "dist" / "es" / "care.pdf").exists()


def answer_review_prompt(project: Path, answer: str) -> str:
    """Run `publisher review` on a real pseudo-terminal and answer its question."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the real command line, its stdin a terminal
        os.execv(sys.executable, [sys.executable, "-m", "publisher.cli", "review", "--project",
                                  str(project), "--locale", "es", "--doc", "care", "--by",
                                  "Bo Li"])
    output = b""
    answered = False
    while True:
        ready, _, _ = select.select([fd], [], [], 60)
        assert ready, output
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        output += chunk
        if not answered and b"[y/N]" in output:
            os.write(fd, answer.encode() + b"\n")
            answered = True
    os.waitpid(pid, 0)
    return output.decode(errors="replace")


def test_review_asks_on_a_terminal_and_writes_only_on_yes(tmp_path):
    project, path = reviewed_project(tmp_path)
    path.write_text(path.read_text().replace("Beba agua", "Beba mucha agua"))
    before = path.read_bytes()
    said_no = answer_review_prompt(project, "n")
    assert "stamp these 1 entries as reviewed by Bo Li (keeping 4 valid stamps)? [y/N]" \
        in said_no and "nothing written" in said_no
    assert path.read_bytes() == before
    said_yes = answer_review_prompt(project, "y")
    assert "signed off 1 entries" in said_yes
    assert path.read_text().count("# reviewed: Bo Li") == 1
