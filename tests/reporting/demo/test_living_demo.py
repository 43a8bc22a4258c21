"""The demo lives relative to today: loaded on any date, every dashboard's default window shows figures, the
reports and deadlines sit around that date, and the demo's stories (Helmond's known figures, small numbers,
measures with recent updates) keep their place."""

import datetime
import io
import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import formats, translation

from measures.models import MeasureStatus, MeasureUpdate
from programme import calendar
from programme.models import Organisation, Region
from reporting.models import ProgressReport, ReportStatus

pytestmark = pytest.mark.django_db

# (today, the last complete quarter, the quarter of the approved report, the current quarter)
DATES = [
    (datetime.date(2026, 11, 30), (2026, 3), (2026, 3), (2026, 4)),
    (datetime.date(2027, 11, 30), (2027, 3), (2027, 3), (2027, 4)),
    # On a quarter's first day: the quarter just ended has its deadline ahead, so the approved report is older.
    (datetime.date(2027, 1, 1), (2026, 4), (2026, 3), (2027, 1)),
]


def _client(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _label(year_quarter):
    return f"K{year_quarter[1]} {year_quarter[0]}"


def _quarters_before(year_quarter, count):
    index = year_quarter[0] * 4 + year_quarter[1] - 1 - count
    return index // 4, index % 4 + 1


def _rows(chart):
    return [dict(zip(chart["header"], row, strict=True)) for row in chart["rows"]]


def _numbers(values):
    return [value for value in values if value not in ("–", "", None)]


@pytest.fixture(params=DATES, ids=lambda dates: dates[0].isoformat())
def demo(request, reference_data, monkeypatch):
    today = request.param[0]
    monkeypatch.setattr(calendar, "today", lambda: today)
    monkeypatch.setenv("GHNT_ALLOW_DEMO_DATA", "1")
    call_command("load_demo_data", "--quiet-logins", stdout=io.StringIO())
    return request.param


def test_every_dashboard_shows_figures_in_its_default_window(demo):
    today, last, _approved, _current = demo
    region = Region.objects.get(code="zuidoost-brabant")
    steering = _client("stuurgroep")

    page = steering.get(reverse("reporting:steering_dashboard", args=[region.pk]))
    assert page.status_code == 200
    for key in ("meldingen-vt-aantal", "adviesvragen-vt-per-1000"):
        rows = _rows(page.context["charts"][key])
        # Twelve quarters up to the last complete one, the region's line a number in every one of them.
        assert [row["Kwartaal"] for row in rows] == [_label(_quarters_before(last, n)) for n in range(11, -1, -1)]
        region_column = page.context["charts"][key]["header"][-1]
        assert len(_numbers(row[region_column] for row in rows)) == 12
    figure = page.context["charts"]["meldingen-vt-aantal"]["figure"]
    assert _label(last) in json.dumps(figure["data"]) and _label(last) in page.content.decode()
    status_rows = page.context["charts"]["status"]["rows"]
    assert sum(int(cell) for row in status_rows for cell in row[1:] if str(cell).isdigit()) > 0

    helmond = Organisation.objects.get(name="Helmond")
    page = steering.get(reverse("reporting:municipality_dashboard", args=[helmond.pk]))
    assert page.status_code == 200
    charts = {chart["key"]: chart for chart in page.context["charts"]}
    rows = _rows(charts["adviesvragen-vt-aantal"])
    assert rows[-1]["Kwartaal"] == _label(last) and len(_numbers(row["Helmond"] for row in rows)) == 12
    # Helmond's known figures open the window: 414 advice requests and 340 reports.
    assert rows[0]["Helmond"] == "414" and _rows(charts["meldingen-vt-aantal"])[0]["Helmond"] == "340"

    page = _client("landelijk").get(reverse("reporting:national_dashboard"))
    assert page.status_code == 200
    # The last complete year is the default, and every region with a programme has its rate in it.
    assert page.context["year"] == (last[0] if last[1] == 4 else last[0] - 1)
    [per_1000] = [chart for chart in page.context["charts"] if chart["key"] == "per-1000"]
    assert not per_1000["empty"] and _numbers(value for row in per_1000["rows"] for value in row[1:])


def test_reports_measures_and_deadlines_sit_around_today(demo):
    today, _last, approved, current = demo
    reports = {(r.period.year, r.period.number): r.status for r in ProgressReport.objects.select_related("period")}
    assert reports == {approved: ReportStatus.APPROVED, current: ReportStatus.DRAFT}
    assert ProgressReport.objects.get(status=ReportStatus.APPROVED).approved_at.date() <= today
    page = _client("stuurgroep").get(reverse("reporting:report_list"))
    content = page.content.decode()
    assert page.status_code == 200 and _label(approved) in content

    # Measures in several statuses, the running ones updated up to the last complete quarter.
    updates = MeasureUpdate.objects.select_related("period")
    newest = max(update.period.end_date for update in updates)
    assert newest < today and (today - newest).days <= 92
    statuses = set(updates.values_list("measure__status", flat=True))
    assert {MeasureStatus.IN_PROGRESS, MeasureStatus.COMPLETED} <= statuses

    # The home page of the project leader names the current report's deadline, which is still ahead; the
    # self-scan card of Helmond's adviser names this year's deadline, also ahead.
    leader_home = _client("projectleider").get(reverse("home")).content.decode()
    deadline = calendar.current_quarter(today).deadline
    assert deadline > today
    with translation.override("nl"):
        assert f"Uiterste datum: {formats.date_format(deadline, 'j F Y')}." in leader_home
        helmond_home = _client("helmond").get(reverse("home")).content.decode()
        scan_deadline = today + datetime.timedelta(days=42)
        assert f"uiterlijk {formats.date_format(scan_deadline, 'j F Y')}" in helmond_home
