"""Crash safety with real signals, real dead workers, a real full disk and a real
read-only folder: every fault is a clear message and an exit status, no process is
left behind, and the next build ends in the right dist/.

`make kill-test` runs the kill campaign at many points (KILL_POINTS, default 40);
`make test` runs a few.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from conftest import make_project, run_cli, seed

PUBLISHER = Path(sys.executable).parent / "publisher"
KILL_POINTS = int(os.environ.get("KILL_POINTS", "3"))


def seeds(version: str, count: int = 6) -> dict[str, str]:
    """A small corpus; each version says something else in every handout."""
    found = {f"h{i}.md": seed(f"Handout {i}", f"## Part {i}\n\n{version} text of handout {i}.\n"
                              f"\n- first point\n- second point {version}\n")
             for i in range(count)}
    if version == "B":  # B also adds one seed and drops one
        found["extra.md"] = seed("Extra", "## Extra\n\nOnly in B.\n")
        del found["h0.md"]
    return found


def set_seeds(project: Path, files: dict[str, str]) -> None:
    folder = project / "seeds"
    for path in folder.glob("*.md"):
        if path.name not in files:
            path.unlink()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")


def start(project: Path, *args: str, tag: str) -> subprocess.Popen:
    env = {**os.environ, "PUBLISHER_TEST_TAG": tag}
    return subprocess.Popen([str(PUBLISHER), "build", "--project", str(project), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)


def tagged(tag: str) -> list[int]:
    """Processes started by a build (they inherit its environment)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if f"PUBLISHER_TEST_TAG={tag}".encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def workers_of(build: int, tag: str) -> list[int]:
    """The build's workers: processes forked by its fork server (not the short-lived
    tools, such as gcc, that the fork server runs while it loads WeasyPrint)."""
    def parent(pid: int) -> int | None:
        try:
            return parent_of(pid)
        except OSError:
            return None

    def forked(pid: int) -> bool:
        try:
            return b"multiprocessing.forkserver" in Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False

    servers = {pid for pid in tagged(tag) if parent(pid) == build and forked(pid)}
    return [pid for pid in tagged(tag) if parent(pid) in servers and forked(pid)]


def wait_until_gone(tag: str, seconds: float = 5.0) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = [pid for pid in tagged(tag) if _alive(pid)]
        if not left:
            return []
        time.sleep(0.1)
    return [pid for pid in tagged(tag) if _alive(pid)]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def dist_state(dist: Path) -> dict[str, str]:
    """What a reader gets: every file of dist/ with its hash (the journal must be gone)."""
    manifest = json.loads((dist / "manifest.json").read_text())
    files = {}
    for path in sorted(dist.rglob("*")):
        if path.is_file():
            import hashlib
            files[path.relative_to(dist).as_posix()] = hashlib.sha256(
                path.read_bytes()).hexdigest()
    listed = {p for e in manifest["handouts"] for p in (e["html"], e["pdf"]) if p}
    assert listed <= set(files)
    return files


@pytest.fixture(scope="module")
def references(tmp_path_factory) -> dict[str, dict[str, str]]:
    """A clean build of each version of the inputs, in a folder of its own."""
    found = {}
    for version in ("A", "B"):
        project = make_project(tmp_path_factory.mktemp(f"reference-{version}"), seeds(version))
        assert run_cli("build", "--project", str(project), "--jobs", "1").status == 0
        found[version] = dist_state(project / "dist")
    return found


