"""The unlock form: a reason is required, because the steering group is told why."""

from django import forms
from django.utils.translation import gettext_lazy as _


class UnlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for unlocking"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("The steering group receives this reason by mail."),
    )
