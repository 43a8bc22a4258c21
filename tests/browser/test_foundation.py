"""A new user logs in through the real login form, in Dutch, and the pages are accessible."""

import pytest
from playwright.sync_api import expect

from programme.models import Programme

from .conftest import assert_no_serious_axe_violations, login, screenshot

pytestmark = pytest.mark.browser


def test_login_page_is_dutch_and_accessible(page, demo_site):
    page.goto(f"{demo_site.url}/inloggen/")
    expect(page.get_by_role("heading", name="Inloggen bij het GHNT-portaal")).to_be_visible()
    assert page.locator("html").get_attribute("lang") == "nl"
    assert_no_serious_axe_violations(page)


def test_project_leader_sees_dutch_home_and_programme(page, demo_site):
    login(page, demo_site, "projectleider")
    expect(page.get_by_role("heading", name="Welkom, Priya Jansen")).to_be_visible()
    expect(page.get_by_role("heading", name="Als projectleider")).to_be_visible()
    assert_no_serious_axe_violations(page)
    screenshot(page, "home-projectleider")
    page.get_by_role("link", name="Open het programma").click()
    expect(page.get_by_role("heading", name="Actielijnen")).to_be_visible()
    expect(page.get_by_role("link", name="Nieuwe actielijn")).to_be_visible()
    assert_no_serious_axe_violations(page)
    screenshot(page, "programma-projectleider")


def test_policy_adviser_reads_but_cannot_edit(page, demo_site):
    login(page, demo_site, "helmond")
    expect(page.get_by_role("heading", name="Als beleidsadviseur of partner")).to_be_visible()
    regional = Programme.objects.get(level="regional")
    page.goto(f"{demo_site.url}/programma/{regional.pk}/")
    expect(page.get_by_text("Alle gemeenten van de regio nemen deel aan de MDA++-aanpak")).to_be_visible()
    expect(page.get_by_role("link", name="Nieuwe actielijn")).to_have_count(0)
    page.get_by_role("link", name="Organisaties").first.click()
    expect(page.get_by_role("cell", name="GM0794")).to_be_visible()
    assert_no_serious_axe_violations(page)


def test_language_switch_to_english_is_remembered(page, demo_site):
    login(page, demo_site, "stuurgroep")
    page.get_by_label("Taal").select_option("en")
    page.get_by_role("button", name="Taal wisselen").click()
    expect(page.get_by_role("heading", name="Welcome, Sander Mulder")).to_be_visible()
    page.reload()
    expect(page.get_by_role("heading", name="Welcome, Sander Mulder")).to_be_visible()
