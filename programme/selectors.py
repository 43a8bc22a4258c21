"""Reads of the framework for pages, scoped to the user through programme.access."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from .access import (
    action_lines_visible_to,
    goals_visible_to,
    organisations_visible_to,
    programmes_visible_to,
    scope_of,
    themes_visible_to,
)
from .models import (
    ActionLine,
    Goal,
    Indicator,
    Membership,
    Organisation,
    Population,
    Programme,
    ProgrammeLevel,
    Theme,
)


def programme_list(*, user) -> QuerySet[Programme]:
    return programmes_visible_to(user).order_by("level", "start_date", "name")


def programme_with_framework(*, user, pk: int) -> Programme:
    """One visible programme with its action lines, goals and themes in a fixed number of queries."""
    action_lines = ActionLine.objects.order_by("number").prefetch_related(
        Prefetch("goals", queryset=Goal.objects.select_related("indicator").order_by("code")),
        Prefetch("themes", queryset=Theme.objects.order_by("name")),
    )
    queryset = programmes_visible_to(user).prefetch_related(
        Prefetch("action_lines", queryset=action_lines),
        Prefetch("regional_programmes", queryset=programmes_visible_to(user)),
        "predecessors",
    )
    return get_object_or_404(queryset, pk=pk)


def regional_programme_for(*, user) -> Programme | None:
    """The user's own regional programme, for the home page."""
    scope = scope_of(user)
    return (
        programmes_visible_to(user)
        .filter(level=ProgrammeLevel.REGIONAL, region_id__in=scope.region_ids)
        .order_by("-start_date")
        .first()
    )


def memberships_of(*, user) -> QuerySet[Membership]:
    """The user's own roles with their organisation and region, for the home page."""
    return user.memberships.select_related("organisation", "organisation__region")


def organisation_list(*, user) -> QuerySet[Organisation]:
    """Visible organisations with their populations (newest year first) prefetched."""
    return (
        organisations_visible_to(user)
        .select_related("region")
        .prefetch_related(Prefetch("populations", queryset=Population.objects.order_by("-year")))
        .order_by("region__name", "kind", "name")
    )



def organisation_detail(*, user, pk: int) -> Organisation:
    """One visible organisation with its region and populations (404 when out of scope)."""
    return get_object_or_404(
        organisations_visible_to(user).select_related("region").prefetch_related("populations"), pk=pk
    )


# The framework's edit pages: the record, fetched through the user's scope (404 when out of it), with the
# programme whose editor may change it.

def programme_for_edit(*, user, pk: int) -> Programme:
    return get_object_or_404(programmes_visible_to(user), pk=pk)


def action_line_for_edit(*, user, pk: int) -> ActionLine:
    return get_object_or_404(action_lines_visible_to(user).select_related("programme"), pk=pk)


def goal_for_edit(*, user, pk: int) -> Goal:
    return get_object_or_404(goals_visible_to(user).select_related("action_line__programme"), pk=pk)


def theme_for_edit(*, user, pk: int) -> Theme:
    return get_object_or_404(themes_visible_to(user).select_related("action_line__programme"), pk=pk)


def indicator_choices() -> QuerySet[Indicator]:
    """Indicators a goal can be measured by: reference data, the same for every user."""
    return Indicator.objects.order_by("name")
