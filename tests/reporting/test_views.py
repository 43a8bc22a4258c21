"""Figures pages: the four-case permission test for every view and export, what users see, constant queries."""

import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programme.models import Indicator, Organisation, Programme, ReportingPeriod
from reporting.models import Figure, FigureImport, ImportFormat, ImportRow

from ..permissions import assert_permissions, client_for
from .conftest import LONG, run_import

pytestmark = pytest.mark.django_db

REGION_READERS = ("project_leader", "helmond", "eindhoven", "veilig_thuis", "steering_group", "admin")


def q(year, number, kind="quarter"):
    return ReportingPeriod.objects.get(kind=kind, year=year, number=number)


def add(municipality, indicator, period, value, source="veilig_thuis", status="value"):
    return Figure.objects.create(organisation=municipality, indicator=indicator, period=period, source=source,
                                 status=status, value=None if value is None else Decimal(value))


@pytest.fixture
def an_import(users, region, periods, indicators):
    return run_import(users["veilig_thuis"], region,
                      "gemeente;periode;indicator;waarde\nHelmond;2023KW01;adviesvragen-vt;414\n", mapping=LONG)


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


def test_import_pages_permissions(users, region, an_import):
    detail = reverse("reporting:import_detail", args=[an_import.pk])
    assert_permissions(detail, allowed=[users[k] for k in REGION_READERS], expect=200,
                       outside=[users["other_region"],
                       users["national"]], no_role=users["no_role"])
    assert_permissions(reverse("reporting:import_list"), allowed=[users["helmond"], users["national"]], expect=200,
                       outside=[], no_role=users["no_role"])
    assert_permissions(reverse("reporting:import_upload"), allowed=[users["veilig_thuis"], users["project_leader"]],
                       expect=200, outside=[], denied=[users["steering_group"], users["national"]],
                       no_role=users["no_role"])
    # Undo, confirm, discard and mapping: the uploader or the project leader; others of the region get a 403.
    # Each action gets an import in the state it acts on, and the test checks that it really acted.
    content = "gemeente;periode;indicator;waarde\nHelmond;2023KW0{};adviesvragen-vt;500\n"
    previews = {name: run_import(users["veilig_thuis"], region, content.format(n), mapping=LONG, confirm=False)
                for n, name in enumerate(("import_confirm", "import_discard", "import_mapping"), start=2)}
    for name, figure_import, after in (("import_undo", an_import, "undone"),
                                       ("import_confirm", previews["import_confirm"], "confirmed"),
                                       ("import_discard", previews["import_discard"], "discarded")):
        assert_permissions(reverse(f"reporting:{name}", args=[figure_import.pk]), method="post",
                           allowed=[users["veilig_thuis"]], expect=302,
                           location=reverse("reporting:import_detail", args=[figure_import.pk]),
                           outside=[users["other_region"]],
                           denied=[users["helmond"], users["steering_group"]], no_role=users["no_role"])
        assert FigureImport.objects.get(pk=figure_import.pk).status == after, name
    assert_permissions(reverse("reporting:import_mapping", args=[previews["import_mapping"].pk]),
                       allowed=[users["veilig_thuis"], users["project_leader"]], expect=200,
                       outside=[users["other_region"]], denied=[users["helmond"]], no_role=users["no_role"])


def test_period_and_indicator_pages_permissions(users, periods, indicators):
    period = q(2023, 1)
    everyone = [users[k] for k in REGION_READERS] + [users["national"], users["other_region"]]
    managers = [users["project_leader"], users["other_project_leader"], users["admin"]]
    readers = [users[k] for k in ("helmond", "veilig_thuis", "steering_group", "national")]
    assert_permissions(reverse("reporting:period_list"), allowed=everyone, outside=[], no_role=users["no_role"],
                       expect=200)
    assert_permissions(reverse("reporting:indicator_list"), allowed=everyone, outside=[], no_role=users["no_role"],
                       expect=200)
    # Periods and indicators are one calendar and one list for all regions: no "other region" case exists.
    for url in (reverse("reporting:period_create"), reverse("reporting:period_generate"),
                reverse("reporting:period_update", args=[period.pk]), reverse("reporting:indicator_create"),
                reverse("reporting:indicator_update", args=[indicators["meldingen-vt"].pk])):
        assert_permissions(url, allowed=managers, outside=[], denied=readers, no_role=users["no_role"], expect=200)


