"""The OpenAPI schema validates by drf-spectacular's own check; the Dutch docs page; throttling per token."""

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse
from drf_spectacular.validation import validate_schema

from reporting.api.throttling import TokenRateThrottle

from ...permissions import assert_permissions, client_for
from .conftest import api_client, token_for

pytestmark = pytest.mark.django_db


def test_the_schema_generates_without_a_warning_and_validates(tmp_path):
    target = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    assert "/api/v1/figures/" in schema["paths"] and "tokenAuth" in schema["components"]["securitySchemes"]


def test_the_schema_is_served_at_api_v1_schema(users):
    response = api_client(token_for(users["national"])).get(reverse("reporting:api_schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    parameters = {p["name"] for p in schema["paths"]["/api/v1/figures/"]["get"]["parameters"]}
    assert {"indicator", "period_from", "period_to", "municipality", "source", "cursor", "page_size"} <= parameters
    assert api_client(None).get(reverse("reporting:api_schema")).status_code == 401


def test_the_dutch_page_explains_power_bi_excel_r_and_python(users):
    url = reverse("reporting:api_docs")
    assert_permissions(url, allowed=[users["helmond"], users["national"]], outside=[], no_role=users["no_role"],
                       expect=200)
    page = client_for(users["helmond"]).get(url).content.decode()
    for text in ("Power BI", "Excel", "library(httr2)", "import os, requests", "Authorization", "/api/v1/figures/",
                 "1000 verzoeken per uur"):
        assert text in page, text


def test_the_user_menu_links_to_my_api_tokens(users):
    page = client_for(users["helmond"]).get(reverse("home")).content.decode()
    assert reverse("reporting:api_token_list") in page and "Mijn API-sleutels" in page


def test_throttling_counts_per_token(users, monkeypatch):
    monkeypatch.setattr(TokenRateThrottle, "get_rate", lambda self: "3/hour")
    first, second = api_client(token_for(users["helmond"])), api_client(token_for(users["helmond"], name="R"))
    url = reverse("reporting:api-regions-list")
    assert [first.get(url).status_code for _ in range(4)] == [200, 200, 200, 429]
    assert second.get(url).status_code == 200  # another token has its own budget
    assert "Retry-After" in first.get(url)
