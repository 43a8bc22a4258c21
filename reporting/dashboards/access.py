"""Who may open which dashboard: regional dashboards for the region's people, the national one for the national team."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from programme.access import require_role, scope_of
from programme.models import (
    Organisation,
    OrganisationKind,
    ProgrammeLevel,
    Region,
)


def require_national_reader(user):
    scope = require_role(user)
    if not (scope.is_superuser or scope.is_national_team):
        raise PermissionDenied
    return scope


def dashboard_regions(user) -> QuerySet[Region]:
    """Regions with a regional programme whose dashboard the user may open: every member of the region."""
    scope = scope_of(user)
    regions = Region.objects.filter(programmes__level=ProgrammeLevel.REGIONAL).distinct().order_by("name")
    if scope.is_superuser:
        return regions
    return regions.filter(pk__in=scope.region_ids)


def region_for_dashboard(user, pk: int) -> Region:
    return get_object_or_404(dashboard_regions(user), pk=pk)


def municipality_for_page(user, pk: int) -> Organisation:
    scope = scope_of(user)
    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).select_related("region")
    if not scope.is_superuser:
        municipalities = municipalities.filter(region_id__in=scope.region_ids)
    return get_object_or_404(municipalities, pk=pk)
