"""Writes of period locks: lock on approval (or again by hand), unlock with a reason; each logged and audited."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programme.models import Region, ReportingPeriod
from programme.portal.audit import audit
from reporting.locks.access import may_unlock
from reporting.models import PeriodLock
from reporting.notifications import mail as notifications


@transaction.atomic
def period_lock(*, region: Region, period: ReportingPeriod, acting_user, report=None) -> PeriodLock:
    """Lock the region's figures of `period`. Called by the report's approval (with the report), or by the project
    leader to lock a period again after a correction. A period that is locked already stays as it is."""
    if report is None and not may_unlock(acting_user, region.pk):
        raise PermissionDenied(_("Only the project leader of the region can lock or unlock its periods."))
    existing = PeriodLock.objects.filter(region=region, period=period, unlocked_at__isnull=True).first()
    if existing is not None:
        return existing
    lock = PeriodLock(region=region, period=period, report=report, locked_by=acting_user)
    lock.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            lock.save()
    except IntegrityError:  # locked a moment ago by someone else
        return PeriodLock.objects.get(region=region, period=period, unlocked_at__isnull=True)
    audit("period_locked", user=acting_user, lock_id=lock.pk, region_id=region.pk, period_id=period.pk,
          report_id=getattr(report, "pk", None))
    return lock


@transaction.atomic
def period_unlock(*, lock: PeriodLock, acting_user, reason: str) -> PeriodLock:
    """Unlock with a reason: who, when and why stay on the lock's row; the steering group is told by mail."""
    if not may_unlock(acting_user, lock.region_id):
        raise PermissionDenied(_("Only the project leader of the region can lock or unlock its periods."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the period is unlocked; the steering group is told.")})
    now = timezone.now()
    # Compare-and-swap: of two unlocks at once, only the first one applies (and mails).
    updated = PeriodLock.objects.filter(pk=lock.pk, unlocked_at__isnull=True).update(
        unlocked_at=now, unlocked_by=acting_user, unlock_reason=reason)
    if not updated:
        raise ValidationError(_("This period has been unlocked already."))
    lock.refresh_from_db()
    audit("period_unlocked", user=acting_user, lock_id=lock.pk, region_id=lock.region_id, period_id=lock.period_id)
    transaction.on_commit(lambda: notifications.period_unlocked(lock))
    return lock
