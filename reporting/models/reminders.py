"""Which reminder went to whom, so none is sent twice."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from programme.models import (
    ReportingPeriod,
)

__all__ = [
    "ReminderKind",
    "ReminderSent",
]

class ReminderKind(models.TextChoices):
    REPORT_DUE = "report_due", _("progress report due")
    MEASURE_UPDATES_DUE = "measure_updates_due", _("measure updates due")
    FIGURES_DUE = "figures_due", _("figures due")
    SELF_SCAN_DUE = "self_scan_due", _("self-scan due")


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
