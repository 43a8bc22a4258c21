"""The self-scan of local teams: the region's guideline as versioned data, and each municipality's yearly scan."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programme.models import Organisation, Region, TimestampedModel, VersionedModel

__all__ = [
    "SCORE_LABELS",
    "ScanAnswer",
    "ScanCriterion",
    "ScanFramework",
    "ScanImprovement",
    "ScanStatus",
    "ScanTheme",
    "ScanTransition",
    "SelfScan",
]

# The fixed answer scale of the guideline; "not applicable" is stored as not_applicable, without a score.
SCORE_LABELS = {
    1: _("1 not yet"),
    2: _("2 started"),
    3: _("3 largely"),
    4: _("4 fully"),
}
MIN_SCORE, MAX_SCORE = 1, 4


class ScanFramework(TimestampedModel, VersionedModel):
    """The guideline of a region for one year. Next year's version starts as a copy of this one."""

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.PROTECT,
                               related_name="scan_frameworks")
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(2000)])
    title = models.CharField(_("title"), max_length=200)
    deadline = models.DateField(_("deadline for the scans"), null=True, blank=True)
    previous = models.ForeignKey("self", verbose_name=_("previous version"), on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="next_versions")

    class Meta:
        ordering = ["region__name", "-year"]
        verbose_name = _("self-scan framework")
        verbose_name_plural = _("self-scan frameworks")
        constraints = [
            models.UniqueConstraint(fields=["region", "year"], name="scan_framework_one_per_year",
                                    violation_error_message=_("This region already has a self-scan for this year.")),
        ]

    def __str__(self):
        return f"{self.title} {self.year}"


class ScanTheme(models.Model):
    """A theme of the guideline; `key` is the same in every year's version, so themes compare over years."""

    framework = models.ForeignKey(ScanFramework, verbose_name=_("framework"), on_delete=models.CASCADE,
                                  related_name="themes")
    key = models.SlugField(_("key"), max_length=60)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("self-scan theme")
        verbose_name_plural = _("self-scan themes")
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="scan_theme_unique_key",
                                    violation_error_message=_("This framework already has a theme with this key.")),
        ]

    def __str__(self):
        return self.name


