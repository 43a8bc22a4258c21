"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Never a downloaded browser. Without Chromium the browser tests skip locally, but fail in CI.
"""

import logging
import os
import shutil

import pytest
from django.core.management import call_command

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = os.path.join(os.path.dirname(__file__), "..", "..", "test-artifacts")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)
            # An exception in a thread of the live server is a failure of the test that caused it, not a warning.
            item.add_marker(pytest.mark.filterwarnings("error::pytest.PytestUnhandledThreadExceptionWarning"))


class _ServerErrors(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(autouse=True)
def no_server_errors():
    """Fail the test if the live server logged an error (a 500, or an exception while handling a request)."""
    handler = _ServerErrors()
    loggers = [logging.getLogger(name) for name in ("django.request", "django.server")]
    for logger in loggers:
        logger.addHandler(handler)
    try:
        yield
    finally:
        for logger in loggers:
            logger.removeHandler(handler)
    errors = [f"{record.name}: {record.getMessage()}" for record in handler.records]
    assert not errors, f"the live server logged errors: {errors}"


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args, live_server):
    # The live server is started before the browser so that it stops after it: the other way round, the request
    # threads of the browser's kept-alive connections end after the server gave its SQLite connection back, and
    # each raised "DatabaseWrapper objects created in a thread can only be used in that same thread".
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("Chromium is missing in CI: apt-get install --no-install-recommends chromium")
        pytest.skip("Chromium is not installed (apt-get install --no-install-recommends chromium)")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
        ],
    }


@pytest.fixture
def demo_site(transactional_db, live_server):
    """The live server with the reference data and the demo users loaded."""
    os.environ["GHNT_ALLOW_DEMO_DATA"] = "1"
    with open(os.devnull, "w") as devnull:
        call_command("load_demo_data", "--quiet-logins", stdout=devnull)
    return live_server


def login(page, live_server, username, password="demo-GHNT-2026"):
    page.goto(f"{live_server.url}/inloggen/")
    page.get_by_label("Gebruikersnaam").fill(username)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(f"{live_server.url}/")


def assert_no_serious_axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    serious = [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]
    details = [(v["id"], v["help"], [n["target"] for n in v["nodes"]][:3]) for v in serious]
    assert not serious, f"axe-core found serious or critical violations on {page.url}: {details}"


def screenshot(page, name):
    os.makedirs(SCREENSHOTS, exist_ok=True)
    page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)
