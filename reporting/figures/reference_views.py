"""Pages of the reference data figures are recorded against: reporting periods and indicators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programme.access import require_role
from programme.portal.editing import save_with_form
from programme.services import indicators as indicator_services
from programme.services import periods as period_services
from reporting.figures import selectors
from reporting.figures.access import can_manage_reference
from reporting.figures.forms import IndicatorForm, PeriodDeadlineForm, PeriodForm, PeriodGenerateForm
from reporting.figures.views import figures_nav


def _require_manager(request):
    require_role(request.user)
    if not can_manage_reference(request.user):
        raise PermissionDenied


@login_required
def period_list(request):
    require_role(request.user)
    page = Paginator(selectors.periods(), 40).get_page(request.GET.get("page"))
    return render(request, "reporting/figures/period_list.html", {
        **figures_nav(request, None, "periods"), "page": page, "generate_form": PeriodGenerateForm()})


@login_required
def period_create(request):
    _require_manager(request)
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result, _extra = save_with_form(request, form, lambda: period_services.period_create(
            acting_user=request.user, **form.cleaned_data))
        if result is not None:
            messages.success(request, _("Period %(period)s added.") % {"period": result.label})
            return redirect("reporting:period_list")
    return render(request, "reporting/figures/simple_form.html", {
        **figures_nav(request, None, "periods"), "form": form, "title": _("New reporting period"),
        "back": "reporting:period_list"})


@login_required
def period_update(request, pk: int):
    _require_manager(request)
    period = selectors.period_for(pk)
    form = PeriodDeadlineForm(request.POST or None, initial={"deadline": period.deadline, "version": period.version})
    extra = {}
    if request.method == "POST" and form.is_valid():
        result, extra = save_with_form(request, form, lambda: period_services.period_update(
            period=period, acting_user=request.user, deadline=form.cleaned_data["deadline"],
            expected_version=form.cleaned_data.get("version")))
        if result is not None:
            messages.success(request, _("Deadline of %(period)s saved.") % {"period": period.label})
            return redirect("reporting:period_list")
    return render(request, "reporting/figures/simple_form.html", {
        **figures_nav(request, None, "periods"), "form": form, **extra,
        "title": _("Deadline of %(period)s") % {"period": period.label}, "back": "reporting:period_list"})


@login_required
def period_generate(request):
    _require_manager(request)
    form = PeriodGenerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result, _extra = save_with_form(request, form, lambda: period_services.periods_generate(
            acting_user=request.user, **form.cleaned_data))
        if result is not None:
            count = len(result)
            messages.success(request, ngettext("%(count)s period added.", "%(count)s periods added.", count)
                             % {"count": count})
            return redirect("reporting:period_list")
    return render(request, "reporting/figures/simple_form.html", {
        **figures_nav(request, None, "periods"), "form": form, "title": _("Generate periods"),
        "back": "reporting:period_list"})


@login_required
def indicator_list(request):
    require_role(request.user)
    return render(request, "reporting/figures/indicator_list.html", {
        **figures_nav(request, None, "indicators"), "indicators": selectors.indicators()})


@login_required
def indicator_edit(request, pk: int | None = None):
    _require_manager(request)
    indicator = selectors.indicator_for(pk) if pk else None
    form = IndicatorForm(request.POST or None, instance=indicator)
    extra = {}
    if request.method == "POST" and form.is_valid():
        if indicator is None:
            def save():
                return indicator_services.indicator_create(acting_user=request.user, **form.model_data())
        else:
            def save():
                # A fresh copy: the model form has already put the new values on `indicator`.
                return indicator_services.indicator_update(
                    indicator=selectors.indicator_for(indicator.pk), acting_user=request.user,
                    expected_version=form.cleaned_data.get("version"), **form.model_data())
        result, extra = save_with_form(request, form, save)
        if result is not None:
            messages.success(request, _("Indicator %(name)s saved.") % {"name": result.name})
            return redirect("reporting:indicator_list")
    title = _("Edit indicator") if indicator else _("New indicator")
    return render(request, "reporting/figures/simple_form.html", {
        **figures_nav(request, None, "indicators"), "form": form, "title": title, "back": "reporting:indicator_list",
        **extra})
