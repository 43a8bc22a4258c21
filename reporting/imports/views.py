"""Pages of figure imports: upload, column mapping, preview, confirm, undo and discard."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from programme.access import require_role, scope_of
from programme.portal.editing import add_validation_errors, save_with_form
from reporting.figures.access import entry_rights, regions_for_entry
from reporting.figures.selectors import default_source
from reporting.figures.views import figures_nav
from reporting.imports import selectors, services, statline
from reporting.imports.breakdowns import total_check
from reporting.imports.forms import ImportMappingForm, ImportUploadForm, StatLineFetchForm
from reporting.imports.parsing import FileError, guess_mapping, is_cbs_file, read_sample
from reporting.locks import rules as locks
from reporting.models import FigureImportStatus, FigureSource, ImportRowAction
from reporting.quality import selectors as quality_selectors


@login_required
def import_list(request):
    require_role(request.user)
    page = Paginator(selectors.imports_visible_to(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "reporting/imports/import_list.html", {**figures_nav(request, None, "imports"), "page": page,
                                                          "can_upload": bool(regions_for_entry(request.user))})


@login_required
def import_upload(request):
    require_role(request.user)
    regions = selectors.regions_for_upload(request.user)
    if not regions.exists():
        raise PermissionDenied
    rights_by_region = {region.pk: entry_rights(request.user, region) for region in regions}
    sources = list(dict.fromkeys(s for rights in rights_by_region.values() for s in rights.sources))
    form = ImportUploadForm(request.POST or None, request.FILES or None, regions=regions, sources=sources,
                            initial={"source": default_source(request.user)})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        region = form.cleaned_data["region"]
        try:
            figure_import = services.figure_import_upload(
                acting_user=request.user, region=region, file_name=upload.name,
                content=upload.read(), source=form.cleaned_data["source"],
                all_provisional=form.cleaned_data["all_provisional"],
                allowed_sources=rights_by_region[region.pk].sources,
            )
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            fmt = form.cleaned_data.get("import_format")
            if fmt:
                rights = rights_by_region[region.pk]
                try:
                    services.figure_import_preview(figure_import=figure_import, rights=rights, mapping=fmt.mapping,
                                                   acting_user=request.user)
                    return redirect("reporting:import_detail", pk=figure_import.pk)
                except ValidationError:
                    messages.warning(request, _("The saved format does not fit this file; map the columns."))
            return redirect("reporting:import_mapping", pk=figure_import.pk)
    fetch_regions = _statline_regions(rights_by_region, regions)
    return render(request, "reporting/imports/import_upload.html", {
        **figures_nav(request, None, "import"), "form": form,
        "fetch_form": StatLineFetchForm(regions=fetch_regions, auto_id="fetch_%s") if fetch_regions.exists() else None})


def _statline_regions(rights_by_region, regions):
    """Regions where the user may fetch from CBS: those where they bring in Veilig Thuis figures (Veilig Thuis
    itself and the project leader), since the CBS tables are Veilig Thuis's registration."""
    return regions.filter(pk__in=[pk for pk, rights in rights_by_region.items()
                                  if FigureSource.VEILIG_THUIS in rights.sources])


@login_required
@require_POST
def statline_fetch(request):
    require_role(request.user)
    regions = selectors.regions_for_upload(request.user)
    fetch_regions = _statline_regions({r.pk: entry_rights(request.user, r) for r in regions}, regions)
    if not fetch_regions.exists():
        raise PermissionDenied
    form = StatLineFetchForm(request.POST, regions=fetch_regions)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("reporting:import_upload")
    try:
        figure_import = statline.cbs_sync(table=form.cleaned_data["table"], region=form.cleaned_data["region"],
                                          acting_user=request.user)
    except (statline.StatLineError, ValidationError) as error:
        for message in getattr(error, "messages", [str(error)]):
            messages.error(request, message)
        return redirect("reporting:import_upload")
    if figure_import is None:
        messages.info(request, _("CBS has not changed this table since the last fetch: there is nothing new."))
        return redirect("reporting:import_upload")
    return redirect("reporting:import_detail", pk=figure_import.pk)


def _may_change(user, figure_import) -> bool:
    """The uploader owns an import (also before its columns are mapped); the region's project leader may act too."""
    scope = scope_of(user)
    return (scope.is_superuser or figure_import.uploaded_by_id == user.pk
            or scope.is_project_leader_of(figure_import.region_id))


