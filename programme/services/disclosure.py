"""The national disclosure settings: the small-number threshold and each indicator's switch.

Only a functional administrator (a superuser) changes them, and every change goes to the audit log: a
project leader switching off the protection of a shared indicator would show every region's 1-4 values to
the national team.
"""

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import transaction

from programme.changelog import ChangeAction, record_change
from programme.models import DisclosureSettings, Indicator
from programme.portal.audit import audit

THRESHOLD_CACHE_KEY = "disclosure-threshold"
# Each process keeps the threshold this long at most; the service clears it on a change (at once for a shared
# cache such as Redis, and for the saving process with the per-process one).
THRESHOLD_CACHE_SECONDS = 60


def disclosure_threshold() -> int:
    """The national threshold: the settings row, else the installation's default (SMALL_NUMBER_THRESHOLD)."""
    threshold = cache.get(THRESHOLD_CACHE_KEY)
    if threshold is None:
        row = DisclosureSettings.objects.order_by("pk").values_list("threshold", flat=True).first()
        threshold = row if row is not None else settings.SMALL_NUMBER_THRESHOLD
        cache.set(THRESHOLD_CACHE_KEY, threshold, THRESHOLD_CACHE_SECONDS)
    return threshold


def _require_functional_administrator(user) -> None:
    if not (user and user.is_active and user.is_superuser):
        audit("disclosure_change_refused", user=user)
        raise PermissionDenied


@transaction.atomic
def disclosure_settings_update(*, acting_user, threshold: int) -> DisclosureSettings:
    _require_functional_administrator(acting_user)
    row = DisclosureSettings.objects.select_for_update().order_by("pk").first() or DisclosureSettings()
    before = row.threshold if row.pk else settings.SMALL_NUMBER_THRESHOLD
    row.threshold = threshold
    row.full_clean()
    row.save()
    transaction.on_commit(lambda: cache.delete(THRESHOLD_CACHE_KEY))
    cache.delete(THRESHOLD_CACHE_KEY)
    record_change(instance=row, action=ChangeAction.UPDATE, acting_user=acting_user,
                  changes={"threshold": [before, threshold]})
    audit("disclosure_threshold_changed", user=acting_user, before=before, after=threshold)
    return row


@transaction.atomic
def indicator_suppression_update(*, indicator: Indicator, acting_user, suppress: bool) -> Indicator:
    """Switch the small-number protection of one indicator on or off, for every region."""
    _require_functional_administrator(acting_user)
    before = Indicator.objects.select_for_update().values_list("suppress_small_numbers", flat=True).get(
        pk=indicator.pk)
    indicator.suppress_small_numbers = suppress
    indicator.full_clean()
    indicator.save(update_fields=["suppress_small_numbers", "updated_at"])
    if before != suppress:
        record_change(instance=indicator, action=ChangeAction.UPDATE, acting_user=acting_user,
                      changes={"suppress_small_numbers": [before, suppress]})
        audit("disclosure_switch_changed", user=acting_user, indicator=indicator.code, before=before,
              after=suppress)
    return indicator
