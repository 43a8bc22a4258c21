"""Demo self-scans: a 25-criterion guideline for two years with scans, and scans in the national data set."""

import io

import pytest
from django.core.management import call_command

from reporting.demo.selfscans import load_demo
from reporting.models import ScanFramework, SelfScan
from reporting.selfscans import selectors

pytestmark = pytest.mark.django_db


def test_demo_has_two_years_with_a_renamed_and_a_new_criterion(users):
    load_demo()
    first, second = ScanFramework.objects.filter(region__code="zuidoost-brabant").order_by("year")
    assert first.criteria.count() == 25 and first.themes.count() == 5 and second.criteria.count() == 26
    assert SelfScan.objects.filter(framework=first, status="submitted").count() == 21
    heat = selectors.heat_map(second)
    assert heat.submitted == 19 and all(v is not None for v in heat.region_average)
    marks = [item["change"] for group in selectors.framework_criteria(second)["themes"] for item in group["criteria"]]
    assert marks.count("changed") == 1 and marks.count("new") == 1
    trends = selectors.criterion_trends(second.region_id)
    assert len(trends["veiligheid-taxeren-1"]) == 2 and len(trends["registratie-6"]) == 1
    load_demo()  # idempotent
    assert ScanFramework.objects.count() == 2


def test_national_data_set_gets_scans_and_removes_them(reference_data):
    call_command("generate_national_data", "--demo-size", stdout=io.StringIO())
    assert ScanFramework.objects.filter(region__code__startswith="bench-").count() == 4
    assert SelfScan.objects.filter(municipality__region__code__startswith="bench-").count() == 9 * 2
    call_command("generate_national_data", "--remove", stdout=io.StringIO())
    assert not ScanFramework.objects.exists() and not SelfScan.objects.exists()
