"""Absolute SQL query counts of the main reporting pages, the same at two data sizes (the README publishes them).

Each count is pinned as an exact number, as Zulip's assert_database_query_count does: a page that grows a
query per row, or that gains a query nobody meant to add, fails here. Three queries of every page are the login
security's look-ups of the session, the second factor and the user; the session is saved (three more, in a test's
transaction) only when the request changed it or its expiry was pushed a minute ago or longer, which a client just
logged in never needs. Dashboards cache their aggregates: the cold count (cache cleared) and the warm count (the
second request) are both pinned.
"""

from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programme.models import Indicator, Organisation, ReportingPeriod, ViolenceForm
from reporting.lessons import services as lesson_services
from reporting.models import Bottleneck, Figure, FigureBreakdown, FigureComment
from reporting.reports import services as reports_services

from ..permissions import client_for
from .factories import make_measure, make_update, period

pytestmark = pytest.mark.django_db

# page: number of SQL queries, at both data sizes.
PAGES = {
    "figure table": 24,  # + the flags of the shown figures (data quality), the period's lock, the comment markers
    "figure grid": 22,  # + the same three
    "report list": 6,
    "report detail": 21,
    "bottleneck list": 8,
    "lesson list": 5,
    "breakdown table": 15,
    "breakdown grid": 22,  # one for the period's lock
}
# dashboard: (cold, warm)
DASHBOARDS = {
    # Cold: the figures over time (one query whatever the sources), the national reference line (one query) and
    # the disclosure threshold for that line; the region's municipalities come with the filter's options (for the
    # figures and the delivery tile), the measures without a start date with the counts per action line, the quarter
    # due in one query, this period's report and the latest approved one together. Warm: the page body comes from
    # the cache, the region switch with it.
    "steering group": (27, 6),
    "municipality": (16, 6),
    "national": (13, 4),  # cold: one for the national disclosure threshold; the year's figures in one query
}


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


def _grow(users, programme, region, count, start):
    """`count` more measures with an update, bottlenecks, lessons, reports and figures, all in the region."""
    q1 = period(2026, 1)
    municipalities = list(Organisation.objects.filter(region=region, kind="municipality").order_by("name"))
    indicators = list(Indicator.objects.filter(code__in=["meldingen-vt", "adviesvragen-vt"]))
    for i in range(start, start + count):
        measure = make_measure(programme, line=1 + i % 3, title=f"Maatregel {i}")
        make_update(measure, q1, users["helmond"])
        Bottleneck.objects.create(programme=programme, title=f"Knelpunt {i}", description="x", measure=measure,
                                  action_line=measure.action_line, raised_by=users["helmond"])
        lesson_services.lesson_create(programme=programme, acting_user=users["project_leader"], text=f"Les {i}",
                                      shared_with_national_team=bool(i % 2))
        # Each municipality one year of quarters after the other, so no figure is there twice.
        quarters = ReportingPeriod.objects.filter(kind="quarter", year=2022 + i // len(municipalities))
        Figure.objects.bulk_create(
            Figure(organisation=municipalities[i % len(municipalities)], indicator=indicator, period=quarter,
                   source="veilig_thuis", status="value", value=Decimal(10 + i))
            for indicator in indicators for quarter in quarters
        )
        # Comments on the figures the table and the grid show, one more marker each time.
        FigureComment.objects.create(organisation=municipalities[i % len(municipalities)], indicator=indicators[0],
                                     period=period(2024, 1), text=f"Opmerking {i}", author=users["helmond"])
        FigureBreakdown.objects.bulk_create(
            FigureBreakdown(organisation=municipalities[i % len(municipalities)], indicator=indicator, period=quarter,
                            source="veilig_thuis", violence_form=form, value=Decimal(i))
            for indicator in indicators for quarter in quarters for form in ViolenceForm.objects.all()[:1 + i % 15]
        )
    # One report per half year, submitted and approved, so the national team sees them as well.
    for year in range(2022 + start, 2022 + start + count // 5):
        half = ReportingPeriod.objects.filter(kind="half_year", year=year).order_by("number").first()
        if half is None:
            continue
        report = reports_services.report_create(programme=programme, period=half, acting_user=users["project_leader"])
        report = reports_services.report_submit(report=report, acting_user=users["project_leader"])
        reports_services.report_approve(report=report, acting_user=users["steering_group"])


def _counts(users, region, report, helmond):
    pages = {
        "figure table": (users["helmond"], reverse("reporting:figure_table", args=[region.pk])
                         + f"?period={period(2024, 1).pk}"),
        "figure grid": (users["veilig_thuis"], reverse("reporting:figure_grid", args=[region.pk])
                        + f"?period={period(2024, 1).pk}"),
        "report list": (users["steering_group"], reverse("reporting:report_list")),
        "report detail": (users["steering_group"], reverse("reporting:report_detail", args=[report.pk])),
        "bottleneck list": (users["helmond"], reverse("reporting:bottleneck_list")),
        "lesson list": (users["national"], reverse("reporting:lesson_list")),
        "breakdown table": (users["national"], reverse("reporting:breakdown_table", args=[region.pk])
                            + f"?period={period(2024, 1).pk}"),
        "breakdown grid": (users["veilig_thuis"], reverse("reporting:breakdown_grid", args=[region.pk])
                           + f"?period={period(2024, 1).pk}"),
    }
    dashboards = {
        "steering group": (users["steering_group"], reverse("reporting:steering_dashboard", args=[region.pk])),
        "municipality": (users["steering_group"], reverse("reporting:municipality_dashboard", args=[helmond.pk])),
        "national": (users["national"], reverse("reporting:national_dashboard")),
    }
    result = {}
    for name, (user, url) in pages.items():
        client = client_for(user)
        client.get(url)  # the content-type and site caches are per process, not per page
        result[name] = _count(client, url)
    for name, (user, url) in dashboards.items():
        client = client_for(user)
        client.get(url)
        cache.clear()
        cold = _count(client, url)
        result[name] = (cold, _count(client, url))
    return result


def test_query_counts_are_pinned_at_two_sizes(users, programme, region, periods, draft, capsys):
    helmond = Organisation.objects.get(name="Helmond")
    _grow(users, programme, region, 5, 0)
    small = _counts(users, region, draft, helmond)
    _grow(users, programme, region, 40, 5)
    large = _counts(users, region, draft, helmond)
    with capsys.disabled():
        print("\nSQL queries at the small / large size:", {name: (small[name], large[name]) for name in small})
    assert small == large == {**PAGES, **DASHBOARDS}
