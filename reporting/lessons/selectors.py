"""Reads of lessons learned, scoped to the user: the region's own, and the shared ones for the national team."""

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from measures.models import Measure
from programme.access import scope_of
from reporting.models import Lesson
from reporting.reports.selectors import programmes_reported_by


def lessons_visible_to(user) -> QuerySet[Lesson]:
    """Lessons of the user's regions; for the national team also the shared lessons of every region."""
    scope = scope_of(user)
    queryset = Lesson.objects.select_related("programme", "programme__region", "measure", "period", "created_by")
    if scope.is_superuser:
        return queryset
    condition = Q(programme__region_id__in=scope.region_ids)
    if scope.is_national_team:
        condition |= Q(shared_with_national_team=True)
    return queryset.filter(condition)


def lesson_list(user) -> QuerySet[Lesson]:
    """The list page's order: by region, newest first."""
    return lessons_visible_to(user).order_by("programme__region__name", "-created_at", "-pk")


def lesson_for(*, user, pk: int) -> Lesson:
    return get_object_or_404(lessons_visible_to(user), pk=pk)


def measures_for_lessons(user) -> QuerySet[Measure]:
    return Measure.objects.filter(
        programme__in=programmes_reported_by(user), archived_at__isnull=True
    ).order_by("action_line__number", "title")
