"""How progress reports, bottlenecks and lessons plug into the shared pages: menu items, home cards, demo data."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programme.access import scope_of
from programme.models import Role
from programme.portal.extensions import (
    MenuItem,
    PageSection,
    register_demo_loader,
    register_home_section,
    register_menu_item,
)


def _project_leader_card(request, _obj=None):
    from .models import ProgressReport
    from .reports_selectors import current_period, programmes_reported_by

    scope = scope_of(request.user)
    if not scope.region_ids_with_role(Role.PROJECT_LEADER):
        return None
    period = current_period(today=timezone.localdate())
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
    return "reporting/home/project_leader.html", {"period": period, "reports": reports}


def _steering_group_card(request, _obj=None):
    from .reports_selectors import reports_awaiting_review

    scope = scope_of(request.user)
    if not scope.region_ids_with_role(Role.STEERING_GROUP):
        return None
    return "reporting/home/steering_group.html", {"reports": list(reports_awaiting_review(user=request.user))}


def _national_card(request, _obj=None):
    from .reports_selectors import latest_approved_reports

    if not scope_of(request.user).is_national_team:
        return None
    return "reporting/home/national.html", {"reports": latest_approved_reports(user=request.user)}


def _demo_loader(stdout):
    from .reports_demo import load_demo

    load_demo(stdout)


def register() -> None:
    register_menu_item(MenuItem(_("Reports"), "reporting:report_list", lambda scope: scope.has_any_role, 50))
    register_menu_item(
        MenuItem(_("Bottlenecks"), "reporting:bottleneck_list",
                 lambda scope: bool(scope.region_ids) or scope.is_superuser, 55)
    )
    register_home_section(PageSection(_project_leader_card, 50))
    register_home_section(PageSection(_steering_group_card, 51))
    register_home_section(PageSection(_national_card, 52))
    register_demo_loader(_demo_loader, 200)
