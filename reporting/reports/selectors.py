"""Reads of progress reports, scoped to the user: what is out of scope does not exist."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from programme.access import scope_of
from programme.models import ActionLine, Programme, ProgrammeLevel, Role
from reporting.models import ProgressReport, ReportStatus, ReportTransition


def _latest_approved_only(queryset: QuerySet[ProgressReport]) -> QuerySet[ProgressReport]:
    newer = ProgressReport.objects.filter(
        programme=OuterRef("programme"),
        period=OuterRef("period"),
        status=ReportStatus.APPROVED,
        revision__gt=OuterRef("revision"),
    )
    return queryset.filter(status=ReportStatus.APPROVED).exclude(Exists(newer))


def reports_visible_to(user) -> QuerySet[ProgressReport]:
    """Every report of the user's regions; for the national team the latest approved version of every region."""
    scope = scope_of(user)
    queryset = ProgressReport.objects.select_related(
        "programme", "programme__region", "programme__national_programme", "period", "created_by"
    )
    if scope.is_superuser:
        return queryset
    condition = Q(programme__region_id__in=scope.region_ids)
    if scope.is_national_team:
        latest_approved = _latest_approved_only(ProgressReport.objects.all()).values("pk")
        condition |= Q(pk__in=latest_approved)
    return queryset.filter(condition)


def report_for(*, user, pk: int) -> ProgressReport:
    return get_object_or_404(reports_visible_to(user), pk=pk)


def report_list(*, user) -> QuerySet[ProgressReport]:
    return reports_visible_to(user).order_by("-period__start_date", "programme__region__name", "-revision")


def action_lines_of(report: ProgressReport) -> QuerySet[ActionLine]:
    """The action lines of the report's programme, one narrative each, in their order."""
    return ActionLine.objects.filter(programme=report.programme_id).order_by("number")


def report_transitions(report: ProgressReport) -> list[ReportTransition]:
    return list(report.transitions.select_related("user").order_by("at", "pk"))


def open_return(transitions: list[ReportTransition]) -> ReportTransition | None:
    """The steering group's latest return, as long as the report has not been submitted again since."""
    for transition in reversed(transitions):
        if transition.to_status == "submitted":
            return None
        if transition.to_status == "returned":
            return transition
    return None


def submit_note(transitions: list[ReportTransition]) -> ReportTransition | None:
    """The project leader's latest submission, when it came with a comment: what the steering group reads
    before the report it decides on."""
    for transition in reversed(transitions):
        if transition.to_status == "submitted":
            return transition if transition.comment.strip() else None
    return None


def newer_version_of(report: ProgressReport) -> ProgressReport | None:
    return (
        ProgressReport.objects.filter(programme_id=report.programme_id, period_id=report.period_id,
                                      revision__gt=report.revision)
        .order_by("-revision")
        .first()
    )


def programmes_reported_by(user) -> QuerySet[Programme]:
    """Regional programmes whose reports the user writes as project leader."""
    scope = scope_of(user)
    return Programme.objects.filter(
        level=ProgrammeLevel.REGIONAL, region_id__in=scope.region_ids_with_role(Role.PROJECT_LEADER)
    ).select_related("region")


def reports_awaiting_review(*, user) -> QuerySet[ProgressReport]:
    scope = scope_of(user)
    return report_list(user=user).filter(
        status=ReportStatus.SUBMITTED, programme__region_id__in=scope.region_ids_with_role(Role.STEERING_GROUP)
    )


def latest_approved_reports(*, user, limit: int = 5) -> list[ProgressReport]:
    return list(
        _latest_approved_only(reports_visible_to(user)).order_by("-approved_at", "-pk")[:limit]
    )
