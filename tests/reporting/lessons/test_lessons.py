"""Lessons learned: the project leader records them; the national team sees the shared ones of every region only."""

import datetime

import pytest
from django.urls import reverse

from programme.models import ChangeRecord, Programme
from reporting.models import Lesson

from ...permissions import assert_permissions, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_programme(other_region):
    return Programme.objects.create(name="Aanpak Hart van Brabant", level="regional", region=other_region,
                                    start_date=datetime.date(2023, 1, 1))


@pytest.fixture
def lessons(users, programme, other_programme):
    pl, other = users["project_leader"], users["other_project_leader"]
    return {
        "shared": Lesson.objects.create(programme=programme, text="Vaste contactpersoon werkt",
                                        shared_with_national_team=True, created_by=pl),
        "private": Lesson.objects.create(programme=programme, text="Wethouders willen kort", created_by=pl),
        "other_shared": Lesson.objects.create(programme=other_programme, text="Tilburgse les",
                                              shared_with_national_team=True, created_by=other),
        "other_private": Lesson.objects.create(programme=other_programme, text="Interne Tilburgse les",
                                               created_by=other),
    }


def _texts(user):
    page = client_for(user).get(reverse("reporting:lesson_list")).content.decode()
    return {text for text in ("Vaste contactpersoon werkt", "Wethouders willen kort", "Tilburgse les",
                              "Interne Tilburgse les") if f">{text}<" in page}


def test_who_sees_which_lessons(users, lessons):
    assert _texts(users["national"]) == {"Vaste contactpersoon werkt", "Tilburgse les"}
    assert _texts(users["helmond"]) == {"Vaste contactpersoon werkt", "Wethouders willen kort"}
    assert _texts(users["other_project_leader"]) == {"Tilburgse les", "Interne Tilburgse les"}


def test_permissions(users, lessons):
    assert_permissions(reverse("reporting:lesson_list"),
                       allowed=[users[k] for k in ("project_leader", "helmond", "steering_group", "national")],
                       outside=[], no_role=users["no_role"], expect=200)
    assert_permissions(reverse("reporting:lesson_create"), allowed=[users["project_leader"]], outside=[],
                       denied=[users["helmond"], users["steering_group"], users["national"]],
                       no_role=users["no_role"], expect=200)
    assert_permissions(reverse("reporting:lesson_edit", args=[lessons["private"].pk]),
                       allowed=[users["project_leader"]], outside=[users["other_project_leader"], users["national"]],
                       denied=[users["helmond"], users["steering_group"]], no_role=users["no_role"], expect=200)
    assert_permissions(reverse("reporting:lesson_edit", args=[lessons["shared"].pk]),
                       allowed=[users["project_leader"]], outside=[users["other_region"]],
                       denied=[users["national"]], no_role=users["no_role"], expect=200)


def test_project_leader_records_and_shares_a_lesson(users, programme, q1):
    client = client_for(users["project_leader"])
    response = client.post(reverse("reporting:lesson_create"), {
        "programme": programme.pk, "text": "Ervaringsdeskundigen vergroten bereik", "period": q1.pk,
        "shared_with_national_team": "on"})
    assert response.status_code == 302
    lesson = Lesson.objects.get(text="Ervaringsdeskundigen vergroten bereik")
    assert lesson.shared_with_national_team and lesson.period == q1
    assert ChangeRecord.objects.filter(content_type__model="lesson", object_id=lesson.pk, action="create").exists()
    response = client.post(reverse("reporting:lesson_edit", args=[lesson.pk]), {
        "text": lesson.text, "period": q1.pk, "version": lesson.version})
    assert response.status_code == 302
    assert not Lesson.objects.get(pk=lesson.pk).shared_with_national_team
    record = ChangeRecord.objects.get(content_type__model="lesson", object_id=lesson.pk, action="update")
    assert record.changes["shared_with_national_team"] == [True, False]
    assert "Ervaringsdeskundigen" not in client_for(users["national"]).get(
        reverse("reporting:lesson_list")).content.decode()


def test_empty_lesson_gets_a_dutch_message(users, programme):
    response = client_for(users["project_leader"]).post(reverse("reporting:lesson_create"),
                                                        {"programme": programme.pk, "text": ""})
    assert response.status_code == 200 and "Dit veld is verplicht." in response.content.decode()
    assert not Lesson.objects.exists()
