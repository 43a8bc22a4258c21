"""Forms of bottlenecks: raise, work out, decide, resolve, and the list's filter."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from programme.forms import VersionedModelForm
from reporting.models import Bottleneck, BottleneckStatus, Severity


class BottleneckCreateForm(forms.ModelForm):
    class Meta:
        model = Bottleneck
        fields = ["title", "description", "measure", "action_line", "severity"]
        help_texts = {
            "measure": _("The measure it is about; or leave empty and choose an action line."),
        }

    def __init__(self, *args, measures, action_lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures
        self.fields["action_line"].queryset = action_lines

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("measure") and not cleaned.get("action_line"):
            self.add_error("action_line", _("Choose the measure or the action line this bottleneck is about."))
        return cleaned


class BottleneckForm(VersionedModelForm):
    class Meta:
        model = Bottleneck
        fields = [
            "title", "description", "measure", "action_line", "severity", "proposed_solution", "owner_organisation",
            "owner_person",
        ]

    def __init__(self, *args, measures, action_lines, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures
        self.fields["action_line"].queryset = action_lines
        self.fields["owner_organisation"].queryset = organisations

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("measure") and not cleaned.get("action_line"):
            self.add_error("action_line", _("Choose the measure or the action line this bottleneck is about."))
        return cleaned


class DecisionForm(forms.Form):
    decision = forms.CharField(
        label=_("Decision of the steering group"), widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write down the decision of the steering group.")},
    )


class ResolutionForm(forms.Form):
    resolution = forms.CharField(
        label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe how the bottleneck was resolved.")},
    )


class BottleneckFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=BottleneckStatus.choices,
                                         empty_label=_("All statuses"))
    severity = django_filters.ChoiceFilter(label=_("Severity"), choices=Severity.choices,
                                           empty_label=_("All severities"))
    action_line = django_filters.ModelChoiceFilter(label=_("Action line"), queryset=None,
                                                   empty_label=_("All action lines"))
    escalated = django_filters.ChoiceFilter(
        label=_("Escalated to the steering group"),
        choices=[("yes", _("yes")), ("no", _("no"))],
        empty_label=_("All"),
        method="filter_escalated",
    )

    class Meta:
        model = Bottleneck
        fields = ["status", "severity", "action_line", "escalated"]

    def __init__(self, *args, action_lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["action_line"].queryset = action_lines

    def filter_escalated(self, queryset, name, value):
        if value == "yes":
            return queryset.filter(escalated_at__isnull=False)
        if value == "no":
            return queryset.filter(escalated_at__isnull=True)
        return queryset
