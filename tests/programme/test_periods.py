"""The one rule for period numbers and bounds, and the places that ask it: the model, the service, the import."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from programme.models import PeriodKind, ReportingPeriod, period_bounds, valid_numbers
from programme.services.periods import period_create, reporting_periods_generate
from reporting.imports.parsing import parse_period

NUMBERS = [
    (PeriodKind.QUARTER, 0, False), (PeriodKind.QUARTER, 1, True), (PeriodKind.QUARTER, 4, True),
    (PeriodKind.QUARTER, 5, False),
    (PeriodKind.HALF_YEAR, 0, False), (PeriodKind.HALF_YEAR, 1, True), (PeriodKind.HALF_YEAR, 2, True),
    (PeriodKind.HALF_YEAR, 3, False),
    (PeriodKind.YEAR, 0, True), (PeriodKind.YEAR, 1, False),
]
CBS_PREFIX = {PeriodKind.QUARTER: "KW", PeriodKind.HALF_YEAR: "HJ", PeriodKind.YEAR: "JJ"}


def test_valid_numbers_per_kind():
    assert valid_numbers(PeriodKind.QUARTER) == (1, 2, 3, 4)
    assert valid_numbers(PeriodKind.HALF_YEAR) == (1, 2)
    assert valid_numbers(PeriodKind.YEAR) == (0,)
    assert valid_numbers("month") == ()


@pytest.mark.parametrize(("kind", "number", "start", "end"), [
    (PeriodKind.QUARTER, 1, datetime.date(2024, 1, 1), datetime.date(2024, 3, 31)),
    (PeriodKind.QUARTER, 4, datetime.date(2024, 10, 1), datetime.date(2024, 12, 31)),
    (PeriodKind.HALF_YEAR, 1, datetime.date(2024, 1, 1), datetime.date(2024, 6, 30)),
    (PeriodKind.HALF_YEAR, 2, datetime.date(2024, 7, 1), datetime.date(2024, 12, 31)),
    (PeriodKind.YEAR, 0, datetime.date(2024, 1, 1), datetime.date(2024, 12, 31)),
])
def test_period_bounds(kind, number, start, end):
    assert period_bounds(kind, 2024, number) == (start, end)


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "number", "valid"), NUMBERS)
def test_model_service_and_import_agree_on_the_numbers(kind, number, valid):
    code = f"2024{CBS_PREFIX[kind]}{number:02d}"
    assert (parse_period(code) is not None) is valid
    start, end = period_bounds(kind, 2024, 1 if kind != PeriodKind.YEAR else 0)
    period = ReportingPeriod(kind=kind, year=2024, number=number, start_date=start, end_date=end)
    with translation.override("nl"):
        if valid:
            period.full_clean()
            created = period_create(acting_user=None, kind=kind, year=2024, number=number, deadline=None)
            assert created.code == code
        else:
            for check in (period.full_clean,
                          lambda: period_create(acting_user=None, kind=kind, year=2024, number=number, deadline=None)):
                with pytest.raises(ValidationError) as error:
                    check()
                assert error.value.message_dict["number"] == ["Dit nummer past niet bij de soort periode."]


@pytest.mark.django_db
def test_generate_makes_every_valid_number_once():
    reporting_periods_generate(first_year=2024, last_year=2024, kind=PeriodKind.HALF_YEAR)
    assert list(ReportingPeriod.objects.filter(year=2024).values_list("number", flat=True)) == [1, 2]
    assert reporting_periods_generate(first_year=2024, last_year=2024, kind=PeriodKind.HALF_YEAR) == []


@pytest.mark.django_db
def test_the_quarter_due_is_the_earliest_ended_one_still_open_else_the_last_ended_one():
    from programme import calendar

    reporting_periods_generate(first_year=2025, last_year=2026, kind=PeriodKind.QUARTER, deadline_days=45)
    ReportingPeriod.objects.filter(year=2025, number=2).update(deadline=None)
    due = calendar.quarter_due

    def label(period):
        return (period.year, period.number) if period else None

    # Q4 2025 ended on 31 December, its deadline 45 days later: due until then.
    assert label(due(datetime.date(2026, 1, 10))) == (2025, 4)
    # Past its deadline and before Q1 2026 ends: the last ended quarter.
    assert label(due(datetime.date(2026, 3, 1))) == (2025, 4)
    # Two ended quarters still open (a deadline moved out): the earlier one.
    ReportingPeriod.objects.filter(year=2025, number=3).update(deadline=datetime.date(2026, 6, 1))
    assert label(due(datetime.date(2026, 1, 10))) == (2025, 3)
    # Nothing ended yet: none.
    assert due(datetime.date(2025, 2, 1)) is None
