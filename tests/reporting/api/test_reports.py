"""The approved report's snapshot through the API: the national team gets the published value, never the exact one."""

import pytest
from django.urls import reverse

from programme.models import Goal
from programme.portal import extensions
from reporting.reports import services

from .conftest import api_client, token_for

pytestmark = pytest.mark.django_db


def _goal_actual(content, code):
    return next(goal["actual"] for line in content["action_lines"] for goal in line["goals"] if goal["code"] == code)


def test_a_small_goal_value_in_the_snapshot_is_hidden_from_the_national_team(users, programme, draft, monkeypatch,
                                                                             mailed):
    goal = Goal.objects.get(action_line__programme=programme, code="1.2")  # Veilig Thuis advice requests: protected
    monkeypatch.setattr(extensions, "goal_actuals_providers",
                        [lambda request, goals: {goal.pk: {"value": 3, "label": "K1 2026"}}])
    with mailed():
        services.report_submit(report=draft, acting_user=users["project_leader"])
        report = services.report_approve(report=draft, acting_user=users["steering_group"])
    url = reverse("reporting:api-reports-detail", args=[report.pk])
    national = _goal_actual(api_client(token_for(users["national"])).get(url).json()["content"], "1.2")
    regional = _goal_actual(api_client(token_for(users["helmond"])).get(url).json()["content"], "1.2")
    assert regional["value"] == 3 and regional["display"] == 3
    assert national["value"] == "<5" and national["display"] == "<5" and national["suppressed"] is True
    assert "3" not in str({k: v for k, v in national.items() if k not in ("label",)})
