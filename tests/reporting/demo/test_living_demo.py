"""The demo lives relative to today: loaded on any date, every dashboard's default window shows figures."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from programme import calendar
from programme.models import Organisation

pytestmark = pytest.mark.django_db


def _client(username):
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def _last_row(chart):
    return dict(zip(chart["header"], chart["rows"][-1], strict=True))


@pytest.mark.parametrize("today", [datetime.date(2027, 2, 15), datetime.date(2028, 2, 15)])
def test_demo_loaded_on_any_date_fills_the_default_window_of_every_dashboard(reference_data, monkeypatch, today):
    monkeypatch.setattr(calendar, "today", lambda: today)
    monkeypatch.setenv("GHNT_ALLOW_DEMO_DATA", "1")
    call_command("load_demo_data", "--quiet-logins", stdout=io.StringIO())
    last_quarter = f"K4 {today.year - 1}"

    steering = _client("stuurgroep")
    page = steering.get(reverse("reporting:dashboard"), follow=True)
    assert page.status_code == 200
    chart = page.context["charts"]["meldingen-vt-aantal"]
    assert chart["rows"][-1][0] == last_quarter and len(chart["rows"]) == 12
    assert all(row[-1] != "–" for row in chart["rows"])  # the region's line: every quarter of the window

    helmond = Organisation.objects.get(name="Helmond")
    page = steering.get(reverse("reporting:municipality_dashboard", args=[helmond.pk]))
    chart = next(c for c in page.context["charts"] if c["key"] == "meldingen-vt-aantal")
    assert _last_row(chart)["Kwartaal"] == last_quarter and _last_row(chart)["Helmond"] != "–"

    page = _client("landelijk").get(reverse("reporting:national_dashboard"))
    assert page.status_code == 200 and page.context["year"] == today.year - 1
    [per_1000] = [c for c in page.context["charts"] if c["key"] == "per-1000"]
    assert not per_1000["empty"]
