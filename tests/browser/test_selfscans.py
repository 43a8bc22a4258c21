"""The self-scan in the browser: the team fills in and submits, the project leader returns, the team resubmits,
and the heat map shows the team's numbers with a link to its scan; axe finds nothing serious on the way."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from .conftest import assert_no_serious_axe_violations, login, screenshot

pytestmark = pytest.mark.browser

CRITERION = "Het team kent de contactpersoon bij Veilig Thuis"


def _as(browser, live_server, username):
    page = browser.new_context(locale="nl-NL").new_page()
    login(page, live_server, username)
    return page


def test_self_scan_cycle(browser, demo_site):
    year = timezone.localdate().year

    # The Helmond adviser opens this year's scan from the home page, scores a criterion and submits.
    team = _as(browser, demo_site, "helmond")
    expect(team.get_by_role("heading", name=f"Zelfscan {year}")).to_be_visible()
    team.get_by_role("link", name="Open de zelfscan").click()
    assert_no_serious_axe_violations(team)
    team.get_by_role("link", name="Open de scan van Helmond").click()
    scan_url = team.url
    team.get_by_role("link", name="Scan invullen").click()
    team.get_by_label(f"Score: {CRITERION}").select_option("2")
    team.get_by_label(f"Toelichting: {CRITERION}").fill("Nieuwe contactpersoon sinds de zomer.")
    assert_no_serious_axe_violations(team)
    screenshot(team, "zelfscan-invullen")
    team.get_by_role("button", name="Opslaan en indienen").click()
    expect(team.get_by_text("De scan is ingediend.")).to_be_visible()
    expect(team.locator("#scan-status")).to_contain_text("Ingediend")

    # The project leader returns it with a comment.
    leader = _as(browser, demo_site, "projectleider")
    leader.goto(scan_url)
    expect(leader.get_by_text("Nieuwe contactpersoon sinds de zomer.")).to_be_visible()
    assert_no_serious_axe_violations(leader)
    leader.get_by_label("Opmerking voor het team").fill("Licht de score op samenwerking met Veilig Thuis toe.")
    leader.get_by_role("button", name="Scan terugsturen").click()
    expect(leader.get_by_text("De scan is teruggestuurd naar het team.")).to_be_visible()

    # The team sees the comment, changes the score and submits again.
    team.goto(scan_url)
    expect(team.get_by_role("heading", name="Teruggestuurd door de projectleider")).to_be_visible()
    team.get_by_role("link", name="Scan invullen").click()
    team.get_by_label(f"Score: {CRITERION}").select_option("3")
    team.get_by_role("button", name="Opslaan en indienen").click()
    expect(team.get_by_text("De scan is ingediend.")).to_be_visible()

    # The heat map now counts Helmond and links to its scan.
    leader.get_by_role("link", name=f"Zelfscan {year}").click()
    expect(leader.get_by_role("heading", name="Gemiddelde score per gemeente en thema")).to_be_visible()
    expect(leader.locator("#chart-heat[data-chart-ready='true']")).to_have_count(1)
    row = leader.get_by_role("row").filter(has=leader.get_by_role("link", name="Helmond", exact=True))
    expect(row).to_have_count(1)
    assert_no_serious_axe_violations(leader)
    screenshot(leader, "zelfscan-heatmap")
    row.get_by_role("link", name="Helmond", exact=True).click()
    expect(leader.get_by_text("Nieuwe contactpersoon sinds de zomer.")).to_be_visible()