def test_kill_at_random_points_then_any_change_ends_in_the_right_dist(
        tmp_path: Path, references) -> None:
    """Kill real builds (SIGKILL, SIGTERM, SIGINT) at random moments between A and B,
    switch the inputs either way, build again: dist/ is exactly a clean build's."""
    project = make_project(tmp_path, seeds("A"))
    assert run_cli("build", "--project", str(project), "--jobs", "1").status == 0
    rng = random.Random(int(os.environ.get("KILL_SEED", "20261127")))
    started = time.monotonic()
    timed = start(project, "--jobs", "2", tag="timing")
    set_seeds(project, seeds("B"))
    timed.wait(timeout=120)
    full = time.monotonic() - started
    set_seeds(project, seeds("A"))
    assert run_cli("build", "--project", str(project), "--jobs", "1").status == 0
    outcomes = []
    for point in range(KILL_POINTS):
        before, after = rng.choice([("A", "B"), ("B", "A")])
        set_seeds(project, seeds(before))
        assert run_cli("build", "--project", str(project), "--jobs", "1").status == 0
        set_seeds(project, seeds(after))
        how = rng.choice([signal.SIGKILL, signal.SIGKILL, signal.SIGTERM, signal.SIGINT])
        delay = rng.uniform(0.2, full)
        tag = uuid.uuid4().hex
        process = start(project, "--jobs", "2", tag=tag)
        time.sleep(delay)
        process.send_signal(how)
        process.wait(timeout=60)
        assert wait_until_gone(tag) == [], f"processes left after {how.name} at {delay:.2f} s"
        if process.returncode not in (0, -signal.SIGKILL):
            err = process.stderr.read()
            assert "Traceback" not in err, err
        final = rng.choice([before, after])  # any change of inputs after the kill
        set_seeds(project, seeds(final))
        assert run_cli("build", "--project", str(project), "--jobs", "2").status == 0
        assert dist_state(project / "dist") == references[final], \
            f"kill point {point}: {how.name} at {delay:.2f} s, {before}->{after}->{final}"
        outcomes.append((how.name, round(delay, 2), process.returncode))
    print(f"\nkill points: {len(outcomes)} (build time {full:.1f} s): {outcomes}")


def test_a_killed_worker_costs_nothing(tmp_path: Path) -> None:
    # Long enough handouts that the build is still rendering when a worker is
    # killed: warm workers render ten short ones in under a second.
    project = make_project(tmp_path, {f"s{i}.md": seed(f"S {i}", "## A\n\nText.\n" * 150)
                                      for i in range(10)})
    tag = uuid.uuid4().hex
    process = start(project, "--jobs", "2", tag=tag)
    victim = None
    seen: dict[int, float] = {}  # worker -> when first seen
    deadline = time.monotonic() + 30
    while victim is None and time.monotonic() < deadline and process.poll() is None:
        now = time.monotonic()
        for pid in workers_of(process.pid, tag):
            seen.setdefault(pid, now)
            if now - seen[pid] >= 0.3:  # has had time to take a handout
                victim = pid
        time.sleep(0.05)
    assert victim is not None, "no worker seen rendering"
    os.kill(victim, signal.SIGKILL)
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, out + err
    assert "Traceback" not in err
    manifest = json.loads((project / "dist" / "manifest.json").read_text())
    assert len(manifest["handouts"]) == 10
    assert run_cli("check", str(project / "dist")).status == 0


def test_a_handout_that_keeps_killing_workers_is_reported_and_the_rest_builds(
        tmp_path: Path) -> None:
    # Too little memory for a worker to start: every worker dies; each handout is
    # tried twice, reported, and the build still writes its site and manifest.
    project = make_project(tmp_path, {"a.md": seed("A"), "b.md": seed("B")},
                           config="[limits]\nworker_memory_mb = 40\n")
    result = run_cli("build", "--project", str(project), "--jobs", "2")
    assert result.status == 1
    assert "the en handout stopped the worker rendering it twice" in result.output
    manifest = json.loads((project / "dist" / "manifest.json").read_text())
    assert manifest["handouts"] == []
    assert {s["slug"] for s in manifest["skipped"]} == {"a", "b"}


def started_with_workers(tmp_path: Path, tag: str) -> subprocess.Popen:
    """A build of ten seeds whose workers are running (main, fork server, workers)."""
    project = make_project(tmp_path, {f"s{i}.md": seed(f"S {i}", "## A\n\nText.\n" * 30)
                                      for i in range(10)})
    process = start(project, "--jobs", "2", tag=tag)
    deadline = time.monotonic() + 30
    while len(tagged(tag)) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(tagged(tag)) >= 3, "the workers did not start"
    return process


