"""Writes to the regional framework: one function per use case, each in one transaction with its log entry."""

from django.db import transaction

from programme.changelog import ChangeAction, claim_version, diff, record_change, snapshot
from programme.models import ActionLine, Goal, Programme, Theme

ACTION_LINE_FIELDS = ["number", "name", "description"]


THEME_FIELDS = ["name", "description"]


GOAL_FIELDS = [
    "code",
    "title",
    "description",
    "baseline",
    "baseline_year",
    "target",
    "direction",
    "unit",
    "deadline",
    "indicator",
]


def _create(*, instance, fields, acting_user, region_id):
    instance.full_clean()
    instance.save()
    record_change(
        instance=instance,
        action=ChangeAction.CREATE,
        acting_user=acting_user,
        changes=diff({}, snapshot(instance, fields)),
        region=region_id,
    )
    return instance


def _update(*, instance, fields, data, expected_version, acting_user, region_id):
    # A ModelForm has already written the new values onto `instance`: "before" comes from the database.
    before = snapshot(type(instance).objects.get(pk=instance.pk), fields)
    for name, value in data.items():
        if name in fields:
            setattr(instance, name, value)
    instance.full_clean()
    claim_version(instance, expected_version)
    instance.save(update_fields=[*fields, "updated_at"])
    changes = diff(before, snapshot(instance, fields))
    record_change(
        instance=instance, action=ChangeAction.UPDATE, acting_user=acting_user, changes=changes, region=region_id
    )
    return instance


@transaction.atomic
def action_line_create(
    *, programme: Programme, acting_user, number: int, name: str, description: str = ""
) -> ActionLine:
    action_line = ActionLine(programme=programme, number=number, name=name, description=description)
    return _create(
        instance=action_line, fields=ACTION_LINE_FIELDS, acting_user=acting_user, region_id=programme.region_id
    )


@transaction.atomic
def action_line_update(*, action_line: ActionLine, acting_user, expected_version: int | None, **data) -> ActionLine:
    return _update(
        instance=action_line,
        fields=ACTION_LINE_FIELDS,
        data=data,
        expected_version=expected_version,
        acting_user=acting_user,
        region_id=action_line.programme.region_id,
    )


@transaction.atomic
def theme_create(*, action_line: ActionLine, acting_user, name: str, description: str = "") -> Theme:
    theme = Theme(action_line=action_line, name=name, description=description)
    return _create(
        instance=theme, fields=THEME_FIELDS, acting_user=acting_user, region_id=action_line.programme.region_id
    )


@transaction.atomic
def theme_update(*, theme: Theme, acting_user, expected_version: int | None, **data) -> Theme:
    return _update(
        instance=theme,
        fields=THEME_FIELDS,
        data=data,
        expected_version=expected_version,
        acting_user=acting_user,
        region_id=theme.action_line.programme.region_id,
    )


@transaction.atomic
def goal_create(*, action_line: ActionLine, acting_user, **data) -> Goal:
    goal = Goal(action_line=action_line, **{k: v for k, v in data.items() if k in GOAL_FIELDS})
    return _create(
        instance=goal, fields=GOAL_FIELDS, acting_user=acting_user, region_id=action_line.programme.region_id
    )


@transaction.atomic
def goal_update(*, goal: Goal, acting_user, expected_version: int | None, **data) -> Goal:
    return _update(
        instance=goal,
        fields=GOAL_FIELDS,
        data=data,
        expected_version=expected_version,
        acting_user=acting_user,
        region_id=goal.action_line.programme.region_id,
    )
