"""Pages of the measures: thin views that check access, validate a form, call one service and render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from programme import calendar
from programme.access import require_regional_reader
from programme.changelog import ChangeAction
from programme.portal.editing import form_page
from programme.portal.spreadsheets import workbook_response

from . import exports, selectors
from .access import (
    can_assess_measure,
    can_edit_measure,
    can_read_history,
    require_edit,
)
from .forms import AssessmentForm, DeleteForm, MeasureForm, MeasureUpdateForm, ParticipationForm
from .models import MeasureStatus
from .services import assessments as assessment_services
from .services import measures as measure_services
from .services import participations as participation_services
from .services import updates as update_services

PAGE_SIZE = 25


@login_required
def measure_list(request):
    require_regional_reader(request.user)
    measure_filter = selectors.measure_filter(user=request.user, params=request.GET)
    page = Paginator(measure_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return render(request, "measures/measure_list.html", {
        "filter": measure_filter,
        "page": page,
        "query": params.urlencode(),
        "can_create": selectors.creatable_programmes(user=request.user).exists(),
    })


@login_required
def measure_export(request, fmt: str):
    require_regional_reader(request.user)
    measures = selectors.measures_for_export(user=request.user, params=request.GET)
    file_name = f"maatregelen-{calendar.today().isoformat()}.{fmt}"
    if fmt == "xlsx":
        return workbook_response(exports.to_xlsx(measures), file_name)
    if fmt != "csv":
        raise Http404
    response = HttpResponse(exports.to_csv(measures), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response


def _detail_context(request, measure, tab: str) -> dict:
    return {
        "measure": measure,
        "tab": tab,
        "can_edit": can_edit_measure(request.user, measure),
        "can_assess": can_assess_measure(request.user, measure) and measure.status == MeasureStatus.PROPOSED,
        "can_read_history": can_read_history(request.user, measure),
        "can_report": can_edit_measure(request.user, measure)
        and measure.status not in (MeasureStatus.PROPOSED, MeasureStatus.REJECTED)
        and not measure.is_archived,
    }


@login_required
def measure_detail(request, pk: int):
    require_regional_reader(request.user)
    measure = selectors.measure_detail(user=request.user, pk=pk)
    context = _detail_context(request, measure, "overview")
    context.update({
        "spent": selectors.spent_of(measure),
        "phases": selectors.participation_phases(measure),
        "assessment": selectors.latest_assessment(measure),
    })
    return render(request, "measures/measure_detail.html", context)


@login_required
def measure_history(request, pk: int):
    require_regional_reader(request.user)
    measure = selectors.measure_for_edit(user=request.user, pk=pk)
    if not can_read_history(request.user, measure):
        raise PermissionDenied
    context = _detail_context(request, measure, "history")
    context["entries"] = selectors.measure_history(measure)
    return render(request, "measures/measure_history.html", context)


def _detail_url(pk: int) -> str:
    return reverse("measures:measure_detail", kwargs={"pk": pk})


def _editable_measure(request, pk: int):
    """The measure an edit page is about: 403 without a regional role, 404 when out of scope or not editable."""
    require_regional_reader(request.user)
    measure = selectors.measure_for_edit(user=request.user, pk=pk)
    require_edit(request.user, measure)
    return measure


@login_required
def measure_create(request):
    require_regional_reader(request.user)
    programmes = list(selectors.creatable_programmes(user=request.user))
    if not programmes:
        raise PermissionDenied
    # A region has one current regional programme; new measures go to the newest one the user works in.
    programme = programmes[0]
    owners = selectors.owner_choices(user=request.user, programme=programme)
    form = MeasureForm(request.POST or None, programme=programme, owners=owners, with_participants=True)
    if len(owners) == 1 and not form.is_bound:
        form.initial["owner"] = owners[0].pk
    return form_page(
        request, form, template="measures/measure_form.html",
        context={"programme": programme, "title": _("New measure")},
        save=lambda: measure_services.measure_create(
            programme=programme, acting_user=request.user, **form.model_data()
        ),
        success_message=_("The measure has been saved as a proposal for the project leader."),
        redirect_to=lambda measure: _detail_url(measure.pk),
    )


@login_required
def measure_update(request, pk: int):
    measure = _editable_measure(request, pk)
    owners = selectors.owner_choices_for_edit(user=request.user, measure=measure)
    form = MeasureForm(
        request.POST or None, instance=measure, programme=measure.programme, owners=owners, with_participants=False
    )
    return form_page(
        request, form, template="measures/measure_form.html",
        context={"programme": measure.programme, "measure": measure, "title": _("Edit measure")},
        save=lambda: measure_services.measure_update(
            measure=measure, acting_user=request.user, expected_version=form.cleaned_data.get("version"),
            **form.model_data(),
        ),
        success_message=_("Your changes have been saved."),
        redirect_to=_detail_url(measure.pk),
    )


@login_required
def measure_delete(request, pk: int):
    measure = _editable_measure(request, pk)
    if measure.is_archived:
        messages.info(request, _("This measure has already been archived."))
        return redirect("measures:measure_detail", pk=measure.pk)
    form = DeleteForm(request.POST or None, initial={"version": measure.version})
    # A measure with progress updates is archived instead, so its history stays; the service decides.
    outcomes = {
        ChangeAction.ARCHIVE: (_("The measure has been archived; its updates and history are kept."), _detail_url(pk)),
        ChangeAction.DELETE: (_("The measure has been deleted."), reverse("measures:measure_list")),
    }
    return form_page(
        request, form, template="measures/measure_confirm_delete.html",
        context={"measure": measure, "has_updates": selectors.measure_has_updates(measure)},
        save=lambda: measure_services.measure_delete(
            measure=measure, acting_user=request.user, expected_version=form.cleaned_data.get("version"),
        ),
        success_message=lambda action: outcomes[action][0],
        redirect_to=lambda action: outcomes[action][1],
    )


@login_required
def measure_assess(request, pk: int):
    require_regional_reader(request.user)
    measure = selectors.measure_for_edit(user=request.user, pk=pk)
    if not can_assess_measure(request.user, measure):
        raise PermissionDenied
    if measure.status != MeasureStatus.PROPOSED:
        messages.info(request, _("This measure has already been assessed."))
        return redirect("measures:measure_detail", pk=measure.pk)
    goals = selectors.assessment_goals(measure=measure)
    form = AssessmentForm(request.POST or None, goals=goals, initial={"version": measure.version})
    return form_page(
        request, form, template="measures/measure_assess.html", context={"measure": measure},
        save=lambda: assessment_services.assessment_create(
            measure=measure, acting_user=request.user, decision=form.cleaned_data["decision"],
            reasons=form.cleaned_data["reasons"], contributions=form.contributions(),
            expected_version=form.cleaned_data.get("version"),
        ),
        success_message=_("The assessment has been saved."),
        redirect_to=_detail_url(measure.pk),
    )


def _update_saved(request):
    """The success message of a progress update, with a warning when its period lies outside the measure's run
    (a quarter after the end is accepted, as late reporting happens, but not without a word)."""
    def message(update) -> str:
        measure, period = update.measure, update.period
        if measure.end_date and period.start_date > measure.end_date:
            messages.warning(request, _("%(period)s starts after this measure ended on %(end)s. Check the period, "
                                        "or the end date of the measure.")
                             % {"period": period.label, "end": date_format(measure.end_date, "j F Y")})
        elif measure.start_date and period.end_date < measure.start_date:
            messages.warning(request, _("%(period)s ended before this measure started on %(start)s. Check the "
                                        "period, or the start date of the measure.")
                             % {"period": period.label, "start": date_format(measure.start_date, "j F Y")})
        return _("The progress update has been saved.")
    return message


@login_required
def update_create(request, pk: int):
    measure = _editable_measure(request, pk)
    periods = selectors.reportable_periods(measure=measure)
    form = MeasureUpdateForm(request.POST or None, periods=periods)
    if not form.is_bound:
        form.initial.update(selectors.new_update_initial(measure=measure, periods=periods))
    return form_page(
        request, form, template="measures/update_form.html",
        context={"measure": measure, "title": _("New progress update")},
        save=lambda: update_services.measure_update_post(
            measure=measure, acting_user=request.user, **form.model_data()
        ),
        success_message=_update_saved(request),
        redirect_to=_detail_url(measure.pk),
    )


@login_required
def update_edit(request, pk: int):
    require_regional_reader(request.user)
    update = selectors.update_for_edit(user=request.user, pk=pk)
    measure = update.measure
    require_edit(request.user, measure)
    form = MeasureUpdateForm(request.POST or None, instance=update, periods=selectors.reportable_periods(
        measure=measure))
    return form_page(
        request, form, template="measures/update_form.html",
        context={"measure": measure, "title": _("Edit progress update"), "update": update},
        save=lambda: update_services.measure_update_edit(
            update=update, acting_user=request.user, expected_version=form.cleaned_data.get("version"),
            **form.model_data(),
        ),
        success_message=_update_saved(request),
        redirect_to=_detail_url(measure.pk),
    )


@login_required
def participation_create(request, pk: int):
    measure = _editable_measure(request, pk)
    form = ParticipationForm(request.POST or None, region_id=measure.programme.region_id)
    return form_page(
        request, form, template="measures/participation_form.html",
        context={"measure": measure, "title": _("Add a participating organisation")},
        save=lambda: participation_services.participation_add(
            measure=measure, acting_user=request.user, **form.model_data()
        ),
        success_message=_("The participation has been saved."),
        redirect_to=_detail_url(measure.pk),
    )


def _editable_participation(request, pk: int):
    require_regional_reader(request.user)
    participation = selectors.participation_for_edit(user=request.user, pk=pk)
    require_edit(request.user, participation.measure)
    return participation


@login_required
def participation_update(request, pk: int):
    participation = _editable_participation(request, pk)
    measure = participation.measure
    form = ParticipationForm(
        request.POST or None, instance=participation, region_id=measure.programme.region_id, editing=True
    )
    title = _("Change participation of %(organisation)s") % {"organisation": participation.organisation.name}
    return form_page(
        request, form, template="measures/participation_form.html",
        context={"measure": measure, "participation": participation, "title": title},
        save=lambda: participation_services.participation_update(
            participation=participation, acting_user=request.user,
            expected_version=form.cleaned_data.get("version"), **form.model_data(),
        ),
        success_message=_("The participation has been saved."),
        redirect_to=_detail_url(measure.pk),
    )


@login_required
def participation_delete(request, pk: int):
    participation = _editable_participation(request, pk)
    measure = participation.measure
    if request.method == "POST":
        participation_services.participation_remove(participation=participation, acting_user=request.user)
        messages.success(request, _("The participation has been removed."))
        return redirect("measures:measure_detail", pk=measure.pk)
    return render(request, "measures/participation_confirm_delete.html",
                  {"measure": measure, "participation": participation})


@login_required
def funding_home(request):
    """The funding page of the user's own region (the first one, if they work in several)."""
    require_regional_reader(request.user)
    region = selectors.funding_home_region(user=request.user)
    if region is None:
        raise Http404
    return redirect("measures:funding", pk=region.pk)


@login_required
def funding(request, pk: int):
    require_regional_reader(request.user)
    region = selectors.funding_region(user=request.user, pk=pk)
    overview = selectors.funding_overview(region_id=region.pk)
    return render(request, "measures/funding.html", {"region": region, **overview})
