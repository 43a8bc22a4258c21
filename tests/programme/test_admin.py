"""The administrator manages users, organisations and memberships in the Dutch admin."""

import pytest
from django.urls import reverse

from programme.models import Membership, Organisation, Role

from ..permissions import client_for

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "name", ["auth_user_changelist", "programme_organisation_changelist", "programme_membership_changelist",
             "programme_indicator_changelist", "programme_region_changelist"],
)
def test_admin_pages_are_dutch(users, name):
    response = client_for(users["admin"]).get(reverse(f"admin:{name}"))
    assert response.status_code == 200
    assert "Beheer GHNT-portaal" in response.content.decode()


def test_admin_adds_a_membership(users):
    helmond = Organisation.objects.get(name="Helmond")
    client = client_for(users["admin"])
    response = client.post(reverse("admin:programme_membership_add"), {
        "user": users["no_role"].pk, "organisation": helmond.pk, "role": Role.POLICY_ADVISER})
    assert response.status_code == 302
    assert Membership.objects.filter(user=users["no_role"], organisation=helmond).exists()


def test_admin_refuses_bad_cbs_code_in_dutch(users):
    region = Organisation.objects.get(name="Helmond").region
    response = client_for(users["admin"]).post(reverse("admin:programme_organisation_add"), {
        "name": "Nieuwe gemeente", "kind": "municipality", "region": region.pk, "cbs_code": "XX12",
        "populations-TOTAL_FORMS": "0", "populations-INITIAL_FORMS": "0"})
    assert response.status_code == 200
    assert "gevolgd door vier cijfers" in response.content.decode()
    assert not Organisation.objects.filter(name="Nieuwe gemeente").exists()


def test_policy_adviser_has_no_admin(users):
    response = client_for(users["helmond"]).get(reverse("admin:index"))
    assert response.status_code == 302


def test_second_factor_admin_speaks_dutch(users):
    """'OTP_TOTP' and 'Static devices' stood in English on the admin index."""
    page = client_for(users["admin"]).get(reverse("admin:index")).content.decode()
    for english in ("OTP_TOTP", "Otp_Totp", "OTP_Static", "Otp_Static", "Static devices", "TOTP devices"):
        assert english not in page, english
    assert "Tweestapsverificatie: authenticator-apps" in page and "Sets reservecodes" in page


def test_dutch_names_of_third_party_models_need_no_migration():
    import io

    from django.core.management import call_command

    call_command("makemigrations", "otp_totp", "otp_static", "--check", "--dry-run", stdout=io.StringIO())
