"""Reminders before a period's deadline: the report to the project leader, missing measure updates to the
owners, missing figures to the organisations that supply them.

Meant for a daily run (`manage.py send_reminders`). Each reminder is logged in ReminderSent (period,
recipient, kind), so running it again the same day, or every day of the window, mails nobody twice.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from measures.models import Measure, MeasureStatus, MeasureUpdate
from programme.models import (
    Membership,
    Programme,
    ProgrammeLevel,
    ReportingPeriod,
    Role,
)
from reporting.figures.completeness import figure_delivery
from reporting.models import ProgressReport, ReminderKind, ReminderSent, ReportStatus
from reporting.notifications import mail as notifications

# Measures that are expected to report progress in a period.
ACTIVE_STATUSES = [MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS, MeasureStatus.ON_HOLD]


@dataclass
class ReminderResult:
    sent: list[tuple[str, str, str]] = field(default_factory=list)  # (period code, e-mail, kind)
    skipped: int = 0


def days_before() -> int:
    return int(getattr(settings, "REMINDER_DAYS_BEFORE", 14))


def periods_due(today: datetime.date, days: int):
    """Periods whose deadline lies within the coming `days` days (today included)."""
    return ReportingPeriod.objects.filter(deadline__gte=today, deadline__lte=today + datetime.timedelta(days=days))


def _active_programmes(period: ReportingPeriod):
    return Programme.objects.filter(
        Q(end_date__isnull=True) | Q(end_date__gte=period.start_date),
        level=ProgrammeLevel.REGIONAL,
        region__isnull=False,
        start_date__lte=period.end_date,
    ).select_related("region")


def _send_once(*, period, user, kind, template, context, result: ReminderResult) -> None:
    if ReminderSent.objects.filter(period=period, recipient=user, kind=kind).exists():
        result.skipped += 1
        return
    try:
        with transaction.atomic():
            # Log first and mail inside the same transaction: a failed mail rolls the log back, so the
            # next run tries again; a second run at the same moment hits the unique constraint instead.
            ReminderSent.objects.create(period=period, recipient=user, kind=kind)
            notifications.send_to([user], template, {**context, "period": period})
    except IntegrityError:
        result.skipped += 1
        return
    result.sent.append((period.code, user.email, kind))


def _remind_project_leaders(period, programme, result):
    report = (
        ProgressReport.objects.filter(programme=programme, period=period).order_by("-revision").first()
    )
    if report and report.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
        return
    context = {"programme": programme, "report": report,
               "url": notifications.portal_url(reverse("reporting:report_list"))}
    for user in notifications.members_with_role(programme.region_id, Role.PROJECT_LEADER):
        _send_once(period=period, user=user, kind=ReminderKind.REPORT_DUE, template="reminder_report_due",
                   context=context, result=result)


def _remind_measure_owners(period, programme, result):
    has_update = MeasureUpdate.objects.filter(measure=OuterRef("pk"), period=period)
    missing = list(
        Measure.objects.filter(programme=programme, archived_at__isnull=True, status__in=ACTIVE_STATUSES)
        .exclude(Exists(has_update))
        .select_related("owner")
        .order_by("owner__name", "title")
    )
    by_owner: dict[int, list] = {}
    for measure in missing:
        by_owner.setdefault(measure.owner_id, []).append(measure)
    if not by_owner:
        return
    memberships = (
        Membership.objects.filter(
            organisation_id__in=by_owner, role__in=[Role.POLICY_ADVISER, Role.PROJECT_LEADER], user__is_active=True
        )
        .exclude(user__email="")
        .select_related("user")
        .order_by("user__username")
    )
    measures_per_user: dict[int, tuple] = {}
    for membership in memberships:
        user, measures = measures_per_user.get(membership.user_id, (membership.user, []))
        measures.extend(m for m in by_owner[membership.organisation_id] if m not in measures)
        measures_per_user[membership.user_id] = (user, measures)
    for user, measures in measures_per_user.values():
        _send_once(period=period, user=user, kind=ReminderKind.MEASURE_UPDATES_DUE,
                   template="reminder_measure_updates_due", context={"measures": measures}, result=result)


def _remind_figure_suppliers(period, programme, result):
    """Organisations whose figures for the period are not all in (reporting.figures.completeness decides)."""
    delivery = figure_delivery(region=programme.region, period=period)
    missing = {s.organisation_id: s.missing for s in delivery.missing_suppliers}
    if not missing:
        return
    memberships = (
        Membership.objects.filter(organisation_id__in=missing, role=Role.POLICY_ADVISER, user__is_active=True)
        .exclude(user__email="")
        .select_related("user", "organisation")
        .order_by("user__username")
    )
    per_user: dict[int, tuple] = {}
    for membership in memberships:
        user, items = per_user.get(membership.user_id, (membership.user, {}))
        for indicator_name, names in missing[membership.organisation_id].items():
            items.setdefault(indicator_name, set()).update(names)
        per_user[membership.user_id] = (user, items)
    for user, items in per_user.values():
        lines = [{"indicator": name, "count": len(names), "municipalities": sorted(names)}
                 for name, names in sorted(items.items())]
        _send_once(period=period, user=user, kind=ReminderKind.FIGURES_DUE, template="reminder_figures_due",
                   context={"items": lines, "programme": programme,
                            "url": notifications.portal_url(reverse("reporting:figures_home"))},
                   result=result)


def _remind_self_scan_teams(today, days, result):
    """Municipalities whose self-scan of the year is not submitted, near the deadline the project leader set.

    ReminderSent is keyed by period: a scan reminder is logged against the year period of its framework.
    """
    from reporting.models import ScanFramework
    from reporting.selfscans.selectors import completeness

    for framework in ScanFramework.objects.filter(
        deadline__gte=today, deadline__lte=today + datetime.timedelta(days=days)
    ).select_related("region"):
        period = (ReportingPeriod.objects.filter(kind="year", year=framework.year).first()
                  or ReportingPeriod.objects.filter(start_date__lte=framework.deadline,
                                                    end_date__gte=framework.deadline).order_by("-end_date").first())
        missing = {row["municipality"].pk: row["municipality"].name for row in completeness(framework)
                   if not row["has_submitted"]}
        if period is None or not missing:
            continue
        per_user: dict[int, tuple] = {}
        for membership in (
            Membership.objects.filter(organisation_id__in=missing, role=Role.POLICY_ADVISER, user__is_active=True)
            .exclude(user__email="").select_related("user").order_by("user__username")
        ):
            user, names = per_user.get(membership.user_id, (membership.user, []))
            names.append(missing[membership.organisation_id])
            per_user[membership.user_id] = (user, names)
        url = notifications.portal_url(reverse("reporting:selfscan_framework", args=[framework.pk]))
        for user, names in per_user.values():
            _send_once(period=period, user=user, kind=ReminderKind.SELF_SCAN_DUE, template="reminder_self_scan_due",
                       context={"framework": framework, "municipalities": sorted(names), "url": url},
                       result=result)


def send_reminders(*, today: datetime.date, days: int | None = None) -> ReminderResult:
    result = ReminderResult()
    _remind_self_scan_teams(today, days_before() if days is None else days, result)
    for period in periods_due(today, days_before() if days is None else days):
        for programme in _active_programmes(period):
            _remind_project_leaders(period, programme, result)
            _remind_measure_owners(period, programme, result)
            _remind_figure_suppliers(period, programme, result)
    return result
