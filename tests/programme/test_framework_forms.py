"""The form pages of the framework (action lines, goals, themes): the round trip a project leader makes."""

import pytest
from django.urls import reverse

from programme.models import ActionLine, ChangeRecord, Indicator, Programme

from ..permissions import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def regional(users):
    return Programme.objects.get(level="regional")


def test_project_leader_adds_an_action_line_then_a_stale_edit_is_refused(users, regional):
    client = client_for(users["project_leader"])
    detail = reverse("programme:programme_detail", args=[regional.pk])
    response = client.post(
        reverse("programme:action_line_create", args=[regional.pk]), {"number": 9, "name": "Nieuwe actielijn"}
    )
    assert response.status_code == 302 and response["Location"] == detail
    line = ActionLine.objects.get(programme=regional, number=9)
    created = ChangeRecord.objects.filter(object_id=line.pk, content_type__model="actionline", action="create")
    assert created.count() == 1

    url = reverse("programme:action_line_update", args=[line.pk])
    page = client.get(url).content.decode()
    assert "Actielijn bewerken" in page and f'name="version" value="{line.version}"' in page
    response = client.post(url, {"number": 9, "name": "Hernoemd", "version": line.version})
    assert response.status_code == 302 and response["Location"] == detail
    response = client.post(url, {"number": 9, "name": "Te laat", "version": line.version})
    assert response.status_code == 200
    assert "Iemand anders heeft dit als eerste gewijzigd" in response.content.decode()
    assert ActionLine.objects.get(pk=line.pk).name == "Hernoemd"


def test_goal_form_offers_the_indicators_by_name(users, regional):
    line = regional.action_lines.first()
    response = client_for(users["project_leader"]).get(reverse("programme:goal_create", args=[line.pk]))
    choices = [label for value, label in response.context["form"].fields["indicator"].choices if value]
    assert choices == [indicator.name for indicator in Indicator.objects.order_by("name")]
    assert len(choices) > 1


def test_anonymous_user_is_sent_to_login_and_back(regional):
    url = reverse("programme:action_line_create", args=[regional.pk])
    response = client_for(None).get(url)
    assert response.status_code == 302 and response["Location"] == f"{reverse('login')}?next={url}"


def test_form_pages_answer_only_get_and_post(users, regional):
    line = regional.action_lines.first()
    response = client_for(users["project_leader"]).put(reverse("programme:action_line_update", args=[line.pk]))
    assert response.status_code == 405
