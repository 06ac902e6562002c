"""The build owns only what it wrote: it never deletes a clinic's files, never follows
a symbolic link out of dist/, refuses an output folder that holds the inputs, and a
seed that fails keeps its last good handout published."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import make_project, run_cli, seed

GOOD = seed("Alpha", "## Part\n\nText.\n")
BROKEN = "---\ntitle: Alpha\nlanguage: en\nlastReviewed: thirty-first\n---\n\nText.\n"


def build(project: Path, *extra: str):
    return run_cli("build", "--project", str(project), "--jobs", "1", *extra)


def manifest(project: Path) -> dict:
    return json.loads((project / "dist" / "manifest.json").read_text())


def test_files_the_build_did_not_write_are_never_deleted(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"a.md": GOOD, "b.md": seed("Beta")})
    dist = project / "dist"
    (dist / "archive").mkdir(parents=True)
    (dist / "archive" / "2025.pdf").write_bytes(b"%PDF clinic archive")
    (dist / "en").mkdir()
    (dist / "en" / "notes.html").write_text("clinic notes")
    (dist / "en" / ".keep.tmp").write_text("clinic's hidden file")
    (dist / "robots.txt").write_text("User-agent: *\n")
    assert build(project).status == 0
    (project / "seeds" / "b.md").unlink()
    assert build(project).status == 0
    assert not (dist / "en" / "b.pdf").exists()
    assert (dist / "archive" / "2025.pdf").read_bytes() == b"%PDF clinic archive"
    assert (dist / "en" / "notes.html").read_text() == "clinic notes"
    assert (dist / "en" / ".keep.tmp").exists() and (dist / "robots.txt").exists()


def test_a_handout_someone_changed_is_left_in_place_and_reported(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"a.md": GOOD, "b.md": seed("Beta")})
    assert build(project).status == 0
    edited = project / "dist" / "en" / "b.html"
    edited.write_text("edited by hand")
    (project / "seeds" / "b.md").unlink()
    result = build(project)
    assert result.status == 0
    assert edited.read_text() == "edited by hand"
    assert "dist/en/b.html: warning: is no longer published but was changed" in result.output


def test_a_symlink_in_dist_is_never_followed(tmp_path: Path) -> None:
    victim = tmp_path / "elsewhere"
    victim.mkdir()
    (victim / "b.pdf").write_bytes(b"precious")
    (victim / "b.html").write_text("precious")
    project = make_project(tmp_path / "p", {"a.md": GOOD, "b.md": seed("Beta")})
    assert build(project).status == 0
    for name in ("b.pdf", "b.html"):  # our own files replaced by links to someone else's
        (project / "dist" / "en" / name).unlink()
        (project / "dist" / "en" / name).symlink_to(victim / name)
    (project / "seeds" / "b.md").unlink()
    assert build(project).status == 0
    assert (victim / "b.pdf").read_bytes() == b"precious"
    assert (victim / "b.html").read_text() == "precious"


def test_a_linked_language_folder_is_refused_not_written_through(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    project = make_project(tmp_path / "p", {"a.md": GOOD})
    (project / "dist").mkdir()
    (project / "dist" / "en").symlink_to(elsewhere)
    result = build(project)
    assert result.status == 1
    assert list(elsewhere.iterdir()) == []


def test_an_output_folder_that_is_or_holds_the_inputs_is_refused(tmp_path: Path,
                                                                  capsys) -> None:
    project = make_project(tmp_path / "p", {"a.md": GOOD})
    templates = sorted(p.name for p in (project / "templates").iterdir())
    for out in (project, project / "seeds", project / "templates" / "x", tmp_path,
                project / "locales"):
        assert build(project, "--out", str(out)).status == 2, out
        assert "the output folder may not be or hold the project's" in capsys.readouterr().err
    assert sorted(p.name for p in (project / "templates").iterdir()) == templates
    assert not (project / "dist").exists()


def test_an_output_folder_that_is_a_file_is_a_usage_error(tmp_path: Path, capsys) -> None:
    project = make_project(tmp_path, {"a.md": GOOD})
    (tmp_path / "file").write_text("x")
    assert build(project, "--out", str(tmp_path / "file")).status == 2
    assert "is a file, not a folder" in capsys.readouterr().err


def test_missing_or_empty_seeds_is_an_error_and_dist_is_kept(tmp_path: Path, capsys) -> None:
    project = make_project(tmp_path, {"a.md": GOOD})
    assert build(project).status == 0
    before = manifest(project)
    (project / "seeds" / "a.md").unlink()
    assert build(project).status == 2
    assert "has no seeds" in capsys.readouterr().err
    (project / "seeds").rmdir()
    assert build(project).status == 2
    assert "seeds: error: no such folder" in capsys.readouterr().err
    assert manifest(project) == before
    assert (project / "dist" / "en" / "a.pdf").exists()


def test_a_seed_that_fails_keeps_its_last_good_handout(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"a.md": GOOD, "b.md": seed("Beta")})
    assert build(project).status == 0
    pdf = (project / "dist" / "en" / "a.pdf").read_bytes()
    (project / "seeds" / "a.md").write_text(BROKEN)
    result = build(project)
    assert result.status == 1
    assert "seeds/a.md:4: error: lastReviewed:" in result.output
    assert "kept the previous version: a (en): its seed could not be read" in result.output
    entry = next(e for e in manifest(project)["handouts"] if e["slug"] == "a")
    assert entry["kept"] == "its seed could not be read this time"
    assert (project / "dist" / "en" / "a.pdf").read_bytes() == pdf
    # Still kept on the next build; gone when the seed is removed.
    assert build(project).status == 1
    assert (project / "dist" / "en" / "a.pdf").read_bytes() == pdf
    (project / "seeds" / "a.md").unlink()
    assert build(project).status == 0
    assert not (project / "dist" / "en" / "a.pdf").exists()
    assert [e["slug"] for e in manifest(project)["handouts"]] == ["b"]


def test_a_kept_handout_is_replaced_when_its_seed_is_fixed(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"a.md": GOOD})
    assert build(project).status == 0
    (project / "seeds" / "a.md").write_text(BROKEN)
    assert build(project).status == 1
    (project / "seeds" / "a.md").write_text(seed("Alpha", "## Part\n\nNew text.\n"))
    result = build(project)
    assert result.status == 0 and "kept the previous" not in result.output
    assert "New text." in (project / "dist" / "en" / "a.html").read_text()
    assert manifest(project)["handouts"][0]["kept"] == ""


def test_a_damaged_output_is_rebuilt_and_check_finds_it_first(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"a.md": GOOD, "b.md": seed("Beta")})
    assert build(project).status == 0
    pdf = project / "dist" / "en" / "a.pdf"
    good = pdf.read_bytes()
    pdf.write_bytes(good[:1000])
    check = run_cli("check", str(project / "dist"))
    assert check.status == 1
    assert "a.pdf: error: [manifest] does not have the hash the manifest recorded" in check.output
    result = build(project)
    assert "(1 rendered, 1 unchanged)" in result.output
    assert pdf.read_bytes() == good
    assert run_cli("check", str(project / "dist")).status == 0


def test_two_seeds_with_one_slug_or_a_reserved_slug_are_errors(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"x.md": seed("X one"), "x.txt": seed("X two"),
                                      "index.md": seed("Index"), "ok.md": seed("OK")})
    result = build(project)
    assert result.status == 1
    assert ("seeds/x.md: error: seeds/x.md and seeds/x.txt would publish to the same "
            "handout 'x'") in result.output
    assert "seeds/x.txt: error: seeds/x.md and seeds/x.txt" in result.output
    assert "seeds/index.md: error: the name 'index' is reserved" in result.output
    assert [e["slug"] for e in manifest(project)["handouts"]] == ["ok"]
    assert "Patient handouts" in (project / "dist" / "en" / "index.html").read_text()


def test_site_pages_of_a_language_no_longer_served_are_removed(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"a.md": GOOD, "b.md": seed("Beta", language="es")},
                           config='[project]\nlocales = ["en", "es"]\n')
    assert build(project, "--require", "draft").status == 0
    assert (project / "dist" / "es" / "index.html").exists()
    (project / "seeds" / "b.md").unlink()
    (project / "publisher.toml").write_text('[project]\nlocales = ["en"]\n')
    assert build(project, "--require", "draft").status == 0
    assert not (project / "dist" / "es").exists()
    assert "es/index.html" not in (project / "dist" / "index.html").read_text()
    pages = set(manifest(project)["pages"])
    # Besides the search index (pagefind/: see test_search.py), the site's own pages.
    assert {p for p in pages if not p.startswith("pagefind/")} == {
        "index.html", "en/index.html", "translations.html", "favicon.svg", "search.js"}
    assert not any(p.startswith("pagefind/") and "/es_" in p for p in pages)


def test_temporary_files_of_an_interrupted_build_are_removed(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"a.md": GOOD})
    assert build(project).status == 0
    leftover = project / "dist" / "en" / ".publisher-a.pdf.x1y2.tmp"
    leftover.write_bytes(b"half a PDF")
    assert build(project).status == 0
    assert not leftover.exists()
    assert sorted(os.listdir(project / "dist" / "en")) == [
        "a.braille.txt", "a.brf", "a.html", "a.pdf", "index.html"]


def test_a_catalog_over_the_size_limit_is_that_catalogs_error(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"a.md": GOOD},
                           config='[project]\nlocales = ["en", "es"]\n[limits]\ncatalog_kb = 1\n')
    po = project / "locales" / "es" / "LC_MESSAGES" / "a.po"
    po.parent.mkdir(parents=True)
    po.write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                  + "".join(f'msgid "x{i}"\nmsgstr "y{i}"\n\n' for i in range(200)))
    result = build(project)
    assert result.status == 1
    assert ("locales/es/LC_MESSAGES/a.po: error: is 5 kB, more than the limit of 1 kB "
            "(limits.catalog_kb in publisher.toml)") in result.output
    assert (project / "dist" / "en" / "a.pdf").exists()
