"""A Veilig Thuis employee enters a value far from the municipality's own history: the grid flags it, asks for an
explanation, and saves it with the explanation, which stays visible beside the value."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from programme.models import Indicator, Organisation, Region, ReportingPeriod
from reporting.models import Figure, FigureFlag

from .conftest import assert_no_serious_axe_violations, login, screenshot

pytestmark = pytest.mark.browser


def test_grid_flags_an_outlier_and_saves_it_with_an_explanation(page, demo_site):
    region = Region.objects.get(code="zuidoost-brabant")
    helmond = Organisation.objects.get(name="Helmond")
    advice = Indicator.objects.get(code="adviesvragen-vt")
    # Four quarters of history and the one after them, the first of the demo's window (relative to today).
    *history, target = ReportingPeriod.objects.filter(kind="quarter").order_by("start_date")[:5]
    for period, value in zip(history, (400, 420, 380, 410), strict=True):
        Figure.objects.create(indicator=advice, organisation=helmond, source="veilig_thuis", value=Decimal(value),
                              period=period)
    login(page, demo_site, "veiligthuis")
    page.goto(f"{demo_site.url}/cijfers/regio/{region.pk}/invoeren/")
    page.get_by_label("Periode").select_option(label=f"K{target.number} {target.year}")
    page.get_by_role("button", name="Openen").click()
    page.get_by_label("Helmond, Adviesvragen Veilig Thuis").fill("4100")
    page.get_by_role("button", name="Cijfers opslaan").click()
    expect(page.get_by_text("Ligt ver van de eigen eerdere perioden van deze gemeente (mediaan 405)")).to_be_visible()
    assert not Figure.objects.filter(organisation=helmond, period=target, source="veilig_thuis").exists()
    assert_no_serious_axe_violations(page)
    screenshot(page, "quality-grid-outlier")
    page.get_by_label("Toelichting Helmond, Adviesvragen Veilig Thuis").fill("Registratie gewijzigd per 1 januari")
    page.get_by_role("button", name="Cijfers opslaan").click()
    expect(page.get_by_text("1 cijfer opgeslagen.")).to_be_visible()
    expect(page.get_by_label("Helmond, Adviesvragen Veilig Thuis")).to_have_value("4100")
    expect(page.get_by_text("Toegelicht: Registratie gewijzigd per 1 januari")).to_be_visible()
    flag = FigureFlag.objects.get(figure__organisation=helmond)
    assert flag.kind == "outlier" and flag.explanation == "Registratie gewijzigd per 1 januari"
    assert_no_serious_axe_violations(page)
    screenshot(page, "quality-grid-explained")
