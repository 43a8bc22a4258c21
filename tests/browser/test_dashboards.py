"""The steering group runs its meeting from the dashboard; a municipality and the national team have theirs."""

import re

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from programme import calendar
from reporting.models import ProgressReport

from .conftest import assert_no_serious_axe_violations, login, screenshot

pytestmark = pytest.mark.browser


def _charts_drawn(page):
    """Every chart on the page was drawn by plotly (charts.js marks it), none left empty."""
    charts = page.locator("[data-chart-source]")
    count = charts.count()
    assert count > 0
    for index in range(count):
        # Charts below the first screen are drawn when they come into view: scroll to each.
        charts.nth(index).scroll_into_view_if_needed()
        expect(charts.nth(index)).to_have_attribute("data-chart-ready", "true", timeout=15000)


def _default_window(today):
    """Labels of the first and last of the twelve quarters up to the last one ended before `today`."""
    index = today.year * 4 + (today.month - 1) // 3 - 1  # the previous quarter, counted from year 0

    def label(i):
        return f"K{i % 4 + 1} {i // 4}"

    return label(index - 11), label(index)


def _trace_names(page, chart_id):
    return page.evaluate(f"document.getElementById('{chart_id}').data.map(t => t.name)")


def test_steering_group_filters_the_dashboard_and_downloads_the_numbers(page, demo_site):
    cache.clear()
    login(page, demo_site, "stuurgroep")
    # The steering group's home page opens with the dashboard.
    expect(page.get_by_role("heading", name="Dashboard Zuidoost-Brabant")).to_be_visible()
    assert_no_serious_axe_violations(page)
    page.get_by_role("link", name="Dashboard openen").click()
    expect(page.get_by_role("heading", name="Dashboard Zuidoost-Brabant", level=1)).to_be_visible()
    _charts_drawn(page)
    expect(page.get_by_role("heading", name="Op koers?")).to_be_visible()
    # The default period range is shown in the filter: the last three years with figures, which the living demo
    # has up to the last complete quarter before today.
    first, last = _default_window(calendar.today())
    expect(page.get_by_label("Van", exact=True).locator("option:checked")).to_have_text(first)
    expect(page.get_by_label("Tot en met").locator("option:checked")).to_have_text(last)
    names = _trace_names(page, "chart-meldingen-vt-aantal")
    assert "Asten" in names and "Helmond" in names and len(names) == 22  # 21 municipalities and the region
    table = page.get_by_role("table", name="Cijfers van de grafiek: Meldingen Veilig Thuis per kwartaal")
    # 21 municipalities: the table is turned a quarter, a row per municipality, so every column fits.
    expect(table.get_by_role("rowheader", name="Asten")).to_be_visible()
    assert_no_serious_axe_violations(page)
    screenshot(page, "dashboard-steering-group")

    # A filter: one municipality against the region.
    page.get_by_label("Gemeente").select_option(label="Helmond")
    page.get_by_role("button", name="Toepassen").click()
    expect(page).to_have_url(re.compile(r"municipality=\d+"))
    _charts_drawn(page)
    assert _trace_names(page, "chart-meldingen-vt-aantal") == [
        "Helmond", "Gemiddelde per gemeente van Zuidoost-Brabant"]
    expect(table.get_by_role("columnheader", name="Asten")).to_have_count(0)
    expect(table.get_by_role("columnheader", name="Helmond")).to_be_visible()
    expect(page.get_by_label("Gemeente").locator("option:checked")).to_have_text("Helmond")

    # The CSV holds exactly the numbers of the table beside the chart.
    with page.expect_download() as info:
        page.get_by_role("link", name="Download de cijfers (CSV) van Meldingen Veilig Thuis per kwartaal",
                         exact=True).click()
    text = open(info.value.path(), encoding="utf-8-sig").read()
    lines = text.splitlines()
    assert lines[0] == "Kwartaal;Helmond;Gemiddelde per gemeente van Zuidoost-Brabant"
    first_row = table.locator("tbody tr").first
    cells = [first_row.locator("th").inner_text()] + first_row.locator("td").all_inner_texts()
    assert lines[1].split(";") == cells

    # A click on a health bar leads to the measures behind it.
    page.goto(f"{demo_site.url}/dashboard/")
    _charts_drawn(page)
    # The second trace of the health chart is "at risk"; its first bar is action line 1.
    page.locator("#chart-health .trace.bars").nth(1).locator(".point path").first.click(force=True)
    expect(page).to_have_url(re.compile(r"/maatregelen/\?action_line=\d+&health=at_risk"))
    expect(page.get_by_role("heading", name="Maatregelen", level=1)).to_be_visible()

    # The municipality page, for a council information letter.
    page.goto(f"{demo_site.url}/dashboard/")
    page.get_by_role("link", name="Helmond", exact=True).click()
    expect(page.get_by_role("heading", name="Helmond: hoe staat de aanpak ervoor")).to_be_visible()
    _charts_drawn(page)
    expect(page.get_by_role("heading", name="Gefaseerde maatregelen: sinds wanneer")).to_be_visible()
    expect(page.get_by_role("button", name="Afdrukken of opslaan als pdf")).to_be_visible()
    assert_no_serious_axe_violations(page)
    screenshot(page, "dashboard-municipality")