def test_project_leader_generates_periods_and_edits_a_deadline(users):
    client = client_for(users["project_leader"])
    response = client.post(reverse("reporting:period_generate"),
                           {"kind": "half_year", "first_year": 2030, "last_year": 2031})
    assert response.status_code == 302
    assert ReportingPeriod.objects.filter(kind="half_year", year__in=[2030, 2031]).count() == 4
    period = ReportingPeriod.objects.get(kind="half_year", year=2030, number=1)
    client.post(reverse("reporting:period_update", args=[period.pk]), {"deadline": "2030-08-15"})
    period.refresh_from_db()
    assert str(period.deadline) == "2030-08-15"
    response = client.post(reverse("reporting:period_create"), {"kind": "half_year", "year": 2030, "number": 3})
    assert "Dit nummer past niet bij de soort periode." in response.content.decode()


def test_project_leader_creates_and_edits_an_indicator(users):
    client = client_for(users["project_leader"])
    data = {"code": "mda-casussen", "name": "Casussen MDA++", "unit": "count", "periodicity": "quarter",
            "aggregation_over_organisations": "sum", "aggregation_over_time": "sum", "higher_is_better": "unknown",
            "supplier_kinds": ["municipality", "safety_house"], "suppress_small_numbers": "on"}
    assert client.post(reverse("reporting:indicator_create"), data).status_code == 302
    indicator = Indicator.objects.get(code="mda-casussen")
    assert indicator.supplier_kinds == ["municipality", "safety_house"] and indicator.suppress_small_numbers
    response = client.post(reverse("reporting:indicator_update", args=[indicator.pk]),
                           {**data, "name": "Casussen", "unit": "percentage", "version": indicator.version})
    assert "Alleen bij aantallen kunnen kleine aantallen worden afgeschermd." in response.content.decode()
    assert Indicator.objects.get(pk=indicator.pk).name == "Casussen MDA++"
    response = client.post(reverse("reporting:indicator_update", args=[indicator.pk]),
                           {**data, "name": "Casussen", "version": indicator.version})
    assert response.status_code == 302 and Indicator.objects.get(pk=indicator.pk).name == "Casussen"


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


def test_import_through_the_pages(users, region, periods, indicators):
    client = client_for(users["veilig_thuis"])
    upload = io.BytesIO(b"\xef\xbb\xbf\"RegioS\";\"Perioden\";\"Adviesvragen Veilig Thuis\"\r\n"
                        b"\"GM0794    \";\"2023KW01\";\"414\"\r\n")
    upload.name = "vt.csv"
    response = client.post(reverse("reporting:import_upload"),
                           {"file": upload, "region": region.pk, "source": "veilig_thuis"})
    figure_import = FigureImport.objects.get()
    assert response["Location"] == reverse("reporting:import_mapping", args=[figure_import.pk])
    page = client.get(response["Location"]).content.decode()
    assert "RegioS" in page
    response = client.post(reverse("reporting:import_mapping", args=[figure_import.pk]), {
        "municipality": "RegioS", "period": "Perioden", "col_adviesvragen-vt": "Adviesvragen Veilig Thuis",
        "save_format_as": "Veilig Thuis kwartaal"})
    assert response.status_code == 302
    page = client.get(reverse("reporting:import_detail", args=[figure_import.pk])).content.decode()
    assert "Bevestigen: 1 nieuwe en 0 gewijzigde cijfers" in page and "Helmond" in page
    client.post(reverse("reporting:import_confirm", args=[figure_import.pk]))
    assert Figure.objects.get().value == 414
    # The saved format maps the next file straight to a preview.
    upload.seek(0)
    response = client.post(reverse("reporting:import_upload"), {
        "file": upload, "region": region.pk, "source": "veilig_thuis",
        "import_format": ImportFormat.objects.get(name="Veilig Thuis kwartaal").pk})
    second = FigureImport.objects.order_by("-pk").first()
    assert response["Location"] == reverse("reporting:import_detail", args=[second.pk])
    assert second.unchanged_count == 1 and ImportRow.objects.filter(figure_import=second).count() == 1


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
