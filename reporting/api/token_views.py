"""The page "Mijn API-sleutels": a user's own tokens, create one (its key shown once), revoke one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from programme.access import require_role
from reporting.api import services
from reporting.api.forms import ApiTokenForm
from reporting.api.selectors import tokens_of


@never_cache
@login_required
def token_list_view(request):
    require_role(request.user)
    form = ApiTokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        _token, new_key = services.api_token_create(user=request.user, name=form.cleaned_data["name"],
                                                    expires_on=form.cleaned_data["expires_on"])
        form = ApiTokenForm()
    # The key is in this response only (never stored, never in a redirect or a message), hence no-cache.
    return render(request, "reporting/api/token_list.html", {
        "form": form, "new_key": new_key, "tokens": tokens_of(request.user),
    })


@require_POST
@login_required
def token_revoke_view(request, pk: int):
    token = get_object_or_404(tokens_of(request.user), pk=pk)
    services.api_token_revoke(token=token, acting_user=request.user)
    messages.success(request, _("The token “%(name)s” has been revoked.") % {"name": token.name})
    return redirect("reporting:api_token_list")
