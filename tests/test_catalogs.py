"""Catalogs: extraction, merging, review stamps, status — real files, real Babel."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import sys
import textwrap
from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po
from babel.support import NullTranslations, Translations

import publisher
from publisher.catalogs import (
    HASH_LENGTH, catalog_path, catalog_status, document_template, extract,
    interface_template, interface_translations, is_reviewed, load_interface, read_catalog,
    review, review_stamp, stamp_hash, template_path, update, usable_translations)
from publisher.errors import CatalogError
from publisher.seeds import load_seeds

TEMPLATES = Path(__file__).resolve().parents[1] / "templates"
PYBABEL = Path(sys.executable).parent / "pybabel"
BABEL_CFG = Path(__file__).resolve().parents[1] / "babel.cfg"

SEED = textwrap.dedent("""\
    ---
    title: Taking your medicine
    language: en
    ---

    # Taking your medicine

    Take **500 mg** twice a day.

    ## When to call

    - Call 1-800-422-6237 if you feel sick.
    - Read [more about doses](https://www.cancer.gov/doses).

    ## Where to go

    Take **500 mg** twice a day.
    """)

SPANISH = {
    "Taking your medicine": "Cómo tomar su medicamento",
    "Take **500 mg** twice a day.": "Tome **500 mg** dos veces al día.",
    "When to call": "Cuándo llamar",
    "Call 1-800-422-6237 if you feel sick.": "Llame al 1-800-422-6237 si se siente mal.",
    "Read [more about doses](https://www.cancer.gov/doses).":
        "Lea [más sobre las dosis](https://www.cancer.gov/doses).",
    "Where to go": "Adónde ir",
}


def line_of(text: str, fragment: str, occurrence: int = 1) -> int:
    lines = [n for n, line in enumerate(text.splitlines(), 1) if fragment in line]
    return lines[occurrence - 1]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "seeds" / "x.md").write_text(SEED, encoding="utf-8")
    shutil.copytree(TEMPLATES, tmp_path / "templates")
    return tmp_path


def documents(project: Path):
    loaded = load_seeds(project)
    assert not loaded.problems
    return loaded.documents


def po_messages(path: Path) -> dict:
    return {m.id: m for m in read_po(path.open("rb")) if m.id}


def translate(project: Path, locale: str, slug: str, strings: dict[str, str], *,
              fuzzy: tuple[str, ...] = (), comments: dict[str, str] | None = None) -> Path:
    """What a translator does in Poedit, done with Babel."""
    path = catalog_path(project, locale, slug)
    catalog = read_po(path.open("rb"), locale=locale.replace("-", "_"))
    for message in catalog:
        if message.id in strings:
            message.string = strings[message.id]
        if message.id in fuzzy:
            message.flags.add("fuzzy")
        if comments and message.id in comments:
            message.user_comments.append(comments[message.id])
    out = io.BytesIO()
    write_po(out, catalog, width=76, include_previous=True)
    path.write_bytes(out.getvalue())
    return path


def translated_project(project: Path) -> Path:
    extract(project, documents(project))
    update(project, ["es"])
    translate(project, "es", "x", SPANISH)
    return project


# --- extraction -------------------------------------------------------------------------

def test_document_template_has_title_first_then_segments_with_kinds_and_lines(project):
    [document] = documents(project)
    messages = [m for m in document_template(document) if m.id]
    assert [m.id for m in messages] == list(SPANISH)
    title, take, when, call, read, where = messages
    assert title.locations == [("seeds/x.md", line_of(SEED, "title:"))]
    assert title.auto_comments == ["title"]
    assert take.locations == [("seeds/x.md", line_of(SEED, "Take **500")),
                              ("seeds/x.md", line_of(SEED, "Take **500", 2))]
    assert take.auto_comments == ["paragraph"]
    assert when.auto_comments == ["heading"]
    assert call.auto_comments == read.auto_comments == ["list item"]
    assert read.locations == [("seeds/x.md", line_of(SEED, "Read [more"))]
    assert where.locations == [("seeds/x.md", line_of(SEED, "## Where"))]


def test_extract_writes_templates_that_read_back(project):
    written = extract(project, documents(project))
    pot = template_path(project, "x")
    assert written == [template_path(project, "messages"), pot]
    text = pot.read_text(encoding="utf-8")
    assert f"#. list item\n#: seeds/x.md:{line_of(SEED, 'Read [more')}\n" \
           f'msgid "Read [more about doses](https://www.cancer.gov/doses)."' in text
    assert f"#: seeds/x.md:{line_of(SEED, 'Take **')} seeds/x.md:{line_of(SEED, 'Take **', 2)}" \
        in text
    assert list(po_messages(pot)) == list(SPANISH)
    interface = po_messages(template_path(project, "messages"))
    assert "Skip to the content" in interface
    assert "Page %(page)s of %(pages)s" in interface          # render_html.py
    assert "All handouts" in interface                        # site.py
    assert ("%(num)s page", "%(num)s pages") in [m.id for m in read_po(
        template_path(project, "messages").open("rb"))]


def test_extract_twice_is_byte_identical_and_keeps_the_creation_date(project):
    extract(project, documents(project))
    pot = template_path(project, "x")
    # Pretend the template was written long ago: an unchanged run must not touch it.
    old = re.sub(r"POT-Creation-Date: [^\\]*", "POT-Creation-Date: 2020-01-02 03:04+0000",
                 pot.read_text(encoding="utf-8"))
    pot.write_text(old, encoding="utf-8")
    before = {p: p.read_bytes() for p in (project / "locales").rglob("*.pot")}
    assert extract(project, documents(project)) == []
    assert {p: p.read_bytes() for p in (project / "locales").rglob("*.pot")} == before


def test_extract_after_a_seed_edit_rewrites_only_that_template(project):
    extract(project, documents(project))
    pot = template_path(project, "x")
    pot.write_text(re.sub(r"POT-Creation-Date: [^\\]*", "POT-Creation-Date: 2020-01-02 03:04+0000",
                          pot.read_text(encoding="utf-8")), encoding="utf-8")
    seed = project / "seeds" / "x.md"
    seed.write_text(SEED.replace("## When to call", "## When to call us"), encoding="utf-8")
    assert extract(project, documents(project)) == [pot]
    assert "When to call us" in po_messages(pot)
    assert "2020-01-02" not in pot.read_text(encoding="utf-8")


def test_extract_removes_the_template_of_a_deleted_seed(project):
    (project / "seeds" / "y.md").write_text(SEED.replace("medicine", "pills"), encoding="utf-8")
    extract(project, documents(project))
    assert template_path(project, "y").exists()
    (project / "seeds" / "y.md").unlink()
    extract(project, documents(project))
    assert not template_path(project, "y").exists()
    assert template_path(project, "x").exists()


def test_pybabel_with_babel_cfg_finds_the_same_interface_messages(project, tmp_path):
    extract(project, documents(project))
    out = tmp_path / "pybabel.pot"
    package = Path(publisher.__file__).resolve().parent
    run = subprocess.run([str(PYBABEL), "extract", "-F", str(BABEL_CFG), "-o", str(out),
                          "templates", str(package)],
                         cwd=project, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    theirs = {m.id for m in read_po(out.open("rb")) if m.id}
    ours = {m.id for m in read_po(template_path(project, "messages").open("rb")) if m.id}
    assert ours == theirs
    assert "Page %(page)s of %(pages)s" in theirs


def test_a_template_syntax_error_names_the_file_and_line(project):
    (project / "templates" / "broken.html").write_text(
        "<p>{{ _('Fine') }}</p>\n<p>\n{% if %}\n", encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        interface_template(project)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("templates/broken.html", 3)
    assert str(problem).startswith("templates/broken.html:3: error:")


# --- update --------------------------------------------------------------------------------

def test_update_creates_a_catalog_per_template_and_locale_and_is_stable(project):
    extract(project, documents(project))
    written = update(project, ["es", "zh-Hans"])
    assert sorted(p.relative_to(project).as_posix() for p in written) == [
        "locales/es/LC_MESSAGES/messages.po", "locales/es/LC_MESSAGES/x.po",
        "locales/zh_Hans/LC_MESSAGES/messages.po", "locales/zh_Hans/LC_MESSAGES/x.po"]
    chinese = read_catalog(catalog_path(project, "zh-Hans", "x"), "zh-Hans")
    assert str(chinese.locale) == "zh_Hans"
    assert [m.id for m in chinese if m.id] == list(SPANISH)
    assert read_catalog(catalog_path(project, "zh-Hans", "messages"), "zh-Hans").num_plurals == 1
    before = {p: p.read_bytes() for p in written}
    assert update(project, ["es", "zh-Hans"]) == []
    assert {p: p.read_bytes() for p in written} == before


def test_update_after_an_edit_makes_only_the_changed_entry_fuzzy(project):
    translated_project(project)
    translate(project, "es", "x", {}, comments={"When to call": "Translator: keep it short"})
    review(project, "es", "x", "Ana Pérez", date(2026, 11, 20))
    seed = project / "seeds" / "x.md"
    seed.write_text(SEED.replace("if you feel sick.", "if you feel very sick.")
                    .replace("## Where to go\n\nTake **500 mg** twice a day.\n", ""),
                    encoding="utf-8")
    extract(project, documents(project))
    path = catalog_path(project, "es", "x")
    assert update(project, ["es"]) == [path]

    catalog = read_catalog(path, "es")
    changed = catalog["Call 1-800-422-6237 if you feel very sick."]
    assert changed.fuzzy
    assert changed.previous_id == ["Call 1-800-422-6237 if you feel sick."]
    assert changed.string == SPANISH["Call 1-800-422-6237 if you feel sick."]
    assert review_stamp(changed) is not None and not is_reviewed(changed)
    others = [m for m in catalog if m.id and m is not changed]
    assert others and all(not m.fuzzy and is_reviewed(m) for m in others)
    assert "Translator: keep it short" in catalog["When to call"].user_comments
    assert [m.id for m in catalog.obsolete.values()] == ["Where to go"]
    text = path.read_text(encoding="utf-8")
    assert '#| msgid "Call 1-800-422-6237 if you feel sick."' in text
    assert '#~ msgid "Where to go"' in text

    before = path.read_bytes()
    assert update(project, ["es"]) == []
    assert path.read_bytes() == before          # the previous msgid survives a second run
    status = catalog_status(project, "es", "x")
    assert (status.entries, status.translated, status.fuzzy, status.reviewed) == (5, 4, 1, 4)
    assert not status.complete and not status.fully_reviewed


def test_a_segment_that_comes_back_gets_its_old_translation(project):
    translated_project(project)
    seed = project / "seeds" / "x.md"
    seed.write_text(SEED.replace("## Where to go", "## Somewhere else entirely, far away"),
                    encoding="utf-8")
    extract(project, documents(project))
    update(project, ["es"])
    seed.write_text(SEED, encoding="utf-8")
    extract(project, documents(project))
    update(project, ["es"])
    catalog = read_catalog(catalog_path(project, "es", "x"), "es")
    assert catalog["Where to go"].string == "Adónde ir"
    assert not catalog["Where to go"].fuzzy
    assert "Where to go" not in [m.id for m in catalog.obsolete.values()]


# --- reading --------------------------------------------------------------------------------

def test_a_po_syntax_error_is_a_catalog_error_with_file_and_line(project):
    path = project / "locales" / "es" / "LC_MESSAGES" / "x.po"
    path.parent.mkdir(parents=True)
    path.write_text('msgid "a"\nmsgstr "b"\n\nthis is not po\nmsgid "c"\nmsgstr "d"\n',
                    encoding="utf-8")
    with pytest.raises(CatalogError) as caught:
        read_catalog(path, "es", project=project)
    [problem] = caught.value.problems
    assert (problem.path, problem.line) == ("locales/es/LC_MESSAGES/x.po", 4)
    assert "misformatted" in problem.message


def test_a_catalog_that_is_not_utf8_is_a_catalog_error(project):
    path = project / "x.po"
    path.write_bytes('msgid "a"\nmsgstr "caf\xe9"\n'.encode("latin-1"))
    with pytest.raises(CatalogError) as caught:
        read_catalog(path, "es")
    assert caught.value.problems[0].path == str(path)


# --- review ---------------------------------------------------------------------------------

def test_review_refuses_an_incomplete_catalog_and_writes_nothing(project):
    extract(project, documents(project))
    update(project, ["es"])
    path = translate(project, "es", "x", {"When to call": "Cuándo llamar"})
    before = path.read_bytes()
    with pytest.raises(CatalogError) as caught:
        review(project, "es", "x", "Ana Pérez", date(2026, 11, 20))
    assert path.read_bytes() == before
    problems = caught.value.problems
    assert len(problems) == 5
    assert all(p.path == "locales/es/LC_MESSAGES/x.po" and "not translated" in p.message
               for p in problems)
    lines = {m.id: m.lineno for m in read_po(path.open("rb"))}
    assert problems[0].line == lines["Taking your medicine"]


def test_review_refuses_a_fuzzy_entry(project):
    translated_project(project)
    path = translate(project, "es", "x", {}, fuzzy=("Where to go",))
    before = path.read_bytes()
    with pytest.raises(CatalogError) as caught:
        review(project, "es", "x", "Ana Pérez", date(2026, 11, 20))
    assert [p.message for p in caught.value.problems] == [
        "fuzzy: needs a translator's check: 'Where to go'"]
    assert path.read_bytes() == before


def test_review_refuses_a_translation_that_fails_a_check(project):
    translated_project(project)
    path = translate(project, "es", "x", {
        "Take **500 mg** twice a day.": "Tome **50 mg** dos veces al día."})
    before = path.read_bytes()
    with pytest.raises(CatalogError) as caught:
        review(project, "es", "x", "Ana Pérez", date(2026, 11, 20))
    [problem] = caught.value.problems
    assert problem.check == "numbers"
    assert problem.line == po_messages(path)["Take **500 mg** twice a day."].lineno
    assert path.read_bytes() == before


def test_review_stamps_every_entry_of_a_complete_catalog(project):
    translated_project(project)
    result = review(project, "es", "x", "Ana Pérez", date(2026, 11, 20))
    assert result.stamped == 6
    path = catalog_path(project, "es", "x")
    text = path.read_text(encoding="utf-8")
    assert len(re.findall(r"^# reviewed: Ana Pérez 2026-11-20 sha256:[0-9a-f]{8}$", text,
                          re.M)) == 6
    messages = po_messages(path)
    assert all(is_reviewed(m) for m in messages.values())
    status = catalog_status(project, "es", "x")
    assert status.complete and status.fully_reviewed and status.percent_reviewed == 100.0


def test_a_second_review_keeps_the_earlier_reviewers_valid_stamps(project):
    translated_project(project)
    review(project, "es", "x", "Ana Pérez", date(2026, 11, 20))
    path = catalog_path(project, "es", "x")
    path.write_text(path.read_text(encoding="utf-8").replace(
        'msgstr "Cuándo llamar"', 'msgstr "Cuándo debe llamar"'), encoding="utf-8")
    result = review(project, "es", "x", "Bo Li", date(2026, 12, 1))
    assert (result.stamped, result.kept) == (1, 5)
    messages = po_messages(path)
    assert [c for c in messages["When to call"].user_comments if c.startswith("reviewed:")] == [
        "reviewed: Bo Li 2026-12-01 sha256:"
        + stamp_hash("When to call", "Cuándo debe llamar", "Bo Li", date(2026, 12, 1))]
    assert review_stamp(messages["Where to go"]).by == "Ana Pérez"
    assert all(is_reviewed(m) for m in messages.values())
    assert review(project, "es", "x", "Bo Li", date(2026, 12, 2)).stamped == 0


def test_editing_a_msgstr_after_review_voids_only_that_stamp(project):
    translated_project(project)
    review(project, "es", "x", "Ana Pérez", date(2026, 11, 20))
    path = catalog_path(project, "es", "x")
    path.write_text(path.read_text(encoding="utf-8").replace(
        'msgstr "Cuándo llamar"', 'msgstr "Cuándo debe llamar"'), encoding="utf-8")
    messages = po_messages(path)
    assert not is_reviewed(messages["When to call"])
    assert review_stamp(messages["When to call"]).by == "Ana Pérez"
    assert is_reviewed(messages["Where to go"])
    status = catalog_status(project, "es", "x")
    assert (status.translated, status.reviewed, status.fully_reviewed) == (6, 5, False)


def test_stamp_hash_covers_msgid_msgstr_reviewer_and_date():
    day = date(2026, 11, 20)
    base = stamp_hash("When to call", "Cuándo llamar", "Ana Pérez", day)
    assert re.fullmatch(r"[0-9a-f]{%d}" % HASH_LENGTH, base)
    assert stamp_hash("When to call", "Cuándo llamar", "Ana Pérez", day) == base
    assert stamp_hash("When to call!", "Cuándo llamar", "Ana Pérez", day) != base
    assert stamp_hash("When to call", "Cuándo llamar.", "Ana Pérez", day) != base
    assert stamp_hash("When to call", "Cuándo llamar", "Ana Perez", day) != base
    assert stamp_hash("When to call", "Cuándo llamar", "Ana Pérez", date(2026, 11, 21)) != base
    assert stamp_hash("ab", "c", "A", day) != stamp_hash("a", "bc", "A", day)


# --- status and usable translations ------------------------------------------------------

def test_status_of_a_missing_catalog_counts_every_template_entry_untranslated(project):
    extract(project, documents(project))
    status = catalog_status(project, "fr", "x")
    assert not status.exists
    assert (status.entries, status.translated, status.untranslated) == (6, 0, 6)
    assert not status.complete and status.percent_translated == 0.0


def test_usable_translations_leave_out_fuzzy_and_failing_entries(project):
    translated_project(project)
    review(project, "es", "x", "Ana Pérez", date(2026, 11, 20))
    path = translate(project, "es", "x", {
        "Read [more about doses](https://www.cancer.gov/doses).":
            "Lea [más](https://www.cancer.gov/dosis).",
        "When to call": "Cuándo llamar <script>alert(1)</script>"},
        fuzzy=("Where to go",))
    usable = usable_translations(read_catalog(path, "es"), "locales/es/LC_MESSAGES/x.po")
    assert set(usable.strings) == {"Taking your medicine", "Take **500 mg** twice a day.",
                                   "Call 1-800-422-6237 if you feel sick."}
    assert usable.reviewed["Taking your medicine"].by == "Ana Pérez"
    lines = {m.id: m.lineno for m in read_po(path.open("rb"))}
    failing = {(p.line, p.check) for p in usable.problems}
    read_line = lines["Read [more about doses](https://www.cancer.gov/doses)."]
    # A changed link target is the links check's; Translate Toolkit's urls check only
    # looks at bare addresses (it would misread the ")." after a link).
    assert (read_line, "links") in failing and (read_line, "urls") not in failing
    assert (lines["When to call"], "html") in failing
    assert all(str(p).startswith("locales/es/LC_MESSAGES/x.po:") for p in usable.problems)


def test_interface_translations_are_compiled_in_memory_without_bad_entries(project):
    extract(project, documents(project))
    update(project, ["es"])
    path = catalog_path(project, "es", "messages")
    catalog = read_po(path.open("rb"), locale="es")
    for message in catalog:
        if message.id == "Skip to the content":
            message.string = "Ir al contenido"
        elif message.id == "Source":
            message.string, message.flags = "Fuente", message.flags | {"fuzzy"}
        elif message.id == "Page %(page)s of %(pages)s":
            message.string = "Página %(page)s"
        elif message.id == ("%(num)s page", "%(num)s pages"):
            message.string = ("%(num)s página", "%(num)s páginas")
    out = io.BytesIO()
    write_po(out, catalog)
    path.write_bytes(out.getvalue())

    translations = interface_translations(project, "es")
    assert isinstance(translations, Translations)
    assert translations.gettext("Skip to the content") == "Ir al contenido"
    assert translations.gettext("Source") == "Source"
    assert translations.gettext("Page %(page)s of %(pages)s") == "Page %(page)s of %(pages)s"
    assert translations.ngettext("%(num)s page", "%(num)s pages", 3) == "%(num)s páginas"
    assert not list(project.rglob("*.mo"))
    _, problems = load_interface(project, "es")
    assert [p.check for p in problems] == ["placeholders"]
    assert type(interface_translations(project, "fr")) is NullTranslations


def test_previous_msgids_from_msgmerge_or_poedit_are_read_and_kept(project):
    extract(project, documents(project))
    path = catalog_path(project, "es", "x")
    path.parent.mkdir(parents=True)
    path.write_text(textwrap.dedent('''\
        msgid ""
        msgstr ""
        "Language: es\\n"
        "Content-Type: text/plain; charset=UTF-8\\n"

        # Translator: check the number
        #, fuzzy
        #| msgid ""
        #| "Call 1-800-422-6237 "
        #| "if you are sick."
        msgid "Call 1-800-422-6237 if you feel sick."
        msgstr "Llame al 1-800-422-6237 si está enfermo."

        #, fuzzy
        #~| msgid "Where to went"
        #~ msgid "Where to goes"
        #~ msgstr "Adónde iba"
        '''), encoding="utf-8")
    catalog = read_catalog(path, "es")
    message = catalog["Call 1-800-422-6237 if you feel sick."]
    assert message.previous_id == ["Call 1-800-422-6237 if you are sick."]
    assert message.user_comments == ["Translator: check the number"]
    update(project, ["es"])
    text = path.read_text(encoding="utf-8")
    assert '#| msgid "Call 1-800-422-6237 if you are sick."' in text
    assert "# |" not in text
    before = path.read_bytes()
    assert update(project, ["es"]) == [] and path.read_bytes() == before
