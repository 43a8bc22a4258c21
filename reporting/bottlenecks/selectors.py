"""Reads of bottlenecks, scoped to the user: what is out of scope does not exist."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from measures.models import Measure
from programme.access import scope_of
from programme.models import ActionLine, Organisation, Programme, ProgrammeLevel
from reporting.models import Bottleneck


def bottlenecks_visible_to(user) -> QuerySet[Bottleneck]:
    """Bottlenecks of the user's regions; the national team does not see them."""
    scope = scope_of(user)
    queryset = Bottleneck.objects.select_related(
        "programme", "programme__region", "measure", "action_line", "owner_organisation", "raised_by"
    )
    if scope.is_superuser:
        return queryset
    return queryset.filter(programme__region_id__in=scope.region_ids)


def bottleneck_list(user) -> QuerySet[Bottleneck]:
    """The list page's order, newest first; the filters of the page narrow it further."""
    return bottlenecks_visible_to(user).order_by("-created_at", "-pk")


def bottleneck_for(*, user, pk: int) -> Bottleneck:
    return get_object_or_404(bottlenecks_visible_to(user), pk=pk)


def programmes_of_regions_of(user) -> QuerySet[Programme]:
    scope = scope_of(user)
    queryset = Programme.objects.filter(level=ProgrammeLevel.REGIONAL)
    if scope.is_superuser:
        return queryset
    return queryset.filter(region_id__in=scope.region_ids)


def action_lines_for_bottlenecks(user) -> QuerySet[ActionLine]:
    return (
        ActionLine.objects.filter(programme__in=programmes_of_regions_of(user))
        .select_related("programme")
        .order_by("programme__name", "number")
    )


def measures_for_bottlenecks(user) -> QuerySet[Measure]:
    return (
        Measure.objects.filter(programme__in=programmes_of_regions_of(user), archived_at__isnull=True)
        .select_related("action_line")
        .order_by("action_line__number", "title")
    )


def organisations_of_programme_regions(user) -> QuerySet[Organisation]:
    scope = scope_of(user)
    if scope.is_superuser:
        return Organisation.objects.exclude(kind="national").order_by("name")
    # The user's regions and the larger ones around them, whose partners (Veilig Thuis) work there too.
    return Organisation.objects.filter(region_id__in=scope.region_ids | scope.ancestor_region_ids).order_by("name")
