"""Who maintains the rules and sees the data-quality pages, and that their query counts do not grow with the data."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programme.models import Indicator, Organisation, ReportingPeriod
from reporting.models import Figure, FigureFlag

from ...permissions import assert_permissions, client_for
from ..conftest import LONG, run_import

pytestmark = pytest.mark.django_db


def q(year, number):
    return ReportingPeriod.objects.get(kind="quarter", year=year, number=number)


def _flag(municipality, indicator, period):
    figure = Figure.objects.create(organisation=municipality, indicator=indicator, period=period,
                                   source="veilig_thuis", status="value", value=Decimal(400))
    return FigureFlag.objects.create(figure=figure, kind="outlier", message="Ligt ver van de eigen eerdere perioden.")


def test_quality_pages_permissions(users, region, periods, indicators, municipality):
    url = reverse("reporting:quality_overview", args=[region.pk])
    assert_permissions(url, allowed=[users["project_leader"], users["admin"]], expect=200,
                       outside=[users["other_region"], users["other_project_leader"]], no_role=users["no_role"],
                       denied=[users["veilig_thuis"], users["steering_group"], users["helmond"], users["national"]])
    flag = _flag(municipality("Helmond"), indicators["adviesvragen-vt"], q(2024, 1))
    explain = reverse("reporting:flag_explain", args=[region.pk, flag.pk])
    assert_permissions(explain, allowed=[users["veilig_thuis"], users["project_leader"], users["admin"]], expect=200,
                       outside=[users["other_region"], users["national"]], no_role=users["no_role"],
                       denied=[users["steering_group"], users["helmond"]])
    # An empty explanation changes nothing and says why.
    response = client_for(users["veilig_thuis"]).post(explain, {"explanation": "  "})
    assert response.status_code == 200 and "Dit veld is verplicht." in response.content.decode()
    flag.refresh_from_db()
    assert flag.is_open


def test_project_leader_maintains_the_rules_on_the_indicator_page(users, indicators):
    reports, advice = indicators["meldingen-vt"], indicators["adviesvragen-vt"]
    url = reverse("reporting:indicator_update", args=[reports.pk])
    data = {"code": reports.code, "name": reports.name, "unit": "count", "periodicity": "quarter",
            "aggregation_over_organisations": "sum", "aggregation_over_time": "sum", "higher_is_better": "unknown",
            "supplier_kinds": ["veilig_thuis"], "version": reports.version, "minimum": "0", "maximum": "5000",
            "whole_numbers": "on", "check_outliers": "on", "not_above_sum_of": [advice.pk]}
    assert client_for(users["veilig_thuis"]).post(url, data).status_code == 403
    response = client_for(users["project_leader"]).post(url, {**data, "minimum": "10", "maximum": "5"})
    assert "Het maximum kan niet lager zijn dan het minimum." in response.content.decode()
    response = client_for(users["project_leader"]).post(url, data)
    assert response.status_code == 302
    reports.refresh_from_db()
    assert (reports.minimum, reports.maximum, reports.whole_numbers) == (0, 5000, True)
    assert list(reports.not_above_sum_of.all()) == [advice]


def test_overview_and_preview_keep_their_query_counts(users, region, periods, indicators, municipality):
    advice = indicators["adviesvragen-vt"]
    overview = reverse("reporting:quality_overview", args=[region.pk])

    def count(client, url, params=None):
        client.get(url, params or {})
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, params or {}).status_code == 200
        return len(ctx)

    def preview(lines):
        csv = "gemeente,periode,indicator,waarde\n" + "\n".join(lines) + "\n"
        figure_import = run_import(users["veilig_thuis"], region, csv, mapping=LONG, confirm=False)
        return reverse("reporting:import_detail", args=[figure_import.pk])

    leader, vt = client_for(users["project_leader"]), client_for(users["veilig_thuis"])
    _flag(municipality("Helmond"), advice, q(2024, 1))
    small = (count(leader, overview, {"period": q(2024, 1).pk}),
             count(vt, preview(["Helmond,2024KW02,adviesvragen-vt,4000"])))
    for m in Organisation.objects.filter(region=region, kind="municipality").exclude(name="Helmond"):
        _flag(m, advice, q(2024, 1))
    lines = [f"{m.name},2024KW02,adviesvragen-vt,4000"
             for m in Organisation.objects.filter(region=region, kind="municipality")]
    large = (count(leader, overview, {"period": q(2024, 1).pk}), count(vt, preview(lines)))
    assert small == large
    assert Indicator.objects.count() == 4
