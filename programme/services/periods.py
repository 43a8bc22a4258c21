"""Writes of reporting periods: one calendar of quarters, half years and years for every region."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from programme import calendar
from programme.changelog import ChangeAction, claim_version, diff, record_change, snapshot
from programme.models import ReportingPeriod, check_period_number, period_bounds, valid_numbers

PERIOD_FIELDS = ["kind", "year", "number", "start_date", "end_date", "deadline"]
# One rule for every new period, made one at a time or generated: figures and reports are due this many days
# after the period ends, unless a deadline is given.
DEFAULT_DEADLINE_DAYS = 30


def default_deadline(end_date: datetime.date, days: int = DEFAULT_DEADLINE_DAYS) -> datetime.date:
    return end_date + datetime.timedelta(days=days)


@transaction.atomic
def period_create(*, acting_user, kind: str, year: int, number: int, deadline: datetime.date | None) -> ReportingPeriod:
    period = ReportingPeriod(kind=kind, year=year, number=number, deadline=deadline)
    check_period_number(kind, number)
    period.start_date, period.end_date = period_bounds(kind, year, number)
    if deadline is None:
        period.deadline = default_deadline(period.end_date)
    period.full_clean()
    period.save()
    record_change(
        instance=period, action=ChangeAction.CREATE, acting_user=acting_user,
        changes=diff({}, snapshot(period, PERIOD_FIELDS)),
    )
    return period


@transaction.atomic
def period_update(
    *, period: ReportingPeriod, acting_user, deadline: datetime.date | None, expected_version: int | None = None
) -> ReportingPeriod:
    """Only the deadline of a period changes; its kind and dates follow from its code."""
    before = snapshot(period, ["deadline"])
    period.deadline = deadline
    period.full_clean()
    claim_version(period, expected_version)
    period.save(update_fields=["deadline", "updated_at"])
    record_change(
        instance=period, action=ChangeAction.UPDATE, acting_user=acting_user,
        changes=diff(before, snapshot(period, ["deadline"])),
    )
    return period


def periods_generate(*, acting_user, first_year: int, last_year: int, kind: str) -> list[ReportingPeriod]:
    if last_year - first_year > 50:
        raise ValidationError({"last_year": _("Generate at most fifty years at once.")})
    return reporting_periods_generate(first_year=first_year, last_year=last_year, kind=kind, acting_user=acting_user)


@transaction.atomic
def reporting_periods_generate(
    *, first_year: int, last_year: int, kind: str = "quarter", deadline_days: int = DEFAULT_DEADLINE_DAYS,
    acting_user=None
) -> list[ReportingPeriod]:
    """Create the missing periods of a kind for a range of years; existing ones are left as they are."""
    if last_year < first_year:
        raise ValidationError({"last_year": _("The last year cannot be before the first year.")})
    numbers = valid_numbers(kind)
    existing = set(
        ReportingPeriod.objects.filter(kind=kind, year__range=(first_year, last_year)).values_list("year", "number")
    )
    created = []
    for year in range(first_year, last_year + 1):
        for number in numbers:
            if (year, number) in existing:
                continue
            start, end = period_bounds(kind, year, number)
            period = ReportingPeriod(
                kind=kind,
                year=year,
                number=number,
                start_date=start,
                end_date=end,
                deadline=default_deadline(end, deadline_days),
            )
            period.full_clean()
            period.save()
            record_change(instance=period, action=ChangeAction.CREATE, acting_user=acting_user)
            created.append(period)
    return created


def standard_period_may_be_added(year: int) -> bool:
    """Files may add periods of the calendar from 2000 up to next year: a typo like 2203KW01 adds nothing."""
    return 2000 <= year <= calendar.today().year + 1


@transaction.atomic
def standard_period_ensure(*, kind: str, year: int, number: int, acting_user) -> ReportingPeriod:
    """The period of the shared calendar, added when a file or fetch refers to it first.

    Quarters, half years and years are one calendar for everyone, so anyone who may bring figures in may make
    the calendar reach their figures; the deadline follows the one default rule (see reporting_periods_generate).
    """
    existing = ReportingPeriod.objects.filter(kind=kind, year=year, number=number).first()
    if existing is not None:
        return existing
    if not standard_period_may_be_added(year):
        raise ValidationError(_("Periods can be added from 2000 up to next year."))
    check_period_number(kind, number)
    start, end = period_bounds(kind, year, number)
    period = ReportingPeriod(kind=kind, year=year, number=number, start_date=start, end_date=end,
                             deadline=end + datetime.timedelta(days=DEFAULT_DEADLINE_DAYS))
    period.full_clean()
    period.save()
    record_change(instance=period, action=ChangeAction.CREATE, acting_user=acting_user,
                  changes=diff({}, snapshot(period, PERIOD_FIELDS)))
    return period
