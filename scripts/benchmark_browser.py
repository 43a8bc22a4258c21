"""Browser benchmark of the steering dashboard: time until the first screen's charts and until every chart is drawn,
cold and warm browser cache, with bytes transferred, the portal's plotly.js bundle side by side with the full one.

Start the portal under the production settings first (gunicorn + WhiteNoise; see README "Benchmarks"), with the demo
loaded, then:
    .venv/bin/python scripts/benchmark_browser.py http://127.0.0.1:8765 [rounds]
Debian's Chromium through Playwright (never a downloaded browser). "Cold" is a fresh browser context (empty cache,
logged in through the login page first); "warm" is the same page again in that context.

The times are the browser's own: from the start of the navigation (performance.now() is 0 there) until a chart
carries data-chart-ready (set by static/js/charts.js after drawing), recorded inside the page by a MutationObserver.
"First screen" is the last of the charts in the 1280x800 viewport, "all charts" the last of every chart on the page
(static/js/charts.js draws the charts below the first screen itself, one after the other once the first screen is
painted). Nothing is scrolled. The last column is the same "all charts" as Playwright's wall clock sees it
(navigation from a blank page plus polling every 50 ms), which on a loaded machine adds the driver's own delays.
The full bundle is measured by routing the request for plotly-portal.min.js to the full plotly.min.js.
"""

import math
import statistics
import sys
import time

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
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


# Installed before every page's own scripts: the moment each chart is drawn, on the page's own clock.
RECORD_READY = """window.__chartReady = {};
new MutationObserver(function (mutations) {
  mutations.forEach(function (m) { window.__chartReady[m.target.id] = performance.now(); });
}).observe(document, {attributes: true, subtree: true, attributeFilter: ["data-chart-ready"]});"""
TIMES = """() => {
  const charts = Array.from(document.querySelectorAll('[data-chart-source]'));
  const ready = (e) => window.__chartReady[e.id];
  const inView = charts.filter(e => e.getBoundingClientRect().top < window.innerHeight);
  return [Math.max(...inView.map(ready)), Math.max(...charts.map(ready))];
}"""


def one_view(page, url):
    """Load the page; return (ms to first screen drawn, ms to all drawn, wall-clock ms to all drawn, bytes)."""
    # From a blank page: Chromium restores the scroll position when the same page is loaded again.
    page.goto("about:blank")
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    wait_until(page, ALL_DRAWN)
    wall = (time.perf_counter() - start) * 1000
    first, everything = page.evaluate(TIMES)
    # Bytes over the network (0 for what came from the browser's cache): the page and every resource it loaded.
    transferred = page.evaluate("""() => performance.getEntriesByType('navigation')
        .concat(performance.getEntriesByType('resource')).reduce((sum, e) => sum + (e.transferSize || 0), 0)""")
    return first, everything, wall, transferred


def measure(browser, base, full: bool, rounds: int) -> dict:
    results = {"cold": [], "warm": []}
    for _ in range(rounds):
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
        if full:
            # The release's hashed name of the portal's bundle, swapped for the full bundle's original name
            # (WhiteNoise serves both; within a round the browser's cache keeps either).
            context.route("**/vendor/plotly/plotly-portal.min*.js", lambda route: route.continue_(
                url=f"{base}/static/vendor/plotly/plotly.min.js"))
        context.add_init_script(RECORD_READY)
        page = context.new_page()
        page.goto(f"{base}/inloggen/")
        page.get_by_label("Gebruikersnaam").fill("stuurgroep")
        page.get_by_label("Wachtwoord").fill("demo-GHNT-2026")
        page.get_by_role("button", name="Inloggen").click()
        # Until the login has landed on the home page: a login still under way raced the first measured view on a
        # loaded machine (a "cold" view that came from the cache, or times of a document it did not record).
        page.wait_for_url(lambda address: "/inloggen/" not in address)
        page.wait_for_load_state()
        # The region's dashboard, without the redirect, and without loading it (the cache stays cold).
        url = base + page.request.get(f"{base}/dashboard/", max_redirects=0).headers["location"]
        # The login page loaded Bootstrap and the portal's CSS already; plotly.js is only on the dashboards.
        results["cold"].append(one_view(page, url))
        results["warm"].append(one_view(page, url))
        context.close()
    # A view whose charts the page did not time (NaN: rarely, with the routed full bundle on a loaded machine, the
    # check saw every chart drawn within half a second, its ready times unrecorded) is left out, and counted.
    medians = {}
    for kind, runs in results.items():
        timed = [values for values in runs if not math.isnan(values[1])]
        medians[kind] = tuple(statistics.median(values[i] for values in timed) for i in range(4))
        if len(timed) < len(runs):
            print(f"left out {len(runs) - len(timed)} untimed {kind} view(s) of {len(runs)}", file=sys.stderr)
    return medians


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
    print("| plotly.js bundle | cache | first screen drawn (ms) | all charts drawn (ms) "
          "| all charts, driver's clock (ms) | bytes transferred |")
    print("|---|---|---:|---:|---:|---:|")
    for name, result in rows:
        for kind in ("cold", "warm"):
            first, everything, wall, transferred = result[kind]
            print(f"| {name} | {kind} | {first:.0f} | {everything:.0f} | {wall:.0f} | {transferred / 1024:.0f} KB |")


if __name__ == "__main__":
    main()
