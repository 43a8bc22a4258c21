"""Which reporting period is "now": the one rule every page, dashboard, reminder and demo asks.

All answers are for a given day (the local date by default), so tests and the demo can ask about any date.
"""

import datetime

from django.db.models import Case, F, Q, Value, When
from django.utils import timezone

from programme.models import PeriodKind, ReportingPeriod


def today() -> datetime.date:
    """The portal's date: the local date in the portal's time zone, never the server's naive date."""
    return timezone.localdate()


def current_quarter(day: datetime.date | None = None) -> ReportingPeriod | None:
    """The quarter the day falls in: the one the regions are reporting on now."""
    day = day or today()
    return (
        ReportingPeriod.objects.filter(kind=PeriodKind.QUARTER, start_date__lte=day, end_date__gte=day)
        .order_by("start_date").first()
    )


def started_periods(day: datetime.date | None = None):
    """Periods that have started, newest first: one does not report on the future."""
    return ReportingPeriod.objects.filter(start_date__lte=day or today()).order_by("-start_date")


def latest_ended(kind: str | None = None, day: datetime.date | None = None) -> ReportingPeriod | None:
    """The last period that has ended (of a kind, quarters by default; else of any kind, else the first)."""
    ended = ReportingPeriod.objects.filter(end_date__lt=day or today()).order_by("-end_date")
    return ended.filter(kind=kind or PeriodKind.QUARTER).first() or ended.first() or ReportingPeriod.objects.first()


def quarter_due(day: datetime.date | None = None) -> ReportingPeriod | None:
    """The quarter whose figures are due now: ended and its deadline not passed (the earliest such); else the last
    ended quarter. One query: the ended quarters ordered with those still open first."""
    day = day or today()
    still_open = Q(deadline__gte=day)
    return (
        ReportingPeriod.objects.filter(kind=PeriodKind.QUARTER, end_date__lt=day)
        .order_by(Case(When(still_open, then=Value(0)), default=Value(1)),
                  Case(When(still_open, then=F("end_date"))).asc(), "-end_date")
        .first()
    )
