"""Figures per indicator, organisation and period, with their history."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programme.models import (
    Indicator,
    Organisation,
    ReportingPeriod,
    TimestampedModel,
    VersionedModel,
    ViolenceForm,
)

__all__ = [
    "Figure",
    "FigureBreakdown",
    "FigureChange",
    "FigureChangeAction",
    "FigureSource",
    "FigureStatus",
]

class FigureStatus(models.TextChoices):
    """A figure row says what is known: a number (0 included), or why there is none. No row: nothing delivered."""

    VALUE = "value", _("value")
    NOT_AVAILABLE = "not_available", _("not available")
    SECRET = "secret", _("secret")


class FigureSource(models.TextChoices):
    VEILIG_THUIS = "veilig_thuis", _("Veilig Thuis registration")
    MUNICIPALITY = "municipality", _("municipal registration")
    CBS_STATLINE = "cbs_statline", _("CBS StatLine")
    OTHER = "other", _("other source")
    DEMO = "demo", _("demo data (generated from inhabitants, not real)")


VALUE_FIELD = {"max_digits": 14, "decimal_places": 2, "null": True, "blank": True}


class Figure(TimestampedModel, VersionedModel):
    """One number of one indicator for one municipality in one period, from one source.

    The source is part of the key: CBS half-year figures (rounded to fives) and Veilig Thuis's own
    quarterly figures describe the same thing differently and are never added together.
    """

    # No index of their own for indicator and period: the unique key (indicator, ...) and the index (period,
    # indicator) serve their look-ups, and every index costs each of an import's 100,000 inserts.
    # The references are checked by the database per statement, not per row (db_constraint=False, see migration
    # reporting 0015_figure_references_per_statement): a foreign key checks each inserted row on its own, which
    # cost an import of 100,000 figures and parts 1.9 s of its 4 s confirmation; the statement's check is one join.
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="figures", db_index=False,
        db_constraint=False,
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="figures",
        db_constraint=False,
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="figures", db_index=False,
        db_constraint=False,
    )
    source = models.CharField(_("source"), max_length=20, choices=FigureSource.choices)
    status = models.CharField(_("status"), max_length=20, choices=FigureStatus.choices, default=FigureStatus.VALUE)
    value = models.DecimalField(_("value"), **VALUE_FIELD)
    is_provisional = models.BooleanField(_("provisional"), default=False)

    class Meta:
        ordering = ["period__start_date", "indicator__code", "organisation__name"]
        verbose_name = _("figure")
        verbose_name_plural = _("figures")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organisation", "period", "source"],
                name="figure_unique_per_source",
                violation_error_message=_(
                    "This municipality already has a figure of this indicator, period and source."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(status="value") & Q(value__isnull=False)) | (~Q(status="value") & Q(value__isnull=True)),
                name="figure_value_matches_status",
                violation_error_message=_("A figure has a value exactly when its status is 'value'."),
            ),
        ]
        indexes = [
            models.Index(fields=["period", "indicator"], name="figure_period_indicator"),
            # The dashboards' data fingerprint reads the newest change of all figures: one index probe.
            models.Index(fields=["updated_at"], name="figure_updated_at"),
        ]

    def __str__(self):
        return f"{self.indicator_id}/{self.organisation_id}/{self.period_id}/{self.source}"


class FigureBreakdown(TimestampedModel, VersionedModel):
    """One part of a figure: the number of one form of violence, beside the total kept in Figure.

    A sibling of Figure rather than a column of it, so every query of totals (dashboards, completeness, goals, the
    API) reads the same rows as before. The parts need not add up to the total: CBS rounds each cell to fives.
    """

    # As Figure's: indicator and period are looked up through the unique key and the (period, indicator) index, and
    # every reference is checked per statement.
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="breakdowns", db_index=False,
        db_constraint=False,
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="figure_breakdowns",
        db_constraint=False,
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="figure_breakdowns",
        db_index=False, db_constraint=False,
    )
    source = models.CharField(_("source"), max_length=20, choices=FigureSource.choices)
    # No index of its own either: only removing a form of violence (a rare act of the administrator) looks parts up
    # by form alone, and the index cost each import about as much as the (period, indicator) one.
    violence_form = models.ForeignKey(
        ViolenceForm, verbose_name=_("form of violence"), on_delete=models.PROTECT, related_name="figure_breakdowns",
        db_index=False, db_constraint=False,
    )
    status = models.CharField(_("status"), max_length=20, choices=FigureStatus.choices, default=FigureStatus.VALUE)
    value = models.DecimalField(_("value"), **VALUE_FIELD)
    is_provisional = models.BooleanField(_("provisional"), default=False)

    class Meta:
        ordering = ["period__start_date", "indicator__code", "organisation__name", "violence_form__order"]
        verbose_name = _("figure by form of violence")
        verbose_name_plural = _("figures by form of violence")
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organisation", "period", "source", "violence_form"],
                name="figure_breakdown_unique",
                violation_error_message=_(
                    "This municipality already has a figure of this indicator, period, source and form of violence."
                ),
            ),
            models.CheckConstraint(
                condition=(Q(status="value") & Q(value__isnull=False)) | (~Q(status="value") & Q(value__isnull=True)),
                name="figure_breakdown_value_matches_status",
                violation_error_message=_("A figure has a value exactly when its status is 'value'."),
            ),
        ]
        indexes = [models.Index(fields=["period", "indicator"], name="figure_breakdown_period_ind")]

    def __str__(self):
        return f"{self.indicator_id}/{self.organisation_id}/{self.period_id}/{self.source}/{self.violence_form_id}"


class FigureChangeAction(models.TextChoices):
    CREATE = "create", _("added")
    UPDATE = "update", _("changed")
    DELETE = "delete", _("removed")


class FigureChange(models.Model):
    """The history of figures: one row per change, by hand or by an import (and its undo).

    The figure's key is copied, so the history of a removed figure stays readable.
    """

    # The history is append-only, written by the services from rows that exist, by the hundred thousand in an
    # import: its links carry no database constraint (each would be a trigger per row), only the ORM's on_delete.
    # Indexed only where set (see Meta): four fifths of a breakdown file's history are parts, without a figure.
    figure = models.ForeignKey(
        Figure, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes", db_constraint=False,
        db_index=False,
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="+", db_index=False,
        db_constraint=False,
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="+", db_constraint=False,
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="+", db_index=False,
        db_constraint=False,
    )
    source = models.CharField(_("source"), max_length=20, choices=FigureSource.choices)
    # Set for a change of one part of a breakdown (figure is then empty: the part is found by its key).
    violence_form = models.ForeignKey(
        ViolenceForm, verbose_name=_("form of violence"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="+", db_index=False, db_constraint=False,
    )
    action = models.CharField(_("action"), max_length=20, choices=FigureChangeAction.choices)
    old_status = models.CharField(max_length=20, choices=FigureStatus.choices, blank=True)
    old_value = models.DecimalField(**VALUE_FIELD)
    old_provisional = models.BooleanField(null=True)
    new_status = models.CharField(max_length=20, choices=FigureStatus.choices, blank=True)
    new_value = models.DecimalField(**VALUE_FIELD)
    new_provisional = models.BooleanField(null=True)
    version = models.PositiveIntegerField(default=0, help_text="The figure's version after this change.")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+",
        db_index=False, db_constraint=False,
    )
    timestamp = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    figure_import = models.ForeignKey(
        "reporting.FigureImport", verbose_name=_("import"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="changes", db_index=False, db_constraint=False,
    )
    is_undo = models.BooleanField(_("undo of an import"), default=False)

    class Meta:
        ordering = ["-timestamp", "-pk"]
        verbose_name = _("figure change")
        verbose_name_plural = _("figure changes")
        indexes = [
            models.Index(fields=["figure_import", "action"], name="figure_change_import"),
            models.Index(fields=["figure"], condition=Q(figure__isnull=False), name="figure_change_figure"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} {self.organisation_id}/{self.indicator_id}/{self.period_id}"
