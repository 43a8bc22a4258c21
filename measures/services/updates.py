"""Progress updates of a measure, one per period; the measure's status, health and progress follow the latest."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from programme import calendar
from programme.changelog import ChangeAction, claim_version, diff, record_change, snapshot
from programme.models import ReportingPeriod

from ..models import UPDATE_STATUSES, Measure, MeasureStatus, MeasureUpdate

UPDATE_FIELDS = ["period", "status", "health", "progress", "narrative", "spent", "next_steps"]
CURRENT_STATE_FIELDS = ["status", "health", "progress"]


def _validate_update(update: MeasureUpdate) -> None:
    errors = {}
    if update.measure.status in (MeasureStatus.PROPOSED, MeasureStatus.REJECTED):
        errors["__all__"] = [_("Progress can be reported once the project leader has accepted the measure.")]
    if update.status and update.status not in UPDATE_STATUSES:
        errors["status"] = [_("Choose planned, in progress, completed, stopped or on hold.")]
    if update.period_id and update.period.start_date > calendar.today():
        errors["period"] = [_("This period has not started yet.")]
    elif update.period_id:
        others = MeasureUpdate.objects.filter(measure=update.measure, period=update.period).exclude(pk=update.pk)
        if others.exists():
            # Checked here so the message lands next to the period instead of above the form.
            raise ValidationError({"period": _("This measure already has an update for this period; edit that one.")})
    try:
        update.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)


def _sync_current_state(*, measure: Measure, acting_user) -> None:
    """The measure's status, health and progress are those of its latest update (by period)."""
    latest = measure.updates.select_related("period").order_by("-period__start_date").first()
    if latest is None:
        return
    before = snapshot(measure, CURRENT_STATE_FIELDS)
    measure.status, measure.health, measure.progress = latest.status, latest.health, latest.progress
    changes = diff(before, snapshot(measure, CURRENT_STATE_FIELDS))
    if changes:
        measure.save(update_fields=[*CURRENT_STATE_FIELDS, "updated_at"])
        record_change(
            instance=measure, action=ChangeAction.TRANSITION, acting_user=acting_user, changes=changes,
            region=measure.programme.region_id, comment=str(latest.period),
        )


@transaction.atomic
def measure_update_post(
    *,
    measure: Measure,
    acting_user,
    period: ReportingPeriod,
    status: str,
    health: str,
    progress: int,
    narrative: str,
    spent: Decimal = Decimal("0"),
    next_steps: str = "",
) -> MeasureUpdate:
    """Post the owner's report for one period; the measure's current state follows in the same transaction."""
    update = MeasureUpdate(
        measure=measure, period=period, status=status, health=health, progress=progress, narrative=narrative,
        spent=spent, next_steps=next_steps, author=acting_user,
    )
    _validate_update(update)
    update.save()
    record_change(
        instance=update, action=ChangeAction.CREATE, acting_user=acting_user, region=measure.programme.region_id,
        changes=diff({}, snapshot(update, UPDATE_FIELDS)),
    )
    _sync_current_state(measure=measure, acting_user=acting_user)
    return update


@transaction.atomic
def measure_update_edit(*, update: MeasureUpdate, acting_user, expected_version: int | None, **data) -> MeasureUpdate:
    before = snapshot(MeasureUpdate.objects.get(pk=update.pk), UPDATE_FIELDS)
    for name in UPDATE_FIELDS:
        if name in data:
            setattr(update, name, data[name])
    _validate_update(update)
    claim_version(update, expected_version)
    update.save(update_fields=[*UPDATE_FIELDS, "updated_at"])
    record_change(
        instance=update, action=ChangeAction.UPDATE, acting_user=acting_user, region=update.measure.programme.region_id,
        changes=diff(before, snapshot(MeasureUpdate.objects.get(pk=update.pk), UPDATE_FIELDS)),
    )
    _sync_current_state(measure=update.measure, acting_user=acting_user)
    return update
