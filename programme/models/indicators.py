"""What is measured: indicators with their unit, periodicity and how they aggregate."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .base import TimestampedModel, VersionedModel
from .geography import OrganisationKind


class IndicatorUnit(models.TextChoices):
    COUNT = "count", _("count")
    PERCENTAGE = "percentage", _("percentage")
    EURO = "euro", _("euro")
    SCORE = "score", _("score")


class Periodicity(models.TextChoices):
    QUARTER = "quarter", _("quarter")
    HALF_YEAR = "half_year", _("half year")
    YEAR = "year", _("year")


class Aggregation(models.TextChoices):
    SUM = "sum", _("sum")
    MEAN = "mean", _("mean")
    LAST = "last", _("last")


class Indicator(TimestampedModel, VersionedModel):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=20, choices=IndicatorUnit.choices)
    periodicity = models.CharField(_("periodicity"), max_length=20, choices=Periodicity.choices)
    aggregation_over_organisations = models.CharField(
        _("aggregation over municipalities"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    aggregation_over_time = models.CharField(
        _("aggregation over time"), max_length=10, choices=Aggregation.choices, default=Aggregation.SUM
    )
    higher_is_better = models.BooleanField(_("higher is better"), null=True, blank=True)
    suppress_small_numbers = models.BooleanField(_("suppress small numbers"), default=False)
    cbs_key = models.CharField(
        _("CBS StatLine key"), max_length=80, blank=True,
        help_text=_("The column of this indicator in the CBS StatLine tables, such as GestarteAdviezen or "
                    "OntvangenMeldingen (a numbered suffix like _1 is ignored); a CBS file maps it by itself."),
    )
    # Validation rules, maintained by the project leader; checked by reporting.quality at entry and import.
    minimum = models.DecimalField(
        _("minimum"), max_digits=14, decimal_places=2, null=True, blank=True,
        help_text=_("A lower value is refused. Empty: no minimum."),
    )
    maximum = models.DecimalField(
        _("maximum"), max_digits=14, decimal_places=2, null=True, blank=True,
        help_text=_("A higher value is refused. Empty: no maximum."),
    )
    whole_numbers = models.BooleanField(
        _("whole numbers only"), default=False,
        help_text=_("Refuse decimals. Counts are always whole numbers."),
    )
    not_above_sum_of = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="ceiling_of", verbose_name=_("not above the sum of"),
        help_text=_("A value above the sum of these indicators (same municipality, period and source) is flagged, "
                    "for example a part above its total."),
    )
    check_outliers = models.BooleanField(
        _("flag outliers"), default=True,
        help_text=_("Flag a value far from the municipality's own previous periods; it is kept only with an "
                    "explanation."),
    )
    supplier_kinds = models.JSONField(
        _("supplied by kinds of organisation"),
        default=list,
        blank=True,
        help_text=_("Kinds of organisation that supply this indicator."),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")

    def __str__(self):
        return self.name

    @property
    def supplier_kind_labels(self) -> list[str]:
        """The kinds of organisation that supply it, by their names (the stored codes are for code only)."""
        labels = dict(OrganisationKind.choices)
        return [str(labels.get(kind, kind)) for kind in self.supplier_kinds or []]

    def clean(self):
        valid = set(OrganisationKind.values)
        unknown = [kind for kind in (self.supplier_kinds or []) if kind not in valid]
        if unknown:
            raise ValidationError({"supplier_kinds": _("Unknown kind of organisation: %(kinds)s") % {
                "kinds": ", ".join(unknown)}})
        if self.minimum is not None and self.maximum is not None and self.minimum > self.maximum:
            raise ValidationError({"maximum": _("The maximum cannot be below the minimum.")})
        if self.suppress_small_numbers and self.unit != IndicatorUnit.COUNT:
            raise ValidationError(
                {"unit": _("Only counts can have small numbers suppressed.")}
            )


class DisclosureSettings(TimestampedModel):
    """The national rule for small numbers: one row, changed only by a functional administrator (audited).

    Whether an indicator is protected at all is its `suppress_small_numbers`, changed the same way.
    """

    threshold = models.PositiveSmallIntegerField(
        _("threshold for small numbers"), default=4,
        help_text=_("Counts from 1 up to this number are hidden outside the owning region; every other count "
                    "published outside the region is rounded to a multiple of the threshold plus one."),
    )

    class Meta:
        verbose_name = _("disclosure settings")
        verbose_name_plural = _("disclosure settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(threshold__gte=1), name="disclosure_threshold_at_least_one",
                                   violation_error_message=_("The threshold must be at least 1.")),
        ]

    def __str__(self):
        return str(_("Disclosure settings"))
