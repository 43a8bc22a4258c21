"""Pages of a team's self-scan: fill in, submit, return, new version, the Excel form, points to improve."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programme.access import require_role
from programme.changelog import ConcurrentEditError
from programme.models import Organisation
from programme.portal.editing import add_validation_errors, save_with_form
from programme.portal.spreadsheets import workbook_response
from reporting import charts as shared_charts
from reporting.models import ScanStatus
from reporting.selfscans import access, excel, selectors, services
from reporting.selfscans import charts as scan_charts
from reporting.selfscans.forms import (
    CreateMeasureForm,
    ImprovementForm,
    LinkMeasureForm,
    NewVersionForm,
    ReturnForm,
    ScanForm,
    UploadForm,
)

UPLOAD_SALT = "selfscan-upload"


def add_error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@login_required
@require_POST
def scan_create(request, pk: int):
    require_role(request.user)
    framework = selectors.framework_for(user=request.user, pk=pk)
    municipality = get_object_or_404(Organisation, pk=request.POST.get("municipality") or 0,
                                     region_id=framework.region_id)
    if not access.edits_scan_of(request.user, municipality.pk):
        raise PermissionDenied
    try:
        scan = services.scan_create(framework=framework, municipality=municipality, acting_user=request.user)
    except ValidationError as error:
        add_error_messages(request, error)
        return redirect("reporting:selfscan_framework", pk=framework.pk)
    messages.success(request, _("The scan has been started as a draft."))
    return redirect("reporting:selfscan_edit", pk=scan.pk)


def _detail_context(request, scan, **forms) -> dict:
    full = access.reads_full_scan(request.user, scan)
    answers = selectors.scan_answers(scan)
    transitions = selectors.scan_transitions(scan)
    editor = access.edits_scan_of(request.user, scan.municipality_id)
    leader = access.is_project_leader(request.user, scan.framework.region_id)
    linker = full and access.links_improvements(request.user, scan)
    comparison = selectors.team_comparison(scan)
    chart = scan_charts.team_chart(
        key="team", title=_("Average per theme"), themes=comparison["themes"], own=comparison["own"],
        region=comparison["region"], previous=comparison["previous"],
        own_name=_("%(municipality)s %(year)s") % {"municipality": scan.municipality.name,
                                                    "year": scan.framework.year},
        region_name=_("Region average %(year)s") % {"year": scan.framework.year},
        previous_name=(_("%(municipality)s %(year)s") % {"municipality": scan.municipality.name,
                                                          "year": comparison["previous_year"]}
                       if comparison["previous_year"] else None))
    context = {
        "scan": scan,
        "full": full,
        "themes": selectors.answers_by_theme(answers),
        "transitions": transitions if full else [],
        "open_return": selectors.open_return(transitions) if full else None,
        "improvements": selectors.scan_improvements(scan) if full else [],
        "chart": shared_charts.chart_context(chart),
        "can_edit": editor and scan.is_editable,
        "can_submit": editor and scan.is_editable,
        "can_return": leader and scan.status == ScanStatus.SUBMITTED,
        "can_new_version": editor and scan.status == ScanStatus.SUBMITTED,
        "can_link": linker,
        "newer_version": selectors.newer_version_of(scan),
        "return_form": forms.get("return_form") or ReturnForm(),
        "new_version_form": forms.get("new_version_form") or NewVersionForm(),
    }
    if editor and scan.is_editable:
        context["improvement_form"] = forms.get("improvement_form") or ImprovementForm(
            criteria=scan.framework.criteria.all())
    if linker:
        from measures.selectors import creatable_programmes, owner_choices

        context["link_form"] = LinkMeasureForm(measures=selectors.measure_choices(scan))
        programmes = [p for p in creatable_programmes(user=request.user) if p.region_id == scan.framework.region_id]
        if programmes:
            context["measure_programme"] = programmes[0]
            context["measure_action_lines"] = programmes[0].action_lines.order_by("number")
            context["measure_owners"] = owner_choices(user=request.user, programme=programmes[0])
    return context


@login_required
def scan_detail(request, pk: int):
    require_role(request.user)
    scan = selectors.scan_for(user=request.user, pk=pk)
    return render(request, "reporting/selfscans/scan_detail.html", _detail_context(request, scan))


def _editor_scan(request, pk):
    require_role(request.user)
    scan = selectors.scan_for(user=request.user, pk=pk)
    if not access.edits_scan_of(request.user, scan.municipality_id):
        raise PermissionDenied
    return scan


@login_required
def scan_edit(request, pk: int):
    scan = _editor_scan(request, pk)
    if not scan.is_editable:
        messages.error(request, _("This scan is %(status)s and can no longer be edited.")
                       % {"status": scan.get_status_display()})
        return redirect("reporting:selfscan_detail", pk=scan.pk)
    answers = selectors.scan_answers(scan)
    form = ScanForm(request.POST or None, scan=scan, answers=answers)
    extra = {}
    if request.method == "POST" and form.is_valid():
        result, extra = save_with_form(request, form, lambda: services.scan_update(
            scan=scan, acting_user=request.user, expected_version=form.cleaned_data.get("version"),
            strengths=form.cleaned_data["strengths"], answers=form.answer_data()))
        if result is not None:
            if "submit" in request.POST:
                try:
                    services.scan_submit(scan=result, acting_user=request.user)
                except ValidationError as error:
                    add_error_messages(request, error)
                    return redirect("reporting:selfscan_edit", pk=scan.pk)
                messages.success(request, _("The scan has been submitted."))
            else:
                messages.success(request, _("The draft has been saved."))
            return redirect("reporting:selfscan_detail", pk=scan.pk)
    return render(request, "reporting/selfscans/scan_form.html", {"scan": scan, "form": form, **extra})


@login_required
@require_POST
def scan_submit(request, pk: int):
    scan = _editor_scan(request, pk)
    try:
        services.scan_submit(scan=scan, acting_user=request.user)
    except ValidationError as error:
        add_error_messages(request, error)
    else:
        messages.success(request, _("The scan has been submitted."))
    return redirect("reporting:selfscan_detail", pk=scan.pk)


@login_required
@require_POST
def scan_return(request, pk: int):
    require_role(request.user)
    scan = selectors.scan_for(user=request.user, pk=pk)
    if not access.is_project_leader(request.user, scan.framework.region_id):
        raise PermissionDenied
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.scan_return(scan=scan, acting_user=request.user, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            add_error_messages(request, error)
        else:
            messages.success(request, _("The scan has been returned to the team."))
        return redirect("reporting:selfscan_detail", pk=scan.pk)
    return render(request, "reporting/selfscans/scan_detail.html", _detail_context(request, scan, return_form=form))


@login_required
@require_POST
def scan_new_version(request, pk: int):
    scan = _editor_scan(request, pk)
    form = NewVersionForm(request.POST)
    if form.is_valid():
        try:
            new = services.scan_new_version(scan=scan, acting_user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_error_messages(request, error)
            return redirect("reporting:selfscan_detail", pk=scan.pk)
        messages.success(request, _("Version %(revision)s has been opened as a draft; the submitted version is kept.")
                         % {"revision": new.revision})
        return redirect("reporting:selfscan_edit", pk=new.pk)
    return render(request, "reporting/selfscans/scan_detail.html",
                  _detail_context(request, scan, new_version_form=form))


@login_required
def scan_form_download(request, pk: int):
    """The scan as an Excel form: empty for a new scan, with its saved answers otherwise (full readers only)."""
    require_role(request.user)
    scan = selectors.scan_for(user=request.user, pk=pk)
    if not access.reads_full_scan(request.user, scan):
        raise Http404
    workbook = excel.scan_form_workbook(framework=scan.framework, municipality=scan.municipality,
                                        answers=selectors.scan_answers(scan), strengths=scan.strengths,
                                        improvements=[i.text for i in selectors.scan_improvements(scan)])
    return workbook_response(workbook, f"zelfscan-{scan.municipality.name.lower()}-{scan.framework.year}.xlsx")


@login_required
def scan_upload(request, pk: int):
    """Upload a filled-in form: validated, shown as a preview, and saved only on confirmation."""
    scan = _editor_scan(request, pk)
    if not scan.is_editable:
        messages.error(request, _("This scan is %(status)s and can no longer be edited.")
                       % {"status": scan.get_status_display()})
        return redirect("reporting:selfscan_detail", pk=scan.pk)
    context = {"scan": scan, "form": UploadForm()}
    if request.method == "POST" and "payload" in request.POST:
        try:
            payload = signing.loads(request.POST["payload"], salt=UPLOAD_SALT, max_age=3600)
        except signing.BadSignature:
            messages.error(request, _("The preview has expired; upload the file again."))
            return redirect("reporting:selfscan_upload", pk=scan.pk)
        if payload.get("scan") != scan.pk:
            raise PermissionDenied
        answers, strengths, improvements = excel.decode_answers(payload)
        try:
            services.scan_import(scan=scan, acting_user=request.user, expected_version=payload.get("version"),
                                 strengths=strengths or scan.strengths, answers=answers, improvements=improvements)
        except ValidationError as error:
            add_error_messages(request, error)
        except ConcurrentEditError:
            messages.error(request, _("Someone else saved this scan after your upload; upload the file again."))
        else:
            messages.success(request, _("The answers from the Excel form have been saved in the draft."))
            return redirect("reporting:selfscan_detail", pk=scan.pk)
        return redirect("reporting:selfscan_upload", pk=scan.pk)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            parsed = excel.parse_scan_form(form.cleaned_data["file"].read(), framework=scan.framework,
                                           municipality=scan.municipality)
            context["parsed"] = parsed
            if parsed.is_valid:
                context["payload"] = signing.dumps({"scan": scan.pk, "version": scan.version,
                                                    **excel.encode_answers(parsed)}, salt=UPLOAD_SALT)
    return render(request, "reporting/selfscans/scan_upload.html", context)


@login_required
@require_POST
def improvement_add(request, pk: int):
    scan = _editor_scan(request, pk)
    form = ImprovementForm(request.POST, criteria=scan.framework.criteria.all())
    if form.is_valid():
        try:
            services.improvement_add(scan=scan, acting_user=request.user, text=form.cleaned_data["text"],
                                     criterion=form.cleaned_data["criterion"])
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("The point to improve has been added."))
            return redirect("reporting:selfscan_detail", pk=scan.pk)
    return render(request, "reporting/selfscans/scan_detail.html",
                  _detail_context(request, scan, improvement_form=form))


@login_required
@require_POST
def improvement_remove(request, pk: int):
    require_role(request.user)
    improvement = selectors.improvement_for(user=request.user, pk=pk)
    if not access.edits_scan_of(request.user, improvement.scan.municipality_id):
        raise PermissionDenied
    try:
        services.improvement_remove(improvement=improvement, acting_user=request.user)
    except ValidationError as error:
        add_error_messages(request, error)
    return redirect("reporting:selfscan_detail", pk=improvement.scan_id)


def _linker_improvement(request, pk):
    require_role(request.user)
    improvement = selectors.improvement_for(user=request.user, pk=pk)
    if not access.links_improvements(request.user, improvement.scan):
        raise PermissionDenied
    return improvement


@login_required
@require_POST
def improvement_link(request, pk: int):
    improvement = _linker_improvement(request, pk)
    form = LinkMeasureForm(request.POST, measures=selectors.measure_choices(improvement.scan))
    if form.is_valid():
        try:
            services.improvement_link_measure(improvement=improvement, measure=form.cleaned_data["measure"],
                                              acting_user=request.user)
        except ValidationError as error:
            add_error_messages(request, error)
        else:
            messages.success(request, _("The link to the measure has been saved."))
    else:
        messages.error(request, _("Choose a measure of the region."))
    return redirect("reporting:selfscan_detail", pk=improvement.scan_id)


@login_required
def improvement_measure(request, pk: int):
    """Turn a point to improve into a new regional measure, pre-filled from the scan and linked to it."""
    from measures.selectors import creatable_programmes, owner_choices

    improvement = _linker_improvement(request, pk)
    scan = improvement.scan
    programmes = [p for p in creatable_programmes(user=request.user) if p.region_id == scan.framework.region_id]
    if not programmes:
        raise PermissionDenied
    programme = programmes[0]
    owners = owner_choices(user=request.user, programme=programme)
    initial = {"title": improvement.text[:300]}
    if scan.municipality in owners:
        initial["owner"] = scan.municipality.pk
    form = CreateMeasureForm(request.POST or None, action_lines=programme.action_lines.order_by("number"),
                             owners=owners, initial=initial)
    if request.method == "POST" and form.is_valid():
        description = _("Point to improve from the self-scan %(year)s of %(municipality)s: %(text)s") % {
            "year": scan.framework.year, "municipality": scan.municipality.name, "text": improvement.text}
        try:
            improvement = services.improvement_create_measure(
                improvement=improvement, acting_user=request.user, programme=programme,
                title=form.cleaned_data["title"], action_line=form.cleaned_data["action_line"],
                owner=form.cleaned_data["owner"], description=description)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("The measure has been created as a proposal and linked to the point to "
                                        "improve."))
            return redirect("measures:measure_detail", pk=improvement.measure_id)
    return render(request, "reporting/selfscans/improvement_measure.html",
                  {"improvement": improvement, "scan": scan, "form": form, "programme": programme})
