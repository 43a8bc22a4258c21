"""The form of a new API token: a name and an expiry date (default three months ahead)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from programme import calendar
from reporting.api.services import check_expiry


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. 'Power BI'."))
    expires_on = forms.DateField(label=_("Valid until"), widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("At most one year ahead."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].initial = calendar.today() + datetime.timedelta(days=90)

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        check_expiry(expires_on)
        return expires_on
