"""From scores to action: a point to improve linked to an existing measure or made into a new one, shown both ways."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from measures.models import Measure
from reporting.selfscans import services

from ...permissions import client_for
from ..factories import make_measure

pytestmark = pytest.mark.django_db


def test_point_to_improve_becomes_a_prefilled_measure_linked_both_ways(users, draft):
    improvement = services.improvement_add(scan=draft, acting_user=users["helmond"], text="Scholing veiligheid taxeren",
                                           criterion=draft.framework.criteria.first())
    client = client_for(users["helmond"])
    url = reverse("reporting:selfscan_improvement_measure", args=[improvement.pk])
    page = client.get(url).content.decode()
    assert 'value="Scholing veiligheid taxeren"' in page
    programme_line = draft.framework.region.programmes.filter(level="regional").first().action_lines.first()
    response = client.post(url, {"title": "Scholing veiligheid taxeren", "action_line": programme_line.pk,
                                 "owner": draft.municipality.pk})
    measure = Measure.objects.get(title="Scholing veiligheid taxeren")
    assert response.status_code == 302 and response["Location"] == reverse("measures:measure_detail",
                                                                           args=[measure.pk])
    improvement.refresh_from_db()
    assert improvement.measure == measure and measure.status == "proposed"
    assert "Helmond" in measure.description and "2025" in measure.description
    measure_page = client_for(users["steering_group"]).get(response["Location"]).content.decode()
    assert "Verbeterpunten uit zelfscans" in measure_page or "Points to improve from self-scans" in measure_page
    assert "Scholing veiligheid taxeren" in measure_page
    scan_page = client.get(reverse("reporting:selfscan_detail", args=[draft.pk])).content.decode()
    assert reverse("measures:measure_detail", args=[measure.pk]) in scan_page


def test_link_to_an_existing_measure_and_not_one_of_another_region(users, draft, other_region):
    improvement = services.improvement_add(scan=draft, acting_user=users["helmond"], text="Registratie op orde")
    measure = make_measure(title="Registratie verbeteren")
    services.improvement_link_measure(improvement=improvement, measure=measure, acting_user=users["project_leader"])
    assert measure.scan_improvements.get() == improvement
    # the measure page shows the weakness only to who may read the scan in full
    eindhoven = client_for(users["eindhoven"]).get(reverse("measures:measure_detail", args=[measure.pk]))
    assert "Registratie op orde" not in eindhoven.content.decode()
    from programme.models import ActionLine, Programme

    other_programme = Programme.objects.create(name="Aanpak Hart van Brabant", level="regional", region=other_region,
                                               start_date="2023-01-01")
    ActionLine.objects.create(programme=other_programme, number=1, name="Bewustwording")
    foreign = make_measure(other_programme, title="Elders", owner="Tilburg")
    with pytest.raises(ValidationError):
        services.improvement_link_measure(improvement=improvement, measure=foreign,
                                          acting_user=users["project_leader"])
    assert improvement.measure == measure
