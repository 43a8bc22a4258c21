"""Constant queries per list endpoint (exact numbers, equal at two data sizes), and a 304 that reads no data table."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from measures.models import Participation
from programme.models import Indicator, Organisation, OrganisationKind, ReportingPeriod
from reporting.bottlenecks.services import bottleneck_create
from reporting.lessons.services import lesson_create
from reporting.models import Figure
from reporting.reports import services as reports_services

from ..factories import make_measure, period
from .conftest import api_client, token_for

pytestmark = pytest.mark.django_db

# Queries of one page, the same whatever the data: the token, the memberships, the count (for figures instead:
# the ids of their regions, as they page by cursor), the page's rows and the data fingerprint for the ETag; a
# regional user's scope reads the region tree too; measures prefetch their participants. The threshold and the
# region tree's parents are cached per process (warmed by a first request).
BASE = {"project_leader": 6, "national": 5}
EXTRA = {"measures": 1}
NAMES = ["regions", "organisations", "programmes", "action-lines", "goals", "themes", "national-measures",
         "indicators", "periods", "measures", "figures", "reports", "bottlenecks", "lessons"]


def _grow(users, programme, size: int):
    """`size` more of every kind of row the endpoints list."""
    indicator = Indicator.objects.get(code="meldingen-vt")
    municipalities = list(
        Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, region__code="zuidoost-brabant"))
    quarters = list(ReportingPeriod.objects.filter(kind="quarter").order_by("start_date"))
    existing = Figure.objects.count()
    for n in range(size):
        measure = make_measure(programme, title=f"Maatregel {existing + n}")
        for organisation in municipalities[:3]:
            Participation.objects.create(measure=measure, organisation=organisation,
                                         joined_on=datetime.date(2024, 1, 1))
        bottleneck_create(acting_user=users["project_leader"], title=f"Knelpunt {n}", description="-", severity="low",
                          measure=measure)
        lesson_create(programme=programme, acting_user=users["project_leader"], text=f"Les {n}",
                      shared_with_national_team=True)
    Figure.objects.bulk_create([
        Figure(indicator=indicator, organisation=m, period=q, source="veilig_thuis", value=Decimal(7))
        for m in municipalities for q in quarters[existing // len(municipalities):][:size]
    ], ignore_conflicts=True)


def _count(client, name) -> int:
    url = reverse(f"reporting:api-{name}-list")
    assert client.get(url).status_code == 200  # warm the per-process caches (threshold, region tree)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200 and response.json()["results"], name
    return len(queries)


@pytest.mark.parametrize("user", ["project_leader", "national"])
def test_every_list_endpoint_takes_the_same_queries_at_two_data_sizes(users, programme, mailed, user):
    approved = reports_services.report_create(programme=programme, period=period(2025, 4),
                                              acting_user=users["project_leader"])
    with mailed():
        reports_services.report_submit(report=approved, acting_user=users["project_leader"])
        reports_services.report_approve(report=approved, acting_user=users["steering_group"])
    client = api_client(token_for(users[user]))
    _grow(users, programme, 2)
    # The national team sees no measures and no bottlenecks: an empty list proves nothing about its queries.
    small = {name: _count(client, name) for name in NAMES if user == "project_leader" or name not in (
        "measures", "bottlenecks")}
    _grow(users, programme, 12)
    large = {name: _count(client, name) for name in small}
    assert small == large == {name: BASE[user] + EXTRA.get(name, 0) for name in small}


def test_an_unchanged_list_is_answered_304_without_reading_the_data_tables(users, programme):
    _grow(users, programme, 2)
    client = api_client(token_for(users["national"]))
    url = reverse("reporting:api-figures-list")
    first = client.get(url, {"indicator": "meldingen-vt"})
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    with CaptureQueriesContext(connection) as queries:
        again = client.get(url, {"indicator": "meldingen-vt"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304 and again.content == b"" and again["ETag"] == first["ETag"]
    sql = [q["sql"] for q in queries]
    assert len(sql) == 3, sql  # the token, the memberships, the data fingerprint
    data_reads = [s for s in sql if "reporting_figure" in s and "MAX(" not in s]
    assert data_reads == []
    by_date = client.get(url, {"indicator": "meldingen-vt"}, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 304
    # Another question, another user or changed data: a new answer.
    assert client.get(url, {"indicator": "adviesvragen-vt"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    other = api_client(token_for(users["project_leader"]))
    assert other.get(url, {"indicator": "meldingen-vt"}, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200
    figure = Figure.objects.first()
    figure.value = Decimal(99)
    figure.save(update_fields=["value", "updated_at"])
    changed = client.get(url, {"indicator": "meldingen-vt"}, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
