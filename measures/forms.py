"""Forms of the measure pages; they validate input, services do the writing and check the yardstick."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programme.forms import VersionedModelForm
from programme.models import Goal, NationalMeasure, Organisation, Theme, ViolenceForm

from .access import region_organisations
from .models import UPDATE_STATUSES, Contribution, Decision, FundingSource, Measure, MeasureUpdate, Participation

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

NOT_NEGATIVE = {"min_value": _("The amount cannot be negative.")}
OUTSIDE_REGION = _("Only organisations of the region can take part; the chosen one is not one of them.")


class ActionLineCheckboxes(forms.CheckboxSelectMultiple):
    """Checkboxes of goals or themes, each marked with its action line, so static/js/measure_form.js can show
    only those of the chosen line (the service refuses the others on save)."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        instance = getattr(value, "instance", None)
        if instance is not None:
            option["attrs"]["data-action-line"] = str(instance.action_line_id)
        return option


class MeasureForm(VersionedModelForm):
    participants = forms.ModelMultipleChoiceField(
        label=_("Participating organisations"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("They take part from the start date; later phases are added on the measure page."),
        error_messages={
"invalid_choice": OUTSIDE_REGION},
    )

    class Meta:
        model = Measure
        fields = [
            "title", "description", "action_line", "goals", "themes", "violence_forms", "national_measures",
            "owner", "contact_name", "contact_email", "start_date", "end_date", "budget", "funding_source",
        ]
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "goals": ActionLineCheckboxes,
            "themes": ActionLineCheckboxes,
            "violence_forms": forms.CheckboxSelectMultiple,
            "national_measures": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "goals": _("Only goals of the chosen action line."),
            "themes": _("Only themes of the chosen action line."),
            "owner": _("The organisation responsible for the measure."),
        }
        error_messages = {
            "budget": {"min_value": _("The budget cannot be negative.")},
            "owner": {"invalid_choice": _("You can only enter measures for your own organisation.")},
        }

    def __init__(self, *args, programme, owners, with_participants: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_line"].queryset = programme.action_lines.order_by("number")
        self.fields["goals"].queryset = Goal.objects.filter(action_line__programme=programme).order_by("code")
        self.fields["themes"].queryset = Theme.objects.filter(action_line__programme=programme).order_by(
            "action_line__number", "name"
        )
        self.fields["violence_forms"].queryset = ViolenceForm.objects.all()
        self.fields["national_measures"].queryset = NationalMeasure.objects.filter(
            programme_id=programme.national_programme_id
        ).order_by("number")
        self.fields["owner"].queryset = owners
        self.fields["funding_source"].queryset = FundingSource.objects.all()
        if with_participants:
            self.fields["participants"].queryset = region_organisations(programme.region_id).order_by("kind", "name")
        else:
            del self.fields["participants"]
        # The form checks field formats; the service checks the yardstick (goals of the action line, the region).
        self.instance.programme = programme



class MeasureUpdateForm(VersionedModelForm):
    class Meta:
        model = MeasureUpdate
        fields = ["period", "status", "health", "progress", "narrative", "spent", "next_steps"]
        widgets = {"narrative": forms.Textarea(attrs={"rows": 4}), "next_steps": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "progress": {"max_value": _("Progress cannot be more than %(limit_value)s%%."),
                         "min_value": _("Progress cannot be negative.")},
            "spent": NOT_NEGATIVE,
        }

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = periods
        self.fields["status"].choices = [(s.value, s.label) for s in UPDATE_STATUSES]
        self.fields["progress"].widget.attrs.update({"min": 0, "max": 100})

    def validate_unique(self):
        # One update per period is checked by the service, so its message lands next to the period.
        pass


class ParticipationForm(VersionedModelForm):
    class Meta:
        model = Participation
        fields = ["organisation", "joined_on", "left_on"]
        widgets = {"joined_on": DATE_WIDGET, "left_on": DATE_WIDGET}
        error_messages = {
            "organisation": {
"invalid_choice": OUTSIDE_REGION}
        }

    def __init__(self, *args, region_id, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["organisation"]
        else:
            self.fields["organisation"].queryset = region_organisations(region_id).order_by("kind", "name")

    def validate_unique(self):
        pass


class AssessmentForm(forms.Form):
    """One choice per goal of the programme, then the decision and its reasons."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    decision = forms.ChoiceField(label=_("Decision"), choices=Decision.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, goals, **kwargs):
        super().__init__(*args, **kwargs)
        self.goals = list(goals)
        contribution_fields = {}
        for goal in self.goals:
            contribution_fields[f"goal_{goal.pk}"] = forms.ChoiceField(
                label=f"{goal.code} {goal.title}",
                choices=Contribution.choices,
                widget=forms.RadioSelect,
                error_messages={"required": _("Say how much the measure contributes to this goal.")},
            )
        # Goals first, as on paper: first the yardstick, then the verdict.
        self.fields = {**contribution_fields, **self.fields}

    def contributions(self) -> dict[int, str]:
        return {goal.pk: self.cleaned_data.get(f"goal_{goal.pk}") for goal in self.goals}


class DeleteForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