def _import_for_change(request, pk):
    figure_import = selectors.import_for(request.user, pk)
    if not _may_change(request.user, figure_import):
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
        figure_import.mapping or guess_mapping(figure_import.headers, {i.code: i.name for i in indicators},
                                               {i.code: i.cbs_key for i in indicators if i.cbs_key})
    )
    form = ImportMappingForm(request.POST or None, initial=initial, headers=figure_import.headers,
                             indicators=indicators)
    if request.method == "POST" and form.is_valid():
        result, _extra = save_with_form(request, form, lambda: services.figure_import_preview(
            figure_import=figure_import, rights=rights, mapping=form.mapping(), acting_user=request.user,
            save_format_as=form.cleaned_data["save_format_as"]))
        if result is not None:
            return redirect("reporting:import_detail", pk=figure_import.pk)
    try:
        headers, sample = read_sample(bytes(figure_import.content), figure_import.file_name)
    except FileError:
        headers, sample = figure_import.headers, []
    return render(request, "reporting/imports/import_mapping.html", {
        **figures_nav(request, None, "import"), "form": form, "figure_import": figure_import,
        "headers": headers, "sample": sample, "is_cbs": is_cbs_file(figure_import.headers)})


@login_required
def import_detail(request, pk: int):
    require_role(request.user)
    figure_import = selectors.import_for(request.user, pk)
    may_change = _may_change(request.user, figure_import)
    if figure_import.status == FigureImportStatus.UPLOADED and may_change:
        return redirect("reporting:import_mapping", pk=pk)
    show = request.GET.get("show")
    counts = selectors.row_counts(figure_import)
    if show not in counts:
        show = next((action for action, count in counts.items() if count), ImportRowAction.CREATE)
    page = selectors.import_rows_page(figure_import, show, request.GET.get("page"))
    tabs = [(action, ImportRowAction(action).label, count) for action, count in counts.items()]
    checks, check_count = total_check(figure_import)
    return render(request, "reporting/imports/import_detail.html", {
        **figures_nav(request, None, "imports"), "figure_import": figure_import, "tabs": tabs, "show": show,
        # The caption's label from the tab, not from the first row: that would run the rows query a second time.
        "page": page, "may_change": may_change, "show_label": ImportRowAction(show).label,
        "total_checks": checks, "total_check_count": check_count,
        "flags": quality_selectors.import_flags(figure_import) if figure_import.status == FigureImportStatus.PREVIEW
        else None,
        # Rows of a locked period carry the lock symbol (their reason says why); only a preview can still change.
        "locked": locks.locked_periods(figure_import.region_id) if figure_import.status == FigureImportStatus.PREVIEW
        else {},
    })


def _import_action(request, pk, service, success, **options):
    require_role(request.user)
    figure_import = _import_for_change(request, pk)
    try:
        service(figure_import=figure_import, acting_user=request.user, **options)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except services.ImportConflict as conflict:
        messages.error(request, _("%(reason)s Nothing has been written; upload the file again for a new preview.") % {
            "reason": conflict})
    else:
        messages.success(request, success)
    return redirect("reporting:import_detail", pk=figure_import.pk)


def _ask_first(request, pk, action):
    """Undo and discard show what they will remove and ask to confirm (GET); the POST acts."""
    require_role(request.user)
    figure_import = _import_for_change(request, pk)
    return render(request, "reporting/imports/import_ask.html", {
        **figures_nav(request, None, "imports"), "figure_import": figure_import, "action": action})


@login_required
@require_POST
def import_confirm(request, pk: int):
    return _import_action(request, pk, services.figure_import_confirm, _("The figures have been imported."),
                          leave_rejected=request.POST.get("leave_rejected") == "1",
                          explanation=request.POST.get("explanation", ""))


@login_required
@require_http_methods(["GET", "POST"])
def import_undo(request, pk: int):
    if request.method == "GET":
        return _ask_first(request, pk, "undo")
    return _import_action(request, pk, services.figure_import_undo, _("The import has been undone."))


@login_required
@require_http_methods(["GET", "POST"])
def import_discard(request, pk: int):
    if request.method == "GET":
        return _ask_first(request, pk, "discard")
    return _import_action(request, pk, services.figure_import_discard, _("The import has been discarded."))
