"""Bottlenecks (knelpunten): raised, escalated to the steering group, decided, resolved."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from programme.models import (
    ActionLine,
    Organisation,
    Programme,
    TimestampedModel,
    VersionedModel,
    region_and_ancestor_ids,
)

__all__ = [
    "Bottleneck",
    "BottleneckStatus",
    "Severity",
]

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
            # An organisation of a larger region around the programme's (Veilig Thuis) may own it too.
            if self.owner_organisation.region_id not in region_and_ancestor_ids(self.programme.region_id):
                raise ValidationError({"owner_organisation": _("Choose an organisation of the region.")})

    @property
    def was_escalated(self) -> bool:
        return self.escalated_at is not None
