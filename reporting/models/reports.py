"""Progress reports with their workflow, bottlenecks and lessons (issue: progress reports)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programme.models import (
    ActionLine,
    Organisation,
    Programme,
    ReportingPeriod,
    TimestampedModel,
    VersionedModel,
)

__all__ = [
    "Bottleneck",
    "BottleneckStatus",
    "Lesson",
    "ProgressReport",
    "ReminderKind",
    "ReminderSent",
    "ReportSection",
    "ReportStatus",
    "ReportTransition",
    "Severity",
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


class Severity(models.TextChoices):
    LOW = "low", _("low")
    MEDIUM = "medium", _("medium")
    HIGH = "high", _("high")


class BottleneckStatus(models.TextChoices):
    OPEN = "open", _("open")
    ESCALATED = "escalated", _("escalated to the steering group")
    DECIDED = "decided", _("decided by the steering group")
    RESOLVED = "resolved", _("resolved")


class Bottleneck(TimestampedModel, VersionedModel):
    """A knelpunt: something that holds the approach back, with a proposed solution and, if needed, a decision."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="bottlenecks"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"))
    measure = models.ForeignKey(
        "measures.Measure",
        verbose_name=_("measure"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bottlenecks",
    )
    action_line = models.ForeignKey(
        ActionLine,
        verbose_name=_("action line"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="bottlenecks",
    )
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices, default=Severity.MEDIUM)
    status = models.CharField(
        _("status"), max_length=20, choices=BottleneckStatus.choices, default=BottleneckStatus.OPEN, db_index=True
    )
    proposed_solution = models.TextField(_("proposed solution"), blank=True)
    owner_organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("owner organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_bottlenecks",
    )
    owner_person = models.CharField(_("owner (person)"), max_length=200, blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("raised by"), on_delete=models.PROTECT, related_name="+"
    )
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)
    decision = models.TextField(_("decision of the steering group"), blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("bottleneck")
        verbose_name_plural = _("bottlenecks")
        constraints = [
            models.CheckConstraint(
                condition=Q(measure__isnull=False) | Q(action_line__isnull=False),
                name="bottleneck_has_measure_or_action_line",
                violation_error_message=_("Choose the measure or the action line this bottleneck is about."),
            )
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if not self.measure_id and not self.action_line_id:
            raise ValidationError(
                {"action_line": _("Choose the measure or the action line this bottleneck is about.")}
            )
        if self.measure_id:
            # A bottleneck of a measure belongs to the measure's action line, so lists per line stay complete.
            self.action_line_id = self.measure.action_line_id
            if self.programme_id and self.measure.programme_id != self.programme_id:
                raise ValidationError({"measure": _("This measure belongs to another programme.")})
        if self.action_line_id and self.programme_id and self.action_line.programme_id != self.programme_id:
            raise ValidationError({"action_line": _("This action line belongs to another programme.")})
        if self.owner_organisation_id and self.programme_id:
            region_id = self.programme.region_id
            org_region = self.owner_organisation.region
            allowed = {region_id}
            if region_id:
                parent = self.programme.region.parent
                while parent is not None:
                    allowed.add(parent.pk)
                    parent = parent.parent
            if org_region is None or org_region.pk not in allowed:
                raise ValidationError({"owner_organisation": _("Choose an organisation of the region.")})

    @property
    def was_escalated(self) -> bool:
        return self.escalated_at is not None


class Lesson(TimestampedModel, VersionedModel):
    """A lesson learned in the region, optionally shared with the national learning circles."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="lessons"
    )
    period = models.ForeignKey(
        ReportingPeriod,
        verbose_name=_("reporting period"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="lessons",
        help_text=_("The report of this period lists the lesson."),
    )
    text = models.TextField(_("what was learned"))
    measure = models.ForeignKey(
        "measures.Measure",
        verbose_name=_("measure"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lessons",
    )
    shared_with_national_team = models.BooleanField(_("share with the national team"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("lesson learned")
        verbose_name_plural = _("lessons learned")

    def __str__(self):
        return self.text[:80]

    def clean(self):
        if self.measure_id and self.programme_id and self.measure.programme_id != self.programme_id:
            raise ValidationError({"measure": _("This measure belongs to another programme.")})


class ReminderKind(models.TextChoices):
    REPORT_DUE = "report_due", _("progress report due")
    MEASURE_UPDATES_DUE = "measure_updates_due", _("measure updates due")
    FIGURES_DUE = "figures_due", _("figures due")


class ReminderSent(models.Model):
    """A reminder that went out, so the daily run never sends the same one twice."""

    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("reporting period"), on_delete=models.CASCADE, related_name="+"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("recipient"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=ReminderKind.choices)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "recipient", "kind"],
                name="reminder_sent_once",
                violation_error_message=_("This reminder was already sent."),
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.period} {self.recipient}"
