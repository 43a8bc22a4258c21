"""Forms of progress reports and their workflow steps; they validate input, the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ReportCreateForm(forms.Form):
    programme = forms.ModelChoiceField(label=_("Programme"), queryset=None,
                                       widget=forms.Select(attrs={"class": "form-select"}))
    period = forms.ModelChoiceField(label=_("Reporting period"), queryset=None)

    def __init__(self, *args, programmes, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["period"].queryset = periods
        if len(programmes) == 1:
            self.fields["programme"].initial = programmes[0].pk
            self.fields["programme"].widget = forms.HiddenInput()
        self.fields["period"].label_from_instance = lambda period: period.label


class ReportForm(forms.Form):
    """Summary, a narrative per action line and the lessons learned, with the version the user started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    summary = forms.CharField(label=_("Summary"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    lessons_learned = forms.CharField(
        label=_("Lessons learned"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, report, action_lines, **kwargs):
        super().__init__(*args, **kwargs)
        self.action_lines = list(action_lines)
        narratives = {section.action_line_id: section.narrative for section in report.sections.all()}
        if not self.is_bound:
            self.initial.update(version=report.version, summary=report.summary,
                                lessons_learned=report.lessons_learned)
        for line in self.action_lines:
            name = f"narrative_{line.pk}"
            self.fields[name] = forms.CharField(
                label=_("Narrative on action line %(number)s") % {"number": line.number},
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
            )
            if not self.is_bound:
                self.initial[name] = narratives.get(line.pk, "")

    def narrative_field(self, line):
        return self[f"narrative_{line.pk}"]

    def narratives(self) -> dict[int, str]:
        return {line.pk: self.cleaned_data.get(f"narrative_{line.pk}", "") for line in self.action_lines}


class StepForm(forms.Form):
    """A small form on the report page; several share field names, so each gets its own ids."""

    id_prefix = "step"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ReturnForm(StepForm):
    id_prefix = "return"
    comment = forms.CharField(
        label=_("Comment for the project leader"), widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why you return the report, so the project leader knows what to change.")},
    )


class ApproveForm(StepForm):
    id_prefix = "approve"
    comment = forms.CharField(label=_("Comment (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SubmitForm(StepForm):
    id_prefix = "submit"
    comment = forms.CharField(label=_("Note for the steering group (optional)"), required=False,
                              widget=forms.Textarea(attrs={"rows": 2}))


class NewVersionForm(StepForm):
    id_prefix = "new_version"
    reason = forms.CharField(
        label=_("Reason for a new version"), widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give the reason for a new version.")},
    )
