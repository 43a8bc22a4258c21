"""Pages of progress reports: list, start, write, the workflow steps, print view and the national questionnaire."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from programme import calendar
from programme.access import require_role, scope_of
from programme.portal.editing import add_validation_errors, save_with_form
from programme.portal.spreadsheets import workbook_response
from reporting.reports import services
from reporting.reports.content import content_for_viewer, questionnaire, report_content
from reporting.reports.exports import questionnaire_workbook
from reporting.reports.forms import ApproveForm, NewVersionForm, ReportCreateForm, ReportForm, ReturnForm, SubmitForm
from reporting.reports.selectors import (
    action_lines_of,
    newer_version_of,
    open_return,
    programmes_reported_by,
    report_for,
    report_list,
    report_transitions,
    submit_note,
)
from reporting.transitions import Done, Workflow, transition_view


def _create_form(request, data=None):
    programmes = programmes_reported_by(request.user)
    if not programmes.exists():
        return None
    return ReportCreateForm(data, programmes=programmes, periods=calendar.started_periods())


@login_required
def report_list_view(request):
    require_role(request.user)
    scope = scope_of(request.user)
    # The national team reads every region's reports: pages of 50 keep the list quick at national scale.
    page = Paginator(report_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "reporting/reports/report_list.html", {
        "reports": page.object_list,
        "page": page,
        "create_form": _create_form(request),
        "is_national_only": scope.is_national_team and not scope.region_ids,
    })


@login_required
@require_POST
def report_create_view(request):
    require_role(request.user)
    form = _create_form(request, request.POST)
    if form is None:
        raise PermissionDenied
    if form.is_valid():
        try:
            report = services.report_create(programme=form.cleaned_data["programme"],
                                            period=form.cleaned_data["period"], acting_user=request.user)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("The report has been started, pre-filled from the current data."))
            return redirect("reporting:report_edit", pk=report.pk)
    return render(request, "reporting/reports/report_list.html", {
        "reports": report_list(user=request.user), "create_form": form,
    }, status=200)


def sees_workflow(user, report) -> bool:
    """Whether the viewer may see the region's own workflow of a report: who submitted, returned or approved
    it with which comments, why a new version was opened, and that a newer (draft) version exists.

    The national team reads approved reports only; the workflow around them is internal to the region.
    """
    scope = scope_of(user)
    return scope.is_superuser or report.programme.region_id in scope.region_ids


def _detail_context(request, report, **forms) -> dict:
    content = content_for_viewer(report_content(report), user=request.user, region_id=report.programme.region_id)
    actions = services.available_actions(request.user, report)
    internal = sees_workflow(request.user, report)
    transitions = report_transitions(report) if internal else []
    return {
        "sees_workflow": internal,
        "report": report,
        "content": content,
        "transitions": transitions,
        "open_return": open_return(transitions),
        "submit_note": submit_note(transitions) if report.status == "submitted" else None,
        "actions": actions,
        "submit_form": forms.get("submit_form") or SubmitForm(),
        "return_form": forms.get("return_form") or ReturnForm(),
        "approve_form": forms.get("approve_form") or ApproveForm(),
        "new_version_form": forms.get("new_version_form") or NewVersionForm(),
        "newer_version": newer_version_of(report) if internal else None,
    }


def _detail(request, report, **forms):
    return render(request, "reporting/reports/report_detail.html", _detail_context(request, report, **forms))


@login_required
def report_detail_view(request, pk: int):
    require_role(request.user)
    return _detail(request, report_for(user=request.user, pk=pk))


@login_required
def report_print_view(request, pk: int):
    require_role(request.user)
    report = report_for(user=request.user, pk=pk)
    content = content_for_viewer(report_content(report), user=request.user, region_id=report.programme.region_id)
    internal = sees_workflow(request.user, report)
    return render(request, "reporting/reports/report_print.html", {
        "report": report, "content": content, "sees_workflow": internal,
        "transitions": report_transitions(report) if internal else [],
    })


@login_required
def report_edit_view(request, pk: int):
    require_role(request.user)
    report = report_for(user=request.user, pk=pk)
    if not services.has_role(request.user, report, services.PROJECT_LEADER):
        raise PermissionDenied
    if not report.is_editable:
        messages.error(request, _("This report is %(status)s and can no longer be edited.")
                       % {"status": report.get_status_display()})
        return redirect("reporting:report_detail", pk=report.pk)
    form = ReportForm(request.POST or None, report=report, action_lines=action_lines_of(report))
    extra = {}
    if request.method == "POST" and form.is_valid():
        result, extra = save_with_form(request, form, lambda: services.report_update(
            report=report,
            acting_user=request.user,
            expected_version=form.cleaned_data.get("version"),
            summary=form.cleaned_data["summary"],
            lessons_learned=form.cleaned_data["lessons_learned"],
            narratives=form.narratives(),
        ))
        if result is not None:
            messages.success(request, _("The draft has been saved."))
            return redirect("reporting:report_detail", pk=report.pk)
    content = content_for_viewer(report_content(report), user=request.user, region_id=report.programme.region_id)
    lines = [(line, form.narrative_field(line), content_line)
             for line, content_line in zip(form.action_lines, content["action_lines"], strict=False)]
    return render(request, "reporting/reports/report_form.html", {
        "report": report, "form": form, "lines": lines, "content": content, **extra,
    })


REPORT_WORKFLOW = Workflow(
    fetch=report_for,
    access=lambda request: require_role(request.user),
    detail=_detail,
    detail_url="reporting:report_detail",
    conflict_message=gettext_lazy("Someone else changed the status of this report a moment ago; reload the page."),
)


def _may(role: str):
    return lambda user, report: services.has_role(user, report, role)


@login_required
@require_POST
def report_submit_view(request, pk: int):
    def perform(report, data):
        services.report_submit(report=report, acting_user=request.user, comment=data["comment"])
        return Done(_("The report has been submitted to the steering group."))

    return transition_view(request, pk, workflow=REPORT_WORKFLOW, allowed=_may(services.TRANSITIONS["submit"].role),
                           form_class=SubmitForm, form_key="submit_form", perform=perform)


@login_required
@require_POST
def report_return_view(request, pk: int):
    def perform(report, data):
        services.report_return(report=report, acting_user=request.user, comment=data["comment"])
        return Done(_("The report has been returned to the project leader."))

    return transition_view(request, pk, workflow=REPORT_WORKFLOW, allowed=_may(services.TRANSITIONS["return"].role),
                           form_class=ReturnForm, form_key="return_form", perform=perform)


@login_required
@require_POST
def report_approve_view(request, pk: int):
    def perform(report, data):
        services.report_approve(report=report, acting_user=request.user, comment=data["comment"])
        return Done(_("The report has been approved."))

    return transition_view(request, pk, workflow=REPORT_WORKFLOW, allowed=_may(services.TRANSITIONS["approve"].role),
                           form_class=ApproveForm, form_key="approve_form", perform=perform)


@login_required
@require_POST
def report_new_version_view(request, pk: int):
    def perform(report, data):
        new = services.report_new_version(report=report, acting_user=request.user, reason=data["reason"])
        return Done(_("Version %(revision)s has been opened as a draft; the approved version is kept.")
                    % {"revision": new.revision}, redirect_to=reverse("reporting:report_edit", args=[new.pk]))

    return transition_view(request, pk, workflow=REPORT_WORKFLOW, allowed=_may(services.PROJECT_LEADER),
                           form_class=NewVersionForm, form_key="new_version_form", perform=perform)


@login_required
def report_questionnaire_view(request, pk: int):
    require_role(request.user)
    report = report_for(user=request.user, pk=pk)
    content = content_for_viewer(report_content(report), user=request.user, region_id=report.programme.region_id)
    return render(request, "reporting/reports/report_questionnaire.html", {
        "report": report, "lines": questionnaire(content),
    })


@login_required
def report_questionnaire_export_view(request, pk: int) -> HttpResponse:
    require_role(request.user)
    report = report_for(user=request.user, pk=pk)
    content = content_for_viewer(report_content(report), user=request.user, region_id=report.programme.region_id)
    workbook = questionnaire_workbook(report, questionnaire(content))
    filename = f"vragenlijst-{report.programme.region.code}-{report.period.code}-v{report.revision}.xlsx"
    return workbook_response(workbook, filename)
