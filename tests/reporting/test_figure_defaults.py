"""The figure table opens on figures, not on an empty period."""

import pytest
from django.urls import reverse

from programme.models import Indicator, Organisation, ReportingPeriod
from reporting.models import Figure

from ..permissions import client_for

pytestmark = pytest.mark.django_db


def test_table_without_period_opens_on_the_latest_period_with_figures(users, periods, region):
    indicator = Indicator.objects.get(code="adviesvragen-vt")
    q2 = ReportingPeriod.objects.get(kind="quarter", year=2023, number=2)
    Figure.objects.create(indicator=indicator, organisation=Organisation.objects.get(name="Helmond"), period=q2,
                          source="veilig_thuis", value=414)
    page = client_for(users["helmond"]).get(reverse("reporting:figure_table", args=[region.pk])).content.decode()
    assert "K2 2023" in page and "414" in page
