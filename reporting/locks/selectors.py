"""Reads of period locks: the history of a region's locks for its page."""

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from programme.models import Region
from reporting.models import PeriodLock


def lock_history(region: Region) -> QuerySet[PeriodLock]:
    """Every lock of the region, newest first, with who locked and unlocked it."""
    return (
        PeriodLock.objects.filter(region=region)
        .select_related("period", "report", "locked_by", "unlocked_by")
        .order_by("-locked_at", "-pk")
    )


def lock_for(region: Region, pk: int) -> PeriodLock:
    return get_object_or_404(PeriodLock.objects.select_related("period"), region=region, pk=pk)
