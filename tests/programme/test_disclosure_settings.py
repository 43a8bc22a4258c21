"""The threshold and the small-number switch are national settings: only a functional administrator changes
them, and each change is in the audit log."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from programme.models import DisclosureSettings, Indicator
from programme.services.disclosure import (
    disclosure_settings_update,
    disclosure_threshold,
    indicator_suppression_update,
)
from reporting.disclosure import Disclosure

from ..permissions import client_for

pytestmark = pytest.mark.django_db


def test_a_project_leader_cannot_switch_off_the_protection_of_an_indicator(users, audit_log):
    indicator = Indicator.objects.get(code="meldingen-vt")
    client = client_for(users["project_leader"])
    url = reverse("reporting:indicator_update", args=[indicator.pk])
    page = client.get(url).content.decode()
    assert 'name="suppress_small_numbers"' not in page
    data = {"code": indicator.code, "name": indicator.name, "unit": indicator.unit,
            "periodicity": indicator.periodicity, "aggregation_over_organisations": "sum",
            "aggregation_over_time": "sum", "higher_is_better": "unknown", "supplier_kinds": ["safety_house"],
            "version": indicator.version}  # the box left unticked, as a crafted post would
    assert client.post(url, data).status_code == 302
    assert Indicator.objects.get(pk=indicator.pk).suppress_small_numbers
    with pytest.raises(PermissionDenied):
        indicator_suppression_update(indicator=indicator, acting_user=users["project_leader"], suppress=False)
    assert Indicator.objects.get(pk=indicator.pk).suppress_small_numbers
    assert [e["username"] for e in audit_log.events("disclosure_change_refused")] == ["pl"]


def test_a_project_leader_cannot_change_the_threshold_and_the_admin_does_not_offer_it(users, audit_log):
    with pytest.raises(PermissionDenied):
        disclosure_settings_update(acting_user=users["project_leader"], threshold=0)
    assert not DisclosureSettings.objects.exists() and disclosure_threshold() == 4
    staff = users["project_leader"]
    staff.is_staff = True
    staff.save(update_fields=["is_staff"])
    client = client_for(staff)
    assert client.get(reverse("admin:programme_disclosuresettings_changelist")).status_code == 403


def test_an_administrators_change_of_the_threshold_is_audited_and_applies_at_once(users, audit_log):
    client = client_for(users["admin"])
    response = client.post(reverse("admin:programme_disclosuresettings_add"), {"threshold": 9})
    assert response.status_code == 302
    assert DisclosureSettings.objects.get().threshold == 9 and disclosure_threshold() == 9
    change, = audit_log.events("disclosure_threshold_changed")
    assert (change["username"], change["before"], change["after"]) == ("admin", 4, 9)
    outside = Disclosure.for_viewer(users["national"], None)
    assert outside.label == "<10" and outside.count(12, suppress=True) == 10
    disclosure_settings_update(acting_user=users["admin"], threshold=4)
    assert DisclosureSettings.objects.count() == 1 and disclosure_threshold() == 4


def test_an_administrators_switch_in_the_admin_is_audited(users, audit_log):
    indicator = Indicator.objects.get(code="meldingen-vt")
    client = client_for(users["admin"])
    url = reverse("admin:programme_indicator_change", args=[indicator.pk])
    data = {"code": indicator.code, "name": indicator.name, "description": "", "unit": indicator.unit,
            "periodicity": indicator.periodicity, "aggregation_over_organisations": "sum",
            "aggregation_over_time": "sum", "higher_is_better": "unknown", "supplier_kinds": '["safety_house"]',
            "version": indicator.version}
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Indicator.objects.get(pk=indicator.pk).suppress_small_numbers
    switch, = audit_log.events("disclosure_switch_changed")
    assert (switch["username"], switch["indicator"], switch["before"], switch["after"]) == (
        "admin", "meldingen-vt", True, False)
