"""The build as clinic staff run it: exit status, messages, dist/ contents, safety."""

from __future__ import annotations

import http.server
import json
import os
import threading
from pathlib import Path

import pytest

from publisher.errors import PublisherError
from publisher.write_dist import inside, write_atomic

from conftest import make_project, run_cli, seed

BAD = Path(__file__).parent / "bad_seeds"


def test_bad_seeds_are_reported_and_the_good_one_still_builds(tmp_path: Path) -> None:
    bad = {p.name: p.read_bytes() for p in BAD.glob("*.md")}
    project = make_project(tmp_path, {**bad, "good.md": seed("Good handout")})
    result = run_cli("build", "--project", str(project), "--jobs", "1")
    assert result.status == 1
    for expected in BAD.glob("*.expected"):
        assert "seeds/" + expected.read_text().strip() in result.output, expected.name
    assert (project / "dist" / "en" / "good.pdf").stat().st_size > 1000
    manifest = json.loads((project / "dist" / "manifest.json").read_text())
    assert [e["slug"] for e in manifest["handouts"]] == ["good"]
    assert f"{len(list(BAD.glob('*.md')))} input(s) failed" in result.output


def test_rebuilds_are_byte_identical(tmp_path: Path) -> None:
    seeds = {"a.md": seed("Alpha", "## Part\n\nText with [a link](https://example.org/a).\n")}
    outputs = []
    for name in ("one", "two"):
        project = make_project(tmp_path / name, seeds)
        assert run_cli("build", "--project", str(project), "--jobs", "1").status == 0
        dist = project / "dist"
        outputs.append({p.relative_to(dist).as_posix(): p.read_bytes()
                        for p in sorted(dist.rglob("*")) if p.is_file()})
    assert outputs[0].keys() == outputs[1].keys()
    for name in outputs[0]:
        assert outputs[0][name] == outputs[1][name], name


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str] = []

    def do_GET(self) -> None:  # noqa: N802 (http.server's name)
        _Recorder.requests.append(self.path)
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def spy_server():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    _Recorder.requests = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.requests
    server.shutdown()


def test_unsafe_content_is_neutralized_and_nothing_is_fetched(tmp_path: Path, spy_server) -> None:
    address, requests = spy_server
    body = f"""\
        ## Safe heading

        A [script link](javascript:alert(1)) and a [good link](https://example.org/ok).

        <script>alert("x")</script>

        <img src="file:///etc/passwd" alt="passwd" onerror="alert(1)">

        <img src="{address}/tracker.png" alt="tracker">

        <link rel="stylesheet" href="{address}/evil.css">

        <style>@import url("{address}/import.css"); body {{ background: url({address}/bg.png) }}</style>

        Text with <span onclick="alert(1)">a handler</span> and ![remote]({address}/pic.png).
        """
    project = make_project(tmp_path, {"unsafe.md": seed("Unsafe", body)})
    result = run_cli("build", "--project", str(project), "--jobs", "1")
    assert result.status == 0, result.output
    assert "unsafe link to 'javascript:alert(1)' removed" in result.output
    assert "raw HTML <script> removed" in result.output
    assert requests == []
    page = (project / "dist" / "en" / "unsafe.html").read_text()
    for forbidden in ("<script", "javascript:", "onerror", "onclick", "/etc/passwd",
                      address, "<link rel=\"stylesheet\" href=\"http", "<img"):
        assert forbidden not in page, forbidden
    assert 'href="https://example.org/ok"' in page
    assert (project / "dist" / "en" / "unsafe.pdf").stat().st_size > 1000


def test_seeds_that_disappear_lose_their_outputs(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"a.md": seed("A"), "b.md": seed("B")})
    assert run_cli("build", "--project", str(project), "--jobs", "1").status == 0
    (project / "seeds" / "b.md").unlink()
    assert run_cli("build", "--project", str(project), "--jobs", "1").status == 0
    dist = project / "dist"
    assert not (dist / "en" / "b.pdf").exists() and not (dist / "en" / "b.html").exists()
    manifest = json.loads((dist / "manifest.json").read_text())
    assert [e["slug"] for e in manifest["handouts"]] == ["a"]


