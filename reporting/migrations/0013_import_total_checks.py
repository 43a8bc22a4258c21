"""The preview's check of totals against their parts is stored on the import (computed while the rows are staged),
instead of a grouped query over the staged rows on every view of the import; existing imports get theirs here."""

from django.db import migrations, models
from django.db.models import F, Q, Sum

LIMIT = 100  # as reporting.imports.breakdowns.TOTAL_CHECK_LIMIT at the time of this migration


def store_total_checks(apps, schema_editor):
    FigureImport = apps.get_model("reporting", "FigureImport")
    ImportRow = apps.get_model("reporting", "ImportRow")
    Organisation = apps.get_model("programme", "Organisation")
    Indicator = apps.get_model("programme", "Indicator")
    ReportingPeriod = apps.get_model("programme", "ReportingPeriod")
    for figure_import in FigureImport.objects.exclude(status="discarded").defer("content").iterator():
        if not (figure_import.mapping or {}).get("breakdown"):
            continue
        differing = list(
            ImportRow.objects.filter(figure_import_id=figure_import.pk, status="value",
                                     action__in=["create", "update", "unchanged"])
            .values_list("organisation_id", "indicator_id", "period_id")
            .annotate(total=Sum("value", filter=Q(violence_form__isnull=True)),
                      parts=Sum("value", filter=Q(violence_form__isnull=False)))
            .filter(total__isnull=False, parts__isnull=False).exclude(total=F("parts")).order_by())
        first = []
        if differing:
            organisations = dict(Organisation.objects.filter(pk__in={g[0] for g in differing})
                                 .values_list("pk", "name"))
            indicators = dict(Indicator.objects.filter(pk__in={g[1] for g in differing}).values_list("pk", "name"))
            starts = dict(ReportingPeriod.objects.filter(pk__in={g[2] for g in differing})
                          .values_list("pk", "start_date"))
            differing.sort(key=lambda g: (organisations[g[0]], indicators[g[1]], starts[g[2]], g[2]))
            first = [[org, ind, per, str(total), str(parts)] for org, ind, per, total, parts in differing[:LIMIT]]
        FigureImport.objects.filter(pk=figure_import.pk).update(
            total_checks={"count": len(differing), "first": first})


class Migration(migrations.Migration):

    dependencies = [
        ("programme", "0001_initial"),
        ("reporting", "0012_import_speed"),
    ]

    operations = [
        migrations.AddField(
            model_name="figureimport",
            name="total_checks",
            field=models.JSONField(blank=True, default=dict, verbose_name="totals differing from their parts"),
        ),
        migrations.RunPython(store_total_checks, migrations.RunPython.noop),
    ]
