"""Data quality of figures: flags on stored figures (outliers, relations between indicators) with their
explanation, and the flags an import's preview found on its staged rows."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from reporting.models.figures import Figure
from reporting.models.imports import FigureImport, ImportRow

__all__ = ["FigureFlag", "FigureFlagKind", "ImportRowFlag"]


class FigureFlagKind(models.TextChoices):
    OUTLIER = "outlier", _("outlier")
    RELATION = "relation", _("above the sum of other indicators")


class FigureFlag(models.Model):
    """A stored figure that a rule flagged and that was kept: with its explanation, or open (no explanation)."""

    figure = models.ForeignKey(Figure, verbose_name=_("figure"), on_delete=models.CASCADE, related_name="flags")
    kind = models.CharField(_("kind"), max_length=20, choices=FigureFlagKind.choices)
    message = models.CharField(_("message"), max_length=300)
    explanation = models.CharField(_("explanation"), max_length=500, blank=True)
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("explained by"), on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("flagged at"), auto_now_add=True)

    class Meta:
        ordering = ["figure_id", "kind"]
        verbose_name = _("figure flag")
        verbose_name_plural = _("figure flags")
        constraints = [
            models.UniqueConstraint(fields=["figure", "kind"], name="figure_flag_unique_kind",
                                    violation_error_message=_("This figure already has a flag of this kind.")),
        ]

    def __str__(self):
        return f"{self.figure_id}:{self.kind}"

    @property
    def is_open(self) -> bool:
        return not self.explanation


class ImportRowFlag(models.Model):
    """A staged row of an import's preview that a warning rule flagged (outlier, relation); it is written with the
    import, flagged, and carries the explanation given at confirmation or stays open."""

    # Written set-based beside the staging rows and thrown away with the import: no constraints, as ImportRow.
    figure_import = models.ForeignKey(
        FigureImport, on_delete=models.CASCADE, related_name="+", db_constraint=False, db_index=False
    )
    row = models.ForeignKey(ImportRow, on_delete=models.DO_NOTHING, related_name="+", db_constraint=False,
                            db_index=False)
    # The figure's key, copied from the row, so the confirmation finds the written figure without the staging rows.
    organisation_id = models.IntegerField()
    indicator_id = models.IntegerField()
    period_id = models.IntegerField()
    kind = models.CharField(_("kind"), max_length=20, choices=FigureFlagKind.choices)
    message = models.CharField(_("message"), max_length=300)

    class Meta:
        ordering = ["row_id"]
        indexes = [models.Index(fields=["figure_import", "row"], name="import_row_flag")]

    def __str__(self):
        return f"{self.figure_import_id}:{self.row_id}:{self.kind}"