class ScanCriterion(models.Model):
    """A criterion of the guideline. `key` is its identity across versions: a renamed criterion keeps its key
    (and its trend); a new criterion gets a new key and has no history."""

    framework = models.ForeignKey(ScanFramework, verbose_name=_("framework"), on_delete=models.CASCADE,
                                  related_name="criteria")
    theme = models.ForeignKey(ScanTheme, verbose_name=_("theme"), on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(_("key"), max_length=60)
    text = models.CharField(_("criterion"), max_length=500)
    help_text = models.TextField(_("help text"), blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["theme__order", "order", "pk"]
        verbose_name = _("self-scan criterion")
        verbose_name_plural = _("self-scan criteria")
        constraints = [
            models.UniqueConstraint(fields=["framework", "key"], name="scan_criterion_unique_key",
                                    violation_error_message=_("This framework already has a criterion with this key.")),
        ]

    def __str__(self):
        return self.text

    def clean(self):
        if self.theme_id and self.framework_id and self.theme.framework_id != self.framework_id:
            raise ValidationError({"theme": _("The theme belongs to another framework.")})


class ScanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SUBMITTED = "submitted", _("submitted")
    RETURNED = "returned", _("returned")


class SelfScan(TimestampedModel, VersionedModel):
    """One municipality's scan of its local team against one year's framework; frozen once submitted.

    `version` guards concurrent edits; `revision` is the scan version users see: a correction after submission
    is a new revision with a reason, and the submitted one stays as it was.
    """

    framework = models.ForeignKey(ScanFramework, verbose_name=_("framework"), on_delete=models.PROTECT,
                                  related_name="scans")
    municipality = models.ForeignKey(Organisation, verbose_name=_("municipality"), on_delete=models.PROTECT,
                                     related_name="self_scans")
    revision = models.PositiveSmallIntegerField(_("scan version"), default=1)
    status = models.CharField(_("status"), max_length=20, choices=ScanStatus.choices, default=ScanStatus.DRAFT,
                              db_index=True)
    strengths = models.TextField(_("strengths"), blank=True)
    previous = models.ForeignKey("self", verbose_name=_("previous version"), on_delete=models.PROTECT, null=True,
                                 blank=True, related_name="next_versions")
    new_version_reason = models.TextField(_("reason for a new version"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"), on_delete=models.PROTECT,
                                   related_name="+")
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)

    class Meta:
        ordering = ["-framework__year", "municipality__name", "-revision"]
        verbose_name = _("self-scan")
        verbose_name_plural = _("self-scans")
        constraints = [
            models.UniqueConstraint(fields=["framework", "municipality", "revision"], name="self_scan_unique_revision",
                                    violation_error_message=_("This scan version already exists.")),
            models.UniqueConstraint(fields=["framework", "municipality"], condition=~Q(status="submitted"),
                                    name="self_scan_one_open_version",
                                    violation_error_message=_(
                                        "This team already has a scan in progress for this year.")),
        ]
        indexes = [models.Index(fields=["framework", "status"], name="self_scan_framework_status")]

    def __str__(self):
        return _("Self-scan %(municipality)s %(year)s, version %(revision)s") % {
            "municipality": self.municipality.name, "year": self.framework.year, "revision": self.revision}

    @property
    def is_editable(self) -> bool:
        return self.status in (ScanStatus.DRAFT, ScanStatus.RETURNED)

    def clean(self):
        if self.municipality_id and self.framework_id and self.municipality.region_id != self.framework.region_id:
            raise ValidationError({"municipality": _("The municipality belongs to another region.")})


class ScanAnswer(models.Model):
    """The score and explanation of one criterion in one scan."""

    scan = models.ForeignKey(SelfScan, verbose_name=_("self-scan"), on_delete=models.CASCADE, related_name="answers")
    criterion = models.ForeignKey(ScanCriterion, verbose_name=_("criterion"), on_delete=models.PROTECT,
                                  related_name="answers")
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True,
                                             validators=[MinValueValidator(MIN_SCORE), MaxValueValidator(MAX_SCORE)])
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    explanation = models.TextField(_("explanation"), blank=True)

    class Meta:
        ordering = ["criterion__theme__order", "criterion__order"]
        verbose_name = _("self-scan answer")
        verbose_name_plural = _("self-scan answers")
        constraints = [
            models.UniqueConstraint(fields=["scan", "criterion"], name="scan_answer_unique",
                                    violation_error_message=_("This criterion already has an answer in this scan.")),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (Q(score__gte=MIN_SCORE) & Q(score__lte=MAX_SCORE)
                                                   & Q(not_applicable=False)),
                name="scan_answer_score_on_scale",
                violation_error_message=_("A score is 1, 2, 3 or 4, or the criterion is not applicable."),
            ),
        ]

    def __str__(self):
        return f"{self.scan_id}/{self.criterion_id}: {self.score}"


class ScanImprovement(TimestampedModel):
    """A point to improve from a scan; linked to the regional measure that acts on it, if any."""

    scan = models.ForeignKey(SelfScan, verbose_name=_("self-scan"), on_delete=models.CASCADE,
                             related_name="improvements")
    criterion = models.ForeignKey(ScanCriterion, verbose_name=_("criterion"), on_delete=models.SET_NULL, null=True,
                                  blank=True, related_name="+")
    text = models.CharField(_("point to improve"), max_length=500)
    measure = models.ForeignKey("measures.Measure", verbose_name=_("measure"), on_delete=models.SET_NULL, null=True,
                                blank=True, related_name="scan_improvements")

    class Meta:
        ordering = ["pk"]
        verbose_name = _("point to improve")
        verbose_name_plural = _("points to improve")

    def __str__(self):
        return self.text


class ScanTransition(models.Model):
    """One step of a scan's workflow: who moved it where, when, and why."""

    scan = models.ForeignKey(SelfScan, verbose_name=_("self-scan"), on_delete=models.CASCADE,
                             related_name="transitions")
    from_status = models.CharField(_("from"), max_length=20, choices=ScanStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=ScanStatus.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT,
                             related_name="+")
    at = models.DateTimeField(_("when"), auto_now_add=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("self-scan transition")
        verbose_name_plural = _("self-scan transitions")

    def __str__(self):
        return f"{self.scan_id}: {self.from_status or '-'} -> {self.to_status}"
