"""Reporting periods: the quarters, half years and years in which measures report and figures arrive."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import TimestampedModel, VersionedModel
from .indicators import Periodicity

# A period is a quarter, half year or year: the same choices as an indicator's periodicity.
PeriodKind = Periodicity


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
        prefix = {PeriodKind.QUARTER: "KW", PeriodKind.HALF_YEAR: "HJ", PeriodKind.YEAR: "JJ"}[self.kind]
        return f"{self.year}{prefix}{self.number:02d}"

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.QUARTER:
            return _("Q%(number)s %(year)s") % {"number": self.number, "year": self.year}
        if self.kind == PeriodKind.HALF_YEAR:
            return _("H%(number)s %(year)s") % {"number": self.number, "year": self.year}
        return str(self.year)

    def clean(self):
        valid_numbers = {PeriodKind.QUARTER: range(1, 5), PeriodKind.HALF_YEAR: range(1, 3), PeriodKind.YEAR: [0]}
        if self.kind in valid_numbers and self.number not in valid_numbers[self.kind]:
            raise ValidationError({"number": _("This number does not fit the kind of period.")})
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
