"""Pages of bottlenecks (knelpunten): filtered list, raise, detail with history, work out, escalate, decide, resolve."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programme.access import require_regional_reader, scope_of
from programme.changelog import ConcurrentEditError, history_of
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
    bottlenecks_visible_to,
    measures_for_bottlenecks,
    organisations_of_programme_regions,
)
from reporting.models import Bottleneck, BottleneckStatus, Severity


def _access(request):
    require_regional_reader(request.user)


@login_required
def bottleneck_list_view(request):
    _access(request)
    action_lines = action_lines_for_bottlenecks(request.user)
    filterset = BottleneckFilter(request.GET or None, queryset=bottlenecks_visible_to(request.user),
                                 action_lines=action_lines)
    page = Paginator(filterset.qs.order_by("-created_at", "-pk"), 50).get_page(request.GET.get("pagina"))
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


def _step_view(request, pk, *, allowed, form_class=None, form_key="", call):
    _access(request)
    bottleneck = bottleneck_for(user=request.user, pk=pk)
    if not allowed(scope_of(request.user), bottleneck.programme.region_id):
        raise PermissionDenied
    form = form_class(request.POST) if form_class else None
    if form is None or form.is_valid():
        try:
            call(bottleneck, form.cleaned_data if form else {})
        except ValidationError as error:
            if form is not None and hasattr(error, "error_dict") and set(error.error_dict) & set(form.fields):
                add_validation_errors(form, error)
                return _detail(request, bottleneck, **{form_key: form})
            for message in error.messages:
                messages.error(request, message)
        except ConcurrentEditError:
            messages.error(request, _("Someone else changed this bottleneck a moment ago; check it and try again."))
        return redirect("reporting:bottleneck_detail", pk=bottleneck.pk)
    return _detail(request, bottleneck, **{form_key: form})


@login_required
@require_POST
def bottleneck_escalate_view(request, pk: int):
    def call(bottleneck, data):
        services.bottleneck_escalate(bottleneck=bottleneck, acting_user=request.user)
        messages.success(request, _("The bottleneck has been escalated to the steering group."))

    return _step_view(request, pk, allowed=lambda scope, region: scope.is_project_leader_of(region), call=call)


@login_required
@require_POST
def bottleneck_decide_view(request, pk: int):
    def call(bottleneck, data):
        services.bottleneck_decide(bottleneck=bottleneck, acting_user=request.user, decision=data["decision"])
        messages.success(request, _("The decision has been recorded."))

    return _step_view(request, pk, allowed=lambda scope, region: scope.is_steering_group_of(region),
                      form_class=DecisionForm, form_key="decision_form", call=call)


@login_required
@require_POST
def bottleneck_resolve_view(request, pk: int):
    def call(bottleneck, data):
        services.bottleneck_resolve(bottleneck=bottleneck, acting_user=request.user, resolution=data["resolution"])
        messages.success(request, _("The bottleneck has been resolved."))

    return _step_view(request, pk, allowed=lambda scope, region: scope.is_project_leader_of(region),
                      form_class=ResolutionForm, form_key="resolution_form", call=call)
