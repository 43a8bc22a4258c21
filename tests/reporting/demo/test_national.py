"""The national-scale generator makes the shape it promises, and can be run again or removed."""

import datetime
import io

import pytest
from django.core.management import call_command

from measures.models import Measure, MeasureUpdate
from programme.models import Indicator, Organisation, Region
from reporting.models import Bottleneck, Figure, ProgressReport, ReportStatus

pytestmark = pytest.mark.django_db


def test_demo_size_generation_counts_the_real_region_and_can_be_removed(reference_data):
    call_command("generate_national_data", "--demo-size", stdout=io.StringIO())
    assert Organisation.objects.filter(kind="municipality").count() == 30  # 21 real + 9 generated
    assert Region.objects.filter(code__startswith="bench-").count() == 2
    assert Measure.objects.count() == 60
    assert MeasureUpdate.objects.count() == 60 * 4
    assert Indicator.objects.count() == 4  # the two real Veilig Thuis indicators + two generated
    assert Figure.objects.count() == 4 * 30 * 8  # every indicator, municipality and quarter of 2023-2024
    assert ProgressReport.objects.count() == 40
    assert Bottleneck.objects.count() == 60
    # Only the newest quarter of a region may be unapproved; the older ones are approved, some in two versions.
    assert ProgressReport.objects.filter(revision=2, status=ReportStatus.APPROVED, previous__isnull=False).exists()
    assert not ProgressReport.objects.filter(snapshot__isnull=True, status=ReportStatus.APPROVED).exists()
    call_command("generate_national_data", "--demo-size", stdout=io.StringIO())
    assert Measure.objects.count() == 60  # a second run replaces, it does not add
    assert Figure.objects.count() == 4 * 30 * 8
    call_command("generate_national_data", "--remove", stdout=io.StringIO())
    assert not Region.objects.filter(code__startswith="bench-").exists()
    assert Organisation.objects.filter(kind="municipality").count() == 21
    assert not Figure.objects.exists() and Indicator.objects.count() == 2
    assert not ProgressReport.objects.exists() and not Bottleneck.objects.exists()


def test_generation_keeps_the_demo_figures_of_the_real_region(reference_data, monkeypatch):
    from programme import calendar
    from programme.services.periods import reporting_periods_generate
    from reporting.demo.figures import load_demo_figures

    # Loaded in Q1 2025 the demo's window is Q1 2022-Q4 2024, with Helmond's known figures in its first quarter.
    monkeypatch.setattr(calendar, "today", lambda: datetime.date(2025, 2, 15))
    reporting_periods_generate(first_year=2021, last_year=2024)
    demo_count = load_demo_figures()
    call_command("generate_national_data", "--demo-size", stdout=io.StringIO())
    helmond = Figure.objects.get(organisation__cbs_code="GM0794", indicator__code="adviesvragen-vt",
                                 period__year=2022, period__number=1, period__kind="quarter")
    assert helmond.value == 414
    call_command("generate_national_data", "--remove", stdout=io.StringIO())
    assert Figure.objects.count() == demo_count


def test_the_national_overview_shows_at_least_95_percent_of_region_year_cells(reference_data, users):
    """On the generated national data (demo size: a region's year total is a sum of 40-130 municipality
    quarters of tens each, as at full scale, so the share does not depend on the size) the national team sees a
    number for nearly every region and year; only a region's own total under 5 would be hidden."""
    from django.urls import reverse

    from tests.permissions import client_for

    call_command("generate_national_data", "--demo-size", stdout=io.StringIO())
    client = client_for(users["national"])
    shown = total = 0
    for year in (2023, 2024):
        page = client.get(reverse("reporting:national_dashboard"), {"year": year})
        assert page.status_code == 200
        chart = next(c for c in page.context["charts"] if c["key"] == "per-1000")
        for trace in chart["figure"]["data"]:
            if trace.get("type") != "bar":
                continue
            total += len(trace["x"])
            shown += sum(1 for value in trace["x"] if isinstance(value, int | float))
    print("national overview cells shown:", shown, "of", total)
    assert total and shown / total >= 0.95, (shown, total)
