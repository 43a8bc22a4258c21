"""The report workflow: every legal and illegal transition, every role, and that a refusal changes nothing."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from programme.models import ChangeRecord
from reporting.models import ProgressReport, ReportTransition
from reporting.reports import services

from ..factories import make_measure

pytestmark = pytest.mark.django_db

DRAFT, SUBMITTED, APPROVED, RETURNED = "draft", "submitted", "approved", "returned"


def report_in(state: str, users, programme, period) -> ProgressReport:
    report = services.report_create(programme=programme, period=period, acting_user=users["project_leader"])
    if state in (SUBMITTED, APPROVED, RETURNED):
        report = services.report_submit(report=report, acting_user=users["project_leader"])
    if state == APPROVED:
        report = services.report_approve(report=report, acting_user=users["steering_group"])
    if state == RETURNED:
        report = services.report_return(report=report, acting_user=users["steering_group"], comment="Graag cijfers")
    return report


def run(action: str, report, user):
    if action == "submit":
        return services.report_submit(report=report, acting_user=user)
    if action == "return":
        return services.report_return(report=report, acting_user=user, comment="Niet compleet")
    if action == "approve":
        return services.report_approve(report=report, acting_user=user)
    if action == "new_version":
        return services.report_new_version(report=report, acting_user=user, reason="Correctie")
    if action == "edit":
        return services.report_update(report=report, acting_user=user, expected_version=report.version,
                                      summary="Gewijzigd", lessons_learned="", narratives={})
    raise AssertionError(action)


ACTOR = {"submit": "project_leader", "return": "steering_group", "approve": "steering_group",
         "new_version": "project_leader", "edit": "project_leader"}
LEGAL = {
    ("submit", DRAFT): SUBMITTED,
    ("submit", RETURNED): SUBMITTED,
    ("return", SUBMITTED): RETURNED,
    ("approve", SUBMITTED): APPROVED,
    ("new_version", APPROVED): APPROVED,  # the approved one stays approved; a new draft is created
    ("edit", DRAFT): DRAFT,
    ("edit", RETURNED): DRAFT,  # the first save after a return makes it a draft again
}
# What the user reads when a step is not possible, with the report's present status filled in.
REFUSALS = {
    "submit": "Alleen een concept of een teruggestuurde rapportage kan worden ingediend; deze rapportage is {status}.",
    "return": "Alleen een ingediende rapportage kan worden teruggestuurd; deze rapportage is {status}.",
    "approve": "Alleen een ingediende rapportage kan worden goedgekeurd; deze rapportage is {status}.",
    "new_version": "Een nieuwe versie kan alleen worden geopend vanuit een goedgekeurde rapportage; deze rapportage is "
                   "{status}.",
    "edit": "Deze rapportage is {status} en kan niet meer worden bewerkt.",
}
ALL_CASES = [(action, state) for action in ACTOR for state in (DRAFT, SUBMITTED, APPROVED, RETURNED)]


def _state(report):
    fresh = ProgressReport.objects.get(pk=report.pk)
    return (fresh.status, fresh.version, fresh.summary, fresh.snapshot, fresh.transitions.count(),
            ProgressReport.objects.count())


@pytest.mark.parametrize("action,state", [case for case in ALL_CASES if case in LEGAL])
def test_legal_transition(action, state, users, programme, q1):
    report = report_in(state, users, programme, q1)
    result = run(action, report, users[ACTOR[action]])
    assert ProgressReport.objects.get(pk=report.pk).status == LEGAL[(action, state)]
    if action == "new_version":
        assert result.pk != report.pk and result.status == DRAFT and result.revision == 2
        assert result.previous == report and result.new_version_reason == "Correctie"
    elif action != "edit":
        last = ProgressReport.objects.get(pk=report.pk).transitions.last()
        assert (last.from_status, last.to_status, last.user) == (state, LEGAL[(action, state)], users[ACTOR[action]])


@pytest.mark.parametrize("action,state", [case for case in ALL_CASES if case not in LEGAL])
def test_illegal_transition_is_refused_in_dutch_and_changes_nothing(action, state, users, programme, q1):
    report = report_in(state, users, programme, q1)
    before = _state(report)
    with pytest.raises(ValidationError) as refused:
        run(action, report, users[ACTOR[action]])
    status = {DRAFT: "concept", SUBMITTED: "ingediend", APPROVED: "goedgekeurd", RETURNED: "teruggestuurd"}[state]
    assert refused.value.messages == [REFUSALS[action].format(status=status)]
    assert _state(report) == before


def test_approving_a_draft_says_why(users, programme, q1):
    report = report_in(DRAFT, users, programme, q1)
    with pytest.raises(ValidationError) as refused:
        services.report_approve(report=report, acting_user=users["steering_group"])
    assert refused.value.messages == [
        "Alleen een ingediende rapportage kan worden goedgekeurd; deze rapportage is concept."
    ]


WRONG_ROLES = {
    "submit": ["helmond", "eindhoven", "veilig_thuis", "steering_group", "national", "admin", "other_project_leader"],
    "return": ["project_leader", "helmond", "veilig_thuis", "national", "admin", "other_project_leader"],
    "approve": ["project_leader", "helmond", "veilig_thuis", "national", "admin", "other_project_leader"],
    "new_version": ["helmond", "steering_group", "national", "admin", "other_project_leader"],
    "edit": ["helmond", "steering_group", "national", "admin", "other_project_leader"],
}
SOURCE = {"submit": DRAFT, "return": SUBMITTED, "approve": SUBMITTED, "new_version": APPROVED, "edit": DRAFT}


@pytest.mark.parametrize("action,role", [(a, r) for a, roles in WRONG_ROLES.items() for r in roles])
def test_wrong_role_is_refused_and_changes_nothing(action, role, users, programme, q1):
    report = report_in(SOURCE[action], users, programme, q1)
    before = _state(report)
    with pytest.raises(PermissionDenied) as refused:
        run(action, report, users[role])
    assert "Alleen" in str(refused.value)
    assert _state(report) == before


def test_create_refused_for_policy_adviser_and_for_a_second_open_report(users, programme, q1):
    with pytest.raises(PermissionDenied):
        services.report_create(programme=programme, period=q1, acting_user=users["helmond"])
    services.report_create(programme=programme, period=q1, acting_user=users["project_leader"])
    with pytest.raises(ValidationError) as refused:
        services.report_create(programme=programme, period=q1, acting_user=users["project_leader"])
    assert "heeft al een rapportage" in " ".join(refused.value.messages)
    assert ProgressReport.objects.count() == 1


def test_create_refused_when_an_approved_report_exists(users, programme, q1):
    report_in(APPROVED, users, programme, q1)
    with pytest.raises(ValidationError) as refused:
        services.report_create(programme=programme, period=q1, acting_user=users["project_leader"])
    assert "nieuwe versie" in " ".join(refused.value.messages)


def test_return_needs_a_comment(users, programme, q1):
    report = report_in(SUBMITTED, users, programme, q1)
    with pytest.raises(ValidationError) as refused:
        services.report_return(report=report, acting_user=users["steering_group"], comment="  ")
    assert "comment" in refused.value.error_dict
    assert ProgressReport.objects.get(pk=report.pk).status == SUBMITTED


def test_new_version_needs_a_reason_and_only_from_the_latest(users, programme, q1):
    approved = report_in(APPROVED, users, programme, q1)
    with pytest.raises(ValidationError):
        services.report_new_version(report=approved, acting_user=users["project_leader"], reason="")
    second = services.report_new_version(report=approved, acting_user=users["project_leader"], reason="Fout")
    with pytest.raises(ValidationError) as refused:
        services.report_new_version(report=approved, acting_user=users["project_leader"], reason="Nog een")
    assert "nieuwere versie" in " ".join(refused.value.messages)
    assert ProgressReport.objects.filter(programme=programme, period=q1).count() == 2
    assert second.summary == approved.summary


def test_full_cycle_logs_every_step_in_the_change_log(users, programme, q1):
    report = report_in(DRAFT, users, programme, q1)
    services.report_submit(report=report, acting_user=users["project_leader"])
    services.report_return(report=report, acting_user=users["steering_group"], comment="Toelichting ontbreekt")
    services.report_update(report=report, acting_user=users["project_leader"], expected_version=report.version,
                           summary="Aangevuld", lessons_learned="", narratives={})
    services.report_submit(report=report, acting_user=users["project_leader"])
    services.report_approve(report=report, acting_user=users["steering_group"], comment="Akkoord")
    steps = [(t.from_status, t.to_status, t.comment) for t in ReportTransition.objects.filter(report=report)]
    assert steps == [
        ("", DRAFT, ""), (DRAFT, SUBMITTED, ""), (SUBMITTED, RETURNED, "Toelichting ontbreekt"),
        (RETURNED, DRAFT, ""), (DRAFT, SUBMITTED, ""), (SUBMITTED, APPROVED, "Akkoord"),
    ]
    records = ChangeRecord.objects.filter(content_type__model="progressreport", object_id=report.pk)
    assert records.filter(action="transition").count() == 5
    assert records.filter(action="update").get().changes["summary"] == ["", "Aangevuld"]


def test_stale_edit_after_submission_is_refused(users, programme, q1):
    report = report_in(DRAFT, users, programme, q1)
    opened_version = report.version
    services.report_submit(report=report, acting_user=users["project_leader"])
    report = ProgressReport.objects.get(pk=report.pk)
    with pytest.raises(ValidationError):
        services.report_update(report=report, acting_user=users["project_leader"], expected_version=opened_version,
                               summary="Te laat", lessons_learned="", narratives={})
    assert ProgressReport.objects.get(pk=report.pk).summary == ""


def test_submission_freezes_the_live_data(users, programme, q1):
    measure = make_measure(programme, title="Training meldcode", progress=30)
    report = report_in(DRAFT, users, programme, q1)
    report = services.report_submit(report=report, acting_user=users["project_leader"])
    # The live data changes after submission: a new title and progress, and a measure that did not exist.
    measure.title, measure.progress = "Training meldcode (herzien)", 90
    measure.save(update_fields=["title", "progress"])
    make_measure(programme, title="Later begonnen", progress=10)
    # Read the report anew from the database, not the object the service handed back.
    stored = ProgressReport.objects.get(pk=report.pk)
    frozen = [m for line in stored.snapshot["action_lines"] for m in line["measures"]]
    assert [(m["title"], m["progress"]) for m in frozen] == [("Training meldcode", 30)]
    assert stored.snapshot == report.snapshot


def test_editing_a_returned_report_makes_it_a_draft_and_keeps_the_comment_visible(users, programme, q1):
    from django.urls import reverse

    from ...permissions import client_for

    report = report_in(RETURNED, users, programme, q1)
    comment = report.transitions.order_by("-at", "-pk").first().comment
    run("edit", report, users["project_leader"])
    report.refresh_from_db()
    assert report.status == DRAFT
    steps = [(t.from_status, t.to_status) for t in report.transitions.order_by("at", "pk")]
    assert steps[-1] == (RETURNED, DRAFT)
    page = client_for(users["project_leader"]).get(reverse("reporting:report_detail", args=[report.pk])).content
    assert "Teruggestuurd door de stuurgroep" in page.decode() and comment in page.decode()
    run("submit", report, users["project_leader"])
    page = client_for(users["project_leader"]).get(reverse("reporting:report_detail", args=[report.pk])).content
    assert "Teruggestuurd door de stuurgroep" not in page.decode()
