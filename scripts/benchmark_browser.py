"""Browser benchmark of the steering dashboard: time until the first screen's charts and until every chart is drawn,
cold and warm browser cache, with bytes transferred, the portal's plotly.js bundle side by side with the full one.

Start the portal under the production settings first (gunicorn + WhiteNoise; see README "Benchmarks"), with the demo
loaded, then:
    .venv/bin/python scripts/benchmark_browser.py http://127.0.0.1:8765 [rounds]
Debian's Chromium through Playwright (never a downloaded browser). "Cold" is a fresh browser context (empty cache,
logged in through the login page first); "warm" is the same page again in that context. "First screen" is until every
chart that is in the 1280x800 viewport at load has data-chart-ready (set by static/js/charts.js after drawing);
"all charts" then scrolls to each chart in turn as soon as the one before is drawn (they draw when they come into
view), as fast as a reader could scroll, until the last is drawn.
The full bundle is measured by routing the request for plotly-portal.min.js to the full plotly.min.js.
"""

import statistics
import sys
import time

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
FIRST_SCREEN = """() => document.readyState !== 'loading'
    && document.querySelectorAll('[data-chart-source]').length > 0
    && Array.from(document.querySelectorAll('[data-chart-source]'))
    .filter(e => e.getBoundingClientRect().top < window.innerHeight && e.getBoundingClientRect().bottom > 0)
    .every(e => e.hasAttribute('data-chart-ready'))"""
ALL_DRAWN = """() => Array.from(document.querySelectorAll('[data-chart-source]'))
    .every(e => e.hasAttribute('data-chart-ready'))"""


def wait_until(page, script, timeout=30.0):
    """Poll `script` in the page until it is true (a loop of evaluate, robust across the navigation)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            if page.evaluate(script):
                return
        except Exception as error:  # noqa: BLE001 - the document is being replaced while navigating: ask again
            last = error
        time.sleep(0.05)
    state = page.evaluate("""() => [location.href, Array.from(document.querySelectorAll('[data-chart-source]'))
        .map(e => [e.id, e.getBoundingClientRect().top | 0, e.hasAttribute('data-chart-ready')])]""")
    raise TimeoutError(f"{script}: {last if 'last' in locals() else state}")


def one_view(page, url):
    """Load the page; return (ms to first screen drawn, ms to all drawn, bytes transferred)."""
    # From a blank page: Chromium restores the scroll position when the same page is loaded again.
    page.goto("about:blank")
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    wait_until(page, FIRST_SCREEN)
    first = (time.perf_counter() - start) * 1000
    for element in page.query_selector_all("[data-chart-source]"):
        element.scroll_into_view_if_needed()
        deadline = time.perf_counter() + 30
        while element.get_attribute("data-chart-ready") is None and time.perf_counter() < deadline:
            time.sleep(0.05)
    wait_until(page, ALL_DRAWN)
    everything = (time.perf_counter() - start) * 1000
    # Bytes over the network (0 for what came from the browser's cache): the page and every resource it loaded.
    transferred = page.evaluate("""() => performance.getEntriesByType('navigation')
        .concat(performance.getEntriesByType('resource')).reduce((sum, e) => sum + (e.transferSize || 0), 0)""")
    return first, everything, transferred


def measure(browser, base, full: bool, rounds: int) -> dict:
    results = {"cold": [], "warm": []}
    for _ in range(rounds):
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
        if full:
            # The release's hashed name of the portal's bundle, swapped for the full bundle's original name
            # (WhiteNoise serves both; within a round the browser's cache keeps either).
            context.route("**/vendor/plotly/plotly-portal.min*.js", lambda route: route.continue_(
                url=f"{base}/static/vendor/plotly/plotly.min.js"))
        page = context.new_page()
        page.goto(f"{base}/inloggen/")
        page.get_by_label("Gebruikersnaam").fill("stuurgroep")
        page.get_by_label("Wachtwoord").fill("demo-GHNT-2026")
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state()
        # The region's dashboard, without the redirect, and without loading it (the cache stays cold).
        url = base + page.request.get(f"{base}/dashboard/", max_redirects=0).headers["location"]
        # The login page loaded Bootstrap and the portal's CSS already; plotly.js is only on the dashboards.
        results["cold"].append(one_view(page, url))
        results["warm"].append(one_view(page, url))
        context.close()
    return {kind: tuple(statistics.median(values[i] for values in runs) for i in range(3))
            for kind, runs in results.items()}


def main():
    base = sys.argv[1].rstrip("/")
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox",
                                                                              "--disable-gpu"])
        rows = []
        for full in (False, True):
            rows.append(("portal (1.12 MB)" if not full else "full (4.85 MB)", measure(browser, base, full, rounds)))
        browser.close()
    print(f"median of {rounds} rounds, steering dashboard of the demo, 1280x800")
    print("| plotly.js bundle | cache | first screen drawn (ms) | all charts drawn (ms) | bytes transferred |")
    print("|---|---|---:|---:|---:|")
    for name, result in rows:
        for kind in ("cold", "warm"):
            first, everything, transferred = result[kind]
            print(f"| {name} | {kind} | {first:.0f} | {everything:.0f} | {transferred / 1024:.0f} KB |")


if __name__ == "__main__":
    main()
