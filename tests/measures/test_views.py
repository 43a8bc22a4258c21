"""Measure pages: who sees and edits what, bad input in Dutch, conflicts kept, list, history and funding."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from measures.models import Assessment, Measure, MeasureStatus, MeasureUpdate, Participation
from measures.services import measures as measure_services
from measures.services import updates as update_services
from programme.models import ChangeRecord, Goal, Organisation

from ..permissions import assert_permissions, client_for

pytestmark = pytest.mark.django_db

REGION_READERS = ("project_leader", "helmond", "eindhoven", "veilig_thuis", "steering_group", "admin")


def _users(users, *keys):
    return [users[k] for k in keys]


def _post_update(measure, user, period, **extra):
    data = {"status": "in_progress", "health": "on_track", "progress": 20, "narrative": "Gestart.",
            "spent": Decimal("1000")}
    data.update(extra)
    return update_services.measure_update_post(measure=measure, acting_user=user, period=period, **data)


# Permissions: the four cases for every view ------------------------------------------------------------

def test_read_views_permissions(users, make_measure):
    measure = make_measure()
    for url in [
        reverse("measures:measure_detail", args=[measure.pk]),
    ]:
        assert_permissions(url, allowed=_users(users, *REGION_READERS), denied=[users["national"]],
                           outside=[users["other_region"], users["other_project_leader"]], no_role=users["no_role"],
                           expect=200)
    for url in [
        reverse("measures:measure_list"),
        reverse("measures:measure_export", args=["xlsx"]),
        reverse("measures:measure_export", args=["csv"]),
    ]:
        # A list has nothing out of scope to 404 on: another region's user gets their own (empty) list.
        assert_permissions(url, allowed=_users(users, *REGION_READERS, "other_region"), denied=[users["national"]],
                           outside=[], no_role=users["no_role"], expect=200)


def test_edit_views_permissions(users, make_measure, periods):
    measure = make_measure(accepted=True)
    update = _post_update(measure, users["helmond"], periods["2024KW01"])
    participation = Participation.objects.create(measure=measure, organisation=Organisation.objects.get(
        name="Deurne"), joined_on=datetime.date(2024, 1, 1))
    editors = _users(users, "helmond", "project_leader", "admin")
    # Readers of the region find no edit page for a measure that is not theirs (404, out of their scope);
    # the national team has no measure pages at all (403).
    readers = _users(users, "eindhoven", "veilig_thuis", "steering_group")
    for url in [
        reverse("measures:measure_update", args=[measure.pk]),
        reverse("measures:measure_delete", args=[measure.pk]),
        reverse("measures:update_create", args=[measure.pk]),
        reverse("measures:update_edit", args=[update.pk]),
        reverse("measures:participation_create", args=[measure.pk]),
        reverse("measures:participation_update", args=[participation.pk]),
        reverse("measures:participation_delete", args=[participation.pk]),
    ]:
        assert_permissions(url, allowed=editors, denied=[users["national"]],
                           outside=[*readers, users["other_region"], users["other_project_leader"]],
                           no_role=users["no_role"], expect=200)


def test_create_view_permissions(users):
    assert_permissions(reverse("measures:measure_create"),
                       allowed=_users(users, "helmond", "eindhoven", "veilig_thuis", "project_leader", "admin"),
                       denied=_users(users, "steering_group", "national"), outside=[], no_role=users["no_role"],
                       expect=200)


def test_assess_and_history_permissions(users, make_measure):
    measure = make_measure()
    outside = [users["other_region"], users["other_project_leader"]]
    assert_permissions(reverse("measures:measure_assess", args=[measure.pk]),
                       allowed=_users(users, "project_leader", "admin"),
                       denied=_users(users, "helmond", "eindhoven", "veilig_thuis", "steering_group", "national"),
                       outside=outside, no_role=users["no_role"], expect=200)
    assert_permissions(reverse("measures:measure_history", args=[measure.pk]),
                       allowed=_users(users, "helmond", "project_leader", "steering_group", "admin"),
                       denied=_users(users, "eindhoven", "veilig_thuis", "national"),
                       outside=outside, no_role=users["no_role"], expect=200)


def test_funding_permissions(users, programme):
    region = programme.region
    assert_permissions(reverse("measures:funding", args=[region.pk]), allowed=_users(users, *REGION_READERS),
                       denied=[users["national"]], outside=[users["other_region"]], no_role=users["no_role"],
                       expect=200)
    assert_permissions(reverse("measures:funding_home"), allowed=_users(users, *REGION_READERS),
                       denied=[users["national"]], outside=[], no_role=users["no_role"], expect=302,
                       location=reverse("measures:funding", args=[region.pk]))


def test_national_team_has_no_measures_menu(users):
    assert "Maatregelen" not in client_for(users["national"]).get(reverse("home")).content.decode()
    assert "Maatregelen" in client_for(users["helmond"]).get(reverse("home")).content.decode()


# Creating, editing and bad input --------------------------------------------------------------------------

def _form_data(programme, **extra):
    line = programme.action_lines.get(number=2)
    data = {
        "title": "Pilot buurtnetwerk",
        "description": "Buurtbewoners leren signalen herkennen.",
        "action_line": line.pk,
        "goals": [line.goals.first().pk],
        "themes": [line.themes.first().pk],
        "owner": Organisation.objects.get(name="Helmond").pk,
        "contact_name": "Henk de Vries",
        "start_date": "2025-01-01",
        "end_date": "2025-12-31",
        "budget": "15000",
        "participants": [Organisation.objects.get(name="Deurne").pk],
    }
    data.update(extra)
    return data


def test_adviser_creates_a_proposal(users, programme):
    response = client_for(users["helmond"]).post(reverse("measures:measure_create"), _form_data(programme))
    measure = Measure.objects.get(title="Pilot buurtnetwerk")
    assert response.status_code == 302 and response["Location"] == reverse("measures:measure_detail", args=[measure.pk])
    assert measure.status == MeasureStatus.PROPOSED and measure.programme == programme
    assert measure.participations.get().joined_on == datetime.date(2025, 1, 1)
    page = client_for(users["helmond"]).get(response["Location"]).content.decode()
    assert "Voorgesteld" in page and "Deurne" in page


def test_adviser_cannot_choose_another_owner(users, programme):
    data = _form_data(programme, owner=Organisation.objects.get(name="Eindhoven").pk)
    response = client_for(users["helmond"]).post(reverse("measures:measure_create"), data)
    assert response.status_code == 200
    assert "U kunt alleen maatregelen voor uw eigen organisatie invoeren." in response.content.decode()
    assert not Measure.objects.exists()


def test_project_leader_may_choose_any_owner_of_the_region(users, programme):
    data = _form_data(programme, owner=Organisation.objects.get(name="Deurne").pk)
    assert client_for(users["project_leader"]).post(reverse("measures:measure_create"), data).status_code == 302
    assert Measure.objects.get().owner.name == "Deurne"


@pytest.mark.parametrize(
    "change, message",
    [
        ({"start_date": "2025-06-01", "end_date": "2025-01-01"}, "De einddatum kan niet voor de begindatum liggen."),
        ({"budget": "-100"}, "Het budget kan niet negatief zijn."),
        ({"goals": "GOAL_OF_LINE_1"}, "Deze doelen horen bij een andere actielijn dan de gekozen actielijn: 1.1."),
        ({"participants": "TILBURG"}, "Alleen organisaties uit de regio kunnen deelnemen"),
    ],
)
def test_bad_measure_input_shows_dutch_message_next_to_field(users, programme, change, message):
    if change.get("goals") == "GOAL_OF_LINE_1":
        change = {"goals": [Goal.objects.get(code="1.1", action_line__programme=programme).pk]}
    if change.get("participants") == "TILBURG":
        change = {"participants": [Organisation.objects.get(name="Tilburg").pk]}
    response = client_for(users["helmond"]).post(reverse("measures:measure_create"), _form_data(programme, **change))
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert "invalid-feedback" in page  # crispy puts the message under the field
    assert not Measure.objects.exists() and not ChangeRecord.objects.filter(content_type__model="measure").exists()


def test_adviser_of_another_organisation_gets_404_on_edit_and_changes_nothing(users, make_measure):
    measure = make_measure(owner="Eindhoven", user=users["eindhoven"])
    response = client_for(users["helmond"]).post(reverse("measures:measure_update", args=[measure.pk]),
                                                 {"title": "Gekaapt", "version": 1})
    assert response.status_code == 404
    assert Measure.objects.get(pk=measure.pk).title != "Gekaapt"


def test_concurrent_edit_shows_what_changed_and_keeps_input(users, programme, make_measure):
    measure = make_measure(title="Origineel", line=2, goals=[])
    url = reverse("measures:measure_update", args=[measure.pk])
    data = _form_data(programme, version=measure.version)
    data.pop("participants")
    assert client_for(users["project_leader"]).post(url, {**data, "title": "Versie van Priya"}).status_code == 302
    response = client_for(users["helmond"]).post(url, {**data, "title": "Versie van Henk"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Iemand anders heeft dit als eerste gewijzigd" in page
    assert "Versie van Priya" in page and 'value="Versie van Henk"' in page
    assert Measure.objects.get(pk=measure.pk).title == "Versie van Priya"


def test_delete_asks_confirmation_and_archives_with_updates(users, make_measure, periods):
    measure = make_measure(accepted=True)
    _post_update(measure, users["helmond"], periods["2024KW01"])
    client = client_for(users["helmond"])
    url = reverse("measures:measure_delete", args=[measure.pk])
    assert "gearchiveerd" in client.get(url).content.decode()
    assert Measure.objects.filter(pk=measure.pk, archived_at__isnull=True).exists()  # a GET changes nothing
    client.post(url, {"version": Measure.objects.get(pk=measure.pk).version})
    assert Measure.objects.get(pk=measure.pk).archived_at is not None
    assert measure.title not in client.get(reverse("measures:measure_list")).content.decode()
    assert measure.title in client.get(reverse("measures:measure_list"), {"archived": "all"}).content.decode()


def test_delete_without_updates(users, make_measure):
    measure = make_measure()
    client = client_for(users["helmond"])
    response = client.post(reverse("measures:measure_delete", args=[measure.pk]), {"version": measure.version})
    assert response.status_code == 302 and not Measure.objects.filter(pk=measure.pk).exists()
    assert ChangeRecord.objects.filter(object_id=measure.pk, action="delete", content_type__model="measure").exists()


# Assessment and updates -----------------------------------------------------------------------------------

def test_project_leader_assesses_and_the_assessment_stays_visible(users, make_measure, programme):
    measure = make_measure()
    goals = Goal.objects.filter(action_line__programme=programme)
    data = {f"goal_{g.pk}": "strong" if g.code == "1.1" else "none" for g in goals}
    data.update({"decision": "accept", "reasons": "Sluit aan op doel 1.1.", "version": measure.version})
    client = client_for(users["project_leader"])
    response = client.post(reverse("measures:measure_assess", args=[measure.pk]), data)
    assert response.status_code == 302
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.PLANNED
    page = client_for(users["eindhoven"]).get(reverse("measures:measure_detail", args=[measure.pk])).content.decode()
    assert "Sluit aan op doel 1.1." in page and "Draagt sterk bij" in page and "Gepland" in page


def test_assessment_without_a_goal_answer_saves_nothing(users, make_measure, programme):
    measure = make_measure()
    response = client_for(users["project_leader"]).post(
        reverse("measures:measure_assess", args=[measure.pk]), {"decision": "accept", "reasons": "Goed."})
    assert response.status_code == 200
    assert "Geef aan hoeveel de maatregel bijdraagt aan dit doel." in response.content.decode()
    assert not Assessment.objects.exists()


def test_update_through_the_form_sets_current_state(users, make_measure, periods):
    measure = make_measure(accepted=True, budget=Decimal("10000"))
    client = client_for(users["helmond"])
    response = client.post(reverse("measures:update_create", args=[measure.pk]), {
        "period": periods["2024KW02"].pk, "status": "in_progress", "health": "at_risk", "progress": 35,
        "narrative": "Vertraging bij de werving.", "spent": "2500", "next_steps": "Extra werving."})
    assert response.status_code == 302
    measure.refresh_from_db()
    assert (measure.status, measure.health, measure.progress) == ("in_progress", "at_risk", 35)
    page = client.get(reverse("measures:measure_detail", args=[measure.pk])).content.decode()
    assert "Vertraging bij de werving." in page and "Risico" in page
    assert "€ 2.500" in page and "25% van het budget is besteed." in page


def test_progress_above_100_shows_dutch_message(users, make_measure, periods):
    measure = make_measure(accepted=True)
    response = client_for(users["helmond"]).post(reverse("measures:update_create", args=[measure.pk]), {
        "period": periods["2024KW02"].pk, "status": "in_progress", "health": "on_track", "progress": 120,
        "narrative": "Te enthousiast.", "spent": "0"})
    assert response.status_code == 200
    assert "De voortgang kan niet meer dan 100% zijn." in response.content.decode()
    assert not MeasureUpdate.objects.exists()


def test_participant_outside_region_on_participation_form(users, make_measure):
    measure = make_measure()
    response = client_for(users["helmond"]).post(reverse("measures:participation_create", args=[measure.pk]), {
        "organisation": Organisation.objects.get(name="Tilburg").pk, "joined_on": "2024-01-01"})
    assert response.status_code == 200
    assert "Alleen organisaties uit de regio kunnen deelnemen" in response.content.decode()
    assert not Participation.objects.exists()


def test_two_people_editing_one_participation_do_not_overwrite_each_other(users, make_measure):
    """The probe: two saves of /deelnames/<pk>/bewerken/ from the same opened form both went through."""
    measure = make_measure()
    participation = Participation.objects.create(measure=measure, organisation=Organisation.objects.get(
        name="Helmond"), joined_on=datetime.date(2024, 1, 1))
    url = reverse("measures:participation_update", args=[participation.pk])
    first, second = client_for(users["helmond"]), client_for(users["project_leader"])
    page = first.get(url).content.decode()
    assert 'name="version" value="1"' in page
    assert first.post(url, {"joined_on": "2024-02-01", "version": "1"}).status_code == 302
    response = second.post(url, {"joined_on": "2024-03-01", "version": "1"})
    assert response.status_code == 200 and "Iemand anders heeft dit gegeven opgeslagen" in response.content.decode()
    assert Participation.objects.get(pk=participation.pk).joined_on == datetime.date(2024, 2, 1)
    # Saving again from the shown form deliberately applies the second person's input.
    assert second.post(url, {"joined_on": "2024-03-01", "version": "2"}).status_code == 302
    assert Participation.objects.get(pk=participation.pk).joined_on == datetime.date(2024, 3, 1)


def test_phases_on_measure_page_and_municipality_page(users, make_measure):
    measure = make_measure(title="Pilot MDA++", participants=[Organisation.objects.get(name="Helmond")])
    client = client_for(users["helmond"])
    for name, joined in (("Eindhoven", "2023-07-01"), ("Deurne", "2024-01-01"), ("Geldrop-Mierlo", "2024-01-01")):
        response = client.post(reverse("measures:participation_create", args=[measure.pk]), {
            "organisation": Organisation.objects.get(name=name).pk, "joined_on": joined})
        assert response.status_code == 302
    page = client.get(reverse("measures:measure_detail", args=[measure.pk])).content.decode()
    assert "Fase 1: 1 januari 2023" in page and "Fase 2: 1 juli 2023" in page and "Fase 3: 1 januari 2024" in page
    deurne = Organisation.objects.get(name="Deurne")
    page = client.get(reverse("programme:organisation_detail", args=[deurne.pk])).content.decode()
    assert "Pilot MDA++" in page and "1 januari 2024" in page
    page = client.get(reverse("programme:organisation_detail", args=[measure.owner.pk])).content.decode()
    assert "Eigenaar van" in page and "Pilot MDA++" in page


# History -------------------------------------------------------------------------------------------------

def test_history_shows_who_when_before_after(users, make_measure, periods):
    measure = make_measure(title="Oude titel", accepted=True)
    measure_services.measure_update(measure=measure, acting_user=users["helmond"], expected_version=measure.version,
                                    title="Nieuwe titel")
    _post_update(measure, users["helmond"], periods["2024KW01"])
    page = client_for(users["steering_group"]).get(reverse("measures:measure_history", args=[measure.pk])).content
    page = page.decode()
    assert "Oude titel" in page and "Nieuwe titel" in page
    assert "Voortgangsupdate aangemaakt" in page and "Beoordeling aangemaakt" in page
    assert "<td>voorgesteld</td>" in page and "<td>gepland</td>" in page  # status labels, not codes
    assert "door helmond" in page


# List, filters, exports -----------------------------------------------------------------------------------

def test_list_filters_search_and_sort(users, make_measure, programme, periods):
    a = make_measure(title="Campagne voorlichting", owner="Eindhoven", user=users["eindhoven"], accepted=True,
                     contact_name="Els Bakker", violence_forms=[])
    b = make_measure(title="Ouderen thuis veilig", line=3, accepted=True,
                     participants=[Organisation.objects.get(name="Deurne")])
    c = make_measure(title="Nog een voorstel", line=2)
    _post_update(b, users["helmond"], periods["2024KW01"], health="off_track")
    client = client_for(users["veilig_thuis"])

    def titles(**params):
        page = client.get(reverse("measures:measure_list"), params).content.decode()
        return {m.title for m in (a, b, c) if m.title in page}

    assert titles() == {a.title, b.title, c.title}
    assert titles(q="bakker") == {a.title}
    assert titles(q="ouderen veilig") == {b.title}
    assert titles(action_line=programme.action_lines.get(number=3).pk) == {b.title}
    assert titles(owner=Organisation.objects.get(name="Eindhoven").pk) == {a.title}
    assert titles(municipality=Organisation.objects.get(name="Deurne").pk) == {b.title}
    assert titles(status="proposed") == {c.title}
    assert titles(health="off_track") == {b.title}
    assert titles(goal=Goal.objects.get(code="3.1", action_line__programme=programme).pk) == {b.title}
    page = client.get(reverse("measures:measure_list"), {"sort": "-title"}).content.decode()
    assert page.index(b.title) < page.index(c.title) < page.index(a.title)


def test_list_paginates_and_keeps_filters_in_links(users, make_measure):
    first = make_measure(title="Maatregel 00")
    for i in range(1, 30):
        make_measure(title=f"Maatregel {i:02d}")
    page = client_for(users["helmond"]).get(reverse("measures:measure_list"), {"q": "Maatregel"}).content.decode()
    assert "30 maatregelen gevonden" in page and "Pagina 1 van 2" in page
    assert "q=Maatregel&amp;page=2" in page
    assert first.title in page


def test_exports_follow_the_filter_with_dutch_headers_and_no_formulas(users, make_measure):
    make_measure(title="=HYPERLINK(\"http://kwaad.example\")", owner="Eindhoven", user=users["eindhoven"])
    make_measure(title="Alleen Helmond", contact_name="+31 6 1234")
    client = client_for(users["steering_group"])
    csv = client.get(reverse("measures:measure_export", args=["csv"]),
                     {"owner": Organisation.objects.get(name="Eindhoven").pk}).content.decode("utf-8-sig")
    lines = csv.strip().split("\r\n")
    assert lines[0].startswith("Nummer;Titel;Beschrijving;Actielijn")
    assert len(lines) == 2 and "'=HYPERLINK" in lines[1] and "Alleen Helmond" not in csv

    from io import BytesIO

    from openpyxl import load_workbook
    content = client.get(reverse("measures:measure_export", args=["xlsx"]), {"q": "Helmond"}).content
    sheet = load_workbook(BytesIO(content)).active
    rows = list(sheet.values)
    assert rows[0][:2] == ("Nummer", "Titel") and len(rows) == 2
    assert rows[1][1] == "Alleen Helmond" and rows[1][9] == "'+31 6 1234"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_export_of_other_region_is_empty(users, make_measure):
    make_measure(title="Geheim voor Tilburg")
    csv = client_for(users["other_region"]).get(reverse("measures:measure_export", args=["csv"])).content
    assert "Geheim voor Tilburg" not in csv.decode("utf-8-sig")


# Home, funding -------------------------------------------------------------------------------------------

def test_home_sections(users, make_measure):
    make_measure(title="Mijn voorstel")
    page = client_for(users["helmond"]).get(reverse("home")).content.decode()
    assert "Maatregelen van mijn organisatie" in page and "Mijn voorstel" in page
    page = client_for(users["project_leader"]).get(reverse("home")).content.decode()
    assert "Voorstellen die wachten op beoordeling" in page and "Mijn voorstel" in page
    page = client_for(users["steering_group"]).get(reverse("home")).content.decode()
    assert "Mijn voorstel" not in page


def test_funding_page_granted_planned_spent(users, make_measure, programme, sources, periods):
    from measures.models import FundingGrant
    for year, amount in ((2018, 25000), (2019, 75000)):
        FundingGrant.objects.create(programme=programme, source=sources["duvo"], year=year, amount=amount,
                                    recipient=Organisation.objects.get(name="Helmond"))
    measure = make_measure(accepted=True, funding_source=sources["duvo"], budget=Decimal("40000"),
                           start_date=datetime.date(2024, 1, 1))
    _post_update(measure, users["helmond"], periods["2024KW01"], spent=Decimal("1250"))
    page = client_for(users["steering_group"]).get(reverse("measures:funding", args=[programme.region_id]))
    text = page.content.decode()
    assert "DUVO-uitkering" in text
    assert "25.000" in text and "75.000" in text and "40.000" in text and "1.250" in text


def test_measure_list_dates_in_the_dutch_form_without_capitals(users, make_measure):
    """'1 Mrt 2023': Django's 'M' capitalises the month; the list uses the locale's lower-case abbreviation."""
    measure = make_measure(accepted=True)
    Measure.objects.filter(pk=measure.pk).update(start_date=datetime.date(2023, 3, 1))
    page = client_for(users["helmond"]).get(reverse("measures:measure_list")).content.decode()
    assert "1 mrt 2023" in page and "Mrt" not in page


def test_an_update_for_a_quarter_after_the_measure_ended_is_saved_with_a_warning(users, make_measure, periods):
    measure = make_measure(accepted=True)
    Measure.objects.filter(pk=measure.pk).update(end_date=datetime.date(2024, 3, 31))
    client = client_for(users["helmond"])
    data = {"status": "in_progress", "health": "on_track", "progress": 50, "narrative": "Nog bezig.", "spent": "0"}
    response = client.post(reverse("measures:update_create", args=[measure.pk]),
                           {**data, "period": periods["2024KW03"].pk}, follow=True)
    page = response.content.decode()
    assert "De voortgangsupdate is opgeslagen." in page
    assert "K3 2024 begint na het einde van deze maatregel op 31 maart 2024" in page
    response = client.post(reverse("measures:update_create", args=[measure.pk]),
                           {**data, "period": periods["2024KW01"].pk}, follow=True)
    assert "begint na het einde" not in response.content.decode()


def test_two_changes_in_the_same_minute_have_sections_with_different_names(users, make_measure):
    """axe: the history's sections are named by their headings, and two changes in one minute read the same."""
    import re

    measure = make_measure(title="Titel")
    for title in ("Titel 2", "Titel 3"):
        measure = measure_services.measure_update(measure=measure, acting_user=users["helmond"],
                                                  expected_version=measure.version, title=title)
    page = client_for(users["helmond"]).get(reverse("measures:measure_history", args=[measure.pk])).content.decode()
    headings = [re.sub(r"<[^>]+>", "", h) for h in re.findall(r'<h3 id="change-\d+"[^>]*>(.*?)</h3>', page, re.S)]
    assert len(headings) >= 3 and len(set(headings)) == len(headings), headings
