"""The figure table opens on figures, not on an empty period."""

import pytest
from django.urls import reverse

from programme.models import Indicator, Organisation, ReportingPeriod
from reporting.models import Figure

from ...permissions import client_for

pytestmark = pytest.mark.django_db


def test_table_without_period_opens_on_the_latest_period_with_figures(users, periods, region):
    indicator = Indicator.objects.get(code="adviesvragen-vt")
    q2 = ReportingPeriod.objects.get(kind="quarter", year=2023, number=2)
    Figure.objects.create(indicator=indicator, organisation=Organisation.objects.get(name="Helmond"), period=q2,
                          source="veilig_thuis", value=414)
    page = client_for(users["helmond"]).get(reverse("reporting:figure_table", args=[region.pk])).content.decode()
    assert "K2 2023" in page and "414" in page


def test_two_project_leaders_changing_a_deadline_do_not_overwrite_each_other(users, periods):
    import datetime

    from programme.models import ReportingPeriod
    from tests.conftest import make_user

    period = ReportingPeriod.objects.get(kind="quarter", year=2024, number=1)
    url = reverse("reporting:period_update", args=[period.pk])
    other = make_user("pl2", Organisation.objects.get(name="Helmond"), "project_leader")
    opened = period.version
    first = client_for(users["project_leader"]).post(url, {"deadline": "2024-05-15", "version": opened})
    assert first.status_code == 302
    second = client_for(other).post(url, {"deadline": "2024-06-01", "version": opened})
    page = second.content.decode()
    assert second.status_code == 200 and "Iemand anders heeft dit als eerste gewijzigd" in page
    assert ReportingPeriod.objects.get(pk=period.pk).deadline == datetime.date(2024, 5, 15)
