"""Adding a comment to a figure; the thread is shown on the figure's history page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programme.access import require_role
from reporting.comments import services
from reporting.comments.forms import FigureCommentForm
from reporting.comments.selectors import thread_url
from reporting.figures.selectors import history_region_for


@login_required
@require_POST
def comment_add(request, region: int):
    require_role(request.user)
    # The comments are the region's own, like its figure history: anyone else gets a 404.
    region = history_region_for(request.user, region)
    form = FigureCommentForm(request.POST, region=region)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                           require_https=request.is_secure()):
        target = ""
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return redirect(target or reverse("reporting:figure_history", args=[region.pk]))
    data = form.cleaned_data
    try:
        services.figure_comment_add(region=region, municipality=data["municipality"], indicator=data["indicator"],
                                    period=data["period"], text=data["text"], acting_user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Your comment on %(municipality)s, %(indicator)s, %(period)s has been added.") % {
            "municipality": data["municipality"].name, "indicator": data["indicator"].name,
            "period": data["period"].label})
    return redirect(target or thread_url(region.pk, municipality_id=data["municipality"].pk,
                                         indicator_id=data["indicator"].pk, period_id=data["period"].pk))
