"""Shared handling of a form save through a service: validation errors onto fields, conflicts shown, not lost.

Used by the edit views of every app so that "someone else changed it first" looks and works the same
everywhere.
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..changelog import ConcurrentEditError


def add_validation_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names (or on the form as a whole)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields and field != NON_FIELD_ERRORS else None
            for item in errors:
                form.add_error(target, item)
    else:
        for message in error.messages:
            form.add_error(None, message)


def conflict_rows(form, current) -> list[dict]:
    """Per form field whose saved value differs from what the user submitted: label, saved, yours."""
    rows = []
    for name, field in form.fields.items():
        if name == "version" or name not in form.cleaned_data:
            continue
        yours = form.cleaned_data.get(name)
        saved = getattr(current, name, None)
        if hasattr(saved, "all"):
            saved_display = ", ".join(str(obj) for obj in saved.all())
            yours_display = ", ".join(str(obj) for obj in (yours or []))
            differs = {o.pk for o in saved.all()} != {o.pk for o in (yours or [])}
        else:
            saved_display = "" if saved is None else str(saved)
            yours_display = "" if yours is None else str(yours)
            differs = saved_display != yours_display
        if differs:
            rows.append({"label": field.label, "saved": saved_display, "yours": yours_display})
    return rows


def save_with_form(request, form, save) -> tuple[object | None, dict]:
    """Run `save()` (a service call) for a valid form.

    Returns (result, extra_context). On a validation error the errors land on the form; on a
    concurrent edit the form keeps the user's input, its version moves to the saved one (so saving
    again deliberately applies the user's values) and the context shows what the other person changed.
    """
    try:
        return save(), {}
    except ValidationError as error:
        add_validation_errors(form, error)
        return None, {}
    except ConcurrentEditError as conflict:
        data = form.data.copy()
        data["version"] = str(conflict.current.version)
        form.data = data
        last = conflict.last_change
        messages.error(
            request,
            _(
                "Someone else saved this record after you opened it, so your changes have not been saved. "
                "Your input is kept below: check the differences and save again to apply it."
            ),
        )
        return None, {
            "conflict": {
                "rows": conflict_rows(form, conflict.current),
                "by": (last.user.get_full_name() or last.user.username) if last and last.user else "",
                "at": last.timestamp if last else None,
            }
        }


def form_page(
    request,
    form,
    *,
    template: str,
    context: dict | None = None,
    save: Callable[[], Any],
    redirect_to: str | Callable[[Any], str],
    success_message: str | Callable[[Any], str] = "",
) -> HttpResponse:
    """The page of one form whose save is one service call: the block every edit view would otherwise repeat.

    On a POST with a valid form, `save()` runs through save_with_form; when it returns a result the
    success message is shown and the user is sent to `redirect_to`. Both may be a function of the
    result, for the services whose outcome decides where to go (a created record, delete or archive).
    Otherwise the template is rendered with the form, `context` and any conflict to show.
    """
    context = {"form": form, **(context or {})}
    if request.method == "POST" and form.is_valid():
        result, extra = save_with_form(request, form, save)
        if result is not None:
            message = success_message(result) if callable(success_message) else success_message
            if message:
                messages.success(request, message)
            return redirect(redirect_to(result) if callable(redirect_to) else redirect_to)
        context.update(extra)
    return render(request, template, context)
