"""The national-scale generator makes the shape it promises, and can be run again or removed."""

import io

import pytest
from django.core.management import call_command

from measures.models import Measure, MeasureUpdate
from programme.models import Organisation, Region

pytestmark = pytest.mark.django_db


def test_demo_size_generation_counts_the_real_region_and_can_be_removed(reference_data):
    call_command("generate_national_data", "--demo-size", stdout=io.StringIO())
    assert Organisation.objects.filter(kind="municipality").count() == 30  # 21 real + 9 generated
    assert Region.objects.filter(code__startswith="bench-").count() == 2
    assert Measure.objects.count() == 60
    assert MeasureUpdate.objects.count() == 60 * 4
    call_command("generate_national_data", "--demo-size", stdout=io.StringIO())
    assert Measure.objects.count() == 60  # a second run replaces, it does not add
    call_command("generate_national_data", "--remove", stdout=io.StringIO())
    assert not Region.objects.filter(code__startswith="bench-").exists()
    assert Organisation.objects.filter(kind="municipality").count() == 21
