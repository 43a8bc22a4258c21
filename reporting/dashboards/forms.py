"""The filter forms of the dashboards: GET forms, so every choice stays in the URL and can be shared."""

import html

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from reporting.dashboards.charts import line_tick, period_label
from reporting.dashboards.selectors.common import Filters


def _int_or_none(value):
    return int(value) if value not in (None, "") else None


class QuickSelect(forms.Select):
    """A select written in Python: the same HTML as Django's select, without a template per option.

    The period choices run to dozens of quarters in two fields; rendered option by option through templates
    they took a large share of a dashboard's rendering time.
    """

    def render(self, name, value, attrs=None, renderer=None):
        chosen = {str(v) for v in self.format_value(value)}
        escape = html.escape
        options = "".join(
            f'<option value="{escape(str(key))}"{" selected" if str(key) in chosen else ""}>'
            f"{escape(str(label))}</option>"
            for key, label in self.choices
        )
        return mark_safe(f"<select{flatatt({'name': name, **self.build_attrs(self.attrs, attrs)})}>{options}</select>")


class DashboardFilterForm(forms.Form):
    """Period range, municipality and action line; the choices come from the (cached) options of the region."""

    period_from = forms.TypedChoiceField(label=_("From"), required=False, coerce=int, empty_value=None,
                                         widget=QuickSelect)
    period_to = forms.TypedChoiceField(label=_("Up to and including"), required=False, coerce=int, empty_value=None,
                                       widget=QuickSelect)
    municipality = forms.TypedChoiceField(label=_("Municipality"), required=False, coerce=int, empty_value=None,
                                          widget=QuickSelect)
    action_line = forms.TypedChoiceField(label=_("Action line"), required=False, coerce=int, empty_value=None,
                                         widget=QuickSelect)

    def __init__(self, data, *, options: dict, with_municipality: bool = True, with_action_line: bool = True):
        super().__init__(data)
        periods = [(q["id"], period_label(q)) for q in options["quarters"]]
        self.fields["period_from"].choices = [("", _("default"))] + periods
        self.fields["period_to"].choices = [("", _("default"))] + periods
        if with_municipality:
            self.fields["municipality"].choices = [("", _("all municipalities"))] + list(options["municipalities"])
        else:
            del self.fields["municipality"]
        if with_action_line:
            self.fields["action_line"].choices = [("", _("all action lines"))] + [
                (pk, line_tick(number, name)) for pk, number, name in options["action_lines"]
            ]
        else:
            del self.fields["action_line"]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"

    def filters(self) -> Filters:
        """The valid choices; an invalid one is left out (and shown as an error next to its field)."""
        self.is_valid()
        cleaned = getattr(self, "cleaned_data", {})
        return Filters(**{name: _int_or_none(cleaned.get(name)) for name in self.fields})

    def show_range(self, period_range) -> None:
        """Show the period range in use, also when it was the default, so the page says what it shows."""
        if period_range:
            self.data = self.data.copy()
            for name, value in zip(("period_from", "period_to"), period_range, strict=True):
                if not self.data.get(name) or name in self.errors:
                    self.data[name] = str(value)


class NationalFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), required=False, coerce=int, empty_value=None, widget=QuickSelect)

    def __init__(self, data, *, years: list[int]):
        super().__init__(data)
        self.fields["year"].choices = [("", _("latest complete year"))] + [(year, str(year)) for year in years]
        self.fields["year"].widget.attrs["class"] = "form-select form-select-sm"

    def chosen_year(self, years: list[int]) -> int | None:
        self.is_valid()
        chosen = getattr(self, "cleaned_data", {}).get("year")
        return chosen if chosen in years else (years[0] if years else None)