def test_interrupted_write_leaves_the_old_file_whole(tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "en" / "x.pdf"
    write_atomic(target, b"old complete file")

    def crash(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, b"new" * 1000)
    assert target.read_bytes() == b"old complete file"
    assert [p.name for p in target.parent.iterdir()] == ["x.pdf"]


def test_nothing_is_written_outside_the_output_folder(tmp_path: Path) -> None:
    with pytest.raises(PublisherError):
        inside(tmp_path / "dist", "../escape.pdf")
    with pytest.raises(PublisherError):
        inside(tmp_path / "dist", "/etc/passwd")


def test_unknown_configuration_keys_are_usage_errors(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"a.md": seed("A")}, config="""
        [project]
        locales = ["en"]
        colour = "blue"
        [print]
        paper = "tabloid"
        """)
    result = run_cli("build", "--project", str(project))
    assert result.status == 2


def test_configuration_errors_name_every_key(tmp_path: Path, capsys) -> None:
    project = make_project(tmp_path, {"a.md": seed("A")}, config="""
        [project]
        colour = "blue"
        [print]
        paper = "tabloid"
        """)
    run_cli("build", "--project", str(project))
    err = capsys.readouterr().err
    assert "publisher.toml: error: project.colour: unknown key" in err
    assert "publisher.toml: error: print.paper: 'tabloid' is not one of letter, a4" in err


def test_bad_command_line_is_exit_status_2(capsys) -> None:
    assert run_cli("build", "--format", "docx").status == 2
    assert run_cli("frobnicate").status == 2


def test_html_only_build_writes_no_pdf(tmp_path: Path) -> None:
    project = make_project(tmp_path, {"a.md": seed("A")})
    assert run_cli("build", "--project", str(project), "--format", "html").status == 0
    assert (project / "dist" / "en" / "a.html").exists()
    assert not (project / "dist" / "en" / "a.pdf").exists()


def assert_parallel_build_matches_serial(tmp_path: Path) -> None:
    seeds = {f"s{i}.md": seed(f"Handout {i}", f"## Part {i}\n\nText {i}.\n") for i in range(3)}
    serial = make_project(tmp_path / "serial", seeds)
    parallel = make_project(tmp_path / "parallel", seeds)
    assert run_cli("build", "--project", str(serial), "--jobs", "1").status == 0
    assert run_cli("build", "--project", str(parallel), "--jobs", "2").status == 0
    for i in range(3):
        name = f"en/s{i}.pdf"
        assert (serial / "dist" / name).read_bytes() == (parallel / "dist" / name).read_bytes()


def test_parallel_build_matches_serial_build(tmp_path: Path) -> None:
    assert_parallel_build_matches_serial(tmp_path)


def test_check_command_fails_on_a_broken_pdf_and_passes_the_example(example: Path,
                                                                     tmp_path: Path) -> None:
    import pikepdf
    good = run_cli("check", str(example / "dist"))
    assert good.status == 0, good.output
    broken = tmp_path / "broken.pdf"
    with pikepdf.open(example / "dist" / "en" / "recurrent-breast-cancer.pdf") as pdf:
        del pdf.Root["/Lang"]
        del pdf.Root["/StructTreeRoot"]
        pdf.save(broken)
    result = run_cli("check", str(broken))
    assert result.status == 1
    assert f"{broken}: error: [pdf-lang]" in result.output
    assert f"{broken}: error: [pdf-tagged]" in result.output
    assert run_cli("check", str(tmp_path / "missing.pdf")).status == 2


def test_workers_replaced_along_the_way_give_the_same_bytes(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from publisher import workers as build_module
    monkeypatch.setattr(build_module, "HANDOUTS_PER_WORKER", 1)
    assert_parallel_build_matches_serial(tmp_path)


def test_the_longest_handouts_are_sent_to_the_workers_first(tmp_path: Path) -> None:
    """So that the workers finish together (workers.longest_first)."""
    from formats_fixtures import example_document, medicine_document, source

    from publisher.render_handout import RenderJob
    from publisher.workers import longest_first
    short, long_ = source(medicine_document(tmp_path)), source(example_document())
    jobs = [RenderJob(short, ("html", "pdf"), (), ""), RenderJob(long_, ("html",), (), ""),
            RenderJob(long_, ("html", "pdf"), (), ""), RenderJob(short, ("html",), (), "")]
    assert longest_first(jobs) == [jobs[2], jobs[1], jobs[0], jobs[3]]
