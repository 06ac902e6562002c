"""The search box in Debian's chromium, in a process of its own (test_browser.py keeps
the test process's one Playwright session):

    python search_job.py SITE_URL QUERIES_JSON

For each language and query in QUERIES_JSON ({"es": "linfedema", ...}) and each width
(320 and 1280 CSS px) it opens SITE_URL/<lang>/index.html, reaches the search field
with the keyboard, types the query, waits for the announced count and prints, as
JSON, what a user and axe-core met.
"""

from __future__ import annotations

import json
import sys

from chromium_job import ARGS, CHROMIUM, WCAG_TAGS

WIDTHS = (320, 1280)

RESULTS = """() => ({
  status: document.getElementById("search-status").textContent,
  live: document.getElementById("search-status").getAttribute("aria-live"),
  role: document.getElementById("search-status").getAttribute("role"),
  results: [...document.querySelectorAll("#search-results > li")].map(li => ({
    html: li.querySelector("h3 a").getAttribute("href"),
    title: li.querySelector("h3 a").textContent,
    pdf: (li.querySelector("a[type='application/pdf']") || {href: null}).href,
  })),
  scrolls: document.documentElement.scrollWidth > document.documentElement.clientWidth,
})"""

ACTIVE = "() => document.activeElement && (document.activeElement.id || " \
         "document.activeElement.tagName.toLowerCase() + ':' + " \
         "(document.activeElement.getAttribute('href') || document.activeElement.type))"


def check(tab, url: str, query: str) -> dict:
    from axe_playwright_python.sync_playwright import Axe
    tab.goto(url, wait_until="load")
    tab.wait_for_selector("#search:not([hidden])", timeout=10_000)
    # The keyboard alone: Tab from the top of the page reaches the field.
    stops = []
    for _ in range(10):
        tab.keyboard.press("Tab")
        stops.append(tab.evaluate(ACTIVE))
        if stops[-1] == "search-input":
            break
    tab.keyboard.type(query)
    tab.keyboard.press("Enter")
    tab.wait_for_function(
        "() => document.getElementById('search-status').textContent.trim() !== ''",
        timeout=10_000)
    found = tab.evaluate(RESULTS)
    tab.keyboard.press("Tab")   # the button
    tab.keyboard.press("Tab")   # the first result
    found["after_results_tab"] = tab.evaluate(ACTIVE)
    found["tab_stops"] = stops
    response = Axe().run(tab, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}}
                         ).response
    found["violations"] = [{"id": v["id"], "nodes": [n["html"][:200] for n in v["nodes"]]}
                           for v in response["violations"]]
    # 200 % text: the results still fit the width.
    tab.evaluate("() => document.documentElement.style.setProperty('font-size', '200%')")
    found["scrolls_at_200"] = tab.evaluate(
        "() => document.documentElement.scrollWidth > document.documentElement.clientWidth")
    return found


def main(site: str, queries: dict[str, str]) -> None:
    from playwright.sync_api import sync_playwright
    report = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            for width in WIDTHS:
                context = browser.new_context(viewport={"width": width, "height": 800})
                tab = context.new_page()
                for locale, query in queries.items():
                    report[f"{locale}@{width}"] = check(tab, f"{site}{locale}/index.html",
                                                        query)
                context.close()
        finally:
            browser.close()
    print(json.dumps(report, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1], json.loads(sys.argv[2]))
