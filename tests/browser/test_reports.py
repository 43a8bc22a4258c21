"""A quarter's reporting cycle in the browser: write, submit, return, resubmit, approve; the national team reads it."""

import pytest
from playwright.sync_api import expect

from measures.models import Measure
from programme.models import NationalMeasure, Organisation, Programme
from reporting.models import ProgressReport, ReportStatus

from .conftest import assert_no_serious_axe_violations, login, screenshot

pytestmark = pytest.mark.browser


def _measures():
    """The measures the report shows; made here because the measures demo data is built elsewhere."""
    programme = Programme.objects.get(level="regional", region__code="zuidoost-brabant")
    specs = [
        (1, "Publiekscampagne 'Praat erover'", "Eindhoven", "in_progress", "on_track", 60, "1.1"),
        (2, "MDA++ Helmond", "Helmond", "in_progress", "at_risk", 45, "2.1"),
        (3, "Aanpak ouderenmishandeling", "GGD Brabant-Zuidoost", "planned", "on_track", 10, None),
    ]
    for line, title, owner, status, health, progress, national in specs:
        measure, _created = Measure.objects.get_or_create(
            programme=programme, title=title,
            defaults={"action_line": programme.action_lines.get(number=line),
                      "owner": Organisation.objects.get(name=owner), "status": status, "health": health,
                      "progress": progress},
        )
        if national:
            measure.national_measures.set(NationalMeasure.objects.filter(number=national))


def _as(browser, live_server, username):
    page = browser.new_context(locale="nl-NL").new_page()
    login(page, live_server, username)
    return page


def _quarter_to_report() -> str:
    """The quarter the cycle reports on: the one the living demo approved (the newest whose deadline has passed,
    relative to today), its demo report removed first so the project leader can start it."""
    approved = ProgressReport.objects.select_related("period").get(status=ReportStatus.APPROVED)
    period = approved.period
    approved.delete()
    return f"K{period.number} {period.year}"


