"""The reports demo data: idempotent, with or without measures, and the approved report reaches the national team."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from programme import calendar
from reporting.models import Bottleneck, Lesson, ProgressReport

pytestmark = pytest.mark.django_db


def _load(monkeypatch, today=datetime.date(2026, 11, 30)):
    monkeypatch.setattr(calendar, "today", lambda: today)
    monkeypatch.setenv("GHNT_ALLOW_DEMO_DATA", "1")
    call_command("load_demo_data", "--quiet-logins", stdout=io.StringIO())


def _counts():
    return (ProgressReport.objects.count(), Bottleneck.objects.count(), Lesson.objects.count())


def test_demo_is_idempotent_and_complete_without_measures(reference_data, monkeypatch):
    _load(monkeypatch)
    first = _counts()
    _load(monkeypatch)
    assert _counts() == first == (2, 4, 3)
    approved = ProgressReport.objects.get(period__year=2026, period__number=3)  # Q3's deadline has passed
    assert approved.status == "approved" and approved.snapshot and approved.transitions.count() == 3
    assert approved.approved_at.date() <= datetime.date(2026, 11, 30)
    draft = ProgressReport.objects.exclude(pk=approved.pk).get()
    assert draft.status == "draft" and (draft.period.year, draft.period.number) == (2026, 4)
    assert set(Bottleneck.objects.values_list("status", flat=True)) == {"open", "escalated", "decided", "resolved"}
    assert Lesson.objects.filter(shared_with_national_team=True).count() == 2
    landelijk = get_user_model().objects.get(username="landelijk")
    page = client_for_demo(landelijk).get(reverse("reporting:report_detail", args=[approved.pk]))
    assert page.status_code == 200 and "Het eerste jaar van de regionale aanpak" in page.content.decode()
    assert client_for_demo(landelijk).get(reverse("reporting:report_detail", args=[draft.pk])).status_code == 404


def test_demo_uses_measures_when_they_exist(users, programme, monkeypatch):
    from ..factories import make_measure

    measure = make_measure(programme, line=2, title="MDA++ demo")
    _load(monkeypatch)
    assert Bottleneck.objects.get(title="Wachttijd voor de MDA++-intake loopt op").measure == measure
    approved = ProgressReport.objects.get(status="approved")
    titles = [m["title"] for line in approved.snapshot["action_lines"] for m in line["measures"]]
    assert "MDA++ demo" in titles


def client_for_demo(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client
