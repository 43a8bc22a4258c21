"""The form of a lesson learned."""

from django import forms

from programme.forms import VersionedModelForm
from reporting.models import Lesson


class LessonForm(VersionedModelForm):
    class Meta:
        model = Lesson
        fields = ["programme", "text", "period", "measure", "shared_with_national_team"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, programmes, periods, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["period"].queryset = periods
        self.fields["period"].label_from_instance = lambda period: period.label
        self.fields["measure"].queryset = measures
        if self.instance.pk or len(programmes) == 1:
            if not self.instance.pk:
                self.fields["programme"].initial = programmes[0].pk
            self.fields["programme"].widget = forms.HiddenInput()
            self.fields["programme"].disabled = bool(self.instance.pk)
