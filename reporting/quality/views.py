"""Pages of data quality: the project leader's overview per period and municipality, and explaining a flag."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from programme import calendar
from programme.access import require_role
from reporting.comments.selectors import comment_counts
from reporting.figures import selectors as figure_selectors
from reporting.figures.access import region_for_figures
from reporting.figures.completeness import figure_delivery
from reporting.figures.views import figures_nav
from reporting.quality import selectors
from reporting.quality.access import may_see_overview, require_explain, require_overview
from reporting.quality.forms import FlagExplanationForm
from reporting.quality.services import flag_explain


@login_required
def quality_overview(request, region: int):
    require_role(request.user)
    region = region_for_figures(request.user, region)
    require_overview(request.user, region)
    pk = request.GET.get("period")
    if pk:
        try:
            period = figure_selectors.period_for(int(pk))
        except ValueError as error:
            raise Http404 from error
    else:
        period = calendar.quarter_due() or calendar.latest_ended()
        if period is None:
            raise Http404
    rows = selectors.quality_overview(
        region=region, period=period, delivery=figure_delivery(region=region, period=period),
        comments=comment_counts(user=request.user, region=region, period=period))
    return render(request, "reporting/quality/quality_overview.html", {
        **figures_nav(request, region, "quality"), "period": period, "periods": figure_selectors.periods(),
        "rows": rows, "problems": [row for row in rows if row.anything],
    })


@login_required
def flag_explain_view(request, region: int, pk: int):
    scope = require_role(request.user)
    region = region_for_figures(request.user, region)
    # The flag's explanation is the region's own: a reader from outside (the national team) finds nothing here.
    region_ids = [region.pk] if scope.is_superuser or region.pk in scope.region_ids else []
    flag = selectors.flag_for(region_ids=region_ids, pk=pk)
    require_explain(request.user, flag)
    form = FlagExplanationForm(request.POST or None, initial={"explanation": flag.explanation})
    if request.method == "POST" and form.is_valid():
        try:
            flag_explain(flag=flag, explanation=form.cleaned_data["explanation"], acting_user=request.user)
        except ValidationError as error:
            form.add_error("explanation", error.messages[0])
        else:
            messages.success(request, _("Explanation saved."))
            figure = flag.figure
            if may_see_overview(request.user, region):
                target = reverse("reporting:quality_overview", args=[region.pk])
            else:
                target = reverse("reporting:figure_grid", args=[region.pk])
            return redirect(f"{target}?period={figure.period_id}")
    return render(request, "reporting/quality/flag_explain.html", {
        **figures_nav(request, region, "quality"), "form": form, "flag": flag, "figure": flag.figure})
