"""Forms of the framework pages; they validate input, services do the writing."""

from django import forms

from .models import ActionLine, Goal, Theme


class VersionedModelForm(forms.ModelForm):
    """Carries the version the user started from, so a save over someone else's change is refused."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["version"] = self.instance.version

    def model_data(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class ActionLineForm(VersionedModelForm):
    class Meta:
        model = ActionLine
        fields = ["number", "name", "description"]


class ThemeForm(VersionedModelForm):
    class Meta:
        model = Theme
        fields = ["name", "description"]


class GoalForm(VersionedModelForm):
    class Meta:
        model = Goal
        fields = [
            "code", "title", "description", "baseline", "baseline_year", "target", "direction", "unit", "deadline",
            "indicator",
        ]
        widgets = {"deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
