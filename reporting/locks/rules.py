"""The one rule of locked periods; every write of figures asks it (the grid, the import's preview, confirm and
undo, the StatLine fetch).

- A region's figures are the figures of its municipalities: a figure belongs to a municipality, and a
  municipality to exactly one region. An organisation working in several regions (Veilig Thuis) is bound by each
  region's locks for that region's municipalities only.
- A lock over a period covers the figures of that period and of every shorter period inside it: approving the
  report over H1 2024 locks the figures of H1 2024, Q1 2024 and Q2 2024, because the half year the steering group
  approved is made of them. A longer period that merely overlaps is not covered: an approved Q1 does not lock the
  year or H1 figures, which describe months nobody has approved yet and which often arrive only after the year
  (CBS's half-year and year tables); they lock when the report over the half year or the year is approved.
"""

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from programme.models import ReportingPeriod
from reporting.models import PeriodLock


class PeriodLocked(ValidationError):
    """A change to figures of a locked period; nothing was written. The message says which and why, in Dutch."""


def active_locks(region_id: int) -> QuerySet[PeriodLock]:
    return PeriodLock.objects.filter(region_id=region_id, unlocked_at__isnull=True).select_related("period")


def lock_covering(region_id: int, period: ReportingPeriod) -> PeriodLock | None:
    """The active lock of the region whose period holds `period` (the longest first), or None: one query."""
    return (
        active_locks(region_id)
        .filter(period__start_date__lte=period.start_date, period__end_date__gte=period.end_date)
        .order_by("period__start_date", "-period__end_date")
        .first()
    )


def locked_periods(region_id: int) -> dict[int, str]:
    """Every period whose figures of the region are locked, with the message that refuses a change to them.

    One query when nothing is locked, two otherwise, whatever the number of figures asked about.
    """
    locks = list(active_locks(region_id).order_by("period__start_date", "-period__end_date"))
    if not locks:
        return {}
    inside = Q()
    for lock in locks:
        inside |= Q(start_date__gte=lock.period.start_date, end_date__lte=lock.period.end_date)
    refused = {}
    for period in ReportingPeriod.objects.filter(inside):
        lock = next(lock for lock in locks
                    if lock.period.start_date <= period.start_date and period.end_date <= lock.period.end_date)
        refused[period.pk] = refusal(period, lock)
    return refused


def refusal(period: ReportingPeriod, lock: PeriodLock) -> str:
    """Why a change to figures of `period` is refused, in the user's language."""
    when = formats.date_format(timezone.localtime(lock.locked_at), "j F Y")
    if lock.report_id:
        return _("The figures of %(period)s are locked: the progress report over %(locked)s was approved on "
                 "%(date)s. Only the project leader can unlock the period, giving a reason.") % {
            "period": period.label, "locked": lock.period.label, "date": when}
    return _("The figures of %(period)s are locked since %(date)s. Only the project leader can unlock the period, "
             "giving a reason.") % {"period": period.label, "date": when}


def refuse_if_locked(*, region_id: int, period: ReportingPeriod) -> None:
    """Raise PeriodLocked when the region's figures of `period` are locked."""
    lock = lock_covering(region_id, period)
    if lock is not None:
        raise PeriodLocked(refusal(period, lock))


def refuse_if_any_locked(*, region_id: int, rows: QuerySet) -> None:
    """Raise PeriodLocked when any of `rows` (anything with a `period_id`: staged rows, history rows) lies in a
    locked period of the region; used where a preview made earlier is about to be written."""
    locked = locked_periods(region_id)
    if not locked:
        return
    hit = rows.filter(period_id__in=list(locked)).values_list("period_id", flat=True).first()
    if hit is not None:
        raise PeriodLocked(locked[hit])


def count_locked(*, region_id: int, rows: QuerySet) -> int:
    """How many of `rows` lie in a locked period of the region."""
    locked = locked_periods(region_id)
    return rows.filter(period_id__in=list(locked)).count() if locked else 0
