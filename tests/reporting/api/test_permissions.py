"""Every endpoint, every case with one exact status: no token 401, revoked 401, no role 403, allowed 200, another
region's object 404, the national team no drafts, no bottlenecks and only shared lessons."""

from decimal import Decimal

import pytest
from django.urls import reverse

from programme.models import Indicator, Organisation, Programme, Region
from reporting.api.services import api_token_revoke
from reporting.bottlenecks.services import bottleneck_create
from reporting.lessons.services import lesson_create
from reporting.models import ApiToken, Figure
from reporting.reports import services as reports_services

from ..factories import make_measure, period
from .conftest import api_client, token_for

pytestmark = pytest.mark.django_db

LISTS = ["regions", "organisations", "programmes", "action-lines", "goals", "themes", "national-measures",
         "indicators", "periods", "measures", "figures", "reports", "bottlenecks", "lessons"]


@pytest.fixture
def world(users, programme, q1, mailed):
    """One of everything in Zuidoost-Brabant: a measure, a figure, a bottleneck, a private and a shared lesson,
    an approved report and a draft; and a figure of Tilburg in the other region."""
    measure = make_measure(programme)
    indicator = Indicator.objects.get(code="meldingen-vt")
    figure = Figure.objects.create(indicator=indicator, organisation=Organisation.objects.get(name="Helmond"),
                                   period=q1, source="veilig_thuis", value=Decimal(3))
    tilburg = Figure.objects.create(indicator=indicator, organisation=Organisation.objects.get(name="Tilburg"),
                                    period=q1, source="veilig_thuis", value=Decimal(12))
    bottleneck = bottleneck_create(acting_user=users["project_leader"], title="Wachtlijst", description="Te lang",
                                   severity="high", measure=measure)
    private = lesson_create(programme=programme, acting_user=users["project_leader"], text="Intern")
    shared = lesson_create(programme=programme, acting_user=users["project_leader"], text="Gedeeld",
                           shared_with_national_team=True)
    approved = reports_services.report_create(programme=programme, period=period(2025, 4),
                                              acting_user=users["project_leader"])
    with mailed():
        reports_services.report_submit(report=approved, acting_user=users["project_leader"])
        reports_services.report_approve(report=approved, acting_user=users["steering_group"])
    draft = reports_services.report_create(programme=programme, period=q1, acting_user=users["project_leader"])
    return {"measures": measure, "figures": figure, "tilburg_figure": tilburg, "bottlenecks": bottleneck,
            "lessons": private, "shared_lesson": shared, "reports": approved, "draft": draft,
            "programmes": programme, "action-lines": programme.action_lines.first(),
            "organisations": Organisation.objects.get(name="Helmond"),
            "regions": Region.objects.get(code="zuidoost-brabant")}


def _url(name, pk=None):
    return reverse(f"reporting:api-{name}-detail", args=[pk]) if pk else reverse(f"reporting:api-{name}-list")


def _ids(client, name):
    response = client.get(_url(name), {"page_size": 1000})
    assert response.status_code == 200, (name, response.status_code)
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("name", LISTS)
def test_without_a_valid_token_every_endpoint_is_401_and_without_a_role_403(users, world, name):
    assert api_client(None).get(_url(name)).status_code == 401
    key = token_for(users["helmond"])
    assert api_client(key).get(_url(name)).status_code == 200
    api_token_revoke(token=ApiToken.objects.get(user=users["helmond"]), acting_user=users["helmond"])
    assert api_client(key).get(_url(name)).status_code == 401
    assert api_client(token_for(users["no_role"])).get(_url(name)).status_code == 403


@pytest.mark.parametrize("name", ["regions", "organisations", "programmes", "action-lines", "measures", "figures",
                                  "reports", "bottlenecks", "lessons"])
def test_another_regions_object_is_404_and_the_own_regions_200(users, world, name):
    pk = world[name].pk
    assert api_client(token_for(users["helmond"])).get(_url(name, pk)).status_code == 200
    assert api_client(token_for(users["other_region"])).get(_url(name, pk)).status_code == 404


def test_a_regional_user_does_not_see_the_other_regions_figures(users, world):
    helmond = api_client(token_for(users["helmond"]))
    assert _ids(helmond, "figures") == {world["figures"].pk}
    assert helmond.get(_url("figures", world["tilburg_figure"].pk)).status_code == 404
    tilburg = Organisation.objects.get(name="Tilburg")
    assert helmond.get(_url("organisations", tilburg.pk)).status_code == 404


def test_the_national_team_sees_approved_reports_only_no_bottlenecks_no_measures_and_shared_lessons(users, world):
    national = api_client(token_for(users["national"]))
    assert _ids(national, "reports") == {world["reports"].pk}
    assert national.get(_url("reports", world["draft"].pk)).status_code == 404
    assert _ids(national, "bottlenecks") == set()
    assert _ids(national, "measures") == set()
    assert _ids(national, "lessons") == {world["shared_lesson"].pk}
    assert national.get(_url("lessons", world["lessons"].pk)).status_code == 404
    assert _ids(national, "figures") == {world["figures"].pk, world["tilburg_figure"].pk}
    assert {p["level"] for p in national.get(_url("programmes")).json()["results"]} >= {"national", "regional"}
    assert Programme.objects.count() == national.get(_url("programmes")).json()["count"]


def test_the_api_lists_approved_reports_only_for_the_region_too(users, world):
    leader = api_client(token_for(users["project_leader"]))
    assert _ids(leader, "reports") == {world["reports"].pk}
    detail = leader.get(_url("reports", world["reports"].pk)).json()
    assert detail["status"] == "approved" and "action_lines" in detail["content"]
