"""Forms of the figures pages and their reference data; they validate input, services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programme.forms import VersionedModelForm
from programme.models import Indicator, OrganisationKind, PeriodKind


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PeriodKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label=_("Number"), min_value=0, max_value=4, help_text=_("Quarter 1-4, half year 1-2, or 0 for a whole year.")
    )
    deadline = forms.DateField(
        label=_("Submission deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class PeriodDeadlineForm(forms.Form):
    deadline = forms.DateField(
        label=_("Submission deadline"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    # The version the user started from: a save over another project leader's change is refused.
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class PeriodGenerateForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PeriodKind.choices)
    first_year = forms.IntegerField(label=_("First year"), min_value=2000, max_value=2100)
    last_year = forms.IntegerField(label=_("Last year"), min_value=2000, max_value=2100)

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("first_year"), cleaned.get("last_year")
        if first and last and last < first:
            self.add_error("last_year", _("The last year cannot be before the first year."))
        return cleaned


class IndicatorForm(VersionedModelForm):
    supplier_kinds = forms.MultipleChoiceField(
        label=_("Supplied by kinds of organisation"),
        choices=[(k.value, k.label) for k in OrganisationKind if k != OrganisationKind.NATIONAL],
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    class Meta:
        model = Indicator
        fields = [
            "code", "name", "description", "unit", "periodicity", "aggregation_over_organisations",
            "aggregation_over_time", "higher_is_better", "supplier_kinds",
        ]
        widgets = {"higher_is_better": forms.NullBooleanSelect}
