"""`publisher serve --watch`: a saved seed is rebuilt and the open page reloads; a
broken save shows its error in the page and the terminal; the next good save
recovers; the preview script is only in what the preview server sends."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.request import urlopen

import pytest

from publisher.live_preview import STATE_PATH, inject, snapshot

from conftest import make_project, seed

HERE = Path(__file__).resolve().parent


def start(project: Path, *formats: str) -> tuple[subprocess.Popen, str]:
    """`publisher serve --watch` in a process of its own; its address."""
    command = [sys.executable, "-c", "from publisher.entry import main; raise SystemExit(main())",
               "serve", "--watch",
               "--project", str(project), "--port", "0",
               *(f"--format={f}" for f in formats)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True)
    deadline = time.monotonic() + 120
    lines = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        lines.append(line)
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        if found:
            return process, found.group(1)
        if not line and process.poll() is not None:
            break
    process.kill()
    raise AssertionError("serve --watch did not start:\n" + "".join(lines))


def stop(process: subprocess.Popen) -> str:
    process.terminate()
    try:
        output, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        output, _ = process.communicate()
    return output


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return make_project(tmp_path, {"care.md": seed("Care", body="Rest well.\n")})


def test_script_only_in_served_pages_never_in_dist(project: Path) -> None:
    process, url = start(project, "html")
    try:
        with urlopen(url + "en/care.html") as response:
            served = response.read().decode()
        with urlopen(url + STATE_PATH.lstrip("/")) as response:
            state = json.loads(response.read())
        with urlopen(url + "en/") as response:
            assert STATE_PATH in response.read().decode()   # a folder's index.html too
    finally:
        stop(process)
    assert STATE_PATH in served and served.count("<script>") == 1
    assert state == {"generation": 1, "errors": []}
    for page in (project / "dist").rglob("*.html"):
        assert STATE_PATH not in page.read_text(encoding="utf-8"), page


@pytest.mark.skipif(not Path("/usr/bin/chromium").exists(), reason="needs chromium")
@pytest.mark.parametrize("formats", [("html",), ("html", "pdf")], ids=["html", "html+pdf"])
def test_an_edited_seed_shows_in_the_open_page_within_2_seconds(
        project: Path, formats: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    process, url = start(project, *formats)
    try:
        done = subprocess.run([sys.executable, str(HERE / "live_job.py"),
                               url + "en/care.html", str(project / "seeds" / "care.md")],
                              capture_output=True, text=True, timeout=120, cwd=HERE)
    finally:
        terminal = stop(process)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    with capsys.disabled():
        print(f"\nserve --watch ({'+'.join(formats)}): edit shown after "
              f"{report['edit_seconds']:.2f} s, error after {report['broken_seconds']:.2f} s, "
              f"recovered after {report['fixed_seconds']:.2f} s")
    assert report["edit_seconds"] is not None and report["edit_seconds"] < 2.0, report
    assert report["broken_seconds"] is not None, report
    assert "seeds/care.md:" in report["broken_text"] and "error" in report["broken_text"]
    assert report["broken_role"] == "alert"
    assert report["fixed_seconds"] is not None and report["fixed_seconds"] < 2.0, report
    # The terminal says the same.
    assert "changed: seeds/care.md" in terminal
    assert re.search(r"seeds/care\.md:\d+: error: ", terminal), terminal
    assert "<script" not in (project / "dist" / "en" / "care.html").read_text()


def test_inject_puts_the_script_before_the_end_of_the_body() -> None:
    page = inject(b"<html><body><p>x</p></body></html>")
    assert page.index(b"<script>") < page.index(b"</body>")
    assert inject(b"<p>no body</p>").startswith(b"<p>no body</p><script>")


def test_snapshot_sees_inputs_and_ignores_editor_files(project: Path) -> None:
    (project / "seeds" / ".care.md.swp").write_text("x")
    (project / "seeds" / "care.md~").write_text("x")
    names = {Path(p).name for p in snapshot(project)}
    assert "care.md" in names and "handout.html" in names
    assert not {".care.md.swp", "care.md~"} & names
