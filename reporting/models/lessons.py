"""Lessons learned by the region, optionally shared with the national team."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from programme.models import (
    Programme,
    ReportingPeriod,
    TimestampedModel,
    VersionedModel,
)

__all__ = [
    "Lesson",
]

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