def test_national_team_compares_the_regions(page, demo_site):
    cache.clear()
    login(page, demo_site, "landelijk")
    page.get_by_role("link", name="Landelijk overzicht").click()
    expect(page.get_by_role("heading", name="Landelijk overzicht", level=1)).to_be_visible()
    _charts_drawn(page)
    # The figures per 1,000 inhabitants are drawn as bars: a bar trace with regions and numbers, and
    # its bars in the SVG. Rates pass through the disclosure step, which must not blank them.
    bars = page.evaluate("""Array.from(document.getElementById('chart-per-1000').data)
        .filter(t => t.type === 'bar').map(t => ({y: t.y, x: t.x}))""")
    assert bars and all(trace["y"] for trace in bars)
    assert any(isinstance(value, int | float) for trace in bars for value in trace["x"])
    assert page.locator("#chart-per-1000 .trace.bars .point path").count() > 0
    # The demo's approved report covers the newest quarter whose deadline has passed.
    approved = ProgressReport.objects.get(status="approved").period
    label = f"K{approved.number} {approved.year}"
    expect(page.get_by_role("link", name=f"Rapportage {label} van Zuidoost-Brabant")).to_be_visible()
    assert_no_serious_axe_violations(page)
    screenshot(page, "dashboard-national")
    page.get_by_role("link", name=f"Rapportage {label} van Zuidoost-Brabant").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(label)


READABILITY = """() => {
    const clipped = [];
    document.querySelectorAll('.chart-table-scroll').forEach(box => {
        if (box.scrollWidth > box.clientWidth + 1) { clipped.push(box.closest('section').id); }
        box.querySelectorAll('th, td').forEach(cell => {
            if (cell.scrollWidth > cell.clientWidth + 1) { clipped.push(cell.textContent); }
        });
    });
    const legends = [];
    document.querySelectorAll('[data-chart-source]').forEach(chart => {
        const frame = chart.getBoundingClientRect();
        const entries = chart.querySelectorAll('.legend .traces');
        let outside = 0;
        entries.forEach(entry => {
            const box = entry.getBoundingClientRect();
            if (box.left < frame.left - 1 || box.right > frame.right + 1 || box.top < frame.top - 1
                || box.bottom > frame.bottom + 1) { outside += 1; }
        });
        legends.push({id: chart.id, traces: chart.data.filter(t => t.showlegend !== false).length,
                      entries: entries.length, outside: outside});
        // Category labels beside the plot (action lines, measures) whole within the chart, none over the plot.
        const plot = chart.querySelector('.nsewdrag').getBoundingClientRect();
        chart.querySelectorAll('.ytick text').forEach(label => {
            const box = label.getBoundingClientRect();
            if (box.left < frame.left - 1 || box.right > plot.left + 1) { clipped.push(label.textContent); }
        });
    });
    return {clipped, legends};
}"""


@pytest.mark.parametrize("width", [1280, 640], ids=["1280px", "zoom-200"])
def test_steering_dashboard_with_21_municipalities_is_readable(page, demo_site, width):
    """Every legend entry visible, no clipped table column or axis label, full labels in the CSV; 640 CSS pixels
    is a 1280 px window at 200% zoom."""
    cache.clear()
    page.set_viewport_size({"width": width, "height": 900})
    login(page, demo_site, "stuurgroep")
    page.goto(f"{demo_site.url}/dashboard/")
    _charts_drawn(page)
    assert len(_trace_names(page, "chart-meldingen-vt-aantal")) == 22  # 21 municipalities and the region
    found = page.evaluate(READABILITY)
    assert found["clipped"] == []
    for legend in found["legends"]:
        if legend["id"] == "chart-tijdlijn":
            continue  # its legend is the action lines; the table beside it names each measure
        assert legend["entries"] == legend["traces"] and legend["outside"] == 0, legend
    screenshot(page, f"dashboard-steering-readable-{width}")
    with page.expect_download() as info:
        page.get_by_role("link", name="Download de cijfers (CSV) van Maatregelen per actielijn: op koers, risico, "
                         "uit koers", exact=True).click()
    text = open(info.value.path(), encoding="utf-8-sig").read()
    assert "…" not in text and "Sterke integrale samenwerking" in text
