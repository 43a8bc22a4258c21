"""How the dashboards plug into the shared pages: the menu items and the steering group's home-page card."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programme.access import scope_of
from programme.models import Role
from programme.portal.extensions import MenuItem, PageSection, register_home_section, register_menu_item


def _steering_card(request, _obj=None):
    """For the steering group, first on the home page: the tiles of their region's dashboard."""
    from reporting.dashboards.access import dashboard_regions
    from reporting.dashboards.cache import data_fingerprint
    from reporting.dashboards.charts import period_label
    from reporting.dashboards.selectors.steering import steering_tiles
    from reporting.models import ReportStatus

    scope = scope_of(request.user)
    region_ids = scope.region_ids_with_role(Role.STEERING_GROUP)
    if not region_ids:
        return None
    region = dashboard_regions(request.user).filter(pk__in=region_ids).first()
    if region is None:
        return None
    tiles = steering_tiles(region, data_fingerprint())
    with_health = tiles["with_health"]
    return "reporting/dashboards/home_card.html", {
        "region": region,
        "tiles": tiles,
        "on_track": round(tiles["by_health"]["on_track"] * 100 / with_health) if with_health else None,
        "report_period": period_label(tiles["report_period"]) if tiles["report_period"] else "",
        "report_status_label": ReportStatus(tiles["report"]["status"]).label if tiles["report"] else "",
        "url": reverse("reporting:steering_dashboard", args=[region.pk]),
    }


def register() -> None:
    register_menu_item(MenuItem(_("Dashboard"), "reporting:dashboard",
                                lambda scope: scope.is_regional_reader, 25))
    register_menu_item(MenuItem(_("National overview"), "reporting:national_dashboard",
                                lambda scope: scope.is_superuser or scope.is_national_team, 26))
    register_home_section(PageSection(_steering_card, order=5))
