"""What the region does: measures, who takes part since when, their assessment, progress and funding."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programme.models import (
    ActionLine,
    Goal,
    NationalMeasure,
    Organisation,
    Programme,
    ReportingPeriod,
    Theme,
    TimestampedModel,
    VersionedModel,
    ViolenceForm,
)


class MeasureStatus(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    REJECTED = "rejected", _("rejected")
    PLANNED = "planned", _("planned")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")
    STOPPED = "stopped", _("stopped")
    ON_HOLD = "on_hold", _("on hold")


# The statuses an owner can report in an update (proposed and rejected come from the assessment).
UPDATE_STATUSES = [
    MeasureStatus.PLANNED,
    MeasureStatus.IN_PROGRESS,
    MeasureStatus.COMPLETED,
    MeasureStatus.STOPPED,
    MeasureStatus.ON_HOLD,
]


class Health(models.TextChoices):
    ON_TRACK = "on_track", _("on track")
    AT_RISK = "at_risk", _("at risk")
    OFF_TRACK = "off_track", _("off track")


class FundingSource(models.Model):
    """Where money comes from: the DUVO grant, municipal budget, national funds, ..."""

    code = models.SlugField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)

    class Meta:
        ordering = ["name"]
        verbose_name = _("funding source")
        verbose_name_plural = _("funding sources")

    def __str__(self):
        return self.name


class Measure(TimestampedModel, VersionedModel):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.PROTECT, related_name="measures"
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    action_line = models.ForeignKey(
        ActionLine, verbose_name=_("action line"), on_delete=models.PROTECT, related_name="measures"
    )
    goals = models.ManyToManyField(Goal, verbose_name=_("goals"), blank=True, related_name="measures")
    themes = models.ManyToManyField(Theme, verbose_name=_("themes"), blank=True, related_name="measures")
    violence_forms = models.ManyToManyField(
        ViolenceForm, verbose_name=_("forms of violence"), blank=True, related_name="measures"
    )
    national_measures = models.ManyToManyField(
        NationalMeasure, verbose_name=_("national measures carried out"), blank=True, related_name="measures"
    )
    owner = models.ForeignKey(
        Organisation, verbose_name=_("owner organisation"), on_delete=models.PROTECT, related_name="owned_measures"
    )
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    budget = models.DecimalField(
        _("planned budget (EUR)"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    funding_source = models.ForeignKey(
        FundingSource,
        verbose_name=_("funding source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="measures",
    )
    participants = models.ManyToManyField(
        Organisation,
        verbose_name=_("participating organisations"),
        through="Participation",
        blank=True,
        related_name="participating_measures",
    )
    # The current state, kept in step with the latest update by the services, so lists can filter on it.
    status = models.CharField(
        _("status"), max_length=20, choices=MeasureStatus.choices, default=MeasureStatus.PROPOSED, db_index=True
    )
    health = models.CharField(_("health"), max_length=20, choices=Health.choices, blank=True, db_index=True)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        ordering = ["action_line__number", "title"]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="measure_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0),
                name="measure_budget_not_negative",
                violation_error_message=_("The budget cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="measure_progress_at_most_100",
                violation_error_message=_("Progress cannot be more than 100%."),
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        # Also a database constraint; here so the message appears next to the end date.
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class Participation(VersionedModel):
    """An organisation taking part in a measure from a date, possibly until a date (phased intake of MDA++)."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="participations"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="participations"
    )
    joined_on = models.DateField(_("takes part from"))
    left_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        ordering = ["joined_on", "organisation__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "organisation", "joined_on"],
                name="participation_unique",
                violation_error_message=_("This organisation already joins this measure on this date."),
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="participation_left_after_joined",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
        ]

    def __str__(self):
        return f"{self.organisation} – {self.measure}"

    def clean(self):
        if self.joined_on and self.left_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": _("The end date cannot be before the start date.")})


class Decision(models.TextChoices):
    ACCEPT = "accept", _("accept")
    REJECT = "reject", _("reject")


class Contribution(models.TextChoices):
    STRONG = "strong", _("contributes strongly")
    SOME = "some", _("contributes somewhat")
    NONE = "none", _("does not contribute")


class Assessment(models.Model):
    """The project leader's verdict on a proposed measure, laid against the yardstick of the goals."""

    measure = models.ForeignKey(
        Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="assessments"
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assessed by"), on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(_("assessed at"), auto_now_add=True)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    reasons = models.TextField(_("reasons"))

    class Meta:
        ordering = ["-assessed_at"]
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")

    def __str__(self):
        return f"{self.measure}: {self.get_decision_display()}"


class GoalContribution(models.Model):
    assessment = models.ForeignKey(
        Assessment, verbose_name=_("assessment"), on_delete=models.CASCADE, related_name="contributions"
    )
    goal = models.ForeignKey(Goal, verbose_name=_("goal"), on_delete=models.CASCADE, related_name="+")
    contribution = models.CharField(_("contribution"), max_length=10, choices=Contribution.choices)

    class Meta:
        ordering = ["goal__action_line__number", "goal__code"]
        verbose_name = _("contribution to a goal")
        verbose_name_plural = _("contributions to goals")
        constraints = [models.UniqueConstraint(fields=["assessment", "goal"], name="goal_contribution_unique")]

    def __str__(self):
        return f"{self.goal}: {self.get_contribution_display()}"


class MeasureUpdate(TimestampedModel, VersionedModel):
    """The owner's report on a measure for one reporting period."""

    measure = models.ForeignKey(Measure, verbose_name=_("measure"), on_delete=models.CASCADE, related_name="updates")
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("reporting period"), on_delete=models.PROTECT, related_name="measure_updates"
    )
    status = models.CharField(_("status"), max_length=20, choices=MeasureStatus.choices)
    health = models.CharField(_("health"), max_length=20, choices=Health.choices)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    narrative = models.TextField(_("what happened"))
    spent = models.DecimalField(
        _("money spent in this period (EUR)"),
        max_digits=12,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
    )
    next_steps = models.TextField(_("next steps"), blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("posted by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-period__start_date"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period"],
                name="measure_update_one_per_period",
                violation_error_message=_("This measure already has an update for this period; edit that one."),
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="measure_update_progress_at_most_100",
                violation_error_message=_("Progress cannot be more than 100%."),
            ),
            models.CheckConstraint(
                condition=Q(spent__gte=0),
                name="measure_update_spent_not_negative",
                violation_error_message=_("Money spent cannot be negative."),
            ),
        ]

    def __str__(self):
        return f"{self.measure} – {self.period}"


class FundingGrant(models.Model):
    """Money granted to the programme per source and year, e.g. DUVO EUR 75,000 in 2019 for Helmond."""

    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="grants"
    )
    source = models.ForeignKey(
        FundingSource, verbose_name=_("funding source"), on_delete=models.PROTECT, related_name="grants"
    )
    recipient = models.ForeignKey(
        Organisation, verbose_name=_("recipient"), on_delete=models.PROTECT, related_name="grants"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    amount = models.DecimalField(_("amount (EUR)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)])
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)

    class Meta:
        ordering = ["year", "source__name", "recipient__name"]
        verbose_name = _("grant")
        verbose_name_plural = _("grants")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "source", "recipient", "year"],
                name="funding_grant_unique",
                violation_error_message=_("This grant is already recorded for this year."),
            )
        ]

    def __str__(self):
        return f"{self.source} {self.year} {self.recipient}: {self.amount}"
