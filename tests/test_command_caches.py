"""What `extract`, `update` and `status` remember between runs is never stale: every
edit to a seed, a template, a catalog or the program's code changes the answer, and an
unchanged project is answered from what was remembered (the work is not done again)."""

from __future__ import annotations

import io
import json
import re
import shutil
import textwrap
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

import publisher
from publisher import extraction, fingerprint, interface, memo, merging
from publisher.catalogs import catalog_path, template_path

from conftest import make_project, run_cli, seed

CONFIG = """\
    [project]
    source_language = "en"
    locales = ["en", "es"]
    """


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = make_project(tmp_path / "p", {"x.md": seed("Taking your medicine",
                                                     "Take **500 mg** twice a day.\n")},
                        config=CONFIG)
    assert run_cli("update", "--project", str(root)).status == 0
    return root


class Calls:
    """Counts the calls of a module's function while passing them on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, module, name: str) -> None:
        self.count = 0
        real = getattr(module, name)

        def counted(*args, **kwargs):
            self.count += 1
            return real(*args, **kwargs)
        monkeypatch.setattr(module, name, counted)

    def take(self) -> int:
        count, self.count = self.count, 0
        return count


def translate(path: Path, strings: dict[str, str]) -> None:
    """What a translator does in Poedit, done with Babel."""
    catalog = read_po(path.open("rb"), locale="es")
    for message in catalog:
        if message.id in strings:
            message.string = strings[message.id]
    out = io.BytesIO()
    write_po(out, catalog, width=76)
    path.write_bytes(out.getvalue())


def msgids(path: Path) -> list:
    return [m.id for m in read_po(path.open("rb")) if m.id]


def undated(data: bytes) -> bytes:
    return re.sub(rb"POT-Creation-Date: [^\\]*", b"", data)


def interface_row(project: Path) -> dict:
    run = run_cli("status", "--project", str(project), "--format", "json")
    [row] = [r for r in json.loads(run.output) if r["document"] == "messages"]
    return row


# --- extract ---------------------------------------------------------------------------

def test_extract_sees_a_template_edit_and_otherwise_reads_nothing_again(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    extracting = Calls(monkeypatch, extraction, "_extract_file")
    pot = template_path(project, "messages")
    before = pot.read_bytes()
    assert run_cli("extract", "--project", str(project)).output == "0 template(s) changed\n"
    assert extracting.take() == 0 and pot.read_bytes() == before

    page = project / "templates" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace(
        '{{ _("All handouts") }}', '{{ _("All handouts") }} {{ _("Every leaflet we have") }}'),
        encoding="utf-8")
    run = run_cli("extract", "--project", str(project))
    assert "wrote locales/templates/messages.pot" in run.output
    assert extracting.take() > 0
    assert "Every leaflet we have" in msgids(pot)


def test_extract_rewrites_a_template_edited_by_hand(project: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    writing = Calls(monkeypatch, extraction, "template_bytes")
    pot = template_path(project, "x")
    before = pot.read_bytes()
    # The first run finds both templates unchanged and remembers it; the next reads neither.
    for rewrites in (2, 0):
        assert run_cli("extract", "--project", str(project)).output == "0 template(s) changed\n"
        assert writing.take() == rewrites
    text = pot.read_text(encoding="utf-8")
    pot.write_text(text[:text.index("#. paragraph\n")], encoding="utf-8")
    run = run_cli("extract", "--project", str(project))
    assert run.output == "wrote locales/templates/x.pot\n1 template(s) changed\n"
    assert writing.take() == 1
    assert undated(pot.read_bytes()) == undated(before)   # dated now, the rest as before


def test_interface_messages_follow_the_programs_code(
        project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    package = tmp_path / "package"
    package.mkdir()
    code = package / "words.py"
    code.write_text('TITLE = _("Your medicines")\n', encoding="utf-8")
    monkeypatch.setattr(extraction, "_package_dir", lambda: package)
    extracting = Calls(monkeypatch, extraction, "_extract_file")

    assert "Your medicines" in [m.id for m in extraction.interface_template(project)]
    assert extracting.take() > 0
    extraction.interface_template(project)
    assert extracting.take() == 0

    code.write_text('TITLE = _("Your pills")\n', encoding="utf-8")
    found = [m.id for m in extraction.interface_template(project)]
    assert "Your pills" in found and "Your medicines" not in found
    (package / "more.py").write_text('_("Call us")\n', encoding="utf-8")
    assert "Call us" in [m.id for m in extraction.interface_template(project)]


def test_a_damaged_slot_is_only_a_miss(project: Path) -> None:
    pot = template_path(project, "messages")
    before = pot.read_bytes()
    slots = list((project / ".publisher-cache" / memo.SLOTS_DIR).rglob("*.slot"))
    assert slots
    for slot in slots:
        slot.write_bytes(b"not a pickle")
    assert run_cli("update", "--project", str(project)).output == "0 catalog(s) changed\n"
    assert pot.read_bytes() == before
    message = "Every handout, whatever it says"
    pot.write_bytes(before)
    for slot in slots:
        slot.write_bytes(slot.read_bytes()[:10])   # truncated, as after a crash
    page = project / "templates" / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + f'{{{{ _("{message}") }}}}\n',
                    encoding="utf-8")
    run_cli("update", "--project", str(project))
    assert message in msgids(catalog_path(project, "es", "messages"))


def test_slot_keys_change_with_the_programs_code(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    copy = tmp_path / "publisher"
    shutil.copytree(Path(publisher.__file__).parent, copy)
    monkeypatch.setattr(publisher, "__file__", str(copy / "__init__.py"))

    def forget() -> None:
        memo.code_digest.cache_clear()
        fingerprint.code_hash.cache_clear()
    forget()
    try:
        key = memo.digest_of("question", b"input")
        memo.store(tmp_path, "answer", key, "old answer")
        assert memo.recall(tmp_path, "answer", memo.digest_of("question", b"input")) == (
            True, "old answer")
        forget()
        merging_code = copy / "merging.py"
        merging_code.write_text(merging_code.read_text(encoding="utf-8") + "\n# changed\n",
                                encoding="utf-8")
        assert memo.recall(tmp_path, "answer", memo.digest_of("question", b"input")) == (
            False, None)
    finally:
        forget()


def test_slot_keys_change_with_a_librarys_version(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    library = tmp_path / "lib" / "checker"
    library.mkdir(parents=True)
    (library / "__init__.py").write_text("VERSION = '1.0'\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path / "lib"))
    monkeypatch.setattr(memo, "LIBRARIES", (("checker", "__init__.py"),))
    memo.libraries_digest.cache_clear()
    memo.code_digest.cache_clear()
    try:
        before, salt = memo.digest_of("question"), memo.cache_salt()
        (library / "__init__.py").write_text("VERSION = '1.1'\n", encoding="utf-8")
        memo.libraries_digest.cache_clear()
        memo.code_digest.cache_clear()
        assert memo.digest_of("question") != before
        assert memo.cache_salt() != salt  # the build's cache too (parsed seeds, judgements)
    finally:
        memo.libraries_digest.cache_clear()
        memo.code_digest.cache_clear()


# --- update ----------------------------------------------------------------------------

def test_update_merges_again_only_when_a_catalog_or_template_changed(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    merging_calls = Calls(monkeypatch, merging, "merge")
    po = catalog_path(project, "es", "x")
    # The catalogs were new: this is their first merge (two catalogs), then none.
    for merges in (2, 0):
        assert run_cli("update", "--project", str(project)).output == "0 catalog(s) changed\n"
        assert merging_calls.take() == merges

    # A translator deletes an entry by mistake: the next update brings it back.
    text = po.read_text(encoding="utf-8")
    entry = text.index("#. paragraph\n")
    assert 'msgid "Take **500 mg** twice a day."' in text[entry:]
    po.write_text(text[:entry], encoding="utf-8")
    run = run_cli("update", "--project", str(project))
    assert "wrote locales/es/LC_MESSAGES/x.po" in run.output and merging_calls.take() == 1
    assert po.read_text(encoding="utf-8") == text

    # A seed edit changes the template: the catalog gets the new entry.
    (project / "seeds" / "x.md").write_text(
        seed("Taking your medicine", "Take **500 mg** three times a day.\n"), encoding="utf-8")
    run_cli("update", "--project", str(project))
    assert merging_calls.take() == 1      # x.po: messages.po and its template did not change
    catalog = read_po(po.open("rb"), locale="es")
    assert catalog.get("Take **500 mg** three times a day.") is not None


# --- status ----------------------------------------------------------------------------

def test_status_sees_every_edit_of_the_interface_catalog_and_its_template(
        project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    judging = Calls(monkeypatch, interface, "_interface_status")
    first = interface_row(project)
    assert judging.take() == 1
    assert interface_row(project) == first and judging.take() == 0

    translate(catalog_path(project, "es", "messages"), {"All handouts": "Todos los folletos"})
    second = interface_row(project)
    assert judging.take() == 1
    assert second["translated"] == first["translated"] + 1
    assert second["untranslated"] == first["untranslated"] - 1

    page = project / "templates" / "index.html"
    page.write_text(page.read_text(encoding="utf-8") + '{{ _("A string not yet in it") }}\n',
                    encoding="utf-8")
    assert run_cli("extract", "--project", str(project)).status == 0
    third = interface_row(project)
    assert judging.take() == 1
    assert third["entries"] == second["entries"] + 1
    assert any(entry["reason"] == "missing" and "A string not yet in it" in entry["message"]
               for entry in third["not_publishable"])


def test_status_sees_a_seed_edit(project: Path) -> None:
    def document_row() -> dict:
        run = run_cli("status", "--project", str(project), "--format", "json")
        [row] = [r for r in json.loads(run.output)
                 if r["document"] == "x" and r["locale"] == "es"]
        return row
    before = document_row()
    with (project / "seeds" / "x.md").open("a", encoding="utf-8") as text:
        text.write(textwrap.dedent("""
            ## When to call

            Call your nurse if you feel sick.
            """))
    run_cli("extract", "--project", str(project))
    after = document_row()
    assert after["entries"] == before["entries"] + 2
    assert after["untranslated"] == before["untranslated"] + 2
