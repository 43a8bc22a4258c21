"""Pages of the figures part: table with rates, entry grid, imports, history, periods and indicators."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programme.access import require_role, scope_of
from programme.models import Indicator, ReportingPeriod
from programme.portal.editing import add_validation_errors, save_with_form

from . import exports, selectors, services
from .forms import (
    ImportMappingForm,
    ImportUploadForm,
    IndicatorForm,
    PeriodDeadlineForm,
    PeriodForm,
    PeriodGenerateForm,
)
from .importing import guess_mapping
from .models import FigureImportStatus, FigureSource, ImportRowAction
from .rights import can_manage_reference, entry_rights, region_for_figures, regions_for_entry


def _period_from(request) -> ReportingPeriod:
    pk = request.GET.get("period")
    if pk:
        try:
            return get_object_or_404(ReportingPeriod, pk=int(pk))
        except ValueError as error:
            raise Http404 from error
    period = selectors.default_period()
    if period is None:
        raise Http404
    return period


def _nav(request, region=None, active=""):
    return {"region": region, "active_tab": active, "can_manage": can_manage_reference(request.user),
            "can_import": bool(regions_for_entry(request.user)),
            "can_enter": bool(region and entry_rights(request.user, region).any) if region else False}


@login_required
def figures_home(request):
    require_role(request.user)
    region = selectors.first_visible_region(request.user)
    if region is None:
        raise Http404
    return redirect("reporting:figure_table", region=region.pk)


# The table ----------------------------------------------------------------------------------------------------


def _table_for(request, region):
    indicators = list(Indicator.objects.order_by("code"))
    if not indicators:
        raise Http404
    indicator = next((i for i in indicators if str(i.pk) == request.GET.get("indicator")), indicators[0])
    # Without a chosen period, open on the latest period that has figures rather than an empty table.
    period = (None if request.GET.get("period") else selectors.latest_period_with_figures(region, indicator)) or (
        _period_from(request)
    )
    present = selectors.sources_present(region=region, indicator=indicator, period=period)
    source = request.GET.get("source")
    if source not in present:
        # A source without figures for this indicator and period would show an empty table: take one that has them.
        source = present[0] if present else FigureSource.VEILIG_THUIS
    public = request.GET.get("public") == "1"
    table = selectors.figure_table(
        user=request.user, region=region, period=period, indicator=indicator, source=source, public=public
    )
    return table, indicators, present


@login_required
def figure_table(request, region: int):
    require_role(request.user)
    region = region_for_figures(request.user, region)
    table, indicators, present = _table_for(request, region)
    context = {
        **_nav(request, region, "table"),
        "table": table,
        "indicators": indicators,
        "periods": selectors.periods(),
        "sources": [(s, FigureSource(s).label) for s in present] or [(table.source, FigureSource(table.source).label)],
        "source_label": FigureSource(table.source).label,
        "regions": selectors.regions_with_figures_visible_to(request.user),
        "query": request.GET.urlencode(),
    }
    return render(request, "reporting/figure_table.html", context)


@login_required
def figure_export(request, region: int, fmt: str):
    require_role(request.user)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    region = region_for_figures(request.user, region)
    table, _indicators, _present = _table_for(request, region)
    header, rows = selectors.export_rows(table)
    name = f"cijfers-{region.code}-{table.indicator.code}-{table.period.code}"
    if fmt == "xlsx":
        return exports.xlsx_response(name, header, rows)
    return exports.csv_response(name, header, rows)


# The grid -----------------------------------------------------------------------------------------------------


def _default_source(user) -> str:
    from programme.models import Organisation

    kinds = set(Organisation.objects.filter(pk__in=scope_of(user).organisation_ids).values_list("kind", flat=True))
    if "veilig_thuis" in kinds:
        return FigureSource.VEILIG_THUIS
    if "municipality" in kinds and not scope_of(user).region_ids_with_role("project_leader"):
        return FigureSource.MUNICIPALITY
    return FigureSource.VEILIG_THUIS


@login_required
def figure_grid(request, region: int):
    require_role(request.user)
    region = region_for_figures(request.user, region)
    rights = entry_rights(request.user, region)
    if not rights.any:
        raise PermissionDenied
    period = _period_from(request)
    source = request.GET.get("source") or _default_source(request.user)
    if source not in FigureSource.values or source == FigureSource.DEMO:
        raise Http404
    rows = selectors.grid(rights=rights, period=period, source=source)
    errors, conflicts, submitted = {}, [], {}
    if request.method == "POST":
        cells = []
        for row in rows:
            for cell in row["cells"]:
                if not cell["allowed"] or cell["name"] not in request.POST:
                    continue
                text = request.POST.get(cell["name"], "")
                submitted[cell["name"]] = text
                try:
                    version = int(request.POST.get("v-" + cell["name"], "0"))
                except ValueError:
                    version = -1
                cells.append(services.GridCell(
                    municipality_id=row["municipality"].pk, indicator_id=cell["indicator"].pk, text=text,
                    original=request.POST.get("o-" + cell["name"], ""), version=version,
                ))
        try:
            count = services.figures_save_grid(
                rights=rights, period=period, source=source, cells=cells, acting_user=request.user
            )
        except services.GridInvalid as invalid:
            errors = {f"c-{m}-{i}": message for (m, i), message in invalid.errors.items()}
            messages.error(request, _("Some cells are not valid; nothing has been saved. Correct the marked cells."))
        except services.GridConflict as conflict:
            conflicts = [f"c-{m}-{i}" for m, i in conflict.cells]
            messages.error(request, _(
                "Someone else changed some of these figures after you opened the grid, so nothing has been saved. "
                "The marked cells show the value saved now beside your input; check them and save again."))
        else:
            messages.success(request, _("%(count)s figures saved.") % {"count": count})
            return redirect(request.get_full_path())
    # Keep the user's input after a failed save; the saved value and version come fresh from the database.
    for row in rows:
        for cell in row["cells"]:
            cell["saved_text"] = cell["text"]
            cell["error"] = errors.get(cell["name"])
            cell["conflict"] = cell["name"] in conflicts
            if cell["name"] in submitted:
                cell["value"] = submitted[cell["name"]]
                cell["original"] = cell["text"] if cell["conflict"] else request.POST.get("o-" + cell["name"], "")
            else:
                cell["value"] = cell["text"]
                cell["original"] = cell["text"]
    context = {
        **_nav(request, region, "grid"),
        "rows": rows,
        "indicators": rights.indicator_columns,
        "period": period,
        "periods": selectors.periods(),
        "source": source,
        "source_label": FigureSource(source).label,
        "sources": [(s.value, s.label) for s in FigureSource if s != FigureSource.DEMO],
        "has_errors": bool(errors or conflicts),
    }
    return render(request, "reporting/figure_grid.html", context)


# History ------------------------------------------------------------------------------------------------------


@login_required
def figure_history(request, region: int):
    require_role(request.user)
    region = get_object_or_404(
        selectors.regions_with_figures_visible_to(request.user).filter(pk__in=scope_of(request.user).region_ids)
        if not request.user.is_superuser else selectors.regions_with_figures_visible_to(request.user), pk=region)
    changes = selectors.history_visible_to(request.user).filter(organisation__region=region)
    for param, field in (("indicator", "indicator_id"), ("municipality", "organisation_id"), ("period", "period_id")):
        value = request.GET.get(param)
        if value and value.isdigit():
            changes = changes.filter(**{field: int(value)})
    page = Paginator(changes, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "reporting/figure_history.html", {
        **_nav(request, region, "history"), "page": page, "query": query.urlencode()})


# Imports ------------------------------------------------------------------------------------------------------


@login_required
def import_list(request):
    require_role(request.user)
    page = Paginator(selectors.imports_visible_to(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "reporting/import_list.html", {**_nav(request, None, "imports"), "page": page,
                                                          "can_upload": bool(regions_for_entry(request.user))})


@login_required
def import_upload(request):
    require_role(request.user)
    regions = regions_for_entry(request.user)
    if not regions:
        raise PermissionDenied
    from programme.models import Region

    region_qs = Region.objects.filter(pk__in=[r.pk for r in regions])
    form = ImportUploadForm(request.POST or None, request.FILES or None, regions=region_qs,
                            initial={"source": _default_source(request.user)})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            figure_import = services.figure_import_upload(
                acting_user=request.user, region=form.cleaned_data["region"], file_name=upload.name,
                content=upload.read(), source=form.cleaned_data["source"],
                all_provisional=form.cleaned_data["all_provisional"],
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            fmt = form.cleaned_data.get("import_format")
            if fmt:
                rights = entry_rights(request.user, figure_import.region)
                try:
                    services.figure_import_preview(figure_import=figure_import, rights=rights, mapping=fmt.mapping,
                                                   acting_user=request.user)
                    return redirect("reporting:import_detail", pk=figure_import.pk)
                except ValidationError:
                    messages.warning(request, _("The saved format does not fit this file; map the columns."))
            return redirect("reporting:import_mapping", pk=figure_import.pk)
    return render(request, "reporting/import_upload.html", {**_nav(request, None, "import"), "form": form})


def _import_for_change(request, pk):
    figure_import = selectors.import_for(request.user, pk)
    scope = scope_of(request.user)
    if not (scope.is_superuser or figure_import.uploaded_by_id == request.user.pk
            or scope.is_project_leader_of(figure_import.region_id)):
        raise PermissionDenied
    return figure_import


@login_required
def import_mapping(request, pk: int):
    require_role(request.user)
    figure_import = _import_for_change(request, pk)
    if figure_import.status not in (FigureImportStatus.UPLOADED, FigureImportStatus.PREVIEW):
        return redirect("reporting:import_detail", pk=figure_import.pk)
    rights = entry_rights(request.user, figure_import.region)
    indicators = rights.indicator_columns
    initial = ImportMappingForm.initial_from(
        figure_import.mapping or guess_mapping(figure_import.headers, {i.code: i.name for i in indicators})
    )
    form = ImportMappingForm(request.POST or None, initial=initial, headers=figure_import.headers,
                             indicators=indicators)
    if request.method == "POST" and form.is_valid():
        result, _extra = save_with_form(request, form, lambda: services.figure_import_preview(
            figure_import=figure_import, rights=rights, mapping=form.mapping(), acting_user=request.user,
            save_format_as=form.cleaned_data["save_format_as"]))
        if result is not None:
            return redirect("reporting:import_detail", pk=figure_import.pk)
    return render(request, "reporting/import_mapping.html", {
        **_nav(request, None, "import"), "form": form, "figure_import": figure_import})


@login_required
def import_detail(request, pk: int):
    require_role(request.user)
    figure_import = selectors.import_for(request.user, pk)
    if figure_import.status == FigureImportStatus.UPLOADED:
        return redirect("reporting:import_mapping", pk=pk)
    show = request.GET.get("show")
    counts = {
        ImportRowAction.REJECTED: figure_import.rejected_count, ImportRowAction.CREATE: figure_import.created_count,
        ImportRowAction.UPDATE: figure_import.updated_count, ImportRowAction.UNCHANGED: figure_import.unchanged_count,
        ImportRowAction.SKIPPED: figure_import.skipped_count,
    }
    if show not in counts:
        show = next((action for action, count in counts.items() if count), ImportRowAction.CREATE)
    page = Paginator(selectors.import_rows(figure_import, show), 100).get_page(request.GET.get("page"))
    scope = scope_of(request.user)
    may_change = (scope.is_superuser or figure_import.uploaded_by_id == request.user.pk
                  or scope.is_project_leader_of(figure_import.region_id))
    tabs = [(action, ImportRowAction(action).label, count) for action, count in counts.items()]
    return render(request, "reporting/import_detail.html", {
        **_nav(request, None, "imports"), "figure_import": figure_import, "tabs": tabs, "show": show,
        "page": page, "may_change": may_change,
    })


def _import_action(request, pk, service, success):
    require_role(request.user)
    figure_import = _import_for_change(request, pk)
    try:
        service(figure_import=figure_import, acting_user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except services.ImportConflict as conflict:
        messages.error(request, _("%(reason)s Nothing has been written; upload the file again for a new preview.") % {
            "reason": conflict})
    else:
        messages.success(request, success)
    return redirect("reporting:import_detail", pk=figure_import.pk)


@login_required
@require_POST
def import_confirm(request, pk: int):
    return _import_action(request, pk, services.figure_import_confirm, _("The figures have been imported."))


@login_required
@require_POST
def import_undo(request, pk: int):
    return _import_action(request, pk, services.figure_import_undo, _("The import has been undone."))


@login_required
@require_POST
def import_discard(request, pk: int):
    return _import_action(request, pk, services.figure_import_discard, _("The import has been discarded."))


# Periods and indicators ---------------------------------------------------------------------------------------


def _require_manager(request):
    require_role(request.user)
    if not can_manage_reference(request.user):
        raise PermissionDenied


@login_required
def period_list(request):
    require_role(request.user)
    page = Paginator(selectors.periods(), 40).get_page(request.GET.get("page"))
    return render(request, "reporting/period_list.html", {
        **_nav(request, None, "periods"), "page": page, "generate_form": PeriodGenerateForm()})


@login_required
def period_create(request):
    _require_manager(request)
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result, _extra = save_with_form(request, form, lambda: services.period_create(
            acting_user=request.user, **form.cleaned_data))
        if result is not None:
            messages.success(request, _("Period %(period)s added.") % {"period": result.label})
            return redirect("reporting:period_list")
    return render(request, "reporting/simple_form.html", {
        **_nav(request, None, "periods"), "form": form, "title": _("New reporting period"),
        "back": "reporting:period_list"})


@login_required
def period_update(request, pk: int):
    _require_manager(request)
    period = get_object_or_404(ReportingPeriod, pk=pk)
    form = PeriodDeadlineForm(request.POST or None, initial={"deadline": period.deadline, "version": period.version})
    extra = {}
    if request.method == "POST" and form.is_valid():
        result, extra = save_with_form(request, form, lambda: services.period_update(
            period=period, acting_user=request.user, deadline=form.cleaned_data["deadline"],
            expected_version=form.cleaned_data.get("version")))
        if result is not None:
            messages.success(request, _("Deadline of %(period)s saved.") % {"period": period.label})
            return redirect("reporting:period_list")
    return render(request, "reporting/simple_form.html", {
        **_nav(request, None, "periods"), "form": form, **extra,
        "title": _("Deadline of %(period)s") % {"period": period.label}, "back": "reporting:period_list"})


@login_required
def period_generate(request):
    _require_manager(request)
    form = PeriodGenerateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result, _extra = save_with_form(request, form, lambda: services.periods_generate(
            acting_user=request.user, **form.cleaned_data))
        if result is not None:
            messages.success(request, _("%(count)s periods added.") % {"count": len(result)})
            return redirect("reporting:period_list")
    return render(request, "reporting/simple_form.html", {
        **_nav(request, None, "periods"), "form": form, "title": _("Generate periods"),
        "back": "reporting:period_list"})


@login_required
def indicator_list(request):
    require_role(request.user)
    return render(request, "reporting/indicator_list.html", {
        **_nav(request, None, "indicators"), "indicators": Indicator.objects.order_by("code")})


@login_required
def indicator_edit(request, pk: int | None = None):
    _require_manager(request)
    indicator = get_object_or_404(Indicator, pk=pk) if pk else None
    form = IndicatorForm(request.POST or None, instance=indicator)
    extra = {}
    if request.method == "POST" and form.is_valid():
        if indicator is None:
            def save():
                return services.indicator_create(acting_user=request.user, **form.model_data())
        else:
            def save():
                # A fresh copy: the model form has already put the new values on `indicator`.
                return services.indicator_update(indicator=Indicator.objects.get(pk=indicator.pk),
                                                 acting_user=request.user,
                                                 expected_version=form.cleaned_data.get("version"),
                                                 **form.model_data())
        result, extra = save_with_form(request, form, save)
        if result is not None:
            messages.success(request, _("Indicator %(name)s saved.") % {"name": result.name})
            return redirect("reporting:indicator_list")
    title = _("Edit indicator") if indicator else _("New indicator")
    return render(request, "reporting/simple_form.html", {
        **_nav(request, None, "indicators"), "form": form, "title": title, "back": "reporting:indicator_list",
        **extra})
