"""Figures pages: the four-case permission test for every view and export, what users see, constant queries."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programme.models import Organisation, Programme, ReportingPeriod
from reporting.models import Figure

from ...permissions import assert_permissions, client_for

pytestmark = pytest.mark.django_db


REGION_READERS = ("project_leader", "helmond", "eindhoven", "veilig_thuis", "steering_group", "admin")


def q(year, number, kind="quarter"):
    return ReportingPeriod.objects.get(kind=kind, year=year, number=number)


def add(municipality, indicator, period, value, source="veilig_thuis", status="value"):
    return Figure.objects.create(organisation=municipality, indicator=indicator, period=period, source=source,
                                 status=status, value=None if value is None else Decimal(value))


def test_figure_pages_permissions(users, region, periods, indicators):
    readers = [users[k] for k in REGION_READERS] + [users["national"]]
    for name in ("figure_table",):
        assert_permissions(reverse(f"reporting:{name}", args=[region.pk]), allowed=readers, expect=200,
                           outside=[users["other_region"], users["other_project_leader"]], no_role=users["no_role"])
    for fmt in ("csv", "xlsx"):
        assert_permissions(reverse("reporting:figure_export", args=[region.pk, fmt]), allowed=readers, expect=200,
                           outside=[users["other_region"]], no_role=users["no_role"])
    assert_permissions(reverse("reporting:figure_history", args=[region.pk]),
                       allowed=[users[k] for k in REGION_READERS], expect=200,
                       outside=[users["other_region"], users["national"]], no_role=users["no_role"])
    assert_permissions(reverse("reporting:figure_grid", args=[region.pk]),
                       allowed=[users["veilig_thuis"], users["project_leader"], users["admin"], users["eindhoven"]],
                       expect=200, outside=[users["other_region"]], no_role=users["no_role"],
                       denied=[users["steering_group"], users["national"]])
    # The figures menu item leads each reader to the table of their own region (the administrator to the first).
    assert_permissions(reverse("reporting:figures_home"), allowed=[users[k] for k in REGION_READERS[:-1]],
                       expect=302, location=reverse("reporting:figure_table", args=[region.pk]), outside=[],
                       no_role=users["no_role"])
    assert_permissions(reverse("reporting:figures_home"), allowed=[users["national"], users["admin"]], expect=302,
                       location="/cijfers/regio/", outside=[], no_role=users["no_role"])


def test_table_shows_values_rates_and_region_total(users, region, periods, indicators, municipality):
    advice = indicators["adviesvragen-vt"]
    add(municipality("Helmond"), advice, q(2023, 1), 414)
    add(municipality("Eindhoven"), advice, q(2023, 1), 900)
    add(municipality("Asten"), advice, q(2023, 1), None, status="not_available")
    url = reverse("reporting:figure_table", args=[region.pk])
    page = client_for(users["helmond"]).get(url, {"period": q(2023, 1).pk, "indicator": advice.pk}).content.decode()
    assert "414" in page and "900" in page and "n.b." in page
    assert "4,55" in page  # 414 per 1,000 of Helmond's 90,911 inhabitants
    assert "1.314" in page and "2 van 21 gemeenten" in page  # the total is computed, never typed


def test_outside_the_region_small_numbers_and_revealing_totals_are_hidden(users, region, periods, indicators,
                                                                          municipality):
    advice = indicators["adviesvragen-vt"]
    add(municipality("Helmond"), advice, q(2023, 1), 414)
    add(municipality("Eindhoven"), advice, q(2023, 1), 900)
    add(municipality("Asten"), advice, q(2023, 1), 3)
    params = {"period": q(2023, 1).pk, "indicator": advice.pk}
    url = reverse("reporting:figure_table", args=[region.pk])
    inside = client_for(users["steering_group"]).get(url, params).content.decode()
    assert "1.317" in inside and ">3<" in inside
    outside = client_for(users["national"]).get(url, params).content.decode()
    assert "&lt;5" in outside and ">3<" not in outside
    # Outside the region every count is rounded to fives, the total from the exact 1,317: 414 minus nothing,
    # 1,315 minus 415 and 900 tells nothing about Asten.
    assert "1.317" not in outside and "439" not in outside and ">414<" not in outside
    assert ">415<" in outside and ">900<" in outside and "1.315" in outside
    for fmt in ("csv", "xlsx"):
        response = client_for(users["national"]).get(reverse("reporting:figure_export", args=[region.pk, fmt]), params)
        cells = _export_cells(response, fmt)
        asten = next(row for row in cells if row[0] == "Asten")
        assert asten[5] == "<5" and asten[8] in ("", None)
        assert not any(str(v) in ("1317", "1.317", "3", "414") for row in cells for v in row[5:6] + row[8:9]), cells
        helmond = next(row for row in cells if row[0] == "Helmond")
        assert str(helmond[5]) == "415" and str(cells[-1][5]) == "1315", cells
    # A region member's export meant for outside the region hides them too.
    public = client_for(users["project_leader"]).get(reverse("reporting:figure_export", args=[region.pk, "csv"]),
                                                     {**params, "public": "1"})
    assert "<5" in public.content.decode("utf-8-sig") and ";3;" not in public.content.decode("utf-8-sig")
    exact = client_for(users["project_leader"]).get(reverse("reporting:figure_export", args=[region.pk, "csv"]), params)
    assert "Asten;GM0743;2023KW01;adviesvragen-vt;registratie Veilig Thuis;3;" in exact.content.decode("utf-8-sig")


def _export_cells(response, fmt):
    if fmt == "csv":
        import csv
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    from openpyxl import load_workbook
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_exports_neutralise_formulas(users, region, periods, indicators, municipality):
    helmond = municipality("Helmond")
    Organisation.objects.filter(pk=helmond.pk).update(name="=HYPERLINK(\"http://evil\")")
    add(helmond, indicators["adviesvragen-vt"], q(2023, 1), 414)
    params = {"period": q(2023, 1).pk, "indicator": indicators["adviesvragen-vt"].pk}
    for fmt in ("csv", "xlsx"):
        response = client_for(users["project_leader"]).get(
            reverse("reporting:figure_export", args=[region.pk, fmt]), params)
        names = [row[0] for row in _export_cells(response, fmt)]
        assert "'=HYPERLINK(\"http://evil\")" in names


def test_table_and_grid_use_constant_queries(users, region, periods, indicators, municipality):
    advice = indicators["adviesvragen-vt"]
    table = reverse("reporting:figure_table", args=[region.pk])
    grid = reverse("reporting:figure_grid", args=[region.pk])
    params = {"period": q(2023, 1).pk, "indicator": advice.pk}

    def count(url, user):
        client = client_for(user)
        client.get(url, params)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, params).status_code == 200
        return len(ctx)

    small = (count(table, users["national"]), count(grid, users["veilig_thuis"]))
    for m in Organisation.objects.filter(region=region, kind="municipality"):
        for indicator in indicators.values():
            add(m, indicator, q(2023, 1), 12)
    assert (count(table, users["national"]), count(grid, users["veilig_thuis"])) == small


def test_grid_post_saves_and_shows_a_dutch_message_on_a_bad_cell(users, region, periods, indicators, municipality):
    advice, in_time = indicators["adviesvragen-vt"], indicators["binnen-termijn-vt"]
    helmond = municipality("Helmond")
    url = reverse("reporting:figure_grid", args=[region.pk]) + f"?period={q(2023, 1).pk}&source=veilig_thuis"
    client = client_for(users["veilig_thuis"])
    good, bad = f"c-{helmond.pk}-{advice.pk}", f"c-{helmond.pk}-{in_time.pk}"
    response = client.post(url, {good: "414", f"v-{good}": "0", bad: "101", f"v-{bad}": "0"})
    page = response.content.decode()
    assert response.status_code == 200 and "Een percentage ligt tussen 0 en 100." in page
    assert 'value="101"' in page and Figure.objects.count() == 0
    response = client.post(url, {good: "414", f"v-{good}": "0", bad: "87,5", f"v-{bad}": "0"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'value="414"' in page and 'value="87,5"' in page


def test_grid_conflict_shows_the_cell(users, region, periods, indicators, municipality):
    advice = indicators["adviesvragen-vt"]
    helmond = municipality("Helmond")
    add(helmond, advice, q(2023, 1), 400)
    cell = f"c-{helmond.pk}-{advice.pk}"
    url = reverse("reporting:figure_grid", args=[region.pk]) + f"?period={q(2023, 1).pk}&source=veilig_thuis"
    Figure.objects.filter(organisation=helmond).update(value=401, version=2)  # someone else saved meanwhile
    response = client_for(users["veilig_thuis"]).post(url, {cell: "414", f"o-{cell}": "400", f"v-{cell}": "1"})
    page = response.content.decode()
    assert "Gewijzigd door iemand anders; nu opgeslagen: 401" in page and 'value="414"' in page
    assert Figure.objects.get(organisation=helmond).value == 401


def test_goal_shows_latest_year_and_trend(users, region, periods, indicators, municipality):
    advice = indicators["adviesvragen-vt"]
    for year, value in ((2022, 1000), (2023, 1100)):
        for number in range(1, 5):
            add(municipality("Helmond"), advice, q(year, number), value // 4)
    regional = Programme.objects.get(level="regional")
    url = reverse("programme:programme_detail", args=[regional.pk])
    client = client_for(users["steering_group"])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        page = client.get(url).content.decode()
    assert "1.100" in page and "stijging van 10% t.o.v. 2022" in page
    add(municipality("Asten"), advice, q(2023, 1), 2)
    with CaptureQueriesContext(connection) as ctx2:
        client.get(url)
    assert len(ctx2) == len(ctx)
    outside = client_for(users["national"]).get(url).content.decode()
    # Outside the region the year value is rounded to fives (1,102 shows as 1,100), the trend computed from that.
    assert "1.100" in outside and "1.102" not in outside and "stijging van 10% t.o.v. 2022" in outside


def test_home_shows_figures_to_deliver(users, region, periods, indicators):
    page = client_for(users["veilig_thuis"]).get(reverse("home")).content.decode()
    assert "Aan te leveren cijfers over" in page and "van 63 cijfers van Zuidoost-Brabant zijn binnen" in page
    assert "Aan te leveren cijfers" not in client_for(users["steering_group"]).get(reverse("home")).content.decode()


def test_menu_has_figures(users):
    page = client_for(users["national"]).get(reverse("home")).content.decode()
    assert ">Cijfers</a>" in page


def test_history_ignores_what_is_not_an_id_superscripts_included(users, region, periods, indicators):
    """`str.isdigit()` accepts '²' and '³', which int() refuses: the probe's 500. They filter nothing now."""
    client = client_for(users["project_leader"])
    url = reverse("reporting:figure_history", args=[region.pk])
    for param in ("indicator", "municipality", "period"):
        for value in ("²", "³", "١", "-1", "99999999999999999999999"):
            assert client.get(url, {param: value}).status_code == 200, (param, value)


def test_every_menu_link_on_the_figures_pages_opens_for_every_role(users, region, periods, indicators):
    """The national team's Cijfers menu linked to the region's history, a 404 for them."""
    import re

    for name in ("project_leader", "helmond", "veilig_thuis", "steering_group", "national", "admin"):
        client = client_for(users[name])
        page = client.get(reverse("reporting:figure_table", args=[region.pk])).content.decode()
        menu = page[page.index('<nav aria-label="Cijfers"'):]
        menu = menu[: menu.index("</nav>")]
        for href in re.findall(r'href="([^"]+)"', menu):
            assert client.get(href).status_code in (200, 302), (name, href)
