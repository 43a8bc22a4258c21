"""Forms of the self-scan; they validate input and the services write."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reporting.models.selfscans import SCORE_LABELS
from reporting.selfscans.services import Answer

NOT_APPLICABLE = "na"


def score_choices():
    return [("", _("– not answered yet –")), *[(str(k), v) for k, v in SCORE_LABELS.items()],
            (NOT_APPLICABLE, _("not applicable"))]


def answer_from(value: str, explanation: str) -> Answer:
    if value == NOT_APPLICABLE:
        return Answer(score=None, not_applicable=True, explanation=explanation or "")
    return Answer(score=int(value) if value else None, explanation=explanation or "")


class ScanForm(forms.Form):
    """A score and an explanation per criterion, the strengths, and the version the user started from."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    strengths = forms.CharField(label=_("Strengths of the team"), required=False,
                                widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, scan, answers, **kwargs):
        super().__init__(*args, **kwargs)
        self.answers = answers
        if not self.is_bound:
            self.initial.update(version=scan.version, strengths=scan.strengths)
        for answer in answers:
            criterion = answer.criterion
            self.fields[f"score_{criterion.pk}"] = forms.ChoiceField(
                label=_("Score"), choices=score_choices(), required=False,
                error_messages={"invalid_choice": _("Choose 1, 2, 3, 4 or 'not applicable'.")},
                widget=forms.Select(attrs={"class": "form-select"}))
            self.fields[f"explanation_{criterion.pk}"] = forms.CharField(
                label=_("Explanation"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2}))
            if not self.is_bound:
                self.initial[f"score_{criterion.pk}"] = (NOT_APPLICABLE if answer.not_applicable
                                                         else str(answer.score or ""))
                self.initial[f"explanation_{criterion.pk}"] = answer.explanation

    def rows(self):
        """Per theme the criteria with their two bound fields, in the framework's order."""
        themes: dict[int, dict] = {}
        for answer in self.answers:
            criterion = answer.criterion
            themes.setdefault(criterion.theme_id, {"theme": criterion.theme, "rows": []})["rows"].append({
                "criterion": criterion, "score": self[f"score_{criterion.pk}"],
                "explanation": self[f"explanation_{criterion.pk}"]})
        return list(themes.values())

    def answer_data(self) -> dict:
        return {a.criterion_id: answer_from(self.cleaned_data.get(f"score_{a.criterion_id}", ""),
                                            self.cleaned_data.get(f"explanation_{a.criterion_id}", ""))
                for a in self.answers}


class StepForm(forms.Form):
    id_prefix = "step"

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class ReturnForm(StepForm):
    id_prefix = "return"
    comment = forms.CharField(
        label=_("Comment for the team"), widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why you return the scan, so the team knows what to change.")})


class NewVersionForm(StepForm):
    id_prefix = "new_version"
    reason = forms.CharField(label=_("Reason for a new version"), widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("Give the reason for a new version.")})


class ImprovementForm(StepForm):
    id_prefix = "improvement"
    text = forms.CharField(label=_("Point to improve"), max_length=500,
                           error_messages={"required": _("Describe the point to improve.")})
    criterion = forms.ModelChoiceField(label=_("Criterion (optional)"), queryset=None, required=False,
                                       widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["criterion"].queryset = criteria


class LinkMeasureForm(StepForm):
    id_prefix = "link"
    measure = forms.ModelChoiceField(label=_("Existing measure"), queryset=None, required=False,
                                     widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].queryset = measures


class CreateMeasureForm(StepForm):
    id_prefix = "new_measure"
    title = forms.CharField(label=_("Title of the measure"), max_length=300,
                            error_messages={"required": _("Give the measure a title.")})
    action_line = forms.ModelChoiceField(label=_("Action line"), queryset=None,
                                         widget=forms.Select(attrs={"class": "form-select"}),
                                         error_messages={"required": _("Choose the action line of the measure.")})
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None,
                                   widget=forms.Select(attrs={"class": "form-select"}),
                                   error_messages={"required": _("Choose the organisation that owns the measure.")})

    def __init__(self, *args, action_lines, owners, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_line"].queryset = action_lines
        self.fields["owner"].queryset = owners


class FrameworkCreateForm(StepForm):
    id_prefix = "framework"
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200, initial=_("Guideline and self-scan local teams"))


class FrameworkForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    title = forms.CharField(label=_("Title"), max_length=200)
    deadline = forms.DateField(label=_("Deadline for the scans"), required=False,
                               widget=forms.DateInput(attrs={"type": "date"}),
                               help_text=_("Municipalities without a submitted scan are reminded before this date."))


class ThemeForm(StepForm):
    id_prefix = "theme"
    name = forms.CharField(label=_("New theme"), max_length=200,
                           error_messages={"required": _("Give the theme a name.")})


class CriterionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=None, widget=forms.Select(attrs={"class": "form-select"}))
    text = forms.CharField(label=_("Criterion"), max_length=500,
                           error_messages={"required": _("Write the criterion.")})
    help_text = forms.CharField(label=_("Help text"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, themes, **kwargs):
        kwargs.setdefault("auto_id", "criterion_%s")
        super().__init__(*args, **kwargs)
        self.fields["theme"].queryset = themes


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Filled-in Excel form (.xlsx)"),
                           error_messages={"required": _("Choose the Excel file to upload.")})
