"""Forms of figure imports: the upload and the column mapping."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reporting.imports.parsing import MAX_UPLOAD_BYTES, MAX_UPLOAD_MB
from reporting.models import FigureSource, ImportFormat


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("File"), help_text=_("CSV (any separator, also as exported by CBS StatLine) or Excel (.xlsx).")
    )
    region = forms.ModelChoiceField(label=_("Region"), queryset=None, empty_label=None)
    source = forms.ChoiceField(
        label=_("Source of the figures"),
        help_text=_("A file exported from CBS StatLine is stored with CBS as its source by itself."),
    )
    all_provisional = forms.BooleanField(
        label=_("All figures in this file are provisional"), required=False,
        help_text=_("Periods marked with * in the file are provisional anyway."),
    )
    import_format = forms.ModelChoiceField(
        label=_("Saved format"), queryset=ImportFormat.objects.none(), required=False,
        empty_label=_("(map the columns yourself)"),
    )

    def __init__(self, *args, regions, sources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].choices = [(s, FigureSource(s).label) for s in sources]
        self.fields["region"].queryset = regions
        self.fields["import_format"].queryset = ImportFormat.objects.filter(region__in=regions).order_by("name")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than %(limit)s MB.") % {"limit": MAX_UPLOAD_MB})
        if not upload.name.lower().endswith((".csv", ".txt", ".xlsx", ".xlsm")):
            raise forms.ValidationError(_("Upload a CSV file (.csv, .txt) or an Excel file (.xlsx)."))
        return upload

    def clean(self):
        cleaned = super().clean()
        fmt, region = cleaned.get("import_format"), cleaned.get("region")
        if fmt and region and fmt.region_id != region.pk:
            self.add_error("import_format", _("This format belongs to another region."))
        return cleaned


class ImportMappingForm(forms.Form):
    """Which column holds what. Long files have an indicator and a value column; wide files (as CBS exports
    them) a column per indicator."""

    municipality = forms.ChoiceField(label=_("Municipality (CBS code or name)"))
    period = forms.ChoiceField(label=_("Period"))
    indicator = forms.ChoiceField(label=_("Indicator column"), required=False)
    fixed_indicator = forms.ChoiceField(label=_("Or: one indicator for the whole file"), required=False)
    value = forms.ChoiceField(label=_("Value column"), required=False)
    breakdown = forms.ChoiceField(
        label=_("Form of violence column (breakdown)"), required=False,
        help_text=_("Optional: a column that splits the figures by form of violence (its CBS key or name). A row "
                    "with the total, or without a form, is the figure itself."),
    )
    save_format_as = forms.CharField(
        label=_("Save this mapping as a format named"), max_length=100, required=False,
        help_text=_("Optional: next time pick this format when you upload."),
    )

    def __init__(self, *args, headers, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        columns = [(h, h) for h in headers if h]
        none = [("", _("(none)"))]
        self.fields["municipality"].choices = columns
        self.fields["period"].choices = columns
        self.fields["indicator"].choices = none + columns
        self.fields["value"].choices = none + columns
        self.fields["breakdown"].choices = none + columns
        self.fields["fixed_indicator"].choices = none + [(i.code, f"{i.name} ({i.code})") for i in indicators]
        self.indicator_fields = []
        for indicator in indicators:
            name = f"col_{indicator.code}"
            self.fields[name] = forms.ChoiceField(
                label=_("Column with '%(name)s'") % {"name": indicator.name}, choices=none + columns, required=False
            )
            self.indicator_fields.append(name)

    @classmethod
    def initial_from(cls, mapping: dict) -> dict:
        initial = {k: mapping.get(k, "") for k in ("municipality", "period", "indicator", "fixed_indicator", "value",
                                                      "breakdown")}
        for code, column in (mapping.get("columns") or {}).items():
            initial[f"col_{code}"] = column
        return initial

    def mapping(self) -> dict:
        data = self.cleaned_data
        return {
            "municipality": data["municipality"],
            "period": data["period"],
            "indicator": data.get("indicator", ""),
            "fixed_indicator": data.get("fixed_indicator", ""),
            "value": data.get("value", ""),
            "breakdown": data.get("breakdown", ""),
            "columns": {name[4:]: data[name] for name in self.indicator_fields if data.get(name)},
        }


class StatLineFetchForm(forms.Form):
    """Fetch a CBS StatLine table for a region (the button beside the upload)."""

    table = forms.RegexField(label=_("CBS table"), regex=r"^[0-9]{5}[A-Z]{3}$", max_length=8, initial="84851NED",
                             help_text=_("The identifier of a StatLine table with figures per municipality, such as "
                                         "84851NED (forms of violence per municipality)."),
                             error_messages={"invalid": _("Write the table as on StatLine, such as 84851NED.")})
    region = forms.ModelChoiceField(label=_("Region"), queryset=None, empty_label=None)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
