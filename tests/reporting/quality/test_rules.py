"""The rules at entry (the grid page) and at import (the preview and confirmation): each rule kind, the outlier rule
on a made-up history, and where a kept flag shows."""

from decimal import Decimal

import pytest
from django.urls import reverse

from programme.models import ReportingPeriod
from reporting.models import Figure, FigureFlag, ImportRow, ImportRowAction, ImportRowFlag
from reporting.quality import outliers

from ...permissions import client_for
from ..conftest import LONG, run_import

pytestmark = pytest.mark.django_db


def q(year, number):
    return ReportingPeriod.objects.get(kind="quarter", year=year, number=number)


def add(municipality, indicator, period, value):
    return Figure.objects.create(organisation=municipality, indicator=indicator, period=period, source="veilig_thuis",
                                 status="value", value=Decimal(value))


def history(municipality, indicator, values, year=2023):
    """Quarters 1-4 of `year` with these values, so Q1 of the next year has a history of four."""
    for number, value in enumerate(values, start=1):
        add(municipality, indicator, q(year, number), value)


def grid_post(client, region, period, cells, explanations=None):
    url = reverse("reporting:figure_grid", args=[region.pk]) + f"?period={period.pk}&source=veilig_thuis"
    data = {}
    for name, text in cells.items():
        data[name] = text
        data[f"v-{name}"] = "0"
    for name, text in (explanations or {}).items():
        data[f"x-{name}"] = text
    return client.post(url, data)


# The rule itself -----------------------------------------------------------------------------------------------


def test_outlier_rule_on_a_made_up_history():
    steady = [Decimal(v) for v in (40, 42, 38, 41)]
    assert not outliers.is_outlier(Decimal(45), steady)
    assert outliers.is_outlier(Decimal(400), steady)
    assert outliers.is_outlier(Decimal(5), steady)
    # A flat history (MAD 0) does not flag every change: the floor is 10% of the median.
    flat = [Decimal(40)] * 4
    assert not outliers.is_outlier(Decimal(53), flat)
    assert outliers.is_outlier(Decimal(55), flat)
    # Tiny numbers: the absolute floor keeps 0, 1, 2 from being outliers of each other.
    assert not outliers.is_outlier(Decimal(3), [Decimal(0), Decimal(1), Decimal(0)])
    # Too little history: no judgement.
    assert not outliers.is_outlier(Decimal(400), [Decimal(40), Decimal(40)])


def test_history_is_the_four_periods_of_the_same_kind_before(periods):
    pairs = outliers.history_periods([q(2024, 1).pk])
    assert sorted(h for _p, h in pairs) == sorted(q(2023, n).pk for n in (1, 2, 3, 4))


# At entry: the grid -------------------------------------------------------------------------------------------


