"""Pages of the framework: home, programmes with action lines, goals and themes, organisations."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from . import selectors
from .access import can_edit_framework, require_role, scope_of
from .forms import ActionLineForm, GoalForm, ThemeForm
from .models import Role
from .portal.editing import form_page
from .portal.extensions import goal_actuals, home_sections, organisation_sections, render_sections
from .services import framework as services


@login_required
def home(request):
    scope = scope_of(request.user)
    context = {
        "has_role": scope.has_any_role,
        "role_labels": sorted({Role(role).label for role in scope.roles}, key=str),
        "memberships": selectors.memberships_of(user=request.user),
        "regional_programme": selectors.regional_programme_for(user=request.user) if scope.has_any_role else None,
        "is_project_leader": bool(scope.region_ids_with_role(Role.PROJECT_LEADER)),
        "is_steering_group": bool(scope.region_ids_with_role(Role.STEERING_GROUP)),
        "is_adviser": bool(scope.organisation_ids_with_role(Role.POLICY_ADVISER)),
        "is_national_team": scope.is_national_team,
        "sections": render_sections(home_sections, request) if scope.has_any_role else [],
    }
    return render(request, "programme/home.html", context)


@login_required
def programme_list(request):
    require_role(request.user)
    return render(request, "programme/programme_list.html", {"programmes": selectors.programme_list(user=request.user)})


@login_required
def programme_detail(request, pk: int):
    require_role(request.user)
    programme = selectors.programme_with_framework(user=request.user, pk=pk)
    goals = [goal for line in programme.action_lines.all() for goal in line.goals.all()]
    actuals = goal_actuals(request, goals)
    for goal in goals:
        goal.actual = actuals.get(goal.pk)
    return render(
        request,
        "programme/programme_detail.html",
        {
            "programme": programme,
            "can_edit": can_edit_framework(request.user, programme),
            "show_actuals": bool(actuals),
        },
    )


@login_required
def organisation_list(request):
    require_role(request.user)
    organisations = list(selectors.organisation_list(user=request.user))
    return render(request, "programme/organisation_list.html", {"organisations": organisations})


@login_required
def organisation_detail(request, pk: int):
    require_role(request.user)
    organisation = selectors.organisation_detail(user=request.user, pk=pk)
    return render(
        request,
        "programme/organisation_detail.html",
        {
            "organisation": organisation,
            "populations": sorted(organisation.populations.all(), key=lambda p: -p.year),
            "sections": render_sections(organisation_sections, request, organisation),
        },
    )


def _framework_form(request, *, programme, instance, form_class, title: str, save):
    """The form page the six views below share: for the framework's editor only.

    `save(form)` calls the service; its validation errors and edit conflicts show on the page, a save returns
    to the programme (without a message: the changed framework is what the user sees there).
    """
    if not can_edit_framework(request.user, programme):
        raise PermissionDenied
    form = form_class(request.POST if request.method == "POST" else None, instance=instance)
    if "indicator" in form.fields:
        form.fields["indicator"].queryset = selectors.indicator_choices()
    return form_page(
        request, form, template="programme/framework_form.html",
        context={"programme": programme, "title": title, "instance": instance},
        save=lambda: save(form),
        redirect_to=reverse("programme:programme_detail", kwargs={"pk": programme.pk}),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_line_create(request, pk: int):
    require_role(request.user)
    programme = selectors.programme_for_edit(user=request.user, pk=pk)
    return _framework_form(
        request, programme=programme, instance=None, form_class=ActionLineForm, title=_("New action line"),
        save=lambda form: services.action_line_create(
            programme=programme, acting_user=request.user, **form.model_data()
        ),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def action_line_update(request, pk: int):
    require_role(request.user)
    action_line = selectors.action_line_for_edit(user=request.user, pk=pk)
    return _framework_form(
        request, programme=action_line.programme, instance=action_line, form_class=ActionLineForm,
        title=_("Edit action line"),
        save=lambda form: services.action_line_update(
            action_line=action_line, acting_user=request.user, expected_version=form.cleaned_data.get("version"),
            **form.model_data(),
        ),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def goal_create(request, pk: int):
    require_role(request.user)
    action_line = selectors.action_line_for_edit(user=request.user, pk=pk)
    return _framework_form(
        request, programme=action_line.programme, instance=None, form_class=GoalForm, title=_("New goal"),
        save=lambda form: services.goal_create(action_line=action_line, acting_user=request.user, **form.model_data()),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def goal_update(request, pk: int):
    require_role(request.user)
    goal = selectors.goal_for_edit(user=request.user, pk=pk)
    return _framework_form(
        request, programme=goal.action_line.programme, instance=goal, form_class=GoalForm, title=_("Edit goal"),
        save=lambda form: services.goal_update(
            goal=goal, acting_user=request.user, expected_version=form.cleaned_data.get("version"),
            **form.model_data(),
        ),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def theme_create(request, pk: int):
    require_role(request.user)
    action_line = selectors.action_line_for_edit(user=request.user, pk=pk)
    return _framework_form(
        request, programme=action_line.programme, instance=None, form_class=ThemeForm, title=_("New theme"),
        save=lambda form: services.theme_create(action_line=action_line, acting_user=request.user, **form.model_data()),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def theme_update(request, pk: int):
    require_role(request.user)
    theme = selectors.theme_for_edit(user=request.user, pk=pk)
    return _framework_form(
        request, programme=theme.action_line.programme, instance=theme, form_class=ThemeForm, title=_("Edit theme"),
        save=lambda form: services.theme_update(
            theme=theme, acting_user=request.user, expected_version=form.cleaned_data.get("version"),
            **form.model_data(),
        ),
    )
