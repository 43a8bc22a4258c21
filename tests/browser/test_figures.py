"""A Veilig Thuis employee brings figures in by file through the real pages, and sees them in the grid."""

import pytest
from playwright.sync_api import expect

from programme import calendar
from programme.models import Region
from reporting.demo.figures import demo_quarters

from .conftest import assert_no_serious_axe_violations, login, screenshot

pytestmark = pytest.mark.browser

CSV = (
    '\ufeff"RegioS";"Perioden";"Adviesvragen Veilig Thuis";"Meldingen Veilig Thuis"\r\n'
    '"GM0794    ";"{code}";"414";"340"\r\n'
    '"GM0772    ";"{code}";"1.020";"."\r\n'
    '"NL01      ";"{code}";"60000";"50000"\r\n'
)


def _window():
    """The demo's window of quarters, relative to today (the last twelve complete quarters)."""
    return demo_quarters(calendar.today())[-12:]


def test_veilig_thuis_imports_a_csv_and_sees_it_in_the_grid(page, demo_site, tmp_path):
    year, quarter = _window()[0]  # a quarter of the demo's window, in CBS's period code
    code = f"{year}KW{quarter:02d}"
    path = tmp_path / f"veilig-thuis-{code}.csv"
    path.write_text(CSV.format(code=code), encoding="utf-8")
    login(page, demo_site, "veiligthuis")
    due = calendar.quarter_due()
    expect(page.get_by_role("heading", name=f"Aan te leveren cijfers over K{due.number} {due.year}")).to_be_visible()
    page.get_by_role("link", name="Bestand importeren").first.click()
    expect(page.get_by_role("heading", name="Bestand importeren")).to_be_visible()
    assert_no_serious_axe_violations(page)
    screenshot(page, "figures-import-upload")
    page.locator("#id_file").set_input_files(str(path))
    page.get_by_role("button", name="Uploaden").click()
    expect(page.get_by_role("heading", name=f"Kolommen koppelen van veilig-thuis-{code}.csv")).to_be_visible()
    # The CBS-style headers are recognised: municipality, period and a column per indicator.
    expect(page.get_by_label("Gemeente (CBS-code of naam)")).to_have_value("RegioS")
    expect(page.get_by_label("Kolom met 'Meldingen Veilig Thuis'")).to_have_value("Meldingen Veilig Thuis")
    assert_no_serious_axe_violations(page)
    page.get_by_role("button", name="Voorbeeld tonen").click()
    expect(page.get_by_role("heading", name=f"Import van veilig-thuis-{code}.csv")).to_be_visible()
    expect(page.get_by_role("link", name="Nieuw: 4")).to_be_visible()
    expect(page.get_by_role("link", name="Geen gemeente: 2")).to_be_visible()
    expect(page.get_by_role("cell", name="Helmond")).to_have_count(2)
    assert_no_serious_axe_violations(page)
    screenshot(page, "figures-import-preview")
    page.get_by_role("button", name="Bevestigen: 4 nieuwe en 0 gewijzigde cijfers").click()
    expect(page.get_by_text("De cijfers zijn geïmporteerd.")).to_be_visible()
    region = Region.objects.get(code="zuidoost-brabant")
    page.goto(f"{demo_site.url}/cijfers/regio/{region.pk}/invoeren/")
    page.get_by_label("Periode").select_option(label=f"K{quarter} {year}")
    page.get_by_role("button", name="Openen").click()
    expect(page.get_by_label("Helmond, Adviesvragen Veilig Thuis")).to_have_value("414")
    expect(page.get_by_label("Helmond, Meldingen Veilig Thuis")).to_have_value("340")
    expect(page.get_by_label("Eindhoven, Adviesvragen Veilig Thuis")).to_have_value("1020")
    expect(page.get_by_label("Eindhoven, Meldingen Veilig Thuis")).to_have_value("n.b.")
    assert_no_serious_axe_violations(page)
    screenshot(page, "figures-grid")
    # A bad cell saves nothing and says why, in Dutch, next to the cell.
    page.get_by_label("Asten, Adviesvragen Veilig Thuis").fill("2,5")
    page.get_by_label("Best, Adviesvragen Veilig Thuis").fill("31")
    page.get_by_role("button", name="Cijfers opslaan").click()
    expect(page.get_by_text("Een aantal is een geheel getal van 0 of meer.")).to_be_visible()
    assert_no_serious_axe_violations(page)
    screenshot(page, "figures-grid-error")


def test_national_team_sees_small_numbers_hidden_and_the_rest_rounded(page, demo_site):
    login(page, demo_site, "landelijk")
    page.get_by_role("link", name="Cijfers").first.click()
    page.get_by_label("Indicator").select_option(label="Meldingen Veilig Thuis")
    year, quarter = _window()[-3]  # where the demo gives Reusel-De Mierden 3 reports
    page.get_by_label("Periode").select_option(label=f"K{quarter} {year}")
    page.get_by_role("button", name="Tonen").click()
    row = page.get_by_role("row", name="Reusel-De Mierden")
    expect(row).to_contain_text("<5")
    expect(page.get_by_text("Buiten de regio is elk aantal afgerond op een veelvoud van 5")).to_be_visible()
    # The region total is not hidden any more: rounded to a multiple of five, it gives no small count away.
    total = page.get_by_role("row", name="Totaal regio").get_by_role("cell").first.inner_text()
    assert total.replace(".", "").isdecimal() and int(total.replace(".", "")) % 5 == 0, total
    assert_no_serious_axe_violations(page)
    screenshot(page, "figures-table-national")
