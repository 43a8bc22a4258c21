"""Pages of bottlenecks (knelpunten): filtered list, raise, detail with history, work out, escalate, decide, resolve."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from programme.access import require_regional_reader, scope_of
from programme.changelog import history_of
from programme.portal.editing import add_validation_errors, save_with_form
from reporting.bottlenecks import services
from reporting.bottlenecks.forms import (
    BottleneckCreateForm,
    BottleneckFilter,
    BottleneckForm,
    DecisionForm,
    ResolutionForm,
)
from reporting.bottlenecks.selectors import (
    action_lines_for_bottlenecks,
    bottleneck_for,
    bottleneck_list,
    measures_for_bottlenecks,
    organisations_of_programme_regions,
)
from reporting.models import Bottleneck, BottleneckStatus, Severity
from reporting.transitions import Done, Workflow, transition_view


def _access(request):
    require_regional_reader(request.user)


@login_required
def bottleneck_list_view(request):
    _access(request)
    action_lines = action_lines_for_bottlenecks(request.user)
    filterset = BottleneckFilter(request.GET or None, queryset=bottleneck_list(request.user), action_lines=action_lines)
    page = Paginator(filterset.qs, 50).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(request, "reporting/bottlenecks/bottleneck_list.html", {
        "filter": filterset, "page": page, "query": query.urlencode(),
    })


@login_required
def bottleneck_create_view(request):
    _access(request)
    form = BottleneckCreateForm(request.POST or None, measures=measures_for_bottlenecks(request.user),
                                action_lines=action_lines_for_bottlenecks(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            bottleneck = services.bottleneck_create(acting_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            messages.success(request, _("The bottleneck has been recorded."))
            return redirect("reporting:bottleneck_detail", pk=bottleneck.pk)
    return render(request, "reporting/bottlenecks/bottleneck_form.html", {"form": form, "title": _("New bottleneck")})


CHOICE_LABELS = {"status": dict(BottleneckStatus.choices), "severity": dict(Severity.choices)}


def _history(bottleneck) -> list[dict]:
    """The change log with field names and codes in the reader's language."""
    rows = []
    for record in history_of(bottleneck):
        changes = []
        for name, (before, after) in record.changes.items():
            if before in (None, "") and after in (None, ""):
                continue
            try:
                label = Bottleneck._meta.get_field(name).verbose_name
            except FieldDoesNotExist:
                label = name
            labels = CHOICE_LABELS.get(name, {})
            changes.append({"label": label, "before": labels.get(before, before), "after": labels.get(after, after)})
        rows.append({"record": record, "changes": changes})
    return rows


def _detail(request, bottleneck, **forms):
    return render(request, "reporting/bottlenecks/bottleneck_detail.html", {
        "bottleneck": bottleneck,
        "history": _history(bottleneck),
        "actions": services.available_actions(request.user, bottleneck),
        "decision_form": forms.get("decision_form") or DecisionForm(),
        "resolution_form": forms.get("resolution_form") or ResolutionForm(),
    })


@login_required
def bottleneck_detail_view(request, pk: int):
    _access(request)
    return _detail(request, bottleneck_for(user=request.user, pk=pk))


@login_required
def bottleneck_edit_view(request, pk: int):
    _access(request)
    bottleneck = bottleneck_for(user=request.user, pk=pk)
    if not scope_of(request.user).is_project_leader_of(bottleneck.programme.region_id):
        raise PermissionDenied
    if not services.can_edit(request.user, bottleneck):
        messages.error(request, _("A resolved bottleneck can no longer be changed."))
        return redirect("reporting:bottleneck_detail", pk=bottleneck.pk)
    form = BottleneckForm(
        request.POST or None, instance=bottleneck, measures=measures_for_bottlenecks(request.user),
        action_lines=action_lines_for_bottlenecks(request.user),
        organisations=organisations_of_programme_regions(request.user),
    )
    extra = {}
    if request.method == "POST" and form.is_valid():
        result, extra = save_with_form(request, form, lambda: services.bottleneck_update(
            bottleneck=bottleneck, acting_user=request.user, expected_version=form.cleaned_data.get("version"),
            **form.model_data(),
        ))
        if result is not None:
            messages.success(request, _("The bottleneck has been saved."))
            return redirect("reporting:bottleneck_detail", pk=bottleneck.pk)
    return render(request, "reporting/bottlenecks/bottleneck_form.html", {
        "form": form, "title": _("Edit bottleneck"), "bottleneck": bottleneck, **extra,
    })


BOTTLENECK_WORKFLOW = Workflow(
    fetch=bottleneck_for,
    access=_access,
    detail=_detail,
    detail_url="reporting:bottleneck_detail",
    conflict_message=gettext_lazy("Someone else changed this bottleneck a moment ago; check it and try again."),
)


def _project_leader(user, bottleneck) -> bool:
    return scope_of(user).is_project_leader_of(bottleneck.programme.region_id)


def _steering_group(user, bottleneck) -> bool:
    return scope_of(user).is_steering_group_of(bottleneck.programme.region_id)


@login_required
@require_POST
def bottleneck_escalate_view(request, pk: int):
    def perform(bottleneck, data):
        services.bottleneck_escalate(bottleneck=bottleneck, acting_user=request.user)
        return Done(_("The bottleneck has been escalated to the steering group."))

    return transition_view(request, pk, workflow=BOTTLENECK_WORKFLOW, allowed=_project_leader, perform=perform)


@login_required
@require_POST
def bottleneck_decide_view(request, pk: int):
    def perform(bottleneck, data):
        services.bottleneck_decide(bottleneck=bottleneck, acting_user=request.user, decision=data["decision"])
        return Done(_("The decision has been recorded."))

    return transition_view(request, pk, workflow=BOTTLENECK_WORKFLOW, allowed=_steering_group,
                           form_class=DecisionForm, form_key="decision_form", perform=perform)


@login_required
@require_POST
def bottleneck_resolve_view(request, pk: int):
    def perform(bottleneck, data):
        services.bottleneck_resolve(bottleneck=bottleneck, acting_user=request.user, resolution=data["resolution"])
        return Done(_("The bottleneck has been resolved."))

    return transition_view(request, pk, workflow=BOTTLENECK_WORKFLOW, allowed=_project_leader,
                           form_class=ResolutionForm, form_key="resolution_form", perform=perform)
