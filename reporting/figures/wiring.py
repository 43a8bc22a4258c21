"""How figures plug into the shared pages: the menu item, the home-page delivery card and the goals' actual values."""

from django.utils.translation import gettext_lazy as _

from programme.portal.extensions import (
    MenuItem,
    PageSection,
    register_goal_actuals_provider,
    register_home_section,
    register_menu_item,
)


def _home_section(request, _obj=None):
    from reporting.figures.completeness import delivery_status

    status = delivery_status(request.user)
    if not status:
        return None
    return "reporting/figures/home_section.html", {"items": status}


def _goal_actuals(request, goals) -> dict:
    from reporting.figures.goals import goal_actuals

    return goal_actuals(request, goals)


def register() -> None:
    register_menu_item(MenuItem(_("Figures"), "reporting:figures_home", lambda scope: scope.has_any_role, 40))
    register_home_section(PageSection(build=_home_section, order=40))
    register_goal_actuals_provider(_goal_actuals)
