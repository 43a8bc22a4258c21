"""The lock symbol on the entry grid of an approved period, and a comment added from the grid's comment form."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from programme.models import Region, ReportingPeriod
from reporting.models import PeriodLock

from .conftest import assert_no_serious_axe_violations, login, screenshot

pytestmark = pytest.mark.browser


def test_a_locked_period_shows_its_lock_and_takes_a_comment(page, demo_site):
    region = Region.objects.get(code="zuidoost-brabant")
    # The demo's first quarter (relative to today), as the steering group's approval of its report would have left it.
    q4 = ReportingPeriod.objects.filter(kind="quarter").order_by("start_date").first()
    label = f"K{q4.number} {q4.year}"
    PeriodLock.objects.create(region=region, period=q4, locked_by=get_user_model().objects.get(username="stuurgroep"))
    login(page, demo_site, "veiligthuis")
    page.goto(f"{demo_site.url}/cijfers/regio/{region.pk}/invoeren/?period={q4.pk}")
    notice = page.locator("#lock-notice")
    expect(notice).to_contain_text("Vergrendeld:")
    expect(notice).to_contain_text(f"De cijfers van {label} zijn vergrendeld sinds")
    expect(page.get_by_role("button", name="Cijfers opslaan")).to_have_count(0)
    expect(page.get_by_label("Helmond, Adviesvragen Veilig Thuis")).to_have_attribute("readonly", "")
    assert_no_serious_axe_violations(page)
    screenshot(page, "figures-grid-locked")
    page.get_by_label("Gemeente").select_option(label="Helmond")
    page.get_by_label("Indicator").select_option(label="Adviesvragen Veilig Thuis")
    page.get_by_label("Uw opmerking").fill("Registratie gewijzigd per 1 oktober")
    page.get_by_role("button", name="Opmerking plaatsen").click()
    expect(page.get_by_text(f"Uw opmerking bij Helmond, Adviesvragen Veilig Thuis, {label} is geplaatst.")
           ).to_be_visible()
    marker = page.get_by_role("link", name="opmerking bij Helmond, Adviesvragen Veilig Thuis")
    expect(marker).to_be_visible()
    assert_no_serious_axe_violations(page)
    marker.click()
    expect(page.get_by_role("heading", name="Opmerkingen")).to_be_visible()
    expect(page.get_by_text("Registratie gewijzigd per 1 oktober")).to_be_visible()
    assert_no_serious_axe_violations(page)
    screenshot(page, "figures-comment-thread")
