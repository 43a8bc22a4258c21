"""Comments on figures: why a number is what it is, or why it is still missing."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programme.models import Indicator, Organisation, ReportingPeriod

__all__ = ["FigureComment"]

COMMENT_MAX_LENGTH = 1000


class FigureComment(models.Model):
    """A remark on the figure of one indicator, municipality and period, of any source.

    Keyed like a figure rather than linked to one: a comment can explain a value that is not there yet ("levert K3
    later"), and stays when a figure is removed or replaced by an import. Comments stay inside the region (free text
    cannot pass the disclosure step), so only the region's own members read them.
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("municipality"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.CASCADE, related_name="+", db_index=False
    )
    text = models.TextField(_("comment"), max_length=COMMENT_MAX_LENGTH)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment on a figure")
        verbose_name_plural = _("comments on figures")
        indexes = [
            # The grid and the table ask for one period's comments of the region's municipalities.
            models.Index(fields=["period", "organisation", "indicator"], name="figure_comment_key"),
        ]

    def __str__(self):
        return f"{self.indicator_id}/{self.organisation_id}/{self.period_id}"
