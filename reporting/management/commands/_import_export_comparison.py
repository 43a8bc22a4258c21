"""The same figures file imported with django-import-export, for benchmark_import's side-by-side comparison.

django-import-export is a development dependency only: this module imports it inside its functions, and nothing
of the app imports this module (the production lock does not hold the package). The resource is tuned as the
package's documentation advises for large files:

- bulk writes (`use_bulk`, `batch_size`): `bulk_create` and `bulk_update` per batch instead of `save()` per row;
- `skip_unchanged`, so a row equal to the stored figure is not written (it needs the instance diff, so
  `skip_diff` stays off; the HTML diff, which only the admin shows, is skipped with `skip_html_diff`);
- cached look-ups: each foreign key is resolved from a dictionary filled with one query per import, and the
  existing figures are loaded once into a dictionary on their natural key (the package's own
  `CachedInstanceLoader` handles a single import id field only; the figure's key has four);
- no per-row copies of the raw values or instances in the result (`store_row_values`, `store_instance` off),
  skipped rows left out of the result (`report_skipped`).

The "preview" is the package's dry run (`dry_run=True`: everything is done in a transaction that is rolled back,
as its admin does before the confirmation page), the "confirm" its real import, each starting from the file on
disk as the portal's pages do. Without the admin's pages: it gets no request, template or session work.
"""

from pathlib import Path

from django.db.models import Q

from programme.models import Indicator, Organisation, ReportingPeriod, ViolenceForm
from reporting.models import Figure, FigureBreakdown

SOURCE = "veilig_thuis"


def resource_class(region_code: str, mapping: dict, *, parts: bool = False):
    """A ModelResource of Figure on the natural key (indicator, municipality, period, source) for one region; with
    `parts`, of FigureBreakdown, whose key has the form of violence as well."""
    from import_export import fields, resources, widgets
    from import_export.instance_loaders import ModelInstanceLoader

    class CachedForeignKeyWidget(widgets.ForeignKeyWidget):
        """A foreign key resolved from a dictionary of all candidates, filled by one query on first use."""

        def __init__(self, model, field, queryset):
            super().__init__(model, field=field)
            self.candidates = queryset
            self.cache = None

        def clean(self, value, row=None, **kwargs):
            if self.cache is None:
                self.cache = {str(getattr(instance, self.field)): instance for instance in self.candidates}
            if value in (None, ""):
                return None
            try:
                return self.cache[str(value).strip()]
            except KeyError:
                raise ValueError(f"Unknown {self.model._meta.model_name}: {value}") from None

    class CachedNaturalKeyLoader(ModelInstanceLoader):
        """The region's figures of the source read once, found by their natural key instead of a query per row."""

        def __init__(self, resource, dataset=None):
            super().__init__(resource, dataset)
            self.instances = {tuple(getattr(f, name) for name in key_attributes): f for f in self.get_queryset()}

        def get_instance(self, row):
            fields = self.resource.fields
            key = []
            for name in id_fields:
                value = fields[name].clean(row)
                if value is None:
                    return None
                key.append(value if name == "source" else value.pk)
            return self.instances.get(tuple(key))

    id_fields = ("indicator", "organisation", "period", "source") + (("violence_form",) if parts else ())
    key_attributes = tuple(name if name == "source" else f"{name}_id" for name in id_fields)
    figure_model = FigureBreakdown if parts else Figure

    municipalities = Organisation.objects.filter(region__code=region_code).exclude(cbs_code=None)

    class FigureResource(resources.ModelResource):
        if parts:
            violence_form = fields.Field(attribute="violence_form", column_name=mapping.get("breakdown"),
                                         widget=CachedForeignKeyWidget(ViolenceForm, "cbs_key",
                                                                       ViolenceForm.objects.all()))
        indicator = fields.Field(attribute="indicator", column_name=mapping["indicator"],
                                 widget=CachedForeignKeyWidget(Indicator, "code", Indicator.objects.all()))
        organisation = fields.Field(attribute="organisation", column_name=mapping["municipality"],
                                    widget=CachedForeignKeyWidget(Organisation, "cbs_code", municipalities))
        # The period's code (2021KW01) is a property, not a column: only a cached widget can look it up.
        period = fields.Field(attribute="period", column_name=mapping["period"],
                              widget=CachedForeignKeyWidget(ReportingPeriod, "code", ReportingPeriod.objects.all()))
        source = fields.Field(attribute="source", column_name="source")
        value = fields.Field(attribute="value", column_name=mapping["value"], widget=widgets.DecimalWidget())

        class Meta:
            model = figure_model
            fields = (*id_fields, "value")
            import_id_fields = id_fields
            instance_loader_class = CachedNaturalKeyLoader
            use_bulk = True
            batch_size = 1000
            skip_unchanged = True
            report_skipped = False
            skip_html_diff = True
            store_row_values = False
            store_instance = False
            use_transactions = True

        def get_queryset(self):
            # With the related rows: skip_unchanged compares the foreign keys as objects, one query each otherwise.
            return (figure_model.objects.filter(Q(organisation__region__code=region_code) & Q(source=SOURCE))
                    .select_related(*(name for name in id_fields if name != "source")))

        def before_import(self, dataset, **kwargs):
            # The file has no source column; the portal's upload form supplies it, here the resource does.
            dataset.append_col([SOURCE] * dataset.height, header="source")

    return FigureResource


def run(path: Path, *, region_code: str, mapping: dict, dry_run: bool) -> dict:
    """Read the file and import it (or only try, `dry_run`); the package's totals per kind of row.

    With a breakdown column, the rows without a form of violence are the figures and go to one resource, the
    others (parts) to a resource of FigureBreakdown: django-import-export imports one model per resource."""
    import tablib

    with path.open(encoding="utf-8", newline="") as handle:
        dataset = tablib.Dataset().load(handle.read(), format="csv", delimiter=";")
    column = mapping.get("breakdown")
    if column:
        form = dataset.headers.index(column)
        datasets = [(tablib.Dataset(*(row for row in dataset if not row[form]), headers=dataset.headers), False),
                    (tablib.Dataset(*(row for row in dataset if row[form]), headers=dataset.headers), True)]
    else:
        datasets = [(dataset, False)]
    totals = dict.fromkeys(("new", "update", "skip", "error", "invalid"), 0)
    for part, parts in datasets:
        resource = resource_class(region_code, mapping, parts=parts)()
        result = resource.import_data(part, dry_run=dry_run, raise_errors=True)
        if result.has_errors() or result.has_validation_errors():
            raise RuntimeError(f"django-import-export reported errors: {result.totals}")
        for kind in totals:
            totals[kind] += result.totals[kind]
    return totals