def test_sigterm_stops_the_build_and_every_worker(tmp_path: Path) -> None:
    tag = uuid.uuid4().hex
    process = started_with_workers(tmp_path, tag)
    stopped = time.monotonic()
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 128 + signal.SIGTERM
    assert "stopped by SIGTERM; what was published before is intact" in err
    assert "Traceback" not in err
    assert wait_until_gone(tag) == []
    assert time.monotonic() - stopped < 10


def test_kill_9_of_the_build_leaves_no_worker_behind(tmp_path: Path) -> None:
    tag = uuid.uuid4().hex
    process = started_with_workers(tmp_path, tag)
    process.kill()
    process.wait()
    assert wait_until_gone(tag, 5.0) == []


def test_a_handout_over_the_time_limit_is_stopped_and_the_rest_builds(tmp_path: Path) -> None:
    rows = "".join(f"| row {i} | value {i} |\n" for i in range(1000))
    project = make_project(tmp_path, {"slow.md": seed("Slow", "| a | b |\n|---|---|\n" + rows),
                                      "fast.md": seed("Fast")},
                           config="[limits]\nrender_seconds = 1\n")
    result = run_cli("build", "--project", str(project), "--jobs", "1")
    assert result.status == 1
    assert ("seeds/slow.md: error: rendering the en handout took longer than 1 s "
            "(limits.render_seconds in publisher.toml): stopped") in result.output
    assert (project / "dist" / "en" / "fast.pdf").exists()
    assert not (project / "dist" / "en" / "slow.pdf").exists()


def _mount(folder: Path, options: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(folder)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")


@pytest.fixture
def small_disk(tmp_path: Path):
    folder = tmp_path / "disk"
    _mount(folder, "size=96k")
    yield folder
    subprocess.run(["umount", "-l", str(folder)])


def test_a_full_disk_is_one_clear_message_and_the_next_build_completes(
        tmp_path: Path, small_disk: Path, capsys) -> None:
    project = make_project(tmp_path / "p", {f"s{i}.md": seed(f"S {i}", "## A\n\nText.\n" * 20)
                                            for i in range(6)})
    out = small_disk / "dist"
    result = run_cli("build", "--project", str(project), "--out", str(out), "--jobs", "1")
    err = capsys.readouterr().err
    assert result.status == 1
    assert "error: cannot write: the disk is full; what was published before is intact" in err
    assert "Traceback" not in err
    subprocess.run(["mount", "-o", "remount,size=20m", str(small_disk)], check=True)
    assert run_cli("build", "--project", str(project), "--out", str(out),
                   "--jobs", "1").status == 0
    assert run_cli("check", str(out)).status == 0
    assert not list(out.rglob(".publisher-*.tmp"))


def test_a_read_only_output_folder_is_a_usage_error(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "ro"
    _mount(folder, "size=1m,ro")
    try:
        project = make_project(tmp_path / "p", {"a.md": seed("A")})
        result = run_cli("build", "--project", str(project), "--out", str(folder))
        err = capsys.readouterr().err
        assert result.status == 2
        assert f"{folder}: error: --out: cannot write here: Read-only file system" in err
    finally:
        subprocess.run(["umount", "-l", str(folder)])


def test_an_unexpected_error_is_one_line_unless_debug(tmp_path: Path, capsys,
                                                      monkeypatch) -> None:
    from publisher import build as build_module

    def broken(*args, **kwargs):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(build_module, "write_site", broken)
    project = make_project(tmp_path, {"a.md": seed("A")})
    assert run_cli("build", "--project", str(project), "--jobs", "1").status == 1
    err = capsys.readouterr().err
    assert "publisher: internal error: RuntimeError: simulated bug" in err
    assert "Traceback" not in err
    with pytest.raises(RuntimeError):
        run_cli("--debug", "build", "--project", str(project), "--jobs", "1")
    shutil.rmtree(project / "dist")
