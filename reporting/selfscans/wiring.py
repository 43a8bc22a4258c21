"""How the self-scan plugs into the shared pages: the menu item, a home-page card and a block on measure pages."""

from django.utils.translation import gettext_lazy as _

from programme.access import scope_of
from programme.portal.extensions import (
    MenuItem,
    PageSection,
    register_home_section,
    register_measure_section,
    register_menu_item,
)


def _home_card(request, _obj=None):
    """For the municipality's advisers: this year's scan of their team; for the region: how many have submitted."""
    from reporting.selfscans import access, selectors

    scope = scope_of(request.user)
    if not scope.region_ids or scope.is_superuser:
        return None
    framework = selectors.frameworks_visible_to(request.user).order_by("-year").first()
    if framework is None:
        return None
    rows = selectors.completeness(framework)
    own = [row for row in rows if access.edits_scan_of(request.user, row["municipality"].pk)]
    return "reporting/selfscans/home_card.html", {
        "framework": framework, "own": own,
        "submitted": sum(1 for row in rows if row["has_submitted"]), "total": len(rows),
    }


def _measure_section(request, measure):
    from reporting.selfscans.selectors import linked_improvements_of_measure

    improvements = linked_improvements_of_measure(user=request.user, measure=measure)
    if not improvements:
        return None
    return "reporting/selfscans/measure_section.html", {"improvements": improvements}


def register() -> None:
    register_menu_item(MenuItem(_("Self-scan"), "reporting:selfscan_home", lambda scope: scope.has_any_role, 65))
    register_home_section(PageSection(_home_card, 60))
    register_measure_section(PageSection(_measure_section, 50))
