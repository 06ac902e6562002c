"""Lighthouse (Google's audit, run in Debian's chromium) on the built site with a public
address: accessibility, SEO and best practices all score 100 on a handout, a
bilingual handout, a language index and the language chooser."""

from __future__ import annotations

import json
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from publisher.serve import make_server

from conftest import ROOT, make_project, run_cli

LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
         "--disable-component-update --disable-sync --no-first-run")
PAGES = ("es/recurrent-breast-cancer.html", "es/recurrent-breast-cancer.bilingual.html",
         "es/index.html", "index.html")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory):
    project = make_project(tmp_path_factory.mktemp("lighthouse"), copy_example=True)
    shutil.copytree(ROOT / "locales", project / "locales")
    (project / "dist").mkdir()
    server = make_server(project / "dist", 0)
    address = f"http://127.0.0.1:{server.server_address[1]}"
    (project / "publisher.toml").write_text(
        f'[project]\nlocales = ["en", "es"]\n[site]\nbase_url = "{address}"\n')
    result = run_cli("build", "--project", str(project), "--require", "draft")
    assert result.status == 0, result.output
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield address, project
    server.shutdown()


@pytest.mark.parametrize("page", PAGES)
def test_lighthouse_scores_100(site, page: str, tmp_path: Path) -> None:
    address, _ = site
    report = tmp_path / "report.json"
    subprocess.run([str(LIGHTHOUSE), f"{address}/{page}",
                    "--only-categories=accessibility,seo,best-practices",
                    f"--chrome-flags={FLAGS}", "--output=json", f"--output-path={report}",
                    "--quiet"], env={"CHROME_PATH": "/usr/bin/chromium", "PATH": "/usr/bin:/bin",
                                     "HOME": str(tmp_path)},
                   check=True, timeout=240, capture_output=True)
    result = json.loads(report.read_text())
    failing = [(name, ref["id"]) for name, category in result["categories"].items()
               for ref in category["auditRefs"] if ref.get("weight")
               and (result["audits"][ref["id"]].get("score") or 1) < 1]
    scores = {name: category["score"] for name, category in result["categories"].items()}
    assert scores == {"accessibility": 1, "seo": 1, "best-practices": 1}, failing
