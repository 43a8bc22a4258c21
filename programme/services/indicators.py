"""Writes of indicators: what is measured, in which unit, how it aggregates and who supplies it."""

from django.db import transaction

from programme.changelog import ChangeAction, claim_version, diff, record_change, snapshot
from programme.models import Indicator, IndicatorUnit
from programme.portal.audit import audit

# Not the small-number switch: that is a national setting (programme.services.disclosure).
INDICATOR_FIELDS = [
    "code", "name", "description", "unit", "periodicity", "aggregation_over_organisations", "aggregation_over_time",
    "higher_is_better", "supplier_kinds", "cbs_key", "minimum", "maximum", "whole_numbers", "check_outliers",
]
# The validation rule between indicators: set after the indicator is saved (a many-to-many relation).
RELATION_FIELDS = ["not_above_sum_of"]


def _set_relations(indicator: Indicator, data: dict) -> None:
    if "not_above_sum_of" in data:
        indicator.not_above_sum_of.set([i for i in data["not_above_sum_of"] if i.pk != indicator.pk])


@transaction.atomic
def indicator_create(*, acting_user, **data) -> Indicator:
    indicator = Indicator(**{k: v for k, v in data.items() if k in INDICATOR_FIELDS})
    # A new count is protected; only a functional administrator can switch that off.
    indicator.suppress_small_numbers = indicator.unit == IndicatorUnit.COUNT
    indicator.full_clean()
    indicator.save()
    _set_relations(indicator, data)
    record_change(
        instance=indicator, action=ChangeAction.CREATE, acting_user=acting_user,
        changes=diff({}, snapshot(indicator, [*INDICATOR_FIELDS, *RELATION_FIELDS, "suppress_small_numbers"])),
    )
    audit("indicator_created", user=acting_user, indicator=indicator.code,
          suppress_small_numbers=indicator.suppress_small_numbers)
    return indicator


@transaction.atomic
def indicator_update(*, indicator: Indicator, acting_user, expected_version: int | None, **data) -> Indicator:
    before = snapshot(indicator, [*INDICATOR_FIELDS, *RELATION_FIELDS])
    for name, value in data.items():
        if name in INDICATOR_FIELDS:
            setattr(indicator, name, value)
    indicator.full_clean()
    claim_version(indicator, expected_version)
    indicator.save(update_fields=[*INDICATOR_FIELDS, "updated_at"])
    _set_relations(indicator, data)
    changes = diff(before, snapshot(indicator, [*INDICATOR_FIELDS, *RELATION_FIELDS]))
    record_change(instance=indicator, action=ChangeAction.UPDATE, acting_user=acting_user, changes=changes)
    audit("indicator_changed", user=acting_user, indicator=indicator.code, fields=sorted(changes))
    return indicator
