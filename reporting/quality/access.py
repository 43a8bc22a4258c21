"""Who sees the data-quality overview and who may explain a flag."""

from django.core.exceptions import PermissionDenied

from programme.access import scope_of
from programme.models import Region
from reporting.figures.access import entry_rights


def may_see_overview(user, region: Region) -> bool:
    """The overview is the project leader's (and the administrator's) tool for their region."""
    scope = scope_of(user)
    return scope.is_superuser or scope.is_project_leader_of(region.pk)


def require_overview(user, region: Region) -> None:
    if not may_see_overview(user, region):
        raise PermissionDenied


def require_explain(user, flag) -> None:
    """Whoever may enter the figure may explain it (the project leader for every figure of the region)."""
    figure = flag.figure
    if not entry_rights(user, figure.organisation.region).allows(figure.organisation_id, figure.indicator_id):
        raise PermissionDenied
