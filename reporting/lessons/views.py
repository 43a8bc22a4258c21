"""Pages of lessons learned: the region's list (the national team: the shared lessons of every region), record, edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from programme import calendar
from programme.access import require_role
from programme.portal.editing import save_with_form
from reporting.lessons import services
from reporting.lessons.forms import LessonForm
from reporting.lessons.selectors import lesson_for, lesson_list, measures_for_lessons
from reporting.reports.selectors import programmes_reported_by


@login_required
def lesson_list_view(request):
    require_role(request.user)
    page = Paginator(lesson_list(request.user), 50).get_page(request.GET.get("pagina"))
    return render(request, "reporting/lessons/lesson_list.html", {
        "page": page, "can_create": programmes_reported_by(request.user).exists(),
    })


def _form(request, instance=None):
    programmes = programmes_reported_by(request.user)
    if not programmes.exists():
        raise PermissionDenied
    initial = {} if instance else {"period": calendar.current_quarter()}
    return LessonForm(
        request.POST or None, instance=instance, initial=initial, programmes=programmes,
        periods=calendar.started_periods(), measures=measures_for_lessons(request.user),
    )


@login_required
def lesson_create_view(request):
    require_role(request.user)
    form = _form(request)
    if request.method == "POST" and form.is_valid():
        result, _extra = save_with_form(request, form, lambda: services.lesson_create(
            acting_user=request.user, **form.model_data()))
        if result is not None:
            messages.success(request, _("The lesson has been recorded."))
            return redirect("reporting:lesson_list")
    return render(request, "reporting/lessons/lesson_form.html", {"form": form, "title": _("New lesson learned")})


@login_required
def lesson_edit_view(request, pk: int):
    require_role(request.user)
    lesson = lesson_for(user=request.user, pk=pk)
    if not services.can_write_lessons(request.user, lesson.programme):
        raise PermissionDenied
    form = _form(request, instance=lesson)
    extra = {}
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.model_data().items() if k != "programme"}
        result, extra = save_with_form(request, form, lambda: services.lesson_update(
            lesson=lesson, acting_user=request.user, expected_version=form.cleaned_data.get("version"), **data))
        if result is not None:
            messages.success(request, _("The lesson has been saved."))
            return redirect("reporting:lesson_list")
    return render(request, "reporting/lessons/lesson_form.html", {
        "form": form, "title": _("Edit lesson learned"), "lesson": lesson, **extra,
    })
