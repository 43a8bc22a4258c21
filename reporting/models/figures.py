"""Figures per indicator, organisation and period, and their imports (issue: figures)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programme.models import Indicator, Organisation, Region, ReportingPeriod, TimestampedModel, VersionedModel

__all__ = [
    "Figure",
    "FigureChange",
    "FigureChangeAction",
    "FigureImport",
    "FigureImportStatus",
    "FigureSource",
    "FigureStatus",
    "ImportFormat",
    "ImportRow",
    "ImportRowAction",
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

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="figures"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("municipality"), on_delete=models.PROTECT, related_name="figures"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="figures"
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


class FigureImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("uploaded, columns to map")
    PREVIEW = "preview", _("preview, not yet confirmed")
    CONFIRMED = "confirmed", _("imported")
    UNDONE = "undone", _("undone")
    DISCARDED = "discarded", _("discarded")


class ImportFormat(TimestampedModel):
    """A saved column mapping, so a file that comes every quarter is mapped once."""

    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+")
    mapping = models.JSONField(_("column mapping"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("import format")
        verbose_name_plural = _("import formats")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "name"],
                name="import_format_unique_name",
                violation_error_message=_("This region already has an import format with this name."),
            )
        ]

    def __str__(self):
        return self.name


class FigureImport(TimestampedModel):
    """One uploaded file: kept with who, when, what it did, so it can be read back and undone."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    file_name = models.CharField(_("file name"), max_length=255)
    content = models.BinaryField(_("file content"), editable=False)
    source = models.CharField(_("source"), max_length=20, choices=FigureSource.choices)
    all_provisional = models.BooleanField(_("all figures provisional"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=FigureImportStatus.choices, default=FigureImportStatus.UPLOADED
    )
    headers = models.JSONField(_("column headers"), default=list)
    mapping = models.JSONField(_("column mapping"), default=dict, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("changed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    confirmed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("undone by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("figure import")
        verbose_name_plural = _("figure imports")

    def __str__(self):
        return self.file_name


class ImportRowAction(models.TextChoices):
    CREATE = "create", _("new")
    UPDATE = "update", _("changed")
    UNCHANGED = "unchanged", _("unchanged")
    SKIPPED = "skipped", _("skipped")
    REJECTED = "rejected", _("rejected")


class ImportRow(models.Model):
    """The parsed preview of one file row, kept in the database so a 100,000-row file needs no session."""

    # Staging rows are written 100,000 at a time and thrown away with their import: no foreign-key checks or
    # indexes beyond the one the preview pages read by (the values were resolved against the database already).
    figure_import = models.ForeignKey(
        FigureImport, on_delete=models.CASCADE, related_name="rows", db_constraint=False, db_index=False
    )
    line = models.PositiveIntegerField(_("line"))
    action = models.CharField(_("action"), max_length=20, choices=ImportRowAction.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    municipality_text = models.CharField(_("municipality in the file"), max_length=100, blank=True)
    period_text = models.CharField(_("period in the file"), max_length=100, blank=True)
    indicator_text = models.CharField(_("indicator in the file"), max_length=200, blank=True)
    value_text = models.CharField(_("value in the file"), max_length=100, blank=True)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.DO_NOTHING, null=True, related_name="+", db_constraint=False, db_index=False
    )
    indicator = models.ForeignKey(
        Indicator, on_delete=models.DO_NOTHING, null=True, related_name="+", db_constraint=False, db_index=False
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.DO_NOTHING, null=True, related_name="+", db_constraint=False, db_index=False
    )
    status = models.CharField(max_length=20, choices=FigureStatus.choices, blank=True)
    value = models.DecimalField(**VALUE_FIELD)
    is_provisional = models.BooleanField(default=False)
    figure = models.ForeignKey(
        Figure, on_delete=models.DO_NOTHING, null=True, related_name="+", db_constraint=False, db_index=False
    )
    old_status = models.CharField(max_length=20, choices=FigureStatus.choices, blank=True)
    old_value = models.DecimalField(**VALUE_FIELD)
    old_provisional = models.BooleanField(null=True)
    old_version = models.PositiveIntegerField(null=True)

    class Meta:
        ordering = ["line"]
        indexes = [models.Index(fields=["figure_import", "action", "line"], name="import_row_action")]

    def __str__(self):
        return f"{self.figure_import_id}:{self.line}"


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
    figure = models.ForeignKey(
        Figure, on_delete=models.SET_NULL, null=True, blank=True, related_name="changes", db_constraint=False
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="+", db_index=False,
        db_constraint=False,
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="+"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="+", db_index=False,
        db_constraint=False,
    )
    source = models.CharField(_("source"), max_length=20, choices=FigureSource.choices)
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
        FigureImport, verbose_name=_("import"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="changes", db_index=False, db_constraint=False,
    )
    is_undo = models.BooleanField(_("undo of an import"), default=False)

    class Meta:
        ordering = ["-timestamp", "-pk"]
        verbose_name = _("figure change")
        verbose_name_plural = _("figure changes")
        indexes = [models.Index(fields=["figure_import", "action"], name="figure_change_import")]

    def __str__(self):
        return f"{self.get_action_display()} {self.organisation_id}/{self.indicator_id}/{self.period_id}"
