"""Pages of the framework: home, programmes with action lines, goals and themes, organisations."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from . import services
from .access import (
    action_lines_visible_to,
    can_edit_framework,
    goals_visible_to,
    organisations_visible_to,
    programmes_visible_to,
    require_role,
    scope_of,
    themes_visible_to,
)
from .forms import ActionLineForm, GoalForm, ThemeForm
from .models import Indicator, Role
from .portal.editing import save_with_form
from .portal.extensions import goal_actuals, home_sections, organisation_sections, render_sections
from .selectors import organisation_list as select_organisations
from .selectors import programme_list as select_programmes
from .selectors import programme_with_framework, regional_programme_for


@login_required
def home(request):
    scope = scope_of(request.user)
    context = {
        "has_role": scope.has_any_role,
        "role_labels": sorted({Role(role).label for role in scope.roles}, key=str),
        "memberships": request.user.memberships.select_related("organisation", "organisation__region"),
        "regional_programme": regional_programme_for(user=request.user) if scope.has_any_role else None,
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
    return render(request, "programme/programme_list.html", {"programmes": select_programmes(user=request.user)})


@login_required
def programme_detail(request, pk: int):
    require_role(request.user)
    programme = programme_with_framework(user=request.user, pk=pk)
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
    organisations = list(select_organisations(user=request.user))
    return render(request, "programme/organisation_list.html", {"organisations": organisations})


@login_required
def organisation_detail(request, pk: int):
    require_role(request.user)
    organisation = get_object_or_404(
        organisations_visible_to(request.user).select_related("region").prefetch_related("populations"), pk=pk
    )
    return render(
        request,
        "programme/organisation_detail.html",
        {
            "organisation": organisation,
            "populations": sorted(organisation.populations.all(), key=lambda p: -p.year),
            "sections": render_sections(organisation_sections, request, organisation),
        },
    )


class FrameworkItemView(View):
    """Create or edit an action line, goal or theme: readable by the region, editable by its project leader.

    Subclasses say which parent or item they fetch (scoped to the user) and which service they call.
    """

    form_class = None
    template_name = "programme/framework_form.html"
    title = ""

    def get_target(self, request, pk):  # -> (programme, instance or None, parent)
        raise NotImplementedError

    def call_service(self, *, form, parent, instance, user):
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        require_role(request.user)
        self.programme, self.instance, self.parent = self.get_target(request, kwargs["pk"])
        if not can_edit_framework(request.user, self.programme):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def make_form(self, data=None):
        form = self.form_class(data=data, instance=self.instance)
        if "indicator" in form.fields:
            form.fields["indicator"].queryset = Indicator.objects.order_by("name")
        return form

    def render_form(self, request, form, extra=None):
        context = {"form": form, "programme": self.programme, "title": self.title, "instance": self.instance}
        context.update(extra or {})
        return render(request, self.template_name, context)

    def get(self, request, pk):
        return self.render_form(request, self.make_form())

    def post(self, request, pk):
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_form(request, form)
        result, extra = save_with_form(
            request,
            form,
            lambda: self.call_service(form=form, parent=self.parent, instance=self.instance, user=request.user),
        )
        if result is None:
            return self.render_form(request, form, extra)
        return redirect("programme:programme_detail", pk=self.programme.pk)


class ActionLineCreateView(FrameworkItemView):
    form_class = ActionLineForm
    title = _("New action line")

    def get_target(self, request, pk):
        programme = get_object_or_404(programmes_visible_to(request.user), pk=pk)
        return programme, None, programme

    def call_service(self, *, form, parent, instance, user):
        data = form.model_data()
        return services.action_line_create(programme=parent, acting_user=user, **data)


class ActionLineUpdateView(FrameworkItemView):
    form_class = ActionLineForm
    title = _("Edit action line")

    def get_target(self, request, pk):
        action_line = get_object_or_404(action_lines_visible_to(request.user).select_related("programme"), pk=pk)
        return action_line.programme, action_line, None

    def call_service(self, *, form, parent, instance, user):
        return services.action_line_update(
            action_line=instance, acting_user=user, expected_version=form.cleaned_data.get("version"),
            **form.model_data(),
        )


class GoalCreateView(FrameworkItemView):
    form_class = GoalForm
    title = _("New goal")

    def get_target(self, request, pk):
        action_line = get_object_or_404(action_lines_visible_to(request.user).select_related("programme"), pk=pk)
        return action_line.programme, None, action_line

    def call_service(self, *, form, parent, instance, user):
        return services.goal_create(action_line=parent, acting_user=user, **form.model_data())


class GoalUpdateView(FrameworkItemView):
    form_class = GoalForm
    title = _("Edit goal")

    def get_target(self, request, pk):
        goal = get_object_or_404(goals_visible_to(request.user).select_related("action_line__programme"), pk=pk)
        return goal.action_line.programme, goal, None

    def call_service(self, *, form, parent, instance, user):
        return services.goal_update(
            goal=instance, acting_user=user, expected_version=form.cleaned_data.get("version"), **form.model_data()
        )


class ThemeCreateView(FrameworkItemView):
    form_class = ThemeForm
    title = _("New theme")

    def get_target(self, request, pk):
        action_line = get_object_or_404(action_lines_visible_to(request.user).select_related("programme"), pk=pk)
        return action_line.programme, None, action_line

    def call_service(self, *, form, parent, instance, user):
        return services.theme_create(action_line=parent, acting_user=user, **form.model_data())


class ThemeUpdateView(FrameworkItemView):
    form_class = ThemeForm
    title = _("Edit theme")

    def get_target(self, request, pk):
        theme = get_object_or_404(themes_visible_to(request.user).select_related("action_line__programme"), pk=pk)
        return theme.action_line.programme, theme, None

    def call_service(self, *, form, parent, instance, user):
        return services.theme_update(
            theme=instance, acting_user=user, expected_version=form.cleaned_data.get("version"), **form.model_data()
        )
