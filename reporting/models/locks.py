"""Locked periods: once the steering group approves a region's report over a period, its figures stay as approved."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programme.models import Region, ReportingPeriod

__all__ = ["PeriodLock"]


class PeriodLock(models.Model):
    """One lock of one region's figures over one period, from its approval until (perhaps) an unlock.

    A row is never deleted: an unlock fills in who, when and why, so the rows of a region are the history of its
    locks. At most one lock of a region and period is active (not unlocked) at a time. The rule of which figures a
    lock covers lives in `reporting.locks.rules`.
    """

    region = models.ForeignKey(Region, verbose_name=_("region"), on_delete=models.CASCADE, related_name="+")
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="+"
    )
    report = models.ForeignKey(
        "reporting.ProgressReport", verbose_name=_("approved report"), on_delete=models.SET_NULL, null=True,
        blank=True, related_name="+",
    )
    locked_at = models.DateTimeField(_("locked at"), default=timezone.now)
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("locked by"), on_delete=models.SET_NULL, null=True,
        related_name="+",
    )
    unlocked_at = models.DateTimeField(_("unlocked at"), null=True, blank=True)
    unlocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("unlocked by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    unlock_reason = models.TextField(_("reason for unlocking"), blank=True)

    class Meta:
        ordering = ["-locked_at", "-pk"]
        verbose_name = _("locked period")
        verbose_name_plural = _("locked periods")
        constraints = [
            models.UniqueConstraint(
                fields=["region", "period"],
                condition=Q(unlocked_at__isnull=True),
                name="period_lock_one_active",
                violation_error_message=_("This period of this region is already locked."),
            ),
            models.CheckConstraint(
                condition=Q(unlocked_at__isnull=True) | ~Q(unlock_reason=""),
                name="period_lock_unlock_has_reason",
                violation_error_message=_("An unlock needs a reason."),
            ),
        ]

    def __str__(self):
        return f"{self.region_id}/{self.period_id}"

    @property
    def is_active(self) -> bool:
        return self.unlocked_at is None
