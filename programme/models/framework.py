"""The framework of a programme: action lines, themes and SMART goals, the national catalogue, forms of violence."""

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .base import TimestampedModel, VersionedModel
from .geography import Region
from .indicators import Indicator


class ProgrammeLevel(models.TextChoices):
    NATIONAL = "national", _("national")
    REGIONAL = "regional", _("regional")


class Programme(TimestampedModel, VersionedModel):
    name = models.CharField(_("name"), max_length=200)
    short_name = models.CharField(_("short name"), max_length=30, blank=True)
    level = models.CharField(_("level"), max_length=20, choices=ProgrammeLevel.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="programmes",
    )
    national_programme = models.ForeignKey(
        "self",
        verbose_name=_("national programme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regional_programmes",
        limit_choices_to={"level": ProgrammeLevel.NATIONAL},
    )
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("continued in"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="predecessors",
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["level", "start_date", "name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="programme_end_after_start",
                violation_error_message=_("The end date cannot be before the start date."),
            ),
            models.CheckConstraint(
                condition=(Q(level="regional") & Q(region__isnull=False))
                | (Q(level="national") & Q(region__isnull=True)),
                name="programme_region_matches_level",
                violation_error_message=_("A regional programme has a region; a national programme has none."),
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        if self.level == ProgrammeLevel.REGIONAL and not self.region_id:
            raise ValidationError({"region": _("A regional programme belongs to a region.")})
        if self.level == ProgrammeLevel.NATIONAL and self.region_id:
            raise ValidationError({"region": _("A national programme does not belong to a region.")})
        if self.successor_id and self.pk and self.successor_id == self.pk:
            raise ValidationError({"successor": _("A programme cannot be its own successor.")})
        if self.end_date and self.start_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})


class ActionLine(TimestampedModel, VersionedModel):
    programme = models.ForeignKey(
        Programme, verbose_name=_("programme"), on_delete=models.CASCADE, related_name="action_lines"
    )
    number = models.PositiveSmallIntegerField(_("number"), validators=[MinValueValidator(1)])
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("action line")
        verbose_name_plural = _("action lines")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                name="action_line_unique_number",
                violation_error_message=_("This programme already has an action line with this number."),
            )
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"


class Theme(TimestampedModel, VersionedModel):
    action_line = models.ForeignKey(
        ActionLine, verbose_name=_("action line"), on_delete=models.CASCADE, related_name="themes"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["action_line", "name"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(
                fields=["action_line", "name"],
                name="theme_unique_name",
                violation_error_message=_("This action line already has a theme with this name."),
            )
        ]

    def __str__(self):
        return self.name


class GoalDirection(models.TextChoices):
    """Which way is better: a goal to raise, to lower, or to reach and keep (neither way is better)."""

    HIGHER = "higher", _("higher is better")
    LOWER = "lower", _("lower is better")
    NEITHER = "neither", _("neither: reach the target and keep it")


class Goal(TimestampedModel, VersionedModel):
    """A SMART goal of an action line: from a baseline to a target by a deadline."""

    action_line = models.ForeignKey(
        ActionLine, verbose_name=_("action line"), on_delete=models.CASCADE, related_name="goals"
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    baseline = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2, null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    target = models.DecimalField(_("target"), max_digits=14, decimal_places=2, null=True, blank=True)
    direction = models.CharField(
        _("direction"), max_length=10, choices=GoalDirection.choices, default=GoalDirection.HIGHER,
        help_text=_("Whether a higher or a lower value is better; beyond the target the goal reads as reached."),
    )
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    indicator = models.ForeignKey(
        Indicator,
        verbose_name=_("measured by indicator"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="goals",
    )

    class Meta:
        ordering = ["action_line", "code"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        constraints = [
            models.UniqueConstraint(
                fields=["action_line", "code"],
                name="goal_unique_code",
                violation_error_message=_("This action line already has a goal with this code."),
            )
        ]

    def __str__(self):
        return f"{self.code} {self.title}"


class NationalMeasure(TimestampedModel):
    """A measure of the national catalogue that regional measures can carry out."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("national programme"),
        on_delete=models.CASCADE,
        related_name="national_measures",
        limit_choices_to={"level": ProgrammeLevel.NATIONAL},
    )
    action_line = models.ForeignKey(
        ActionLine,
        verbose_name=_("national action line"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="national_measures",
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("national theme"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="national_measures",
    )
    number = models.CharField(_("number"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("national measure")
        verbose_name_plural = _("national measures")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                name="national_measure_unique_number",
                violation_error_message=_("This programme already has a national measure with this number."),
            )
        ]

    def __str__(self):
        return f"{self.number} {self.title}"


class ViolenceForm(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("code"), max_length=60, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    cbs_key = models.CharField(
        _("CBS StatLine key"), max_length=20, blank=True,
        help_text=_("The key of this form of violence in the breakdown column of the CBS StatLine tables; a CBS "
                    "file with a breakdown by form of violence maps it by itself."),
    )

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("form of violence")
        verbose_name_plural = _("forms of violence")

    def __str__(self):
        return self.name
