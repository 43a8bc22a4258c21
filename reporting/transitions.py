"""One way to run a workflow step from a POST, shared by the report steps and the bottleneck steps.

A step view is configuration: how to fetch the record in the user's scope, who may take the step, which form
holds its comment, and which service takes it. This module does the rest the same way for every step: a 404
for what is out of scope, a 403 for who may not, the form's errors on the detail page, a service's refusal or
a concurrent change as a message, and a redirect to the detail page (or where the step leads).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect

from programme.changelog import ConcurrentEditError
from programme.portal.editing import add_validation_errors


@dataclass(frozen=True)
class Done:
    """What a step that went through tells the user, and where it leads (by default the detail page)."""

    message: str
    redirect_to: str | None = None


@dataclass(frozen=True)
class Workflow:
    """What every step of one kind of record shares: how it is fetched, shown and linked to."""

    fetch: Callable  # fetch(user=, pk=): the record through the selector scoped to the user, else Http404
    access: Callable  # access(request): the room's own check before anything is fetched; raises PermissionDenied
    detail: Callable  # detail(request, record, **forms): the detail page with the given step forms in it
    detail_url: str  # URL name of the detail page, taking the record's pk
    conflict_message: str  # shown when someone else changed the record between reading and writing


def transition_view(
    request,
    pk: int,
    *,
    workflow: Workflow,
    allowed: Callable[[object, object], bool],
    perform: Callable[[object, dict], Done],
    form_class: type[forms.Form] | None = None,
    form_key: str = "",
) -> HttpResponse:
    """Take one workflow step for the record `pk`.

    `allowed(user, record)` says whether the user may take this step (else 403); `perform(record, cleaned_data)`
    calls the service and returns what to tell the user. Errors a service puts on the step form's own fields are
    shown next to them on the detail page (`form_key` names the form in its context); any other refusal becomes
    a message on the detail page.
    """
    workflow.access(request)
    record = workflow.fetch(user=request.user, pk=pk)
    if not allowed(request.user, record):
        raise PermissionDenied
    form = form_class(request.POST) if form_class is not None else None
    if form is not None and not form.is_valid():
        return workflow.detail(request, record, **{form_key: form})
    try:
        done = perform(record, form.cleaned_data if form is not None else {})
    except ValidationError as error:
        if form is not None and hasattr(error, "error_dict") and set(error.error_dict) & set(form.fields):
            add_validation_errors(form, error)
            return workflow.detail(request, record, **{form_key: form})
        for message in error.messages:
            messages.error(request, message)
    except ConcurrentEditError:
        messages.error(request, workflow.conflict_message)
    else:
        messages.success(request, done.message)
        if done.redirect_to:
            return redirect(done.redirect_to)
    return redirect(workflow.detail_url, pk=record.pk)
