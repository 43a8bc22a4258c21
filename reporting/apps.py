"""The reporting app: periods, figures, progress reports and what the region shows."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from programme.portal.extensions import (
            MenuItem,
            PageSection,
            register_demo_loader,
            register_goal_actuals_provider,
            register_home_section,
            register_menu_item,
        )

        from . import demo, selectors

        register_menu_item(MenuItem(_("Figures"), "reporting:figures_home", lambda scope: scope.has_any_role, 40))
        register_home_section(PageSection(build=_home_section, order=40))
        register_goal_actuals_provider(selectors.goal_actuals)
        register_demo_loader(demo.load_demo_figures, order=40)

        # Progress reports, bottlenecks and lessons (issue 5): menu items, home sections, demo data.
        from .reports_wiring import register as register_reports

        register_reports()

        # Dashboards (issue 6): menu items and the steering group's home card.
        from .dashboard_wiring import register as register_dashboards

        register_dashboards()


def _home_section(request, obj=None):
    from .selectors import delivery_status

    status = delivery_status(request.user)
    if not status:
        return None
    return "reporting/home_section.html", {"items": status}
