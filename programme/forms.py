"""Forms of the framework pages; they validate input, services do the writing."""

from django import forms

from .models import ActionLine, Goal, GoalDirection, Theme


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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Left out (an older client, a script), the direction is the model's default rather than an error that
        # would hide the form's other messages.
        self.fields["direction"].required = False

    def clean_direction(self):
        return self.cleaned_data.get("direction") or GoalDirection.HIGHER
