"""The catalogs `publisher extract` and `update` write are read the same by every PO tool.

Real tools, no mocks: GNU gettext (msgfmt --check, msgcat, msgmerge, msgattrib),
pybabel, polib and Translate Toolkit.  The project has been translated, reviewed, and
then its sources changed (a long paragraph and a plural interface string), so the
catalogs carry what tools most often break: previous msgids (``#|``) of wrapped and
plural entries, review stamps, fuzzy flags and obsolete entries.
"""

from __future__ import annotations

import io
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import polib
import pytest
from babel.messages.pofile import read_po, write_po
from translate.storage import po as toolkit_po

from publisher import catalogs

from conftest import make_project, run_cli

pytestmark = pytest.mark.skipif(shutil.which("msgfmt") is None,
                                reason="GNU gettext is not installed (apt package gettext)")

PYBABEL = Path(sys.executable).parent / "pybabel"
LONG = ("Recurrent breast cancer is breast cancer that comes back after treatment. It can "
        "happen when the first treatments do not kill every cancer cell, and most "
        "recurrences happen in the first five years.")
SEED = f"""\
    ---
    title: Coming back
    language: en
    ---

    # Coming back

    {LONG}

    Call 555-0100 with questions.
    """
PLURAL = ("{% trans count=n %}{{ count }} leaflet{% pluralize %}{{ count }} leaflets"
          "{% endtrans %}\n")
SPANISH = {"Coming back": "Cuando vuelve",
           LONG: "El cáncer de mama recurrente es el cáncer de mama que vuelve después del "
                 "tratamiento. Puede ocurrir cuando los primeros tratamientos no eliminan "
                 "todas las células, y la mayoría vuelve en los primeros cinco años.",
           "Call 555-0100 with questions.": "Llame al 555-0100 si tiene preguntas."}


def fill(path: Path, strings) -> None:
    catalog = read_po(path.open("rb"))
    for message in catalog:
        if message.id:
            message.string = strings(message.id, catalog.num_plurals)
    out = io.BytesIO()
    write_po(out, catalog, width=catalogs.WIDTH)
    path.write_bytes(out.getvalue())


def translated(msgid, forms: int):
    if isinstance(msgid, tuple):
        return tuple(msgid[min(index, 1)].replace("leaflet", "folleto") for index in range(forms))
    return SPANISH.get(msgid, msgid)


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """Translated into Spanish and Arabic, reviewed, then the sources changed."""
    root = make_project(tmp_path_factory.mktemp("po-tools"), {"care.md": SEED},
                        config='[project]\nlocales = ["en", "es", "ar"]\n')
    (root / "templates" / "extra.html").write_text(PLURAL, encoding="utf-8")
    assert run_cli("update", "--project", str(root)).status == 0
    for locale in ("es", "ar"):
        for slug in ("care", "messages"):
            fill(catalogs.catalog_path(root, locale, slug), translated)
            catalogs.review(root, locale, slug, "Ana Pérez", date(2026, 11, 20))
    seed = root / "seeds" / "care.md"
    seed.write_text(seed.read_text().replace("after treatment", "after the treatment")
                    .replace("Call 555-0100 with questions.\n", ""), encoding="utf-8")
    (root / "templates" / "extra.html").write_text(PLURAL.replace("leaflet", "booklet"))
    result = run_cli("update", "--project", str(root))
    assert result.status == 0, result.output
    return root


def po_files(project: Path) -> list[Path]:
    return sorted((project / "locales").rglob("*.po"))


def msgfmt_check(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)],
                          capture_output=True, text=True)


def test_every_catalog_passes_msgfmt_check_after_a_source_change(project):
    files = po_files(project)
    assert len(files) == 4
    failures = {f.name: run.stderr for f in files if (run := msgfmt_check(f)).returncode}
    assert failures == {}
    for template in (project / "locales" / "templates").glob("*.pot"):
        assert msgfmt_check(template).returncode == 0