def test_quarter_reporting_cycle(browser, demo_site):
    _measures()
    url = demo_site.url
    quarter = _quarter_to_report()

    # The project leader starts the report over that quarter, writes it and submits it.
    leader = _as(browser, demo_site, "projectleider")
    leader.get_by_role("link", name="Rapportages").first.click()
    expect(leader.get_by_role("heading", name="Voortgangsrapportages")).to_be_visible()
    assert_no_serious_axe_violations(leader)
    leader.get_by_label("Rapportageperiode").select_option(label=quarter)
    leader.get_by_role("button", name="Rapportage starten").click()
    expect(leader.get_by_role("heading", name=f"Voortgangsrapportage {quarter} schrijven (versie 1)")).to_be_visible()
    expect(leader.get_by_role("cell", name="MDA++ Helmond")).to_be_visible()
    leader.get_by_label("Samenvatting").fill("Het derde kwartaal verliep volgens plan; MDA++ vraagt aandacht.")
    leader.get_by_label("Toelichting op actielijn 2").fill("De wachttijd voor MDA++ is opgelopen.")
    assert_no_serious_axe_violations(leader)
    screenshot(leader, "rapportage-bewerken")
    leader.get_by_role("button", name="Concept opslaan").click()
    expect(leader.get_by_text("Het concept is opgeslagen.")).to_be_visible()
    report_url = leader.url
    leader.get_by_role("button", name="Rapportage indienen").click()
    expect(leader.get_by_text("De rapportage is ingediend bij de stuurgroep.")).to_be_visible()
    expect(leader.get_by_role("link", name="Rapportage bewerken")).to_have_count(0)

    # A steering group member returns it with a comment.
    board = _as(browser, demo_site, "stuurgroep")
    expect(board.get_by_role("heading", name="Rapportages die op uw beoordeling wachten")).to_be_visible()
    board.get_by_role("link", name=f"{quarter}, Zuidoost-Brabant (versie 1)").click()
    expect(board.get_by_text("Het derde kwartaal verliep volgens plan")).to_be_visible()
    assert_no_serious_axe_violations(board)
    board.get_by_role("button", name="Rapportage terugsturen").click()
    expect(board.get_by_text("Geef aan waarom u de rapportage terugstuurt")).to_be_visible()
    board.get_by_label("Toelichting voor de projectleider").fill("Graag ook de aanpak van de wachttijd beschrijven.")
    board.get_by_role("button", name="Rapportage terugsturen").click()
    expect(board.get_by_text("De rapportage is teruggestuurd naar de projectleider.")).to_be_visible()

    # The project leader sees the comment, adds to the report and submits it again.
    leader.goto(report_url)
    expect(leader.get_by_role("heading", name="Teruggestuurd door de stuurgroep")).to_be_visible()
    expect(leader.get_by_text("Graag ook de aanpak van de wachttijd beschrijven.").first).to_be_visible()
    leader.get_by_role("link", name="Rapportage bewerken").click()
    leader.get_by_label("Toelichting op actielijn 2").fill(
        "De wachttijd voor MDA++ is opgelopen; een extra casusregisseur start in oktober.")
    leader.get_by_role("button", name="Concept opslaan").click()
    leader.get_by_role("button", name="Rapportage indienen").click()
    expect(leader.get_by_text("De rapportage is ingediend bij de stuurgroep.")).to_be_visible()

    # The steering group member approves it; the measure changes afterwards, the report does not.
    board.goto(report_url)
    board.get_by_label("Opmerking (niet verplicht)").fill("Akkoord.")
    board.get_by_role("button", name="Rapportage goedkeuren").click()
    expect(board.get_by_text("De rapportage is goedgekeurd.")).to_be_visible()
    Measure.objects.filter(title="MDA++ Helmond").update(progress=95)
    board.reload()
    expect(board.get_by_role("row", name="MDA++ Helmond").get_by_role("cell", name="45%")).to_be_visible()
    history = board.get_by_role("table", name="Wie de rapportage wanneer naar welke status bracht")
    # header + created, submitted, returned, back to draft on the first save, submitted, approved
    expect(history.get_by_role("row")).to_have_count(7)
    screenshot(board, "rapportage-goedgekeurd")

    # The national team sees the approved report, and its print view and questionnaire are accessible.
    national = _as(browser, demo_site, "landelijk")
    expect(national.get_by_role("heading", name="Laatst goedgekeurde rapportages")).to_be_visible()
    national.get_by_role("link", name=f"Zuidoost-Brabant, {quarter}").click()
    expect(national.get_by_role("heading", name=f"Voortgangsrapportage {quarter}")).to_be_visible()
    expect(national.get_by_text("een extra casusregisseur start in oktober")).to_be_visible()
    assert_no_serious_axe_violations(national)
    screenshot(national, "rapportage-landelijk")
    national.get_by_role("link", name="Per landelijke actielijn en thema").click()
    expect(national.get_by_role("heading", name="Thema: Multidisciplinaire aanpak")).to_be_visible()
    assert_no_serious_axe_violations(national)
    screenshot(national, "rapportage-vragenlijst")
    national.goto(report_url + "afdrukken/")
    expect(national.get_by_role("button", name="Afdrukken of opslaan als pdf")).to_be_visible()
    assert_no_serious_axe_violations(national)
    national.emulate_media(media="print")
    screenshot(national, "rapportage-afdrukken")
    national.goto(f"{url}/knelpunten/")
    expect(national.get_by_role("heading", name="Geen toegang")).to_be_visible()


def test_bottleneck_pages_are_accessible(browser, demo_site):
    leader = _as(browser, demo_site, "projectleider")
    leader.get_by_role("link", name="Knelpunten").first.click()
    expect(leader.get_by_role("heading", name="Knelpunten")).to_be_visible()
    leader.get_by_label("Status").select_option(label="geëscaleerd naar de stuurgroep")
    leader.get_by_role("button", name="Filteren").click()
    expect(leader.get_by_role("link", name="Wachttijd voor de MDA++-intake loopt op")).to_be_visible()
    expect(leader.get_by_role("link", name="Scholing meldcode bereikt de kleine gemeenten slecht")).to_have_count(0)
    assert "status=escalated" in leader.url
    assert_no_serious_axe_violations(leader)
    screenshot(leader, "knelpunten")
    leader.get_by_role("link", name="Wachttijd voor de MDA++-intake loopt op").click()
    expect(leader.get_by_role("heading", name="Geschiedenis")).to_be_visible()
    assert_no_serious_axe_violations(leader)
    board = _as(browser, demo_site, "stuurgroep")
    board.goto(leader.url)
    board.get_by_label("Besluit van de stuurgroep").fill("Extra casusregisseur voor zes maanden.")
    board.get_by_role("button", name="Besluit vastleggen").click()
    expect(board.get_by_text("Het besluit is vastgelegd.")).to_be_visible()
    screenshot(board, "knelpunt-besluit")
