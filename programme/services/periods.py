"""Writes of reporting periods: one calendar of quarters, half years and years for every region."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from programme.changelog import ChangeAction, claim_version, diff, record_change, snapshot
from programme.models import PeriodKind, ReportingPeriod

PERIOD_FIELDS = ["kind", "year", "number", "start_date", "end_date", "deadline"]


@transaction.atomic
def period_create(*, acting_user, kind: str, year: int, number: int, deadline: datetime.date | None) -> ReportingPeriod:
    period = ReportingPeriod(kind=kind, year=year, number=number, deadline=deadline)
    valid = {PeriodKind.QUARTER: range(1, 5), PeriodKind.HALF_YEAR: range(1, 3), PeriodKind.YEAR: [0]}
    if number not in valid.get(kind, []):
        raise ValidationError({"number": _("This number does not fit the kind of period.")})
    period.start_date, period.end_date = _period_bounds(kind, year, number)
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


def _period_bounds(kind: str, year: int, number: int):
    import calendar
    import datetime

    if kind == PeriodKind.QUARTER:
        first_month, months = 3 * (number - 1) + 1, 3
    elif kind == PeriodKind.HALF_YEAR:
        first_month, months = 6 * (number - 1) + 1, 6
    else:
        first_month, months = 1, 12
    last_month = first_month + months - 1
    start = datetime.date(year, first_month, 1)
    end = datetime.date(year, last_month, calendar.monthrange(year, last_month)[1])
    return start, end


@transaction.atomic
def reporting_periods_generate(
    *, first_year: int, last_year: int, kind: str = "quarter", deadline_days: int = 30, acting_user=None
) -> list[ReportingPeriod]:
    """Create the missing periods of a kind for a range of years; existing ones are left as they are."""
    import datetime

    if last_year < first_year:
        raise ValidationError({"last_year": _("The last year cannot be before the first year.")})
    numbers = {PeriodKind.QUARTER: range(1, 5), PeriodKind.HALF_YEAR: range(1, 3), PeriodKind.YEAR: [0]}[kind]
    existing = set(
        ReportingPeriod.objects.filter(kind=kind, year__range=(first_year, last_year)).values_list("year", "number")
    )
    created = []
    for year in range(first_year, last_year + 1):
        for number in numbers:
            if (year, number) in existing:
                continue
            start, end = _period_bounds(kind, year, number)
            period = ReportingPeriod(
                kind=kind,
                year=year,
                number=number,
                start_date=start,
                end_date=end,
                deadline=end + datetime.timedelta(days=deadline_days),
            )
            period.full_clean()
            period.save()
            record_change(instance=period, action=ChangeAction.CREATE, acting_user=acting_user)
            created.append(period)
    return created
