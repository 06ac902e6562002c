"""`publisher serve --watch` in Debian's chromium, in a process of its own (see
chromium_job.py):

    python live_job.py PAGE_URL SEED_PATH

Opens the page, then edits the seed as a writer would: a new sentence (how long
until the open page shows it), a broken save (the error shown in the page), and a
good save again (the error gone, the newest text shown).  Prints JSON.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from chromium_job import ARGS, CHROMIUM

ERRORS = "#publisher-live-errors"


def wait_for(tab, test, seconds: float) -> float | None:
    """Seconds until ``test(tab)`` holds (through page reloads), or None."""
    started = time.perf_counter()
    while time.perf_counter() - started < seconds:
        try:
            if test(tab):
                return time.perf_counter() - started
        except Exception:  # the page is reloading: ask again
            pass
        time.sleep(0.05)
    return None


def shows(text: str):
    return lambda tab: text in tab.inner_text("main")


def error_box(tab) -> str:
    box = tab.query_selector(ERRORS)
    return box.inner_text() if box else ""


def main(url: str, seed: Path) -> None:
    from playwright.sync_api import sync_playwright
    original = seed.read_text(encoding="utf-8")
    report: dict = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            tab = browser.new_page()
            tab.goto(url, wait_until="load")
            time.sleep(0.5)   # the preview script has asked once
            seed.write_text(original.replace("Rest well.", "Rest well. Drink water often."),
                            encoding="utf-8")
            report["edit_seconds"] = wait_for(tab, shows("Drink water often."), 5)
            seed.write_text(original.replace("title: ", "title: [broken ", 1),
                            encoding="utf-8")
            report["broken_seconds"] = wait_for(tab, lambda t: "error" in error_box(t), 5)
            report["broken_text"] = error_box(tab)
            report["broken_role"] = tab.get_attribute(ERRORS, "role") \
                if tab.query_selector(ERRORS) else None
            seed.write_text(original.replace("Rest well.", "Rest well. Walk a little."),
                            encoding="utf-8")
            report["fixed_seconds"] = wait_for(
                tab, lambda t: shows("Walk a little.")(t) and not t.query_selector(ERRORS), 5)
        finally:
            browser.close()
    print(json.dumps(report))


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
