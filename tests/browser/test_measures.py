"""A policy adviser proposes a measure, the project leader accepts it, the adviser reports progress, in Chromium."""

import datetime
import re

import pytest
from django.utils import formats, translation
from playwright.sync_api import expect

from measures.demo import moved, quarters_since_story
from measures.models import Measure
from programme import calendar

from .conftest import assert_no_serious_axe_violations, login, screenshot

pytestmark = pytest.mark.browser

TITLE = "Buurtnetwerk tegen huiselijk geweld in Helmond-Noord"


def test_propose_assess_and_report_progress(browser, demo_site):
    # Dates from the living demo's calendar, so the test holds in any year: the measure runs from the start of last
    # year to the middle of next year, and progress is reported over the last ended quarter.
    quarter = calendar.latest_ended("quarter")
    start, end = datetime.date(quarter.year - 1, 1, 1), datetime.date(quarter.year + 1, 6, 30)
    adviser = browser.new_page()
    login(adviser, demo_site, "helmond")
    adviser.get_by_role("link", name="Maatregelen", exact=True).first.click()
    expect(adviser.get_by_role("heading", name="Maatregelen van de regio")).to_be_visible()
    expect(adviser.get_by_role("link", name="Pilot MDA++")).to_be_visible()
    assert_no_serious_axe_violations(adviser)
    screenshot(adviser, "maatregelen-lijst")

    adviser.get_by_role("link", name="Nieuwe maatregel").first.click()
    assert_no_serious_axe_violations(adviser)
    adviser.get_by_label("Titel").fill(TITLE)
    adviser.get_by_label("Omschrijving").fill("Buurtbewoners en sleutelfiguren leren signalen herkennen.")
    adviser.get_by_label("Actielijn").select_option(label="1. Bewustwording en kennis: de samenleving mobiliseren")
    adviser.get_by_label("1.1 Meer inwoners weten waar ze terecht kunnen bij zorgen over huiselijk geweld").check()
    adviser.get_by_label("Publiekscampagne en voorlichting").check()
    adviser.get_by_label("Contactpersoon", exact=True).fill("Henk de Vries")
    adviser.get_by_label("Begindatum").fill(start.isoformat())
    # First a mistake: the end before the start.
    adviser.get_by_label("Einddatum").fill((start - datetime.timedelta(days=1)).isoformat())
    adviser.get_by_label("Begroot budget (EUR)").fill("20000")
    adviser.get_by_role("button", name="Opslaan").click()
    expect(adviser.get_by_text("De einddatum kan niet voor de begindatum liggen.")).to_be_visible()
    screenshot(adviser, "maatregel-formulier-fout")
    adviser.get_by_label("Einddatum").fill(end.isoformat())
    adviser.get_by_label("Deurne", exact=True).check()
    adviser.get_by_role("button", name="Opslaan").click()
    expect(adviser.get_by_text("De maatregel is opgeslagen als voorstel voor de projectleider.")).to_be_visible()
    expect(adviser.get_by_text("Dit voorstel wacht op de beoordeling door de projectleider.")).to_be_visible()
    assert_no_serious_axe_violations(adviser)
    measure = Measure.objects.get(title=TITLE)
    assert measure.status == "proposed" and measure.owner.name == "Helmond"

    leader = browser.new_page()
    login(leader, demo_site, "projectleider")
    leader.get_by_role("link", name=TITLE).click()
    expect(leader.get_by_role("heading", name="Beoordelen langs de meetlat")).to_be_visible()
    for group in leader.locator("fieldset").first.locator("[id^='div_id_goal_']").all():
        group.get_by_label("Draagt niet bij").check()
    leader.locator("#div_id_goal_{}".format(measure.programme.action_lines.get(number=1).goals.get(code="1.1").pk)) \
        .get_by_label("Draagt sterk bij").check()
    leader.get_by_label("Accepteren").check()
    leader.get_by_label("Motivering").fill("Past bij doel 1.1; haalbaar binnen het budget.")
    assert_no_serious_axe_violations(leader)
    screenshot(leader, "maatregel-beoordelen")
    leader.get_by_role("button", name="Beoordeling opslaan").click()
    expect(leader.get_by_text("De beoordeling is opgeslagen.")).to_be_visible()
    expect(leader.get_by_text("Past bij doel 1.1; haalbaar binnen het budget.")).to_be_visible()

    adviser.reload()
    adviser.get_by_role("link", name="Voortgang melden").click()
    adviser.get_by_label("Rapportageperiode").select_option(label=f"K{quarter.number} {quarter.year}")
    adviser.get_by_role("combobox", name=re.compile(r"^Status")).select_option(label="in uitvoering")
    adviser.get_by_label("Koers").select_option(label="risico")
    adviser.get_by_label("Voortgang (%)").fill("30")
    adviser.get_by_label("Wat er is gebeurd").fill("Drie buurtbijeenkomsten gehouden; werving loopt achter.")
    adviser.get_by_label("Besteed in deze periode (EUR)").fill("5000")
    assert_no_serious_axe_violations(adviser)
    adviser.get_by_role("button", name="Opslaan").click()
    expect(adviser.get_by_text("De voortgangsupdate is opgeslagen.")).to_be_visible()
    expect(adviser.get_by_text("25% van het budget is besteed.")).to_be_visible()
    assert_no_serious_axe_violations(adviser)
    screenshot(adviser, "maatregel-detail")
    measure.refresh_from_db()
    assert (measure.status, measure.health, measure.progress) == ("in_progress", "at_risk", 30)

    adviser.get_by_role("link", name="Geschiedenis").click()
    expect(adviser.get_by_role("heading", name="Geschiedenis van wijzigingen")).to_be_visible()
    assert_no_serious_axe_violations(adviser)
    screenshot(adviser, "maatregel-geschiedenis")


def test_mda_phases_and_funding_are_readable(page, demo_site):
    login(page, demo_site, "stuurgroep")
    page.goto(f"{demo_site.url}/maatregelen/?q=MDA")
    page.get_by_role("link", name="Pilot MDA++").click()
    # Deurne and Geldrop-Mierlo joined a year after the start; the demo's dates move with today.
    joined = moved(datetime.date(2024, 1, 1), quarters_since_story(calendar.today()))
    with translation.override("nl"):
        expect(page.get_by_text(f"Fase 3: {formats.date_format(joined, 'j F Y')}")).to_be_visible()
    assert_no_serious_axe_violations(page)
    screenshot(page, "pilot-mda")
    page.goto(f"{demo_site.url}/financiering/")
    expect(page.get_by_role("heading", name="Financiering van regio Zuidoost-Brabant")).to_be_visible()
    assert_no_serious_axe_violations(page)
    screenshot(page, "financiering")


def test_the_measure_form_offers_only_goals_and_themes_of_the_chosen_action_line(page, demo_site):
    """Its help text said so, but all goals and themes were offered (and refused only on save)."""
    login(page, demo_site, "helmond")
    page.goto(f"{demo_site.url}/maatregelen/nieuw/")
    goals = page.locator("input[name=goals]")
    total = goals.count()
    page.select_option("select[name=action_line]", index=1)
    line = page.eval_on_selector("select[name=action_line]", "s => s.value")
    visible = page.locator("input[name=goals]:visible")
    assert 0 < visible.count() < total
    for index in range(visible.count()):
        assert visible.nth(index).get_attribute("data-action-line") == line
    assert page.locator("input[name=themes]:visible").count() > 0
