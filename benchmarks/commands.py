"""How fast `publisher status`, `extract` and `update` answer on the example, and
whether they answer exactly as another checkout does (issue 12, section 2 of README).

    .venv/bin/python benchmarks/commands.py                       # this checkout
    .venv/bin/python benchmarks/commands.py --baseline /work/main  # interleaved with main

The example (the repository's seeds, locales, templates and publisher.toml) is copied
into a temporary folder and built once.  Each command then runs ``--runs`` times in its
own process (interpreter start and imports included: what a user waits for), warm
(what an earlier run remembered is there) and cold (no ``.publisher-cache/``, each on a
fresh copy); with ``--baseline`` the two checkouts take turns, run for run, so that the
load of a shared machine falls on both alike.  Wall seconds and CPU seconds (user +
system) are printed as min, median and max.

With ``--baseline``, the outputs are compared byte for byte too: the status table and
JSON, and the .pot/.po files after ``extract`` and ``update``, on the project as built
and after a seed, a template and a catalog were edited.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
INPUTS = ("seeds", "locales", "templates", "publisher.toml")
COMMANDS = (("status",), ("status", "--format", "json"), ("extract",), ("update",))


def cli(source: Path, project: Path, *argv: str) -> tuple[float, float, bytes]:
    """One command in its own process, in the project's folder (so that what it prints
    names no folder of ours): (wall s, CPU s, what it printed)."""
    env = dict(os.environ, PYTHONPATH=str(source / "src"))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    run = subprocess.run([sys.executable, "-m", "publisher.cli", *argv, "--project", "."],
                         cwd=project, env=env, capture_output=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if run.returncode not in (0, 1):
        raise SystemExit(f"{' '.join(argv)} failed:\n{run.stderr.decode()}")
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu, run.stdout + run.stderr


def example(folder: Path) -> Path:
    project = folder / "example"
    project.mkdir(parents=True)
    for name in INPUTS:
        source = ROOT / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, project / name)
    subprocess.run([sys.executable, "-m", "publisher.cli", "build", "--project", str(project)],
                   env=dict(os.environ, PYTHONPATH=str(ROOT / "src")), check=True,
                   stdout=subprocess.DEVNULL)
    return project


def summary(values: list[float]) -> str:
    return (f"{min(values):.3f} / {statistics.median(values):.3f} / {max(values):.3f}")


def timings(checkouts: dict[str, Path], built: Path, folder: Path, runs: int) -> None:
    projects = {}
    for name in checkouts:
        projects[name] = folder / f"warm-{name}"
        shutil.copytree(built, projects[name])
    print(f"{'command':26} {'checkout':9} {'wall min / median / max':>26}  "
          f"{'CPU min / median / max':>24}")
    for command in COMMANDS:
        for cold in (False, True):
            results: dict[str, list[tuple[float, float]]] = {name: [] for name in checkouts}
            for name, source in checkouts.items():   # the first warm run fills the caches
                cli(source, projects[name], *command)
            for _ in range(runs):
                for name, source in checkouts.items():
                    project = projects[name]
                    if cold:
                        project = folder / f"cold-{name}"
                        shutil.rmtree(project, ignore_errors=True)
                        shutil.copytree(built, project)
                        shutil.rmtree(project / ".publisher-cache", ignore_errors=True)
                    wall, cpu, _ = cli(source, project, *command)
                    results[name].append((wall, cpu))
            for name, values in results.items():
                label = " ".join(command) + (" (cold)" if cold else "")
                print(f"{label:26} {name:9} {summary([w for w, _ in values]):>26}  "
                      f"{summary([c for _, c in values]):>24}", flush=True)


def edits(project: Path) -> list[tuple[str, Callable[[], None]]]:
    def seed() -> None:
        path = next((project / "seeds").glob("*.md"))
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(" treatment.", " treatment, as before.", 1),
                        encoding="utf-8")

    def template() -> None:
        path = project / "templates" / "index.html"
        path.write_text(path.read_text(encoding="utf-8") +
                        '{{ _("A string added by benchmarks/commands.py") }}\n',
                        encoding="utf-8")

    def catalog() -> None:
        path = project / "locales" / "es" / "LC_MESSAGES" / "messages.po"
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace('msgid "A string added by benchmarks/commands.py"\n'
                                     'msgstr ""', 'msgid "A string added by benchmarks/'
                                     'commands.py"\nmsgstr "Un texto de prueba"', 1),
                        encoding="utf-8")
    return [("as built", lambda: None), ("seed edited", seed),
            ("template edited", template), ("catalog edited", catalog)]


def undated(data: bytes) -> bytes:
    """The minute a template was made is the only thing two runs may differ in."""
    return re.sub(rb"POT-Creation-Date: [^\\\n]*", b"", data)


def catalogs(project: Path) -> dict[str, bytes]:
    return {path.relative_to(project).as_posix(): undated(path.read_bytes())
            for path in sorted((project / "locales").rglob("*.po*"))}


def compare(checkouts: dict[str, Path], built: Path, folder: Path) -> bool:
    projects = {name: folder / f"compare-{name}" for name in checkouts}
    for project in projects.values():
        shutil.copytree(built, project)
    same = True
    for step in range(len(edits(built))):
        answers: dict[str, list[bytes | dict]] = {}
        for name, source in checkouts.items():
            project = projects[name]
            label, edit = edits(project)[step]
            edit()
            outputs: list[bytes | dict] = []
            for command in (*COMMANDS, ("status",)):   # status again after update
                outputs.append(cli(source, project, *command)[2])
                outputs.append(catalogs(project))
            answers[name] = outputs
        first, *others = answers.values()
        verdict = all(other == first for other in others)
        same = same and verdict
        print(f"{label:16} {'identical' if verdict else 'DIFFERENT'}: status table and JSON, "
              "extract, update, status, every .pot/.po (dates aside)", flush=True)
    return same


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, help="another checkout to compare with")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--no-compare", action="store_true")
    args = parser.parse_args(argv)
    checkouts = {"this": ROOT}
    if args.baseline:
        checkouts["baseline"] = args.baseline.resolve()
    with tempfile.TemporaryDirectory(prefix="publisher-commands-") as tmp:
        folder = Path(tmp)
        built = example(folder)
        print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        timings(checkouts, built, folder, args.runs)
        print(f"load average after: {os.getloadavg()[0]:.1f}")
        if args.baseline and not args.no_compare:
            return 0 if compare(checkouts, built, folder) else 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
