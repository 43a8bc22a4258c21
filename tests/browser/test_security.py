"""The Content Security Policy holds in a real browser: plotly draws its chart, and no page breaks the policy."""

import pytest
from playwright.sync_api import expect

from programme.models import Organisation

from .conftest import login

pytestmark = pytest.mark.browser

# Registered before any page script runs (through the browser's devtools, so the policy does not apply to it).
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", function (event) {
  window.__cspViolations.push(event.violatedDirective + " " + (event.blockedURI || "inline") + " "
                              + (event.sourceFile || "") + ":" + event.lineNumber);
});
"""


@pytest.fixture
def watched(page):
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.on("pageerror", lambda error: console.append(f"page error: {error}"))
    page.add_init_script(RECORD_VIOLATIONS)
    return console


def _violations(page, console):
    recorded = page.evaluate("window.__cspViolations || []")
    return recorded + [text for text in console if "Content Security Policy" in text or "page error" in text]


@pytest.mark.urls("tests.browser.csp_pages")
def test_the_policy_is_enforced_and_its_violations_are_seen(page, live_server, watched):
    page.goto(f"{live_server.url}/test/inline-stijl/")
    page.wait_for_load_state("load")
    assert any("style-src" in violation for violation in _violations(page, watched))
    assert page.locator("p").evaluate("p => getComputedStyle(p).color") != "rgb(255, 0, 0)"


@pytest.mark.urls("tests.browser.csp_pages")
def test_plotly_draws_a_chart_without_any_policy_violation(page, demo_site, watched):
    login(page, demo_site, "stuurgroep")
    page.goto(f"{demo_site.url}/test/grafiek/")
    expect(page.locator("#chart-meldingen[data-chart-ready='true']")).to_be_attached(timeout=15000)
    expect(page.locator("#chart-meldingen .main-svg").first).to_be_visible()
    assert page.locator("#chart-meldingen .point, #chart-meldingen .bars path").count() >= 3
    # plotly found the stylesheet instead of injecting a <style> element.
    assert page.locator("style#plotly\\.js-style-global").count() == 0
    modebar = page.locator("#chart-meldingen .modebar")
    assert modebar.count() == 1 and modebar.evaluate("m => getComputedStyle(m).position") == "absolute"
    assert _violations(page, watched) == []


def _visit(page, console, url):
    console.clear()
    response = page.goto(url)
    page.wait_for_load_state("load")
    return response.status, _violations(page, console)


def test_pages_of_every_kind_keep_the_policy(page, demo_site, watched):
    helmond = Organisation.objects.get(name="Helmond")
    region = helmond.region_id
    login(page, demo_site, "projectleider")
    for path in ["/", "/programma/", f"/organisaties/{helmond.pk}/", "/maatregelen/", f"/cijfers/regio/{region}/",
                 f"/cijfers/regio/{region}/invoeren/", "/cijfers/importeren/", "/rapportages/"]:
        assert _visit(page, watched, f"{demo_site.url}{path}") == (200, []), path
    page.get_by_role("button", name="Uitloggen").click()
    login(page, demo_site, "beheerder")
    for path in ["/beheer/", "/beheer/axes/accessattempt/", "/beheer/auth/user/", "/beheer/auth/user/1/change/",
                 "/beheer/otp_totp/totpdevice/"]:
        assert _visit(page, watched, f"{demo_site.url}{path}") == (200, []), path
