"""The comment form, on the entry grid (choose the cell) and on a figure's history (the cell is given)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from programme.models import Indicator, Organisation, OrganisationKind, Region, ReportingPeriod
from reporting.models.comments import COMMENT_MAX_LENGTH


class FigureCommentForm(forms.Form):
    municipality = forms.ModelChoiceField(label=_("Municipality"), queryset=Organisation.objects.none())
    indicator = forms.ModelChoiceField(label=_("Indicator"), queryset=Indicator.objects.order_by("code"))
    period = forms.ModelChoiceField(label=_("Period"), queryset=ReportingPeriod.objects.all(),
                                    widget=forms.HiddenInput)
    text = forms.CharField(label=_("Your comment"), max_length=COMMENT_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("For example: registration changed as of 1 January; or: delivers Q3 later. "
                                       "Readable by everyone of the region, not outside it."))
    next = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, region: Region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = Organisation.objects.filter(
            region=region, kind=OrganisationKind.MUNICIPALITY).order_by("name")
