"""Figure imports: the uploaded file, its column mapping and its staged rows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from programme.models import Indicator, Organisation, Region, ReportingPeriod, TimestampedModel, ViolenceForm
from reporting.models.figures import VALUE_FIELD, Figure, FigureSource, FigureStatus

__all__ = [
    "FigureImport",
    "FigureImportStatus",
    "ImportFormat",
    "ImportRow",
    "ImportRowAction",
    "CbsTableSync",
]

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
    # What the preview did or noticed beyond single rows: periods added to the calendar, periodicity warnings.
    notices = models.JSONField(_("notices"), default=list, blank=True)
    rows_total = models.PositiveIntegerField(_("rows"), default=0)
    created_count = models.PositiveIntegerField(_("new"), default=0)
    updated_count = models.PositiveIntegerField(_("changed"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    skipped_count = models.PositiveIntegerField(_("skipped"), default=0)
    outside_count = models.PositiveIntegerField(_("outside the region"), default=0)
    not_municipality_count = models.PositiveIntegerField(_("not a municipality"), default=0)
    rejected_count = models.PositiveIntegerField(_("rejected"), default=0)
    # The preview's check of the file's totals against the sums of their parts (with a breakdown column only):
    # {"count": how many differ, "first": [[municipality id, indicator id, period id, total, sum of the parts], ...]}.
    total_checks = models.JSONField(_("totals differing from their parts"), default=dict, blank=True)
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

    @property
    def changes_anything(self) -> bool:
        return bool(self.created_count or self.updated_count)


class ImportRowAction(models.TextChoices):
    CREATE = "create", _("new")
    UPDATE = "update", _("changed")
    UNCHANGED = "unchanged", _("unchanged")
    SKIPPED = "skipped", _("skipped")
    OUTSIDE = "outside", _("outside the region")
    NOT_MUNICIPALITY = "not_municipality", _("not a municipality")
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
    # A part of a breakdown by form of violence; its `figure` then holds the FigureBreakdown's id.
    violence_form = models.ForeignKey(
        ViolenceForm, on_delete=models.DO_NOTHING, null=True, related_name="+", db_constraint=False, db_index=False
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
        # The import page reads one kind of row in file order (line, then id for a wide file's columns): with the
        # id in the index that order is the index's own, so a page is read from it and no staged row is sorted.
        indexes = [models.Index(fields=["figure_import", "action", "line", "id"], name="import_row_action")]

    def __str__(self):
        return f"{self.figure_import_id}:{self.line}"


class CbsTableSync(TimestampedModel):
    """When a CBS StatLine table was last fetched for a region, and the table's own Modified date then: a table
    that has not changed since is not downloaded again."""

    table = models.CharField(_("CBS table"), max_length=20)
    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+")
    modified = models.CharField(_("modified according to CBS"), max_length=40, blank=True)
    figure_import = models.ForeignKey(
        FigureImport, verbose_name=_("import"), on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("CBS table fetch")
        verbose_name_plural = _("CBS table fetches")
        constraints = [models.UniqueConstraint(fields=["table", "region"], name="cbs_table_sync_unique")]

    def __str__(self):
        return f"{self.table} ({self.modified})"
