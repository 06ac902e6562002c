"""`publisher serve --watch`: rebuild when an input is saved, reload the open page.

The watcher polls the modification times of the project's inputs (seeds, catalogs,
templates, ``publisher.toml``) — no new dependency, and it works the same on every
file system — and runs the ordinary incremental build when one changes: only the
handouts whose fingerprint changed are rendered again.  The preview server adds one
small script to every HTML page it sends (never to a file in dist/): it asks
``/__publisher__/state`` every ``POLL_MS`` for the number of the last finished build
and its errors, reloads the page when a new build has finished, and shows a broken
build's errors at the top of the page until a good save fixes them.
"""

from __future__ import annotations

import json
import os
import threading
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, TextIO

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the build (Babel, Jinja, WeasyPrint...) loads when a preview starts
    from .build import BuildOptions, BuildResult
from .config import CONFIG_NAME
from .errors import Problem, PublisherError

#: The address the preview script asks; a path no file in dist/ has.
STATE_PATH = "/__publisher__/state"
#: How often the watcher looks at the inputs, and the page at the state (ms).
WATCH_SECONDS = 0.2
POLL_MS = 300
#: The inputs of a build, relative to the project.
WATCHED = ("seeds", "locales", "templates", CONFIG_NAME)

#: Added before </body> of every HTML page the preview server sends.  Text only:
#: the errors are shown with textContent, never as markup.
SCRIPT = """<script>
(function () {
  var seen = null;
  function show(errors) {
    var box = document.getElementById("publisher-live-errors");
    if (!errors.length) { if (box) box.remove(); return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "publisher-live-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:0 0 auto 0;max-height:60vh;overflow:auto;" +
        "background:#fff;color:#000;border:4px solid #b00020;padding:1rem;z-index:9999;" +
        "font:1rem/1.4 monospace;white-space:pre-wrap";
      document.body.prepend(box);
    }
    box.textContent = "publisher: the last save did not build\\n\\n" + errors.join("\\n");
  }
  function ask() {
    fetch("%(path)s", {cache: "no-store"}).then(function (r) { return r.json(); })
      .then(function (state) {
        if (seen !== null && state.generation !== seen) { location.reload(); return; }
        seen = state.generation;
        show(state.errors);
      }).catch(function () {}).then(function () { setTimeout(ask, %(poll)d); });
  }
  ask();
})();
</script>
""" % {"path": STATE_PATH, "poll": POLL_MS}


def inject(html: bytes) -> bytes:
    """The page with the preview script before its last ``</body>`` (or at the end)."""
    script = SCRIPT.encode("utf-8")
    at = html.rfind(b"</body>")
    return html[:at] + script + html[at:] if at >= 0 else html + script


@dataclass
class LiveState:
    """What the open pages ask for: the last finished build and its errors."""
    generation: int = 0
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def finished(self, errors: list[str]) -> None:
        with self.lock:
            self.generation += 1
            self.errors = errors

    def to_json(self) -> bytes:
        with self.lock:
            return json.dumps({"generation": self.generation, "errors": self.errors},
                              ensure_ascii=False).encode("utf-8")


def snapshot(project: Path) -> dict[str, tuple[int, int]]:
    """Path -> (mtime in ns, size) of every input file (hidden files and editors'
    swap and backup files left out)."""
    found: dict[str, tuple[int, int]] = {}
    for name in WATCHED:
        top = project / name
        paths = [top] if top.is_file() else \
            (p for p in top.rglob("*") if p.is_file()) if top.is_dir() else []
        for path in paths:
            if path.name.startswith((".", "#")) or path.name.endswith(("~", ".swp", ".tmp")):
                continue
            try:
                info = path.stat()
            except OSError:   # removed between the listing and now
                continue
            found[str(path)] = (info.st_mtime_ns, info.st_size)
    return found


def rebuild(options: BuildOptions, log: TextIO) -> list[str]:
    """One build; the errors a reader of the page should see (none when it worked)."""
    started = time.perf_counter()
    try:
        from .build import build
        result: BuildResult = build(options)
    except PublisherError as exc:
        problems: list[Problem] = list(exc.problems)
        errors = [str(p) for p in problems]
    except Exception as exc:  # a bug must not stop the preview: say it, keep watching
        traceback.print_exc(file=log)
        errors = [f"publisher: internal error: {type(exc).__name__}: {exc}"]
    else:
        errors = [str(p) for p in result.problems if p.is_error]
        for problem in result.problems:
            print(problem, file=log)
        print(f"rebuilt: {result.rendered} rendered, {result.reused} unchanged, "
              f"{result.failed} failed in {time.perf_counter() - started:.1f} s",
              file=log, flush=True)
        return errors
    for line in errors:
        print(line, file=log)
    print(f"build failed in {time.perf_counter() - started:.1f} s; the last good site "
          "is still served", file=log, flush=True)
    return errors


def watch(options: BuildOptions, state: LiveState, log: TextIO,
          stop: Callable[[], bool] = lambda: False) -> None:
    """Rebuild whenever an input changes, until ``stop()`` (or Ctrl-C)."""
    project = options.project
    before = snapshot(project)
    while not stop():
        time.sleep(WATCH_SECONDS)
        now = snapshot(project)
        if now == before:
            continue
        changed = sorted(set(now.items()) ^ set(before.items()))
        names = sorted({os.path.relpath(path, project) for path, _ in changed})
        print(f"changed: {', '.join(names[:5])}{' …' if len(names) > 5 else ''}",
              file=log, flush=True)
        before = now
        state.finished(rebuild(options, log))
        # A save during the build is picked up on the next round.


def preview_options(project: Path, out: Path | None, formats: tuple[str, ...]) -> BuildOptions:
    """The build a preview runs: in this process (its renderers stay loaded between
    builds, so a saved seed costs only its own handouts), the formats asked for."""
    from .build import FORMATS, BuildOptions
    return BuildOptions(project=project, out=out, formats=formats or FORMATS, jobs=1)
