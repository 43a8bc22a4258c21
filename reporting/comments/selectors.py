"""Reads of comments on figures: only the region's own members read them (see FigureComment)."""

from urllib.parse import urlencode

from django.db.models import Count, QuerySet
from django.urls import reverse

from programme.access import scope_of
from programme.models import Region, ReportingPeriod
from reporting.models import FigureComment


def may_read_comments(user, region_id: int) -> bool:
    """A member of the region through a regional role, or an administrator. The national team reads the region's
    figures with small numbers hidden, never its comments: free text cannot go through the disclosure step."""
    scope = scope_of(user)
    return scope.is_superuser or scope.belongs_to_region(region_id)


def comments_visible_to(user) -> QuerySet[FigureComment]:
    scope = scope_of(user)
    comments = FigureComment.objects.select_related("author", "indicator", "organisation", "period")
    if scope.is_superuser:
        return comments
    return comments.filter(organisation__region_id__in=scope.region_ids)


def comment_counts(*, user, region: Region, period: ReportingPeriod) -> dict[tuple[int, int], int]:
    """(municipality id, indicator id) -> number of comments, for the markers of the grid and the table: one
    query, none for a reader who may not read them."""
    if not may_read_comments(user, region.pk):
        return {}
    rows = (FigureComment.objects.filter(period=period, organisation__region=region)
            .values_list("organisation_id", "indicator_id").annotate(count=Count("pk")).order_by())
    return {(organisation, indicator): count for organisation, indicator, count in rows}


def comments_for(*, user, region: Region, indicator_id=None, municipality_id=None, period_id=None,
                 ) -> QuerySet[FigureComment]:
    """The region's comments the user may read, narrowed like the figure history, newest first."""
    comments = comments_visible_to(user).filter(organisation__region=region)
    for field, value in (("indicator_id", indicator_id), ("organisation_id", municipality_id),
                         ("period_id", period_id)):
        if value is not None:
            comments = comments.filter(**{field: value})
    return comments.order_by("-created_at", "-pk")


def thread_url(region_id: int, *, municipality_id, indicator_id, period_id) -> str:
    """Where a figure's comment thread is: its history page, narrowed to that figure."""
    query = urlencode({"indicator": indicator_id, "municipality": municipality_id, "period": period_id})
    return f"{reverse('reporting:figure_history', args=[region_id])}?{query}#opmerkingen"
