"""The page of a region's locked periods: the history of every lock, and the project leader's unlock."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from programme.access import require_role
from reporting.figures.selectors import history_region_for
from reporting.figures.views import figures_nav
from reporting.locks import selectors, services
from reporting.locks.access import may_unlock
from reporting.locks.forms import UnlockForm
from reporting.locks.rules import active_locks


@login_required
def lock_list(request, region: int, form=None, form_lock=None):
    require_role(request.user)
    region = history_region_for(request.user, region)
    locks = list(selectors.lock_history(region))
    active_periods = {lock.period_id for lock in locks if lock.is_active}
    return render(request, "reporting/locks/lock_list.html", {
        **figures_nav(request, region, "locks"), "locks": locks, "active_periods": active_periods,
        "may_unlock": may_unlock(request.user, region.pk), "form": form, "form_lock": form_lock,
    })


@login_required
@require_POST
def lock_unlock(request, region: int, pk: int):
    require_role(request.user)
    region = history_region_for(request.user, region)
    lock = selectors.lock_for(region, pk)
    if not may_unlock(request.user, region.pk):
        raise PermissionDenied
    form = UnlockForm(request.POST)
    if not form.is_valid():
        return lock_list(request, region.pk, form=form, form_lock=lock.pk)
    try:
        services.period_unlock(lock=lock, acting_user=request.user, reason=form.cleaned_data["reason"])
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The figures of %(period)s have been unlocked; the steering group is told by "
                                    "mail.") % {"period": lock.period.label})
    return redirect("reporting:lock_list", region=region.pk)


@login_required
@require_POST
def lock_again(request, region: int, pk: int):
    """Lock a period again after a correction, from a lock of its history."""
    require_role(request.user)
    region = history_region_for(request.user, region)
    lock = selectors.lock_for(region, pk)
    if not may_unlock(request.user, region.pk):
        raise PermissionDenied
    if active_locks(region.pk).filter(period=lock.period_id).exists():
        messages.info(request, _("This period is locked already."))
    else:
        services.period_lock(region=region, period=lock.period, acting_user=request.user)
        messages.success(request, _("The figures of %(period)s are locked again.") % {"period": lock.period.label})
    return redirect("reporting:lock_list", region=region.pk)
