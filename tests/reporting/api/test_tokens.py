"""Tokens: hashed, shown once, expiry, last use, revoke (owner and administrator), every use audited; 401 cases."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reporting.api import services
from reporting.models import ApiToken
from reporting.models.api import token_hash

from ...permissions import client_for
from .conftest import api_client, token_for

pytestmark = pytest.mark.django_db

REGIONS = reverse("reporting:api-regions-list")


def test_the_token_page_shows_the_key_once_and_stores_only_its_hash(users):
    client = client_for(users["helmond"])
    expires = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()
    response = client.post(reverse("reporting:api_token_list"), {"name": "Power BI", "expires_on": expires})
    assert response.status_code == 200
    key = response.context["new_key"]
    assert key.startswith("ghnt_") and key in response.content.decode()
    assert "no-cache" in response["Cache-Control"]
    token = ApiToken.objects.get(user=users["helmond"])
    assert token.key_hash == token_hash(key) and key not in repr(list(ApiToken.objects.values()))
    again = client.get(reverse("reporting:api_token_list"))
    assert key not in again.content.decode() and token.prefix in again.content.decode()
    assert api_client(key).get(REGIONS).status_code == 200


def test_the_token_page_refuses_an_expiry_beyond_a_year(users):
    client = client_for(users["helmond"])
    expires = (timezone.localdate() + datetime.timedelta(days=400)).isoformat()
    response = client.post(reverse("reporting:api_token_list"), {"name": "R", "expires_on": expires})
    assert response.status_code == 200 and response.context["new_key"] is None
    assert not ApiToken.objects.exists()


def test_token_page_permissions(users):
    assert client_for(None).get(reverse("reporting:api_token_list")).status_code == 302
    assert client_for(users["no_role"]).get(reverse("reporting:api_token_list")).status_code == 403
    assert client_for(users["national"]).get(reverse("reporting:api_token_list")).status_code == 200


@pytest.mark.parametrize("header", [None, "Token ghnt_unknown", "Token", "Bearer nonsense"])
def test_no_or_an_unknown_token_is_401(users, header):
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=header) if header else Client()
    response = client.get(REGIONS)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"


def test_a_revoked_token_is_401_and_only_its_owner_or_an_administrator_revokes_it(users, audit_log):
    key = token_for(users["helmond"])
    token = ApiToken.objects.get(user=users["helmond"])
    other = client_for(users["eindhoven"])
    assert other.post(reverse("reporting:api_token_revoke", args=[token.pk])).status_code == 404
    with pytest.raises(services.PermissionDenied):
        services.api_token_revoke(token=token, acting_user=users["eindhoven"])
    assert api_client(key).get(REGIONS).status_code == 200
    response = client_for(users["helmond"]).post(reverse("reporting:api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    assert api_client(key).get(REGIONS).status_code == 401
    second = token_for(users["helmond"], name="R")
    services.api_token_revoke(token=ApiToken.objects.get(name="R"), acting_user=users["admin"])
    assert api_client(second).get(REGIONS).status_code == 401


def test_the_administrator_revokes_in_the_admin(users):
    key = token_for(users["helmond"])
    token = ApiToken.objects.get()
    response = client_for(users["admin"]).post(reverse("admin:reporting_apitoken_changelist"),
                                               {"action": "revoke", "_selected_action": [token.pk]})
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == users["admin"]
    assert api_client(key).get(REGIONS).status_code == 401


def test_an_expired_token_or_a_deactivated_user_is_401(users):
    key = token_for(users["helmond"])
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert api_client(key).get(REGIONS).status_code == 401
    key = token_for(users["eindhoven"])
    users["eindhoven"].is_active = False
    users["eindhoven"].save(update_fields=["is_active"])
    assert api_client(key).get(REGIONS).status_code == 401


def test_no_role_is_403(users):
    assert api_client(token_for(users["no_role"])).get(REGIONS).status_code == 403


def test_every_use_is_audited_and_the_last_use_recorded(users, audit_log, django_capture_on_commit_callbacks):
    key = token_for(users["helmond"])
    with django_capture_on_commit_callbacks(execute=True):
        assert api_client(key).get(REGIONS, {"page": 1}).status_code == 200
        assert api_client("ghnt_wrong").get(REGIONS).status_code == 401
    used = audit_log.events("api_token_used")
    assert len(used) == 1 and used[0]["user_id"] == users["helmond"].pk and used[0]["query"] == "page=1"
    assert len(audit_log.events("api_token_refused")) == 1
    assert ApiToken.objects.get().last_used_at is not None


def test_session_login_works_in_the_browser(users):
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client_for(users["helmond"]).get(REGIONS, HTTP_ACCEPT=browser)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert response.json()["count"] == 1
