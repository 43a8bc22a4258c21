"""Reporting periods: the quarters, half years and years in which measures report and figures arrive."""

import calendar
import datetime

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import TimestampedModel, VersionedModel
from .indicators import Periodicity

# A period is a quarter, half year or year: the same choices as an indicator's periodicity.
PeriodKind = Periodicity

# Quarters 1-4, half years 1-2, and 0 for a whole year, as in the CBS codes 2023KW01, 2023HJ02, 2023JJ00.
PERIOD_NUMBERS = {PeriodKind.QUARTER: (1, 2, 3, 4), PeriodKind.HALF_YEAR: (1, 2), PeriodKind.YEAR: (0,)}
CBS_PERIOD_PREFIXES = {PeriodKind.QUARTER: "KW", PeriodKind.HALF_YEAR: "HJ", PeriodKind.YEAR: "JJ"}


def valid_numbers(kind: str) -> tuple[int, ...]:
    """The numbers a period of this kind can have; none for an unknown kind."""
    return PERIOD_NUMBERS.get(kind, ())


def check_period_number(kind: str, number: int) -> None:
    """A ValidationError on `number` when it does not fit the kind of period."""
    if number not in valid_numbers(kind):
        raise ValidationError({"number": _("This number does not fit the kind of period.")})


def period_bounds(kind: str, year: int, number: int) -> tuple[datetime.date, datetime.date]:
    """The first and last day of a period; the number must fit the kind (see check_period_number)."""
    if kind == PeriodKind.QUARTER:
        first_month, months = 3 * (number - 1) + 1, 3
    elif kind == PeriodKind.HALF_YEAR:
        first_month, months = 6 * (number - 1) + 1, 6
    else:
        first_month, months = 1, 12
    last_month = first_month + months - 1
    last_day = calendar.monthrange(year, last_month)[1]
    return datetime.date(year, first_month, 1), datetime.date(year, last_month, last_day)


class ReportingPeriod(TimestampedModel, VersionedModel):
    """A period in which measures report progress and figures are delivered.

    It lives in programme (not reporting) because measure updates refer to it and dependencies
    point reporting -> measures -> programme.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    number = models.PositiveSmallIntegerField(
        _("number"), help_text=_("Quarter 1-4, half year 1-2, or 0 for a whole year.")
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"))
    deadline = models.DateField(_("submission deadline"), null=True, blank=True)

    class Meta:
        ordering = ["start_date", "kind"]
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "year", "number"],
                name="reporting_period_unique",
                violation_error_message=_("This reporting period already exists."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="reporting_period_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def code(self) -> str:
        """The CBS StatLine period code, e.g. 2023KW01, 2023HJ01, 2023JJ00."""
        return f"{self.year}{CBS_PERIOD_PREFIXES[self.kind]}{self.number:02d}"

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return _("Q%(number)s %(year)s") % {"number": self.number, "year": self.year}
        if self.kind == PeriodKind.HALF_YEAR:
            return _("H%(number)s %(year)s") % {"number": self.number, "year": self.year}
        return str(self.year)

    def clean(self):
        if self.kind in PeriodKind.values:  # an unknown kind is reported on the kind field
            check_period_number(self.kind, self.number)
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
