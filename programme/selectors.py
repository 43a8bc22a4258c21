"""Reads of the framework for pages, scoped to the user through programme.access."""

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from .access import organisations_visible_to, programmes_visible_to, scope_of
from .models import ActionLine, Goal, Organisation, Population, Programme, ProgrammeLevel, Theme


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


def organisation_list(*, user) -> QuerySet[Organisation]:
    """Visible organisations with their populations (newest year first) prefetched."""
    return (
        organisations_visible_to(user)
        .select_related("region")
        .prefetch_related(Prefetch("populations", queryset=Population.objects.order_by("-year")))
        .order_by("region__name", "kind", "name")
    )

