"""Writes of indicators: what is measured, in which unit, how it aggregates and who supplies it."""

from django.db import transaction

from programme.changelog import ChangeAction, claim_version, diff, record_change, snapshot
from programme.models import Indicator

INDICATOR_FIELDS = [
    "code", "name", "description", "unit", "periodicity", "aggregation_over_organisations", "aggregation_over_time",
    "higher_is_better", "suppress_small_numbers", "supplier_kinds",
]


@transaction.atomic
def indicator_create(*, acting_user, **data) -> Indicator:
    indicator = Indicator(**{k: v for k, v in data.items() if k in INDICATOR_FIELDS})
    indicator.full_clean()
    indicator.save()
    record_change(
        instance=indicator, action=ChangeAction.CREATE, acting_user=acting_user,
        changes=diff({}, snapshot(indicator, INDICATOR_FIELDS)),
    )
    return indicator


@transaction.atomic
def indicator_update(*, indicator: Indicator, acting_user, expected_version: int | None, **data) -> Indicator:
    before = snapshot(indicator, INDICATOR_FIELDS)
    for name, value in data.items():
        if name in INDICATOR_FIELDS:
            setattr(indicator, name, value)
    indicator.full_clean()
    claim_version(indicator, expected_version)
    indicator.save(update_fields=[*INDICATOR_FIELDS, "updated_at"])
    record_change(
        instance=indicator, action=ChangeAction.UPDATE, acting_user=acting_user,
        changes=diff(before, snapshot(indicator, INDICATOR_FIELDS)),
    )
    return indicator
