"""Progress reports with their workflow and the log of every transition."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programme.models import (
    ActionLine,
    Programme,
    ReportingPeriod,
    TimestampedModel,
    VersionedModel,
)

__all__ = [
    "ProgressReport",
    "ReportSection",
    "ReportStatus",
    "ReportTransition",
]

class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    APPROVED = "approved", _("approved")
    RETURNED = "returned", _("returned")


class ProgressReport(TimestampedModel, VersionedModel):
    """The project leader's report on a regional programme for one period; approved versions are frozen.

    `version` (from VersionedModel) guards against concurrent edits; `revision` is the report version the
    users see (1, 2, ...): a new revision is opened from an approved one, which stays as it was.
    """

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="progress_reports"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("reporting period"), on_delete=models.PROTECT, related_name="progress_reports"
    )
    revision = models.PositiveSmallIntegerField(_("report version"), default=1)
    status = models.CharField(
        _("status"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT, db_index=True
    )
    summary = models.TextField(_("summary"), blank=True)
    lessons_learned = models.TextField(_("lessons learned"), blank=True)
    # What the report showed when it was submitted: measures, goals, bottlenecks, lessons. A submitted or
    # approved report renders from this only, so later changes to live data do not alter it.
    snapshot = models.JSONField(_("snapshot"), null=True, blank=True, editable=False)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("previous version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_versions",
    )
    new_version_reason = models.TextField(_("reason for a new version"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        ordering = ["-period__start_date", "programme__name", "-revision"]
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "period", "revision"],
                name="progress_report_unique_revision",
                violation_error_message=_("This report version already exists."),
            ),
            models.UniqueConstraint(
                fields=["programme", "period"],
                condition=~Q(status="approved"),
                name="progress_report_one_open_version",
                violation_error_message=_("This period already has a report that is not yet approved."),
            ),
        ]

    def __str__(self):
        return _("Progress report %(period)s, version %(revision)s") % {
            "period": self.period.label,
            "revision": self.revision,
        }

    @property
    def region_id(self):
        return self.programme.region_id

    @property
    def is_editable(self) -> bool:
        return self.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)

    @property
    def is_frozen(self) -> bool:
        return self.status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


class ReportSection(TimestampedModel):
    """The project leader's narrative on one action line in a report."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("progress report"), on_delete=models.CASCADE, related_name="sections"
    )
    action_line = models.ForeignKey(
        ActionLine, verbose_name=_("action line"), on_delete=models.PROTECT, related_name="report_sections"
    )
    narrative = models.TextField(_("narrative"), blank=True)

    class Meta:
        ordering = ["action_line__number"]
        verbose_name = _("report section")
        verbose_name_plural = _("report sections")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "action_line"],
                name="report_section_unique",
                violation_error_message=_("This report already has a section for this action line."),
            )
        ]

    def __str__(self):
        return f"{self.report} – {self.action_line}"


class ReportTransition(models.Model):
    """One step of a report's workflow: who moved it from which status to which, when, and why."""

    report = models.ForeignKey(
        ProgressReport, verbose_name=_("progress report"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("from"), max_length=20, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=ReportStatus.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("report transition")
        verbose_name_plural = _("report transitions")

    def __str__(self):
        return f"{self.report}: {self.from_status or '-'} -> {self.to_status}"
