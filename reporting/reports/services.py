"""Writes of progress reports: create, edit, and the workflow draft -> submitted -> approved | returned.

The workflow is the small table `TRANSITIONS`; each use case is one function that checks the role, then the
state, and changes nothing when either is wrong (a PermissionDenied or ValidationError with a Dutch message).
Every transition is logged as a ReportTransition and in the change log, in the same transaction.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from programme.access import scope_of
from programme.changelog import ChangeAction, ConcurrentEditError, claim_version, diff, record_change
from programme.models import ActionLine, Programme, ProgrammeLevel, ReportingPeriod
from programme.portal.audit import audit
from reporting.locks.services import period_lock
from reporting.models import ProgressReport, ReportSection, ReportStatus, ReportTransition
from reporting.notifications import mail as notifications
from reporting.reports.content import build_live_content

PROJECT_LEADER = "project_leader"
STEERING_GROUP = "steering_group"


@dataclass(frozen=True)
class Transition:
    name: str
    sources: frozenset
    target: str
    role: str
    comment_required: bool = False


TRANSITIONS = {
    "submit": Transition("submit", frozenset({ReportStatus.DRAFT, ReportStatus.RETURNED}), ReportStatus.SUBMITTED,
                         PROJECT_LEADER),
    "return": Transition("return", frozenset({ReportStatus.SUBMITTED}), ReportStatus.RETURNED, STEERING_GROUP,
                         comment_required=True),
    "approve": Transition("approve", frozenset({ReportStatus.SUBMITTED}), ReportStatus.APPROVED, STEERING_GROUP),
    # Taken by the project leader's first save after a return: the report is a draft again, as the workflow
    # draft -> submitted -> returned -> draft -> submitted describes.
    "reopen": Transition("reopen", frozenset({ReportStatus.RETURNED}), ReportStatus.DRAFT, PROJECT_LEADER),
}


def has_role(user, report_or_programme, role: str) -> bool:
    programme = getattr(report_or_programme, "programme", report_or_programme)
    scope = scope_of(user)
    if role == PROJECT_LEADER:
        return scope.is_project_leader_of(programme.region_id)
    return scope.is_steering_group_of(programme.region_id)


def _role_message(role: str) -> str:
    if role == PROJECT_LEADER:
        return _("Only the project leader of the region can do this with a progress report.")
    return _("Only a steering group member of the region can return or approve a progress report.")


def _require_role(user, report_or_programme, role: str) -> None:
    if not has_role(user, report_or_programme, role):
        raise PermissionDenied(_role_message(role))


def _state_message(transition: Transition, status_label: str) -> str:
    messages = {
        "submit": _("Only a draft or a returned report can be submitted; this report is %(status)s."),
        "return": _("Only a submitted report can be returned; this report is %(status)s."),
        "approve": _("Only a submitted report can be approved; this report is %(status)s."),
    }
    return messages[transition.name] % {"status": status_label}


def available_actions(user, report: ProgressReport) -> set[str]:
    """What the user may do with the report now: drives which buttons the page shows."""
    actions = set()
    for name, transition in TRANSITIONS.items():
        if report.status in transition.sources and has_role(user, report, transition.role):
            actions.add(name)
    if report.is_editable and has_role(user, report, PROJECT_LEADER):
        actions.add("edit")
    if report.status == ReportStatus.APPROVED and has_role(user, report, PROJECT_LEADER):
        actions.add("new_version")
    return actions


def _log(*, report, from_status: str, to_status: str, acting_user, comment: str = "") -> None:
    ReportTransition.objects.create(
        report=report, from_status=from_status, to_status=to_status, user=acting_user, comment=comment
    )
    record_change(
        instance=report,
        action=ChangeAction.TRANSITION if from_status else ChangeAction.CREATE,
        acting_user=acting_user,
        changes={"status": [from_status or None, to_status]},
        region=report.programme.region_id,
        comment=comment,
    )
    # The comment stays in the database's history; the log says who moved which report where.
    audit("report_transition", user=acting_user, report_id=report.pk, region_id=report.programme.region_id,
          from_status=from_status or None, to_status=to_status)


def _existing_report_error(programme: Programme, period: ReportingPeriod) -> ValidationError | None:
    open_report = (
        ProgressReport.objects.filter(programme=programme, period=period)
        .exclude(status=ReportStatus.APPROVED)
        .first()
    )
    if open_report:
        return ValidationError(
            {"period": _("This period already has a report (version %(revision)s, %(status)s); open that one.")
             % {"revision": open_report.revision, "status": open_report.get_status_display()}}
        )
    if ProgressReport.objects.filter(programme=programme, period=period, status=ReportStatus.APPROVED).exists():
        return ValidationError(
            {"period": _("This period already has an approved report; open a new version from it if needed.")}
        )
    return None


@transaction.atomic
def report_create(*, programme: Programme, period: ReportingPeriod, acting_user) -> ProgressReport:
    """The project leader starts the report of a period; it opens pre-filled from live data."""
    if programme.level != ProgrammeLevel.REGIONAL:
        raise ValidationError({"programme": _("Progress reports are written for a regional programme.")})
    _require_role(acting_user, programme, PROJECT_LEADER)
    error = _existing_report_error(programme, period)
    if error:
        raise error
    report = ProgressReport(programme=programme, period=period, revision=1, created_by=acting_user)
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError as exc:  # someone started the same report a moment earlier
        raise _existing_report_error(programme, period) or ValidationError(str(exc)) from exc
    ReportSection.objects.bulk_create(
        ReportSection(report=report, action_line=line) for line in ActionLine.objects.filter(programme=programme)
    )
    _log(report=report, from_status="", to_status=ReportStatus.DRAFT, acting_user=acting_user)
    return report


@transaction.atomic
def report_update(
    *,
    report: ProgressReport,
    acting_user,
    expected_version: int | None,
    summary: str,
    lessons_learned: str,
    narratives: dict[int, str],
) -> ProgressReport:
    """Save the project leader's text of a draft or returned report; refused over someone else's newer save."""
    _require_role(acting_user, report, PROJECT_LEADER)
    if not report.is_editable:
        raise ValidationError(
            _("This report is %(status)s and can no longer be edited.") % {"status": report.get_status_display()}
        )
    line_ids = set(ActionLine.objects.filter(programme=report.programme_id).values_list("pk", flat=True))
    unknown = set(narratives) - line_ids
    if unknown:
        raise ValidationError(_("A narrative belongs to an action line of another programme."))
    sections = {section.action_line_id: section for section in report.sections.all()}
    before = {"summary": report.summary, "lessons_learned": report.lessons_learned}
    before.update({f"narrative {line_id}": section.narrative for line_id, section in sections.items()})
    try:
        claim_version(report, expected_version)
    except ConcurrentEditError as conflict:
        # The conflict screen compares form fields with attributes of the saved record: give it the narratives.
        saved = {s.action_line_id: s.narrative for s in ReportSection.objects.filter(report=report)}
        for line_id in line_ids:
            setattr(conflict.current, f"narrative_{line_id}", saved.get(line_id, ""))
        raise
    report.summary = summary
    report.lessons_learned = lessons_learned
    reopened = report.status in TRANSITIONS["reopen"].sources
    if reopened:
        report.status = TRANSITIONS["reopen"].target
    report.full_clean()
    report.save(update_fields=["summary", "lessons_learned", "status", "updated_at"])
    if reopened:
        _log(report=report, from_status=ReportStatus.RETURNED, to_status=ReportStatus.DRAFT, acting_user=acting_user)
    after = {"summary": summary, "lessons_learned": lessons_learned}
    for line_id, narrative in narratives.items():
        section = sections.get(line_id)
        if section is None:
            ReportSection.objects.create(report=report, action_line_id=line_id, narrative=narrative)
        elif section.narrative != narrative:
            section.narrative = narrative
            section.save(update_fields=["narrative", "updated_at"])
        after[f"narrative {line_id}"] = narrative
    record_change(
        instance=report,
        action=ChangeAction.UPDATE,
        acting_user=acting_user,
        changes=diff(before, after),
        region=report.programme.region_id,
    )
    return report


def _transition(*, report: ProgressReport, name: str, acting_user, comment: str = "", **fields) -> ProgressReport:
    transition = TRANSITIONS[name]
    _require_role(acting_user, report, transition.role)
    if report.status not in transition.sources:
        raise ValidationError(_state_message(transition, report.get_status_display()))
    comment = (comment or "").strip()
    if transition.comment_required and not comment:
        raise ValidationError(
            {"comment": _("Say why you return the report, so the project leader knows what to change.")}
        )
    from_status = report.status
    # Compare-and-swap on the status: of two people acting at once, only the first one's step applies.
    updated = ProgressReport.objects.filter(pk=report.pk, status=from_status).update(
        status=transition.target, version=F("version") + 1, updated_at=timezone.now(), **fields
    )
    if not updated:
        raise ValidationError(_("Someone else changed the status of this report a moment ago; reload the page."))
    report.refresh_from_db()
    _log(report=report, from_status=from_status, to_status=transition.target, acting_user=acting_user,
         comment=comment)
    return report


@transaction.atomic
def report_submit(*, report: ProgressReport, acting_user, comment: str = "") -> ProgressReport:
    """Submit to the steering group: what the report shows now is frozen into its snapshot."""
    _require_role(acting_user, report, PROJECT_LEADER)
    snapshot = build_live_content(report) if report.is_editable else None
    report = _transition(report=report, name="submit", acting_user=acting_user, comment=comment,
                         snapshot=snapshot, submitted_at=timezone.now())
    transaction.on_commit(lambda: notifications.report_submitted(report))
    return report


@transaction.atomic
def report_return(*, report: ProgressReport, acting_user, comment: str) -> ProgressReport:
    """Return to the project leader with a comment; the report can be edited again from live data."""
    report = _transition(report=report, name="return", acting_user=acting_user, comment=comment)
    transaction.on_commit(lambda: notifications.report_returned(report, comment.strip()))
    return report


@transaction.atomic
def report_approve(*, report: ProgressReport, acting_user, comment: str = "") -> ProgressReport:
    """Approve: the report is final, renders from its snapshot, reaches the national team and locks the figures."""
    report = _transition(report=report, name="approve", acting_user=acting_user, comment=comment,
                         approved_at=timezone.now())
    # The figures the steering group approved stay as approved (see reporting.locks.rules).
    period_lock(region=report.programme.region, period=report.period, acting_user=acting_user, report=report)
    transaction.on_commit(lambda: notifications.report_approved(report))
    return report


@transaction.atomic
def report_new_version(*, report: ProgressReport, acting_user, reason: str) -> ProgressReport:
    """Open a new draft from an approved report; the approved version stays exactly as it was."""
    _require_role(acting_user, report, PROJECT_LEADER)
    if report.status != ReportStatus.APPROVED:
        raise ValidationError(
            _("A new version can only be opened from an approved report; this report is %(status)s.")
            % {"status": report.get_status_display()}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for a new version.")})
    siblings = ProgressReport.objects.select_for_update().filter(programme=report.programme, period=report.period)
    latest = siblings.aggregate(latest=Max("revision"))["latest"]
    if latest != report.revision or siblings.exclude(status=ReportStatus.APPROVED).exists():
        raise ValidationError(_("A newer version of this report already exists; continue with that one."))
    new = ProgressReport(
        programme=report.programme,
        period=report.period,
        revision=report.revision + 1,
        summary=report.summary,
        lessons_learned=report.lessons_learned,
        previous=report,
        new_version_reason=reason,
        created_by=acting_user,
    )
    new.full_clean()
    new.save()
    narratives = {section.action_line_id: section.narrative for section in report.sections.all()}
    ReportSection.objects.bulk_create(
        ReportSection(report=new, action_line=line, narrative=narratives.get(line.pk, ""))
        for line in ActionLine.objects.filter(programme=report.programme)
    )
    _log(report=new, from_status="", to_status=ReportStatus.DRAFT, acting_user=acting_user, comment=reason)
    return new
