"""Who may see and change measures: queryset filters on top of programme.access, so out of scope is a 404."""

from django.db.models import QuerySet
from django.http import Http404

from programme.access import organisations_working_in, scope_of
from programme.models import Role

from .models import Measure


def measures_visible_to(user) -> QuerySet[Measure]:
    """Every member of a region sees all measures of that region's programmes."""
    scope = scope_of(user)
    if scope.is_superuser:
        return Measure.objects.all()
    return Measure.objects.filter(programme__region_id__in=scope.region_ids)


def can_edit_measure(user, measure: Measure) -> bool:
    scope = scope_of(user)
    if scope.is_superuser or scope.is_project_leader_of(measure.programme.region_id):
        return True
    return measure.owner_id in scope.organisation_ids_with_role(Role.POLICY_ADVISER)


def can_assess_measure(user, measure: Measure) -> bool:
    scope = scope_of(user)
    return scope.is_superuser or scope.is_project_leader_of(measure.programme.region_id)


def can_read_history(user, measure: Measure) -> bool:
    """The owner organisation, the project leader and the steering group of the region read the history."""
    scope = scope_of(user)
    region_id = measure.programme.region_id
    return (
        scope.is_superuser
        or scope.is_project_leader_of(region_id)
        or scope.is_steering_group_of(region_id)
        or measure.owner_id in scope.organisation_ids
    )


def require_edit(user, measure: Measure) -> None:
    """A measure the user may read but not change is, for its edit pages, not there at all (404): an adviser
    of Eindhoven finds no edit page for a Helmond measure, rather than learning that it exists."""
    if not can_edit_measure(user, measure):
        raise Http404


# Organisations that work in a region: its own, and those of the larger regions around it (Veilig Thuis).
region_organisations = organisations_working_in
