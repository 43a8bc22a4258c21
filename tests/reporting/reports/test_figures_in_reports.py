"""Figures and reports together: a goal's actual value is frozen into the report and hidden from outsiders."""

import pytest
from django.urls import reverse

from programme.models import Goal, Indicator, Organisation, ReportingPeriod
from reporting.models import Figure
from reporting.reports import services as reports_services

from ...permissions import client_for

pytestmark = pytest.mark.django_db


def _figures(value_for_asten: int, year: int = 2025):
    indicator = Indicator.objects.get(code="adviesvragen-vt")
    municipalities = Organisation.objects.filter(kind="municipality", region__code="zuidoost-brabant")
    for number in range(1, 5):
        period = ReportingPeriod.objects.get(kind="quarter", year=year, number=number)
        Figure.objects.bulk_create([
            Figure(indicator=indicator, organisation=m, period=period, source="veilig_thuis",
                   value=value_for_asten if m.name == "Asten" else 100)
            for m in municipalities
        ])


def _approved_report(users, programme, q1):
    report = reports_services.report_create(programme=programme, period=q1, acting_user=users["project_leader"])
    reports_services.report_submit(report=report, acting_user=users["project_leader"])
    return reports_services.report_approve(report=report, acting_user=users["steering_group"])


def test_goal_value_is_frozen_exact_and_rounded_for_the_national_team(users, programme, q1):
    _figures(value_for_asten=3)
    report = _approved_report(users, programme, q1)
    goal = Goal.objects.get(code="1.2")  # measured by adviesvragen-vt
    frozen = [g for line in report.snapshot["action_lines"] for g in line["goals"] if g["id"] == goal.pk][0]
    assert frozen["actual"]["value"] == 20 * 4 * 100 + 4 * 3  # 20 municipalities of 100, Asten 3, four quarters
    url = reverse("reporting:report_detail", args=[report.pk])
    inside = client_for(users["helmond"]).get(url).content.decode()
    assert "8.012" in inside or "8012" in inside
    national = client_for(users["national"]).get(url).content.decode()
    assert "8.010" in national  # 8,012 rounded to fives outside the region
    assert "8.012" not in national and "8012" not in national
    # Live figures change afterwards; the approved report keeps what it showed.
    Figure.objects.filter(organisation__name="Helmond").update(value=500)
    after = client_for(users["helmond"]).get(url).content.decode()
    assert "8.012" in after or "8012" in after


def test_without_small_numbers_the_national_team_sees_the_value(users, programme, q1):
    _figures(value_for_asten=50)
    report = _approved_report(users, programme, q1)
    national = client_for(users["national"]).get(reverse("reporting:report_detail", args=[report.pk])).content
    assert "8.200" in national.decode() or "8200" in national.decode()
