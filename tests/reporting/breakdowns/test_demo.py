"""The demo's breakdowns: loaded with the demo, idempotent, and shown on the breakdown page."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from programme.models import Region
from reporting.models import FigureBreakdown

pytestmark = pytest.mark.django_db


def _load(monkeypatch):
    monkeypatch.setenv("GHNT_ALLOW_DEMO_DATA", "1")
    call_command("load_demo_data", "--quiet-logins", stdout=io.StringIO())


def test_demo_breakdowns_are_loaded_once_and_shown(reference_data, monkeypatch):
    _load(monkeypatch)
    count = FigureBreakdown.objects.count()
    # 21 municipalities x 2 Veilig Thuis indicators x 4 quarters x 7 forms of violence.
    assert count == 21 * 2 * 4 * 7
    _load(monkeypatch)
    assert FigureBreakdown.objects.count() == count
    region = Region.objects.get(code="zuidoost-brabant")
    user = get_user_model().objects.get(username="stuurgroep")
    client = Client()
    client.force_login(user)
    page = client.get(reverse("reporting:breakdown_table", args=[region.pk])).content.decode()
    assert "Kindermishandeling" in page and 'id="chart-breakdown"' in page and "Helmond" in page
