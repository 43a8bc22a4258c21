"""How progress reports plug into the shared pages: the menu item and the home-page cards per role."""

from django.utils.translation import gettext_lazy as _

from programme.access import scope_of
from programme.models import Role
from programme.portal.extensions import (
    MenuItem,
    PageSection,
    register_home_section,
    register_menu_item,
)


def _project_leader_card(request, _obj=None):
    from programme import calendar
    from reporting.models import ProgressReport
    from reporting.reports.selectors import programmes_reported_by

    scope = scope_of(request.user)
    if not scope.region_ids_with_role(Role.PROJECT_LEADER):
        return None
    period = calendar.current_quarter()
    reports = []
    if period is not None:
        latest = {}
        for report in (
            ProgressReport.objects.filter(programme__in=programmes_reported_by(request.user), period=period)
            .select_related("programme", "period")
            .order_by("revision")
        ):
            latest[report.programme_id] = report
        reports = list(latest.values())
    return "reporting/reports/home_project_leader.html", {"period": period, "reports": reports}


def _steering_group_card(request, _obj=None):
    from reporting.reports.selectors import reports_awaiting_review

    scope = scope_of(request.user)
    if not scope.region_ids_with_role(Role.STEERING_GROUP):
        return None
    return "reporting/reports/home_steering_group.html", {"reports": list(reports_awaiting_review(user=request.user))}


def _national_card(request, _obj=None):
    from reporting.reports.selectors import latest_approved_reports

    if not scope_of(request.user).is_national_team:
        return None
    return "reporting/reports/home_national.html", {"reports": latest_approved_reports(user=request.user)}


def register() -> None:
    register_menu_item(MenuItem(_("Reports"), "reporting:report_list", lambda scope: scope.has_any_role, 50))
    register_home_section(PageSection(_project_leader_card, 50))
    register_home_section(PageSection(_steering_group_card, 51))
    register_home_section(PageSection(_national_card, 52))
