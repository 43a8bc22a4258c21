"""Report pages: who sees and does what, the frozen snapshot, small numbers for the national team, query counts."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags
from openpyxl import load_workbook

from programme.models import Goal, Theme
from programme.portal import extensions
from reporting.models import Bottleneck, Lesson, ProgressReport
from reporting.reports import services

from ...permissions import assert_permissions, client_for
from ..factories import make_measure, make_update

pytestmark = pytest.mark.django_db

REGION_READERS = ("project_leader", "helmond", "eindhoven", "veilig_thuis", "steering_group", "admin")


def _submitted(users, report):
    return services.report_submit(report=report, acting_user=users["project_leader"])


def _approved(users, report):
    report = _submitted(users, report)
    return services.report_approve(report=report, acting_user=users["steering_group"])


def _page(user, name, report, **kwargs):
    response = client_for(user).get(reverse(f"reporting:{name}", args=[report.pk]), **kwargs)
    assert response.status_code == 200
    return response.content.decode()


# Permissions ---------------------------------------------------------------------------------------------


def test_list_and_create_permissions(users, programme, q1):
    assert_permissions(reverse("reporting:report_list"), allowed=[users[k] for k in (*REGION_READERS, "national")],
                       outside=[], no_role=users["no_role"], expect=200)
    assert_permissions(reverse("reporting:report_create"), method="post",
                       data={"programme": programme.pk, "period": q1.pk},
                       allowed=[users["project_leader"]], outside=[],
                       denied=[users[k] for k in ("helmond", "steering_group", "national", "other_project_leader")],
                       no_role=users["no_role"], expect=302,
                       location="/bewerken/")
    assert ProgressReport.objects.filter(programme=programme, period=q1).count() == 1


@pytest.mark.parametrize("name", ["report_detail", "report_print", "report_questionnaire",
                                  "report_questionnaire_export"])
def test_read_views_region_only_until_approved(name, users, draft):
    url = reverse(f"reporting:{name}", args=[draft.pk])
    outside = [users["other_region"], users["other_project_leader"], users["national"]]
    assert_permissions(url, allowed=[users[k] for k in REGION_READERS], outside=outside, no_role=users["no_role"],
                       expect=200)
    _submitted(users, draft)
    assert_permissions(url, allowed=[users["steering_group"]], outside=outside, no_role=users["no_role"], expect=200)
    services.report_approve(report=ProgressReport.objects.get(pk=draft.pk), acting_user=users["steering_group"])
    assert_permissions(url, allowed=[users["national"], users["helmond"]], outside=[users["other_region"]],
                       no_role=users["no_role"], expect=200)


def test_national_never_sees_a_returned_report(users, draft):
    report = _submitted(users, draft)
    services.report_return(report=report, acting_user=users["steering_group"], comment="Aanvullen")
    assert client_for(users["national"]).get(reverse("reporting:report_detail", args=[draft.pk])).status_code == 404


def test_edit_permissions(users, draft):
    assert_permissions(reverse("reporting:report_edit", args=[draft.pk]), allowed=[users["project_leader"]],
                       outside=[users["other_region"], users["national"]],
                       denied=[users["helmond"], users["steering_group"], users["admin"]], no_role=users["no_role"],
                       expect=200)


def test_transition_permissions(users, programme, q1):
    report = services.report_create(programme=programme, period=q1, acting_user=users["project_leader"])
    outside = [users["other_region"], users["other_project_leader"], users["national"]]
    readers_denied = [users["helmond"], users["veilig_thuis"], users["admin"]]
    assert_permissions(reverse("reporting:report_submit", args=[report.pk]), method="post",
                       allowed=[users["project_leader"]], outside=outside,
                       denied=[*readers_denied, users["steering_group"]], no_role=users["no_role"], expect=302,
                       location=reverse("reporting:report_detail", args=[report.pk]))
    assert ProgressReport.objects.get(pk=report.pk).status == "submitted"
    assert_permissions(reverse("reporting:report_return", args=[report.pk]), method="post",
                       data={"comment": "Graag de cijfers van Helmond"}, allowed=[users["steering_group"]],
                       outside=outside, denied=[*readers_denied, users["project_leader"]], no_role=users["no_role"],
                       expect=302, location=reverse("reporting:report_detail", args=[report.pk]))
    assert ProgressReport.objects.get(pk=report.pk).status == "returned"
    _submitted(users, ProgressReport.objects.get(pk=report.pk))
    assert_permissions(reverse("reporting:report_approve", args=[report.pk]), method="post",
                       allowed=[users["steering_group"]], outside=outside,
                       denied=[*readers_denied, users["project_leader"]], no_role=users["no_role"], expect=302,
                       location=reverse("reporting:report_detail", args=[report.pk]))
    assert ProgressReport.objects.get(pk=report.pk).status == "approved"
    assert_permissions(reverse("reporting:report_new_version", args=[report.pk]), method="post",
                       data={"reason": "Correctie"}, allowed=[users["project_leader"]],
                       outside=[users["other_region"]],
                       denied=[*readers_denied, users["steering_group"], users["national"]],
                       no_role=users["no_role"], expect=302,
                       location="/bewerken/")
    assert ProgressReport.objects.filter(programme=programme, period=q1).count() == 2


# Behaviour -----------------------------------------------------------------------------------------------


def test_draft_page_is_prefilled_from_live_data(users, programme, q1, draft):
    measure = make_measure(programme, title="Training meldcode kinderopvang", progress=35, health="at_risk")
    make_update(measure, q1, users["helmond"], narrative="Drie trainingen gegeven.")
    Bottleneck.objects.create(programme=programme, title="Te weinig trainers", description="x",
                              action_line=measure.action_line, raised_by=users["helmond"])
    page = _page(users["steering_group"], "report_detail", draft)
    assert "Training meldcode kinderopvang" in page and "35%" in page and "Drie trainingen gegeven." in page
    assert "Te weinig trainers" in page
    assert "nog geen waarde" in page  # no goal actuals provider on this branch: baseline and target only
    assert "Aan deze rapportage wordt gewerkt" in page


def test_project_leader_writes_a_draft(users, programme, draft):
    line = programme.action_lines.get(number=2)
    url = reverse("reporting:report_edit", args=[draft.pk])
    client = client_for(users["project_leader"])
    assert "Toelichting op actielijn 2" in client.get(url).content.decode()
    response = client.post(url, {"version": draft.version, "summary": "Goed kwartaal",
                                 f"narrative_{line.pk}": "MDA++ loopt", "lessons_learned": "Korte lijnen"})
    assert response.status_code == 302
    page = _page(users["helmond"], "report_detail", draft)
    assert "Goed kwartaal" in page and "MDA++ loopt" in page and "Korte lijnen" in page


def test_concurrent_edit_of_a_draft_is_not_lost(users, programme, draft):
    line = programme.action_lines.get(number=1)
    url = reverse("reporting:report_edit", args=[draft.pk])
    version = draft.version
    first = client_for(users["project_leader"])
    assert first.post(url, {"version": version, "summary": "Versie A", f"narrative_{line.pk}": "Tekst A"}
                      ).status_code == 302
    response = first.post(url, {"version": version, "summary": "Versie B", f"narrative_{line.pk}": "Tekst B"})
    page = response.content.decode()
    assert response.status_code == 200 and "Iemand anders heeft dit als eerste gewijzigd" in page
    assert "Versie B" in page and "Tekst A" in page  # own input kept, other person's saved text shown
    assert ProgressReport.objects.get(pk=draft.pk).summary == "Versie A"


def test_approved_report_is_frozen_against_live_changes(users, programme, q1, draft):
    measure = make_measure(programme, title="Buurtcampagne", status="in_progress", progress=20)
    report = _approved(users, draft)
    measure.title = "Buurtcampagne (hernoemd)"
    measure.status = "completed"
    measure.progress = 100
    measure.save()
    make_measure(programme, title="Later toegevoegd")
    goal = Goal.objects.get(action_line__programme=programme, code="1.1")
    goal.target = 99
    goal.save()
    page = _page(users["helmond"], "report_detail", report)
    assert "Buurtcampagne" in page and "20%" in page and "In uitvoering" in page
    assert "hernoemd" not in page and "100%" not in page and "Later toegevoegd" not in page
    assert "70" in page and ">99<" not in page
    assert "Rapportage bewerken" not in page
    print_page = _page(users["steering_group"], "report_print", report)
    assert "Buurtcampagne" in print_page and "hernoemd" not in print_page


def test_approved_report_cannot_be_edited(users, draft):
    report = _approved(users, draft)
    client = client_for(users["project_leader"])
    response = client.post(reverse("reporting:report_edit", args=[report.pk]), {"version": report.version,
                                                                              "summary": "Stiekem"})
    assert response.status_code == 302
    assert ProgressReport.objects.get(pk=report.pk).summary == ""


def test_goal_actuals_are_frozen_and_small_numbers_hidden_from_the_national_team(users, programme, draft,
                                                                                 monkeypatch):
    goal = Goal.objects.get(action_line__programme=programme, code="1.2")  # Veilig Thuis advice requests: suppressed
    monkeypatch.setattr(extensions, "goal_actuals_providers",
                        [lambda request, goals: {goal.pk: {"value": 3, "label": "K1 2026"}}])
    report = _approved(users, draft)
    monkeypatch.setattr(extensions, "goal_actuals_providers",
                        [lambda request, goals: {goal.pk: {"value": 250, "label": "K2 2026"}}])
    regional = _page(users["helmond"], "report_detail", report)
    national = _page(users["national"], "report_detail", report)
    assert "K1 2026" in regional and "K2 2026" not in regional and ">3 <" in regional
    assert "&lt;5" in national and ">3 <" not in national


def test_national_sees_latest_approved_version_and_shared_lessons_only(users, programme, q1, draft):
    Lesson.objects.create(programme=programme, period=q1, text="Gedeelde les", shared_with_national_team=True,
                          created_by=users["project_leader"])
    Lesson.objects.create(programme=programme, period=q1, text="Interne les", created_by=users["project_leader"])
    first = _approved(users, draft)
    national = _page(users["national"], "report_detail", first)
    assert "Gedeelde les" in national and "Interne les" not in national
    assert "Interne les" in _page(users["helmond"], "report_detail", first)
    second = services.report_new_version(report=first, acting_user=users["project_leader"], reason="Correctie")
    client = client_for(users["national"])
    assert client.get(reverse("reporting:report_detail", args=[second.pk])).status_code == 404
    assert client.get(reverse("reporting:report_detail", args=[first.pk])).status_code == 200
    _approved(users, second)
    assert client.get(reverse("reporting:report_detail", args=[first.pk])).status_code == 404
    assert client.get(reverse("reporting:report_detail", args=[second.pk])).status_code == 200
    listing = client.get(reverse("reporting:report_list")).content.decode()
    assert listing.count(reverse("reporting:report_detail", args=[second.pk])) == 1
    assert reverse("reporting:report_detail", args=[first.pk]) not in listing


def test_return_without_comment_shows_dutch_message_next_to_the_field(users, draft):
    report = _submitted(users, draft)
    response = client_for(users["steering_group"]).post(reverse("reporting:report_return", args=[report.pk]),
                                                        {"comment": ""})
    assert response.status_code == 200
    assert "Geef aan waarom u de rapportage terugstuurt" in response.content.decode()
    assert ProgressReport.objects.get(pk=report.pk).status == "submitted"


def test_approving_a_draft_is_refused_with_a_message(users, draft):
    client = client_for(users["steering_group"])
    response = client.post(reverse("reporting:report_approve", args=[draft.pk]), follow=True)
    assert "Alleen een ingediende rapportage kan worden goedgekeurd" in response.content.decode()
    assert ProgressReport.objects.get(pk=draft.pk).status == "draft"


def test_returned_report_shows_comment_and_history(users, draft):
    report = _submitted(users, draft)
    services.report_return(report=report, acting_user=users["steering_group"], comment="Graag meer over MDA++")
    page = _page(users["project_leader"], "report_detail", report)
    assert "Teruggestuurd door de stuurgroep" in page and "Graag meer over MDA++" in page
    assert "Verloop van de rapportage" in page and page.count("<td>Ingediend</td>") == 2


def test_new_version_keeps_the_approved_one(users, draft):
    report = _approved(users, draft)
    response = client_for(users["project_leader"]).post(reverse("reporting:report_new_version", args=[report.pk]),
                                                        {"reason": "Cijfers Helmond gecorrigeerd"})
    new = ProgressReport.objects.get(previous=report)
    assert response.status_code == 302 and response["Location"] == reverse("reporting:report_edit", args=[new.pk])
    assert ProgressReport.objects.get(pk=report.pk).status == "approved"
    page = _page(users["project_leader"], "report_detail", new)
    assert "Cijfers Helmond gecorrigeerd" in page and "concept" in page.lower()
    assert "Er is een nieuwere versie (2)" in _page(users["project_leader"], "report_detail", report)


def test_questionnaire_groups_by_national_line_and_theme_and_export_is_safe(users, programme, q1, draft):
    mda = make_measure(programme, line=2, title="MDA++ Helmond", national=("2.1",), progress=60)
    make_measure(programme, line=1, title="=HYPERLINK(\"http://x\")", national=("1.1",))
    campaign_theme = Theme.objects.get(action_line__programme__short_name="GHNT", name="Seksueel geweld")
    make_measure(programme, line=3, title="Weerbaarheid jongeren", themes=[campaign_theme])
    line2 = programme.action_lines.get(number=2)
    services.report_update(report=draft, acting_user=users["project_leader"], expected_version=draft.version,
                           summary="", lessons_learned="", narratives={line2.pk: "MDA++ draait in Helmond"})
    page = _page(users["helmond"], "report_questionnaire", draft)
    assert "Landelijke actielijn 2: Stoppen en duurzaam oplossen" in page
    assert "Thema: Multidisciplinaire aanpak" in page and "MDA++ Helmond" in page
    assert "MDA++ draait in Helmond" in page and "Weerbaarheid jongeren" in page
    assert "Geen regionale maatregel bij dit thema." in page
    response = client_for(users["helmond"]).get(reverse("reporting:report_questionnaire_export", args=[draft.pk]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "Landelijke actielijn" in values and "Toelichting van de projectleider" in values
    assert "'=HYPERLINK(\"http://x\")" in values and "=HYPERLINK(\"http://x\")" not in values
    row = next(r for r in sheet.iter_rows(values_only=True) if r[3] == mda.title)
    assert row[0] == "2. Stoppen en duurzaam oplossen" and row[5] == "In uitvoering" and row[6] == 60


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _grow(users, programme, q1, count, start):
    themes = list(Theme.objects.filter(action_line__programme=programme))
    for i in range(start, start + count):
        measure = make_measure(programme, line=1 + i % 3, title=f"Maatregel {i}", national=("1.1", "2.1"),
                               themes=themes[:2])
        make_update(measure, q1, users["helmond"])
        Bottleneck.objects.create(programme=programme, title=f"Knelpunt {i}", description="x", measure=measure,
                                  action_line=measure.action_line, raised_by=users["helmond"])


@pytest.mark.parametrize("name", ["report_detail", "report_print", "report_questionnaire"])
def test_query_count_does_not_grow_with_measures(name, users, programme, q1, draft):
    client = client_for(users["steering_group"])
    url = reverse(f"reporting:{name}", args=[draft.pk])
    _grow(users, programme, q1, 3, 0)
    small = _queries(client, url)
    _grow(users, programme, q1, 30, 3)
    assert _queries(client, url) == small
    report = _approved(users, ProgressReport.objects.get(pk=draft.pk))
    frozen_small = _queries(client, url)
    _grow(users, programme, q1, 10, 40)
    assert _queries(client, url) == frozen_small
    assert "Maatregel 32" in client.get(url).content.decode() and report.snapshot


def test_home_shows_report_cards_per_role(users, programme, draft):
    from django.utils import timezone

    from programme import calendar
    from programme.services.periods import reporting_periods_generate

    today = timezone.localdate()
    reporting_periods_generate(first_year=today.year, last_year=today.year)
    current = calendar.current_quarter(today)
    home = client_for(users["project_leader"]).get(reverse("home")).content.decode()
    assert f"Voortgangsrapportage {current.label}" in home and "Nog niet gestart." in home
    assert "Rapportages" in home and "Knelpunten" in home
    services.report_create(programme=programme, period=current, acting_user=users["project_leader"])
    home = client_for(users["project_leader"]).get(reverse("home")).content.decode()
    assert "Versie 1:" in home and "Concept" in home
    _submitted(users, draft)
    home = client_for(users["steering_group"]).get(reverse("home")).content.decode()
    assert "Rapportages die op uw beoordeling wachten" in home and "K1 2026, Zuidoost-Brabant (versie 1)" in home
    services.report_approve(report=ProgressReport.objects.get(pk=draft.pk), acting_user=users["steering_group"])
    home = client_for(users["national"]).get(reverse("home")).content.decode()
    assert "Laatst goedgekeurde rapportages" in home and "Zuidoost-Brabant, K1 2026" in home
    assert "Knelpunten" not in home


def test_national_team_sees_the_approved_report_not_the_regions_workflow(users, draft):
    """The probe: an approved report told the national team that a newer version exists and linked to the draft
    (a 404 for them), and showed the names, submit note, return comment and the reason for the new version."""
    report = services.report_submit(report=draft, acting_user=users["project_leader"], comment="Notitie bij indienen")
    services.report_return(report=report, acting_user=users["steering_group"], comment="Interne opmerking")
    report = services.report_submit(report=report, acting_user=users["project_leader"])
    first = services.report_approve(report=report, acting_user=users["steering_group"], comment="Akkoord intern")
    second = services.report_new_version(report=first, acting_user=users["project_leader"], reason="Interne reden")
    second = _approved(users, second)
    third = services.report_new_version(report=second, acting_user=users["project_leader"], reason="Nog een reden")
    for name in ("report_detail", "report_print"):
        national = _page(users["national"], name, second)
        for internal in ("Notitie bij indienen", "Interne opmerking", "Akkoord intern", "Interne reden",
                         "nieuwere versie", reverse("reporting:report_detail", args=[third.pk]),
                         users["project_leader"].get_full_name() or "\x00"):
            assert internal not in national, (name, internal)
        # The approver's user name as a word of the visible text: a short name like "sg" may occur inside a
        # random CSRF token.
        assert not re.search(rf"\b{re.escape(users['steering_group'].username)}\b", strip_tags(national)), name
        region = _page(users["steering_group"], name, second)
        assert "Interne reden" in region or name == "report_print"
        assert "Verloop van de rapportage" in region and "Verloop van de rapportage" not in national
    assert "Akkoord intern" in _page(users["steering_group"], "report_detail", first)


def test_the_steering_group_reads_the_submit_note_and_the_report_before_the_decision_form(users, draft):
    """The approve/return form stood above the report it decides on, the project leader's note only at the
    bottom (in the history)."""
    report = services.report_submit(report=draft, acting_user=users["project_leader"], comment="Let op: MDA++")
    page = _page(users["steering_group"], "report_detail", report)
    note, summary = page.index("Let op: MDA++"), page.index('id="report-summary"')
    approve, give_back = page.index('id="approve-heading"'), page.index('id="return-heading"')
    assert note < summary < approve and summary < give_back
