"""Forms of the data-quality pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from reporting.quality.services import EXPLANATION_MAX


class FlagExplanationForm(forms.Form):
    explanation = forms.CharField(
        label=_("Explanation"), max_length=EXPLANATION_MAX,
        help_text=_("Why the value is right, for example 'registratie gewijzigd per 1 januari'."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
