"""Forms of the figures pages and their reference data; they validate input, services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programme.forms import VersionedModelForm
from programme.models import Indicator, OrganisationKind, PeriodKind
from reporting.figures.services import GridCell
from reporting.imports import parsing


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=PeriodKind.choices)
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    number = forms.IntegerField(
        label=_("Number"), min_value=0, max_value=4, help_text=_("Quarter 1-4, half year 1-2, or 0 for a whole year.")
    )
    deadline = forms.DateField(
        label=_("Submission deadline"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Empty: 30 days after the period ends, as for generated periods."),
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
            "aggregation_over_time", "higher_is_better", "supplier_kinds", "cbs_key",
            "minimum", "maximum", "whole_numbers", "not_above_sum_of", "check_outliers",
        ]
        widgets = {"higher_is_better": forms.NullBooleanSelect, "not_above_sum_of": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Not above the sum of itself: an indicator is never its own ceiling.
        others = Indicator.objects.order_by("code")
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        self.fields["not_above_sum_of"].queryset = others


class _ShownField(forms.Field):
    """What the grid showed in a cell when it was opened (hidden): compared, never stored, so taken as it is."""

    def to_python(self, value):
        return "" if value is None else str(value)


class _VersionField(forms.Field):
    """The figure's version when the grid was opened (hidden; 0 for no figure).

    Nobody types it: a value that is not a whole number matches no saved figure, so the service reports the cell
    as changed by someone else (and shows what is saved now) rather than the form refusing a field nobody sees.
    """

    def to_python(self, value):
        if value is None:
            return 0
        try:
            return int(value)
        except (TypeError, ValueError):
            return -1


class FigureGridForm(forms.Form):
    """The entry grid: a field per cell the user may fill in, with what the grid showed and the figure's version.

    A cell the browser did not send is left alone. A changed cell must fit its indicator (a count, a percentage,
    n.b., ...), each with its own Dutch message; whether someone else changed the figure meanwhile is decided by
    the service when it writes, with the versions this form passes on.
    """

    def __init__(self, data=None, *, rows: list[dict]):
        super().__init__(data)
        self._cells = {}  # field name -> (municipality id, indicator)
        for row in rows:
            for cell in row["cells"]:
                if not cell["allowed"]:
                    continue
                name = cell["name"]
                # Not stripped: the input is shown again exactly as typed when the save is refused.
                self.fields[name] = forms.CharField(required=False, strip=False)
                self.fields["o-" + name] = _ShownField(required=False, widget=forms.HiddenInput)
                self.fields["v-" + name] = _VersionField(required=False, widget=forms.HiddenInput)
                # Why a flagged value is right: asked for when the rules flag the cell as an outlier.
                self.fields["x-" + name] = forms.CharField(required=False, max_length=500)
                self._cells[name] = (row["municipality"].pk, cell["indicator"])

    def _submitted(self) -> list[str]:
        return [name for name in self._cells if self.is_bound and name in self.data]

    def clean(self):
        cleaned = super().clean()
        for name in self._submitted():
            if name not in cleaned:
                continue  # the field has its error already
            text, shown = cleaned[name], cleaned.get("o-" + name, "")
            if text.strip() == shown.strip():
                continue  # unchanged: nothing to check, nothing to save
            try:
                parsing.parse_value(text, self._cells[name][1].unit)
            except parsing.ValueError_ as error:
                self.add_error(name, str(error))
        return cleaned

    def grid_cells(self) -> list[GridCell]:
        """The submitted cells, for the service that saves the changed ones."""
        return [
            GridCell(municipality_id=self._cells[name][0], indicator_id=self._cells[name][1].pk,
                     text=self.cleaned_data[name], original=self.cleaned_data["o-" + name],
                     version=self.cleaned_data["v-" + name], explanation=self.cleaned_data.get("x-" + name) or "")
            for name in self._submitted()
        ]

    explain: frozenset = frozenset()  # cells that need an explanation (outliers), by field name

    def add_cell_errors(self, errors: dict[tuple[int, int], str], explain: frozenset = frozenset()) -> None:
        """Put the service's refusals, keyed by (municipality id, indicator id), on their cells; the cells in
        `explain` get a field for the explanation."""
        self.explain = frozenset(f"c-{m}-{i}" for m, i in explain)
        for (municipality_id, indicator_id), message in errors.items():
            name = f"c-{municipality_id}-{indicator_id}"
            self.add_error(name if name in self.fields else None, message)

    def show_in(self, rows: list[dict], *, conflicts: frozenset = frozenset()) -> None:
        """Put on each cell what the grid shows now: after a refused save the user's input and its error or
        conflict beside the value saved now, otherwise the saved value."""
        submitted = set(self._submitted())
        errors = self.errors if self.is_bound else {}
        for row in rows:
            for cell in row["cells"]:
                name = cell["name"]
                cell["saved_text"] = cell["text"]
                cell["error"] = " ".join(errors[name]) if name in errors else None
                cell["conflict"] = name in conflicts
                cell["explanation"] = self.data.get("x-" + name, "") if name in submitted else ""
                cell["explain"] = name in self.explain or bool(cell["explanation"])
                if name in submitted:
                    cell["value"] = self.data[name]
                    # After a conflict the cell now starts from the value saved meanwhile.
                    cell["original"] = cell["text"] if cell["conflict"] else self.data.get("o-" + name, "")
                else:
                    cell["value"] = cell["original"] = cell["text"]
