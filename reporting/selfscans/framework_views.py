"""Pages of the self-scan guideline and what the region sees: the heat map, its downloads, the national overview."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programme import calendar
from programme.access import require_role
from programme.portal.editing import add_validation_errors, save_with_form
from programme.portal.spreadsheets import workbook_response
from reporting import charts as shared_charts
from reporting.selfscans import access, excel, selectors
from reporting.selfscans import charts as scan_charts
from reporting.selfscans import framework_services as services
from reporting.selfscans.forms import (
    CriterionForm,
    FrameworkCreateForm,
    FrameworkForm,
    ThemeForm,
)
from reporting.selfscans.views import add_error_messages


@login_required
def selfscan_home(request):
    scope = require_role(request.user)
    frameworks = list(selectors.frameworks_visible_to(request.user).order_by("region__name", "-year"))
    led = sorted(scope.region_ids_with_role("project_leader")) if not scope.is_superuser else []
    create_form = FrameworkCreateForm(initial={"year": calendar.today().year}) if led else None
    return render(request, "reporting/selfscans/selfscan_home.html", {
        "frameworks": frameworks, "create_form": create_form, "is_national": scope.is_national_team,
    })


@login_required
@require_POST
def framework_create(request):
    scope = require_role(request.user)
    regions = sorted(scope.region_ids_with_role("project_leader"))
    if not regions:
        raise PermissionDenied
    form = FrameworkCreateForm(request.POST)
    if form.is_valid():
        from programme.models import Region

        try:
            framework = services.framework_create(region=Region.objects.get(pk=regions[0]),
                                                  year=form.cleaned_data["year"], title=form.cleaned_data["title"],
                                                  acting_user=request.user)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("The framework has been created from the previous year's version."))
            return redirect("reporting:selfscan_framework", pk=framework.pk)
    frameworks = list(selectors.frameworks_visible_to(request.user).order_by("region__name", "-year"))
    return render(request, "reporting/selfscans/selfscan_home.html", {
        "frameworks": frameworks, "create_form": form, "is_national": scope.is_national_team})


def heat_map_context(framework, heat) -> dict:
    urls = [[reverse("reporting:selfscan_detail", args=[row["scan_id"]]) if row["scan_id"] else None
             for _value in row["values"]] for row in heat.rows]
    figure = scan_charts.heat_map_figure(
        themes=[t.name for t in heat.themes], municipalities=[row["municipality"].name for row in heat.rows],
        values=[row["values"] for row in heat.rows], urls=urls, title=_("average score"))
    return {
        "figure": figure,
        "rows": [{"municipality": row["municipality"], "scan_id": row["scan_id"],
                  "cells": scan_charts.heat_cells(row["values"])} for row in heat.rows],
        "average": scan_charts.heat_cells(heat.region_average),
        "themes": heat.themes,
        "submitted": heat.submitted,
        "empty": heat.submitted == 0,
    }


@login_required
def framework_detail(request, pk: int):
    require_role(request.user)
    framework = selectors.framework_for(user=request.user, pk=pk)
    heat = selectors.heat_map(framework)
    is_leader = access.is_project_leader(request.user, framework.region_id)
    completeness = selectors.completeness(framework)
    own = selectors.own_municipalities(request.user, framework)
    own_scans = {row["municipality"].pk: row["scan"] for row in completeness}
    return render(request, "reporting/selfscans/framework_detail.html", {
        "framework": framework,
        "heat": heat_map_context(framework, heat),
        "completeness": completeness,
        "submitted_count": sum(1 for row in completeness if row["has_submitted"]),
        "low_criteria": selectors.low_criteria(framework),
        "criteria": selectors.framework_criteria(framework, selectors.criterion_trends(framework.region_id)),
        "is_leader": is_leader,
        "own": [(m, own_scans.get(m.pk)) for m in own],
        "theme_form": ThemeForm() if is_leader else None,
        "reads_all": access.reads_everything_of_region(request.user, framework.region_id),
    })


@login_required
def heat_map_csv(request, pk: int):
    require_role(request.user)
    framework = selectors.framework_for(user=request.user, pk=pk)
    heat = selectors.heat_map(framework)
    chart = shared_charts.Chart(
        key="heat", title=_("Average score per theme"), categories=[r["municipality"].name for r in heat.rows],
        series=[shared_charts.Series(t.name, [r["values"][i] for r in heat.rows]) for i, t in enumerate(heat.themes)],
        category_title=_("Municipality"), decimals=1)
    response = HttpResponse(shared_charts.csv_text(chart), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="zelfscan-{framework.region.code}-{framework.year}.csv"'
    return response


@login_required
def region_export(request, pk: int):
    require_role(request.user)
    framework = selectors.framework_for(user=request.user, pk=pk)
    workbook = excel.region_scores_workbook(framework=framework, rows=selectors.region_scores(framework))
    return workbook_response(workbook, f"zelfscan-scores-{framework.region.code}-{framework.year}.xlsx")


@login_required
def national_overview(request):
    require_role(request.user)
    year = request.GET.get("jaar")
    try:
        year = int(year) if year else calendar.today().year
    except ValueError:
        year = calendar.today().year
    data = selectors.national_theme_averages(year=year)
    rows = [{**row, "cells": scan_charts.heat_cells(row["values"]) if row["enough"] else []} for row in data["rows"]]
    return render(request, "reporting/selfscans/national_overview.html", {
        "year": year, "themes": data["themes"], "rows": rows, "minimum": selectors.NATIONAL_MINIMUM_TEAMS,
        "years": [year - 1, year, year + 1],
    })


def _leader_framework(request, pk):
    require_role(request.user)
    framework = selectors.framework_for(user=request.user, pk=pk)
    if not access.is_project_leader(request.user, framework.region_id):
        raise PermissionDenied
    return framework


@login_required
def framework_edit(request, pk: int):
    framework = _leader_framework(request, pk)
    form = FrameworkForm(request.POST or None, initial={"version": framework.version, "title": framework.title,
                                                        "deadline": framework.deadline})
    extra = {}
    if request.method == "POST" and form.is_valid():
        result, extra = save_with_form(request, form, lambda: services.framework_update(
            framework=framework, acting_user=request.user, expected_version=form.cleaned_data.get("version"),
            title=form.cleaned_data["title"], deadline=form.cleaned_data["deadline"]))
        if result is not None:
            messages.success(request, _("The framework has been saved."))
            return redirect("reporting:selfscan_framework", pk=framework.pk)
    return render(request, "reporting/selfscans/framework_form.html", {"framework": framework, "form": form, **extra})


@login_required
@require_POST
def theme_add(request, pk: int):
    framework = _leader_framework(request, pk)
    form = ThemeForm(request.POST)
    if form.is_valid():
        try:
            services.theme_add(framework=framework, name=form.cleaned_data["name"], acting_user=request.user)
        except ValidationError as error:
            add_error_messages(request, error)
        else:
            messages.success(request, _("The theme has been added."))
    else:
        for error in form.errors.get("name", []):
            messages.error(request, error)
    return redirect("reporting:selfscan_framework", pk=framework.pk)


@login_required
def criterion_add(request, pk: int):
    framework = _leader_framework(request, pk)
    form = CriterionForm(request.POST or None, themes=framework.themes.all(),
                         initial={"version": framework.version})
    if request.method == "POST" and form.is_valid():
        try:
            services.criterion_add(framework=framework, theme=form.cleaned_data["theme"],
                                   text=form.cleaned_data["text"], help_text=form.cleaned_data["help_text"],
                                   acting_user=request.user)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("The criterion has been added."))
            return redirect("reporting:selfscan_framework", pk=framework.pk)
    return render(request, "reporting/selfscans/criterion_form.html", {"framework": framework, "form": form})


@login_required
def criterion_edit(request, pk: int, criterion: int):
    framework = _leader_framework(request, pk)
    item = get_object_or_404(framework.criteria.select_related("theme"), pk=criterion)
    form = CriterionForm(request.POST or None, themes=framework.themes.all(),
                         initial={"version": framework.version, "theme": item.theme_id, "text": item.text,
                                  "help_text": item.help_text})
    extra = {}
    if request.method == "POST" and form.is_valid():
        result, extra = save_with_form(request, form, lambda: services.criterion_update(
            criterion=item, acting_user=request.user, expected_version=form.cleaned_data.get("version"),
            text=form.cleaned_data["text"], help_text=form.cleaned_data["help_text"],
            theme=form.cleaned_data["theme"]))
        if result is not None:
            messages.success(request, _("The criterion has been saved; it keeps its trend."))
            return redirect("reporting:selfscan_framework", pk=framework.pk)
    return render(request, "reporting/selfscans/criterion_form.html",
                  {"framework": framework, "form": form, "criterion": item, **extra})


@login_required
@require_POST
def criterion_remove(request, pk: int, criterion: int):
    framework = _leader_framework(request, pk)
    item = get_object_or_404(framework.criteria, pk=criterion)
    try:
        services.criterion_remove(criterion=item, acting_user=request.user)
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        messages.success(request, _("The criterion has been removed from this year's framework."))
    return redirect("reporting:selfscan_framework", pk=framework.pk)
