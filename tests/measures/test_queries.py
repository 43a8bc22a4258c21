"""The list, detail and export pages run the same, pinned number of SQL queries at 5 and at 200 measures.

The numbers are the ones the README publishes; a page that gains a query fails here, not only one that grows.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.models import Measure, MeasureUpdate, Participation
from programme.models import Organisation, ViolenceForm

from ..permissions import client_for

pytestmark = pytest.mark.django_db


def _add_measures(programme, periods, users, count):
    """`count` accepted measures, each with goals, themes, forms of violence, three participants and updates."""
    line = programme.action_lines.get(number=2)
    goals, themes = list(line.goals.all()), list(line.themes.all())
    forms = list(ViolenceForm.objects.all()[:3])
    municipalities = list(Organisation.objects.filter(kind="municipality", region=programme.region)[:3])
    owner = Organisation.objects.get(name="Helmond")
    start = Measure.objects.count()
    measures = Measure.objects.bulk_create(
        Measure(programme=programme, title=f"Maatregel {start + i:03d}", action_line=line, owner=owner,
                status="in_progress", health="on_track", progress=40, budget=Decimal("1000"),
                start_date=datetime.date(2023, 1, 1))
        for i in range(count)
    )
    for measure in measures:
        measure.goals.set(goals)
        measure.themes.set(themes)
        measure.violence_forms.set(forms)
    Participation.objects.bulk_create(
        Participation(measure=m, organisation=org, joined_on=datetime.date(2023, 1, 1))
        for m in measures for org in municipalities
    )
    MeasureUpdate.objects.bulk_create(
        MeasureUpdate(measure=m, period=periods[code], status="in_progress", health="on_track", progress=40,
                      narrative="Loopt.", spent=Decimal("100"), author=users["helmond"])
        for m in measures for code in ("2023KW04", "2024KW01", "2024KW02")
    )
    return measures


def _count(client, url, params=None):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context.captured_queries)


def test_query_counts_do_not_grow(users, programme, periods, capsys):
    client = client_for(users["helmond"])
    small = _add_measures(programme, periods, users, 5)
    first = small[0]
    urls = {
        "list": (reverse("measures:measure_list"), None),
        "list filtered": (reverse("measures:measure_list"), {"q": "Maatregel", "sort": "-progress",
                                                             "municipality": first.participants.first().pk}),
        "detail": (reverse("measures:measure_detail", args=[first.pk]), None),
        "export xlsx": (reverse("measures:measure_export", args=["xlsx"]), None),
        "export csv": (reverse("measures:measure_export", args=["csv"]), None),
        "history": (reverse("measures:measure_history", args=[first.pk]), None),
        "funding": (reverse("measures:funding", args=[programme.region_id]), None),
    }
    for url, params in urls.values():  # warm the content-type cache, which is per process, not per page
        _count(client, url, params)
    at_5 = {name: _count(client, url, params) for name, (url, params) in urls.items()}
    _add_measures(programme, periods, users, 195)
    # The detail page of a measure with many more participants and updates than before.
    for org in Organisation.objects.filter(kind="municipality", region=programme.region)[3:15]:
        Participation.objects.create(measure=first, organisation=org, joined_on=datetime.date(2024, 1, 1))
    at_200 = {name: _count(client, url, params) for name, (url, params) in urls.items()}
    with capsys.disabled():
        print("\nSQL queries at 5 / 200 measures:", {name: (at_5[name], at_200[name]) for name in urls})
    # detail: one query more since reporting lists the self-scan weaknesses a measure acts on (a measure section).
    # Three fewer on every page since the session is saved at most once a minute instead of on every request.
    assert at_5 == at_200 == {"list": 14, "list filtered": 15, "detail": 13, "export xlsx": 10, "export csv": 10,
                              "history": 9, "funding": 9}
