"""Pages of periods and indicators: who may read and who may maintain them, and that maintaining works."""

import pytest
from django.urls import reverse

from programme.models import Indicator, ReportingPeriod

from ...permissions import assert_permissions, client_for

pytestmark = pytest.mark.django_db


REGION_READERS = ("project_leader", "helmond", "eindhoven", "veilig_thuis", "steering_group", "admin")


def q(year, number, kind="quarter"):
    return ReportingPeriod.objects.get(kind=kind, year=year, number=number)


def test_period_and_indicator_pages_permissions(users, periods, indicators):
    period = q(2023, 1)
    everyone = [users[k] for k in REGION_READERS] + [users["national"], users["other_region"]]
    managers = [users["project_leader"], users["other_project_leader"], users["admin"]]
    readers = [users[k] for k in ("helmond", "veilig_thuis", "steering_group", "national")]
    assert_permissions(reverse("reporting:period_list"), allowed=everyone, outside=[], no_role=users["no_role"],
                       expect=200)
    assert_permissions(reverse("reporting:indicator_list"), allowed=everyone, outside=[], no_role=users["no_role"],
                       expect=200)
    # Periods and indicators are one calendar and one list for all regions: no "other region" case exists.
    for url in (reverse("reporting:period_create"), reverse("reporting:period_generate"),
                reverse("reporting:period_update", args=[period.pk]), reverse("reporting:indicator_create"),
                reverse("reporting:indicator_update", args=[indicators["meldingen-vt"].pk])):
        assert_permissions(url, allowed=managers, outside=[], denied=readers, no_role=users["no_role"], expect=200)


def test_project_leader_generates_periods_and_edits_a_deadline(users):
    client = client_for(users["project_leader"])
    response = client.post(reverse("reporting:period_generate"),
                           {"kind": "half_year", "first_year": 2030, "last_year": 2031})
    assert response.status_code == 302
    assert ReportingPeriod.objects.filter(kind="half_year", year__in=[2030, 2031]).count() == 4
    period = ReportingPeriod.objects.get(kind="half_year", year=2030, number=1)
    client.post(reverse("reporting:period_update", args=[period.pk]), {"deadline": "2030-08-15"})
    period.refresh_from_db()
    assert str(period.deadline) == "2030-08-15"
    response = client.post(reverse("reporting:period_create"), {"kind": "half_year", "year": 2030, "number": 3})
    assert "Dit nummer past niet bij de soort periode." in response.content.decode()


def test_project_leader_creates_and_edits_an_indicator(users):
    client = client_for(users["project_leader"])
    data = {"code": "mda-casussen", "name": "Casussen MDA++", "unit": "count", "periodicity": "quarter",
            "aggregation_over_organisations": "sum", "aggregation_over_time": "sum", "higher_is_better": "unknown",
            "supplier_kinds": ["municipality", "safety_house"], "suppress_small_numbers": "on"}
    assert client.post(reverse("reporting:indicator_create"), data).status_code == 302
    indicator = Indicator.objects.get(code="mda-casussen")
    assert indicator.supplier_kinds == ["municipality", "safety_house"] and indicator.suppress_small_numbers
    response = client.post(reverse("reporting:indicator_update", args=[indicator.pk]),
                           {**data, "name": "Casussen", "unit": "percentage", "version": indicator.version})
    assert "Alleen bij aantallen kunnen kleine aantallen worden afgeschermd." in response.content.decode()
    assert Indicator.objects.get(pk=indicator.pk).name == "Casussen MDA++"
    response = client.post(reverse("reporting:indicator_update", args=[indicator.pk]),
                           {**data, "name": "Casussen", "version": indicator.version})
    assert response.status_code == 302 and Indicator.objects.get(pk=indicator.pk).name == "Casussen"


def test_stumbles_on_the_period_and_indicator_pages(users, indicators):
    """What a newcomer stumbled on: '1 perioden toegevoegd.', a period from 'Nieuwe rapportageperiode' without
    the deadline that 'Perioden aanmaken' gives, the raw code veilig_thuis under 'Aangeleverd door', and
    'Hoger is beter' reading 'niet van toepassing' in the list but 'Onbekend' in the form."""
    client = client_for(users["project_leader"])
    response = client.post(reverse("reporting:period_generate"), {"kind": "year", "first_year": 2040,
                                                                   "last_year": 2040}, follow=True)
    assert "1 periode toegevoegd." in response.content.decode()
    generated = ReportingPeriod.objects.get(kind="year", year=2040)
    response = client.post(reverse("reporting:period_create"), {"kind": "year", "year": 2041, "number": 0})
    assert response.status_code == 302
    made = ReportingPeriod.objects.get(kind="year", year=2041)
    assert (made.deadline - made.end_date) == (generated.deadline - generated.end_date)
    Indicator.objects.filter(code="adviesvragen-vt").update(higher_is_better=None)
    page = client.get(reverse("reporting:indicator_list")).content.decode()
    assert "veilig_thuis" not in page and "Veilig Thuis" in page
    assert "niet van toepassing" not in page and "Onbekend" in page
    form = client.get(reverse("reporting:indicator_update", args=[Indicator.objects.get(code="adviesvragen-vt").pk]))
    assert '<option value="unknown" selected>Onbekend</option>' in form.content.decode()