def test_previous_msgids_are_written_as_gnu_gettext_writes_them(project):
    spanish = catalogs.catalog_path(project, "es", "care")
    text = spanish.read_text(encoding="utf-8")
    assert ('#, fuzzy\n#| msgid ""\n#| "Recurrent breast cancer is breast cancer that comes '
            'back after treatment."\n#| " It can happen') in text
    assert "# |" not in text and '#| msgid "" "' not in text
    # polib and GNU msgattrib read the same previous text back.
    entry = next(e for e in polib.pofile(str(spanish)) if e.msgid.startswith("Recurrent"))
    assert "fuzzy" in entry.flags and entry.previous_msgid == LONG
    fuzzy_only = subprocess.run(["msgattrib", "--only-fuzzy", str(spanish)],
                                capture_output=True, text=True, check=True).stdout
    assert polib.pofile(fuzzy_only).fuzzy_entries()[0].previous_msgid == LONG


def test_plural_entries_keep_their_previous_msgid_and_plural(project):
    for locale, forms in (("es", 2), ("ar", 6)):
        path = catalogs.catalog_path(project, locale, "messages")
        entry = next(e for e in polib.pofile(str(path)) if "booklet" in e.msgid)
        assert "fuzzy" in entry.flags
        assert (entry.previous_msgid, entry.previous_msgid_plural) == (
            "%(count)s leaflet", "%(count)s leaflets")
        assert len(entry.msgstr_plural) == forms
        catalog = catalogs.read_catalog(path, locale)
        message = catalog[("%(count)s booklet", "%(count)s booklets")]
        assert message.previous_id == ["%(count)s leaflet", "%(count)s leaflets"]


def _msgcat(source: Path, out: Path, project: Path) -> None:
    subprocess.run(["msgcat", "-o", str(out), str(source)], check=True)


def _msgmerge(source: Path, out: Path, project: Path) -> None:
    template = catalogs.template_path(project, source.stem)
    subprocess.run(["msgmerge", "--quiet", "--previous", "-o", str(out), str(source),
                    str(template)], check=True)


def _pybabel(source: Path, out: Path, project: Path) -> None:
    template = catalogs.template_path(project, source.stem)
    shutil.copy(source, out)
    locale = source.parent.parent.name
    subprocess.run([str(PYBABEL), "update", "--previous", "-l", locale,
                    "-i", str(template), "-o", str(out)], check=True, capture_output=True)


def _polib(source: Path, out: Path, project: Path) -> None:
    polib.pofile(str(source)).save(str(out))


def _translate_toolkit(source: Path, out: Path, project: Path) -> None:
    out.write_bytes(bytes(toolkit_po.pofile.parsefile(str(source))))


TOOLS = {"msgcat": _msgcat, "msgmerge": _msgmerge, "pybabel": _pybabel, "polib": _polib,
         "translate-toolkit": _translate_toolkit}


@pytest.mark.parametrize("tool", TOOLS)
def test_a_round_trip_through_each_tool_changes_nothing(project, tmp_path, tool):
    """Each tool rewrites the catalog in its own style; read back, nothing is lost: the
    same entries, translations, flags, previous msgids and review stamps, and our writer
    gives back the very same bytes."""
    for source in po_files(project):
        locale = source.parent.parent.name
        out = tmp_path / source.name
        TOOLS[tool](source, out, project)
        theirs = catalogs.read_catalog(out, locale)
        ours = catalogs.read_catalog(source, locale)
        assert catalogs.catalog_bytes(theirs) == source.read_bytes(), (tool, source)
        assert [(catalogs.review_stamp(m), catalogs.is_reviewed(m)) for m in theirs] == \
               [(catalogs.review_stamp(m), catalogs.is_reviewed(m)) for m in ours]
        assert any(catalogs.is_reviewed(m) for m in theirs)
        if tool in ("msgcat", "msgmerge"):
            assert msgfmt_check(out).returncode == 0, msgfmt_check(out).stderr


def test_update_after_a_gnu_round_trip_is_a_no_op(project, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(project, copy)
    for path in po_files(copy):
        subprocess.run(["msgcat", "-o", str(path), str(path)], check=True)
    result = run_cli("update", "--project", str(copy))
    assert result.status == 0
    for path in po_files(copy):
        original = project / path.relative_to(copy)
        assert path.read_bytes() == original.read_bytes(), path.name
