"""Figures by form of violence in the browser: the table with its chart, and the grid that checks the total."""

import pytest
from playwright.sync_api import expect

from .conftest import login, screenshot
from .test_accessibility_sweep import _violations

pytestmark = pytest.mark.browser


def test_veilig_thuis_reads_and_enters_figures_by_form_of_violence(page, demo_site):
    login(page, demo_site, "veiligthuis")
    page.get_by_role("link", name="Cijfers", exact=True).first.click()
    page.get_by_role("link", name="Per vorm van geweld").click()
    expect(page.get_by_role("heading", name="Cijfers per vorm van geweld, Zuidoost-Brabant")).to_be_visible()
    expect(page.get_by_role("columnheader", name="Kindermishandeling").first).to_be_visible()
    expect(page.locator("#chart-breakdown .main-svg").first).to_be_attached()
    assert _violations(page) == []
    screenshot(page, "breakdown-table")
    page.get_by_role("link", name="Cijfers per vorm van geweld invoeren").click()
    expect(page.get_by_role("heading", name="per vorm van geweld invoeren")).to_be_visible()
    page.get_by_label("Asten, Stalking").fill("7")
    page.get_by_label("Asten, Loverboys").fill("2")
    page.get_by_label("Asten, Totaal").fill("10")
    page.get_by_role("button", name="Cijfers opslaan").click()
    expect(page.get_by_text("3 cijfers opgeslagen.")).to_be_visible()
    expect(page.get_by_label("Asten, Stalking")).to_have_value("7")
    # The total beside the parts is checked: a difference is a warning, not a refusal.
    expect(page.get_by_role("row", name="Asten").get_by_text("totaal wijkt af van de som")).to_be_visible()
    assert _violations(page) == []
    screenshot(page, "breakdown-grid")
