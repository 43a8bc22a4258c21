"""The health check and the error pages that work without a database."""

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import path

from programme.portal.system_views import health

pytestmark = pytest.mark.django_db


def test_health_ok(client):
    response = client.get("/gezondheid/")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}


def test_health_reports_database_down(rf, monkeypatch):
    from django.db import connection

    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = health(rf.get("/gezondheid/"))
    assert response.status_code == 503


def _database_away(request):
    raise OperationalError("server closed the connection unexpectedly")


def _bug(request):
    raise ValueError("secret detail")


urlpatterns = [path("weg/", _database_away), path("fout/", _bug)]
handler500 = "programme.portal.system_views.server_error"


@pytest.mark.urls("tests.programme.test_system")
def test_database_error_gives_a_clean_dutch_page_without_details():
    response = Client(raise_request_exception=False).get("/weg/")
    page = response.content.decode()
    assert response.status_code == 503
    assert "tijdelijk niet beschikbaar" in page
    assert "server closed" not in page and "Traceback" not in page


@pytest.mark.urls("tests.programme.test_system")
def test_other_error_gives_dutch_500_without_details():
    response = Client(raise_request_exception=False).get("/fout/")
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode() and "secret detail" not in response.content.decode()