def test_grid_refuses_below_minimum_above_maximum_and_decimals(users, region, periods, indicators, municipality):
    advice, in_time = indicators["adviesvragen-vt"], indicators["binnen-termijn-vt"]
    advice.minimum, advice.maximum = Decimal(10), Decimal(1000)
    advice.save()
    in_time.whole_numbers = True
    in_time.save()
    helmond, asten = municipality("Helmond"), municipality("Asten")
    client = client_for(users["veilig_thuis"])
    low, high, whole = f"c-{helmond.pk}-{advice.pk}", f"c-{asten.pk}-{advice.pk}", f"c-{helmond.pk}-{in_time.pk}"
    response = grid_post(client, region, q(2024, 1), {low: "3", high: "1200", whole: "87,5"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Lager dan het minimum van 10 voor deze indicator." in page
    assert "Hoger dan het maximum van 1.000 voor deze indicator." in page
    assert "Voor deze indicator zijn alleen hele getallen toegestaan." in page
    assert Figure.objects.count() == 0
    response = grid_post(client, region, q(2024, 1), {low: "10", high: "1000", whole: "87"})
    assert response.status_code == 302 and Figure.objects.count() == 3


def test_grid_warns_on_a_part_above_its_total_and_keeps_it_flagged(users, region, periods, indicators,
                                                                   municipality):
    advice, reports = indicators["adviesvragen-vt"], indicators["meldingen-vt"]
    reports.not_above_sum_of.set([advice])
    helmond = municipality("Helmond")
    add(helmond, advice, q(2024, 1), 100)
    client = client_for(users["veilig_thuis"])
    response = grid_post(client, region, q(2024, 1), {f"c-{helmond.pk}-{reports.pk}": "150"})
    assert response.status_code == 302
    figure = Figure.objects.get(indicator=reports)
    assert figure.value == 150
    flag = FigureFlag.objects.get(figure=figure)
    assert flag.kind == "relation" and flag.is_open
    assert "Hoger dan de som van Adviesvragen Veilig Thuis (100)." == flag.message
    # The grid and the table show it beside the value.
    page = client.get(reverse("reporting:figure_grid", args=[region.pk]),
                      {"period": q(2024, 1).pk, "source": "veilig_thuis"}).content.decode()
    assert "Gemarkeerd, zonder toelichting" in page
    # Within the total: no flag.
    grid_post(client, region, q(2024, 2), {f"c-{helmond.pk}-{reports.pk}": "10"})
    assert not FigureFlag.objects.filter(figure__period=q(2024, 2)).exists()


def test_grid_outlier_is_refused_without_explanation_and_kept_with_one(users, region, periods, indicators,
                                                                      municipality):
    advice = indicators["adviesvragen-vt"]
    helmond = municipality("Helmond")
    history(helmond, advice, [40, 42, 38, 41])
    client = client_for(users["veilig_thuis"])
    cell = f"c-{helmond.pk}-{advice.pk}"
    response = grid_post(client, region, q(2024, 1), {cell: "400"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Ligt ver van de eigen eerdere perioden van deze gemeente (mediaan 40,5)" in page
    assert f'name="x-{cell}"' in page
    assert not Figure.objects.filter(period=q(2024, 1)).exists()
    # A normal value needs nothing.
    response = grid_post(client, region, q(2024, 2), {cell: "43"})
    assert response.status_code == 302 and not FigureFlag.objects.exists()
    response = grid_post(client, region, q(2024, 1), {cell: "400"}, {cell: "Registratie gewijzigd per 1 januari"})
    assert response.status_code == 302
    flag = FigureFlag.objects.get(figure__period=q(2024, 1))
    assert flag.kind == "outlier" and flag.explanation == "Registratie gewijzigd per 1 januari"
    assert flag.explained_by == users["veilig_thuis"]
    # The explanation shows in the region's table and its export, never outside the region.
    params = {"period": q(2024, 1).pk, "indicator": advice.pk, "source": "veilig_thuis"}
    table = client_for(users["steering_group"]).get(reverse("reporting:figure_table", args=[region.pk]), params)
    assert "Registratie gewijzigd per 1 januari" in table.content.decode()
    export = client_for(users["project_leader"]).get(reverse("reporting:figure_export", args=[region.pk, "csv"]),
                                                     params)
    assert "Registratie gewijzigd per 1 januari" in export.content.decode("utf-8-sig")
    outside = client_for(users["national"]).get(reverse("reporting:figure_table", args=[region.pk]), params)
    assert "Registratie gewijzigd" not in outside.content.decode()
    # Changing the value again drops the old flag (the new value is judged afresh).
    url = reverse("reporting:figure_grid", args=[region.pk]) + f"?period={q(2024, 1).pk}&source=veilig_thuis"
    version = Figure.objects.get(period=q(2024, 1)).version
    response = client.post(url, {cell: "41", f"o-{cell}": "400", f"v-{cell}": str(version)})
    assert response.status_code == 302
    assert Figure.objects.get(period=q(2024, 1)).value == 41
    assert not FigureFlag.objects.exists()


# At import: the preview and the confirmation -------------------------------------------------------------------


def _csv(lines):
    return "gemeente,periode,indicator,waarde\n" + "\n".join(lines) + "\n"


def test_import_rejects_rows_breaking_minimum_maximum_and_whole_numbers(users, region, periods, indicators,
                                                                          municipality):
    advice, in_time = indicators["adviesvragen-vt"], indicators["binnen-termijn-vt"]
    advice.minimum, advice.maximum = Decimal(10), Decimal(1000)
    advice.save()
    in_time.whole_numbers = True
    in_time.save()
    figure_import = run_import(users["veilig_thuis"], region, _csv([
        "Helmond,2024KW01,adviesvragen-vt,3", "Asten,2024KW01,adviesvragen-vt,1200",
        "Best,2024KW01,binnen-termijn-vt,87.5", "Bladel,2024KW01,adviesvragen-vt,400",
    ]), mapping=LONG, confirm=False)
    assert (figure_import.rejected_count, figure_import.created_count) == (3, 1)
    reasons = dict(ImportRow.objects.filter(figure_import=figure_import, action=ImportRowAction.REJECTED)
                   .values_list("municipality_text", "reason"))
    assert reasons == {"Helmond": "Lager dan het minimum van 10 voor deze indicator.",
                       "Asten": "Hoger dan het maximum van 1.000 voor deze indicator.",
                       "Best": "Voor deze indicator zijn alleen hele getallen toegestaan."}
    # The preview page lists them with the reason; a confirmation leaving them out writes only the valid row.
    page = client_for(users["veilig_thuis"]).get(
        reverse("reporting:import_detail", args=[figure_import.pk]), {"show": "rejected"}).content.decode()
    assert "Lager dan het minimum van 10 voor deze indicator." in page
    response = client_for(users["veilig_thuis"]).post(
        reverse("reporting:import_confirm", args=[figure_import.pk]), {"leave_rejected": "1"})
    assert response.status_code == 302
    assert list(Figure.objects.values_list("organisation__name", "value")) == [("Bladel", Decimal(400))]


def test_import_flags_outliers_and_relations_and_keeps_them_with_the_explanation(users, region, periods, indicators,
                                                                                  municipality):
    advice, reports = indicators["adviesvragen-vt"], indicators["meldingen-vt"]
    reports.not_above_sum_of.set([advice])
    helmond = municipality("Helmond")
    history(helmond, advice, [40, 42, 38, 41])
    # The history may come in the same file: Asten's four quarters of 2023 and a jump in 2024.
    figure_import = run_import(users["veilig_thuis"], region, _csv([
        "Helmond,2024KW01,adviesvragen-vt,400",
        "Helmond,2024KW01,meldingen-vt,500",
        "Asten,2023KW01,adviesvragen-vt,20", "Asten,2023KW02,adviesvragen-vt,22", "Asten,2023KW03,adviesvragen-vt,21",
        "Asten,2023KW04,adviesvragen-vt,19", "Asten,2024KW01,adviesvragen-vt,90",
        "Best,2024KW01,adviesvragen-vt,400",
    ]), mapping=LONG, confirm=False)
    assert (figure_import.rejected_count, figure_import.created_count) == (0, 8)
    client = client_for(users["veilig_thuis"])
    page = client.get(reverse("reporting:import_detail", args=[figure_import.pk])).content.decode()
    assert "3 gemarkeerde rijen" in page
    assert page.count("Ligt ver van de eigen eerdere perioden van deze gemeente.") == 2
    assert "Hoger dan de som van Adviesvragen Veilig Thuis." in page
    response = client.post(reverse("reporting:import_confirm", args=[figure_import.pk]),
                           {"explanation": "Nieuwe registratie"})
    assert response.status_code == 302
    flags = {(f.figure.organisation.name, f.kind): f.explanation for f in FigureFlag.objects.select_related(
        "figure__organisation")}
    assert flags == {("Helmond", "outlier"): "Nieuwe registratie", ("Helmond", "relation"): "Nieuwe registratie",
                     ("Asten", "outlier"): "Nieuwe registratie"}


def test_import_flags_stay_open_without_explanation_and_show_in_the_overview(users, region, periods, indicators,
                                                                              municipality):
    advice = indicators["adviesvragen-vt"]
    helmond = municipality("Helmond")
    history(helmond, advice, [40, 42, 38, 41])
    run_import(users["veilig_thuis"], region, _csv(["Helmond,2024KW01,adviesvragen-vt,400"]), mapping=LONG)
    flag = FigureFlag.objects.get()
    assert flag.is_open
    overview = reverse("reporting:quality_overview", args=[region.pk])
    page = client_for(users["project_leader"]).get(overview, {"period": q(2024, 1).pk}).content.decode()
    assert "Ligt ver van de eigen eerdere perioden van deze gemeente." in page
    explain = reverse("reporting:flag_explain", args=[region.pk, flag.pk])
    assert explain in page
    assert reverse("reporting:figure_grid", args=[region.pk]) + f"?period={q(2024, 1).pk}" in page
    # Explaining it closes it.
    response = client_for(users["veilig_thuis"]).post(explain, {"explanation": "Klopt: campagne in januari"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.explanation == "Klopt: campagne in januari" and not flag.is_open
    page = client_for(users["project_leader"]).get(overview, {"period": q(2024, 1).pk}).content.decode()
    assert explain not in page and "1 markering toegelicht" in page
    # The comment threads of the period are listed too, each linking to its thread.
    from reporting.comments.services import figure_comment_add

    figure_comment_add(region=region, municipality=municipality("Asten"), indicator=advice, period=q(2024, 1),
                       text="Levert later", acting_user=users["project_leader"])
    page = client_for(users["project_leader"]).get(overview, {"period": q(2024, 1).pk}).content.decode()
    assert "Adviesvragen Veilig Thuis: 1" in page and "#opmerkingen" in page


def test_import_with_breakdown_keeps_the_outlier_flag_of_the_total_only(users, region, periods, indicators,
                                                                         municipality):
    # The parts share their total's key but are no figures of the indicator: only the total is measured against its
    # history and keeps its flag (before, each part was flagged too and the confirmation failed on the duplicate).
    advice = indicators["adviesvragen-vt"]
    history(municipality("Helmond"), advice, [40, 42, 38, 41])
    content = ("gemeente,periode,indicator,waarde,geweldsvorm\n"
               "Helmond,2024KW01,adviesvragen-vt,400,\n"
               "Helmond,2024KW01,adviesvragen-vt,300,A049301\n"
               "Helmond,2024KW01,adviesvragen-vt,100,A049302\n")
    figure_import = run_import(users["veilig_thuis"], region, content, mapping={**LONG, "breakdown": "geweldsvorm"})
    assert figure_import.status == "confirmed" and figure_import.created_count == 3
    assert list(ImportRowFlag.objects.filter(figure_import=figure_import).values_list("row__value", flat=True)) == [
        Decimal(400)]
    assert list(FigureFlag.objects.values_list("figure__organisation__name", "figure__value", "kind")) == [
        ("Helmond", Decimal(400), "outlier")]


def test_too_little_history_judges_nothing_at_entry_and_import(users, region, periods, indicators, municipality):
    """Two earlier values are no history to judge by (and on PostgreSQL once divided by zero)."""
    advice = indicators["adviesvragen-vt"]
    helmond = municipality("Helmond")
    add(helmond, advice, q(2023, 3), 40)
    add(helmond, advice, q(2023, 4), 41)
    response = grid_post(client_for(users["veilig_thuis"]), region, q(2024, 1), {f"c-{helmond.pk}-{advice.pk}": "400"})
    assert response.status_code == 302
    run_import(users["veilig_thuis"], region, _csv(["Asten,2023KW03,adviesvragen-vt,20",
                                                    "Asten,2023KW04,adviesvragen-vt,21",
                                                    "Asten,2024KW01,adviesvragen-vt,4000"]), mapping=LONG)
    assert Figure.objects.count() == 6 and not FigureFlag.objects.exists()
