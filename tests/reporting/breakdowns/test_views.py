"""Breakdowns by form of violence: permissions, the grid with its total check, the table, chart and exports, and
what leaves the region."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse

from programme.models import ReportingPeriod, ViolenceForm
from reporting.models import Figure, FigureBreakdown, FigureChange

from ...permissions import assert_permissions, client_for

pytestmark = pytest.mark.django_db

REGION_READERS = ("project_leader", "helmond", "eindhoven", "veilig_thuis", "steering_group", "admin")


def q(year, number):
    return ReportingPeriod.objects.get(kind="quarter", year=year, number=number)


def form(name):
    return ViolenceForm.objects.get(name=name)


def add_part(municipality, indicator, period, violence_form, value, source="veilig_thuis"):
    return FigureBreakdown.objects.create(organisation=municipality, indicator=indicator, period=period,
                                          source=source, violence_form=violence_form, value=Decimal(value))


def add_total(municipality, indicator, period, value, source="veilig_thuis"):
    return Figure.objects.create(organisation=municipality, indicator=indicator, period=period, source=source,
                                 value=Decimal(value))


def grid_url(region, indicator, period):
    return (reverse("reporting:breakdown_grid", args=[region.pk])
            + f"?indicator={indicator.pk}&period={period.pk}&source=veilig_thuis")


def test_breakdown_pages_permissions(users, region, periods, indicators):
    readers = [users[k] for k in REGION_READERS] + [users["national"]]
    assert_permissions(reverse("reporting:breakdown_table", args=[region.pk]), allowed=readers, expect=200,
                       outside=[users["other_region"], users["other_project_leader"]], no_role=users["no_role"])
    for fmt in ("csv", "xlsx"):
        assert_permissions(reverse("reporting:breakdown_export", args=[region.pk, fmt]), allowed=readers,
                           expect=200, outside=[users["other_region"]], no_role=users["no_role"])
    assert_permissions(reverse("reporting:breakdown_grid", args=[region.pk]),
                       allowed=[users["veilig_thuis"], users["project_leader"], users["admin"]],
                       expect=200, outside=[users["other_region"]], no_role=users["no_role"],
                       denied=[users["steering_group"], users["national"]])


def test_grid_saves_parts_and_total_and_shows_the_difference(users, region, periods, indicators, municipality):
    advice = indicators["adviesvragen-vt"]
    helmond = municipality("Helmond")
    child, partner = form("Kindermishandeling"), form("(Ex-)partnergeweld")
    url = grid_url(region, advice, q(2023, 1))
    client = client_for(users["veilig_thuis"])
    cells = {f"c-{helmond.pk}-{child.pk}": "200", f"c-{helmond.pk}-{partner.pk}": "150",
             f"c-{helmond.pk}-0": "414"}
    response = client.post(url, {**cells, **{f"v-{name}": "0" for name in cells}})
    assert response.status_code == 302
    assert Figure.objects.get(organisation=helmond, indicator=advice).value == 414
    assert dict(FigureBreakdown.objects.values_list("violence_form__name", "value")) == {
        "Kindermishandeling": 200, "(Ex-)partnergeweld": 150}
    page = client.get(url).content.decode()
    # 414 - (200 + 150): a warning, not a refusal (CBS rounds every cell, so the parts need not add up).
    assert ">350<" in page and ">64</span>" in page and "totaal wijkt af van de som" in page
    # The history holds the parts, with their form of violence, beside the total.
    assert FigureChange.objects.filter(violence_form=child, new_value=200, action="create").count() == 1
    history = client.get(reverse("reporting:figure_history", args=[region.pk])).content.decode()
    assert "Kindermishandeling" in history


def test_grid_refuses_a_bad_part_and_saves_nothing(users, region, periods, indicators, municipality):
    advice = indicators["adviesvragen-vt"]
    helmond = municipality("Helmond")
    child = form("Kindermishandeling")
    bad, total = f"c-{helmond.pk}-{child.pk}", f"c-{helmond.pk}-0"
    response = client_for(users["veilig_thuis"]).post(
        grid_url(region, advice, q(2023, 1)), {bad: "-3", f"v-{bad}": "0", total: "10", f"v-{total}": "0"})
    assert response.status_code == 200 and "niets opgeslagen" in response.content.decode()
    assert not FigureBreakdown.objects.exists() and not Figure.objects.exists()


def test_grid_conflict_on_a_part_saves_nothing(users, region, periods, indicators, municipality):
    advice = indicators["adviesvragen-vt"]
    helmond = municipality("Helmond")
    child = form("Kindermishandeling")
    part = add_part(helmond, advice, q(2023, 1), child, 20)
    FigureBreakdown.objects.filter(pk=part.pk).update(value=21, version=2)  # someone else saved meanwhile
    cell, total = f"c-{helmond.pk}-{child.pk}", f"c-{helmond.pk}-0"
    response = client_for(users["veilig_thuis"]).post(grid_url(region, advice, q(2023, 1)), {
        cell: "25", f"o-{cell}": "20", f"v-{cell}": "1", total: "30", f"v-{total}": "0"})
    page = response.content.decode()
    assert response.status_code == 200 and "Gewijzigd door iemand anders; nu opgeslagen: 21" in page
    assert FigureBreakdown.objects.get().value == 21 and not Figure.objects.exists()


def test_municipal_adviser_enters_no_veilig_thuis_breakdown(users, region, periods, indicators, municipality):
    advice = indicators["adviesvragen-vt"]
    url = grid_url(region, advice, q(2023, 1)).replace("source=veilig_thuis", "source=municipality")
    # Helmond's adviser supplies no Veilig Thuis indicator: the grid falls back to the indicators they do enter.
    page = client_for(users["helmond"]).get(url).content.decode()
    assert "Adviesvragen Veilig Thuis per vorm van geweld" not in page


def test_table_chart_and_check_inside_the_region(users, region, periods, indicators, municipality):
    advice = indicators["adviesvragen-vt"]
    helmond, asten = municipality("Helmond"), municipality("Asten")
    child, elder = form("Kindermishandeling"), form("Ouderenmishandeling")
    add_total(helmond, advice, q(2023, 1), 414)
    add_part(helmond, advice, q(2023, 1), child, 300)
    add_part(helmond, advice, q(2023, 1), elder, 112)
    add_part(asten, advice, q(2023, 1), elder, 3)
    url = reverse("reporting:breakdown_table", args=[region.pk])
    page = client_for(users["steering_group"]).get(
        url, {"indicator": advice.pk, "period": q(2023, 1).pk}).content.decode()
    assert "Ouderenmishandeling" in page and ">112<" in page and ">3<" in page
    assert ">115<" in page  # Ouderenmishandeling over the region
    assert '<span class="text-danger">2</span>' in page  # 414 - 412
    assert 'id="chart-breakdown"' in page
    assert "Mensenhandel" not in page  # forms without figures take no column


def test_outside_the_region_parts_are_rounded_and_the_check_is_not_shown(users, region, periods, indicators,
                                                                         municipality):
    advice = indicators["adviesvragen-vt"]
    helmond = municipality("Helmond")
    child, elder = form("Kindermishandeling"), form("Ouderenmishandeling")
    add_total(helmond, advice, q(2023, 1), 414)
    add_part(helmond, advice, q(2023, 1), child, 411)
    add_part(helmond, advice, q(2023, 1), elder, 3)
    params = {"indicator": advice.pk, "period": q(2023, 1).pk}
    url = reverse("reporting:breakdown_table", args=[region.pk])
    outside = client_for(users["national"]).get(url, params).content.decode()
    # 3 shows as <5; 411 and 414 as 410 and 415; the exact difference 0 (which with 414 and 411 would pin the 3)
    # is not shown, nor any exact value.
    assert "&lt;5" in outside and ">410<" in outside and ">415<" in outside
    assert ">3<" not in outside and ">411<" not in outside and ">414<" not in outside
    assert "Totaal min de som van de vormen" not in outside
    export = client_for(users["national"]).get(
        reverse("reporting:breakdown_export", args=[region.pk, "csv"]), params).content.decode("utf-8-sig")
    assert "<5" in export and ";3;" not in export and ";411;" not in export and ";414;" not in export
    # The region's own public download obeys the same rule.
    public = client_for(users["steering_group"]).get(
        reverse("reporting:breakdown_export", args=[region.pk, "csv"]), {**params, "public": "1"})
    assert ";3;" not in public.content.decode("utf-8-sig") and "<5" in public.content.decode("utf-8-sig")


def test_excel_export_has_the_parts(users, region, periods, indicators, municipality):
    from openpyxl import load_workbook

    advice = indicators["adviesvragen-vt"]
    add_part(municipality("Helmond"), advice, q(2023, 1), form("Stalking"), 12)
    response = client_for(users["steering_group"]).get(
        reverse("reporting:breakdown_export", args=[region.pk, "xlsx"]),
        {"indicator": advice.pk, "period": q(2023, 1).pk})
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert ("Helmond", "GM0794", "2023KW01", "adviesvragen-vt", "registratie Veilig Thuis", "Stalking", 12, None) in [
        tuple(r) for r in rows]
