"""Debian's chromium, driven by Playwright in a process of its own.

test_browser.py keeps one Playwright session open for the whole test session, and
Playwright's sync API refuses to start a second one in the same process; so the
print and axe checks of the other formats run here, as a child process:

    python chromium_job.py pdf PAGE.html OUT.pdf Letter|A4
    python chromium_job.py axe PAGE.html          (prints axe's JSON response)
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def run(*argv: str) -> str:
    """Run a job in a child process; its standard output."""
    done = subprocess.run([sys.executable, __file__, *argv], capture_output=True, text=True,
                          timeout=300)
    if done.returncode:
        raise RuntimeError(f"chromium job {argv[0]} failed:\n{done.stderr[-2000:]}")
    return done.stdout


def main(argv: list[str]) -> None:
    from playwright.sync_api import sync_playwright
    job, page = argv[0], Path(argv[1])
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            tab = browser.new_page()
            tab.goto(page.as_uri(), wait_until="load")
            if job == "pdf":
                tab.pdf(path=argv[2], format=argv[3])
            elif job == "axe":
                from axe_playwright_python.sync_playwright import Axe
                response = Axe().run(tab, options={
                    "runOnly": {"type": "tag", "values": WCAG_TAGS}}).response
                print(json.dumps({"violations": response["violations"],
                                  "passes": [r["id"] for r in response["passes"]]}))
            else:
                raise SystemExit(f"unknown job {job!r}")
        finally:
            browser.close()


if __name__ == "__main__":
    main(sys.argv[1:])
