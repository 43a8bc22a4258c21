"""Framework pages: who sees what, who edits what, and that a concurrent edit is not lost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from programme.models import ActionLine, ChangeRecord, Goal, Programme, Theme

from ..permissions import assert_permissions, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def regional(users):
    return Programme.objects.get(level="regional")


def test_home_fits_the_role(users):
    page = client_for(users["project_leader"]).get(reverse("home")).content.decode()
    assert "Als projectleider" in page and "Regionaal programma" in page
    page = client_for(users["national"]).get(reverse("home")).content.decode()
    assert "Als landelijk programmateam" in page and "Als projectleider" not in page
    page = client_for(users["no_role"]).get(reverse("home")).content.decode()
    assert "nog geen rol" in page
    page = client_for(users["admin"]).get(reverse("home")).content.decode()
    assert reverse("admin:index") in page


def test_home_is_dutch_even_for_an_english_browser(users):
    response = client_for(users["helmond"]).get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert "Welkom" in response.content.decode()


def test_language_switch_is_remembered(users):
    client = client_for(users["helmond"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Welcome" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert "Welkom" in client.get(reverse("home")).content.decode()


def test_programme_pages_permissions(users, regional):
    everyone_of_region = [users[k] for k in ("project_leader", "helmond", "eindhoven", "veilig_thuis",
                                             "steering_group", "national", "admin")]
    assert_permissions(reverse("programme:programme_list"), allowed=everyone_of_region, outside=[],
                       no_role=users["no_role"], expect=200)
    assert_permissions(reverse("programme:programme_detail", args=[regional.pk]), allowed=everyone_of_region,
                       outside=[users["other_region"]], no_role=users["no_role"], expect=200)


def test_programme_page_shows_framework_and_succession(users, regional):
    url = reverse("programme:programme_detail", args=[regional.pk])
    page = client_for(users["helmond"]).get(url).content.decode()
    assert page.count("Actielijn ") >= 3
    assert "Alle gemeenten van de regio nemen deel aan de MDA++-aanpak" in page
    assert "Geweld hoort nergens thuis" in page
    assert "voortgezet in Toekomstscenario Kind- en Gezinsbescherming vanaf 1 juni 2022" in page
    assert "Nieuwe actielijn" not in page  # a policy adviser reads only


def test_national_programme_shows_successor(users):
    ghnt = Programme.objects.get(short_name="GHNT")
    url = reverse("programme:programme_detail", args=[ghnt.pk])
    page = client_for(users["steering_group"]).get(url).content.decode()
    assert "Voortgezet in" in page and "Toekomstscenario Kind- en Gezinsbescherming" in page


def test_edit_views_permissions(users, regional):
    line = regional.action_lines.first()
    goal = line.goals.first()
    theme = line.themes.first()
    readers = [users[k] for k in ("helmond", "veilig_thuis", "steering_group", "national")]
    for url in [
        reverse("programme:action_line_create", args=[regional.pk]),
        reverse("programme:action_line_update", args=[line.pk]),
        reverse("programme:goal_create", args=[line.pk]),
        reverse("programme:goal_update", args=[goal.pk]),
        reverse("programme:theme_create", args=[line.pk]),
        reverse("programme:theme_update", args=[theme.pk]),
    ]:
        assert_permissions(url, allowed=[users["project_leader"], users["admin"]],
                           outside=[users["other_region"], users["other_project_leader"]],
                           denied=readers, no_role=users["no_role"], expect=200)


def test_project_leader_creates_goal_with_log(users, regional):
    line = regional.action_lines.get(number=2)
    client = client_for(users["project_leader"])
    response = client.post(reverse("programme:goal_create", args=[line.pk]), {
        "code": "2.9", "title": "Nieuw doel", "baseline": "10", "target": "20", "direction": "higher",
        "unit": "trainingen",
        "deadline": "2026-12-31"})
    assert response.status_code == 302
    goal = Goal.objects.get(code="2.9")
    record = ChangeRecord.objects.get(object_id=goal.pk, action="create", content_type__model="goal")
    assert record.user == users["project_leader"] and record.changes["title"] == [None, "Nieuw doel"]
    page = client.get(reverse("programme:programme_detail", args=[regional.pk])).content.decode()
    assert "Nieuw doel" in page


def test_duplicate_goal_code_gets_dutch_message_and_saves_nothing(users, regional):
    line = regional.action_lines.get(number=1)
    before = Goal.objects.count()
    response = client_for(users["project_leader"]).post(
        reverse("programme:goal_create", args=[line.pk]), {"code": "1.1", "title": "Dubbel"})
    assert response.status_code == 200
    assert "Deze actielijn heeft al een doel met deze code." in response.content.decode()
    assert Goal.objects.count() == before


def test_policy_adviser_cannot_post_an_edit(users, regional):
    line = regional.action_lines.first()
    response = client_for(users["helmond"]).post(
        reverse("programme:action_line_update", args=[line.pk]), {"number": 1, "name": "Gekaapt", "version": 1})
    assert response.status_code == 403
    assert ActionLine.objects.get(pk=line.pk).name != "Gekaapt"


def test_second_save_of_the_same_version_is_refused_and_input_kept(users, regional):
    theme = Theme.objects.filter(action_line__programme=regional).first()
    url = reverse("programme:theme_update", args=[theme.pk])
    first = client_for(users["project_leader"])
    second = client_for(users["admin"])
    version = theme.version
    old_name = theme.name
    assert first.post(url, {"name": "Versie van Priya", "version": version}).status_code == 302
    record = ChangeRecord.objects.filter(object_id=theme.pk, content_type__model="theme", action="update").first()
    assert record.changes["name"] == [old_name, "Versie van Priya"] and record.user == users["project_leader"]
    response = second.post(url, {"name": "Versie van de beheerder", "version": version})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders heeft dit als eerste gewijzigd" in page
    assert "Versie van Priya" in page and 'value="Versie van de beheerder"' in page
    assert Theme.objects.get(pk=theme.pk).name == "Versie van Priya"
    # Saving again from the conflict form deliberately applies the second person's input.
    new_version = Theme.objects.get(pk=theme.pk).version
    assert second.post(url, {"name": "Versie van de beheerder", "version": new_version}).status_code == 302
    assert Theme.objects.get(pk=theme.pk).name == "Versie van de beheerder"


def test_organisation_list_visible_to_all_roles_with_inhabitants(users):
    for key in ("project_leader", "helmond", "veilig_thuis", "steering_group", "national"):
        page = client_for(users[key]).get(reverse("programme:organisation_list")).content.decode()
        assert "GM0794" in page and "90.911" in page and "Veilig Thuis Oost-Brabant" in page
        assert "schatting" in page
    assert "Tilburg" not in client_for(users["helmond"]).get(reverse("programme:organisation_list")).content.decode()
    assert_permissions(reverse("programme:organisation_list"), allowed=[users["helmond"]], outside=[],
                       no_role=users["no_role"], expect=200)


def test_organisation_detail_scoped(users):
    from programme.models import Organisation

    tilburg = Organisation.objects.get(name="Tilburg")
    helmond = Organisation.objects.get(name="Helmond")
    assert_permissions(reverse("programme:organisation_detail", args=[helmond.pk]),
                       allowed=[users["helmond"], users["national"]], outside=[users["other_region"]],
                       no_role=users["no_role"], expect=200)
    url = reverse("programme:organisation_detail", args=[tilburg.pk])
    assert client_for(users["helmond"]).get(url).status_code == 404


def _queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_programme_page_query_count_does_not_grow(users, regional):
    client = client_for(users["helmond"])
    url = reverse("programme:programme_detail", args=[regional.pk])
    small = _queries(client, url)
    for line in regional.action_lines.all():
        for i in range(15):
            Goal.objects.create(action_line=line, code=f"x{i}", title=f"Extra doel {i}")
            Theme.objects.create(action_line=line, name=f"Extra thema {i}")
    assert _queries(client, url) == small
    list_small = _queries(client, reverse("programme:organisation_list"))
    assert list_small == _queries(client, reverse("programme:organisation_list"))
