"""Writes of lessons learned: recorded by the project leader, optionally shared with the national team."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from programme.access import scope_of
from programme.changelog import ChangeAction, claim_version, diff, record_change, snapshot
from programme.models import Programme, ReportingPeriod
from reporting.models import Lesson

FIELDS = ["text", "measure", "period", "shared_with_national_team"]


def can_write_lessons(user, programme: Programme) -> bool:
    return scope_of(user).is_project_leader_of(programme.region_id)


def _require_project_leader(user, programme: Programme) -> None:
    if not can_write_lessons(user, programme):
        raise PermissionDenied(_("Only the project leader of the region can record lessons learned."))


@transaction.atomic
def lesson_create(
    *,
    programme: Programme,
    acting_user,
    text: str,
    period: ReportingPeriod | None = None,
    measure=None,
    shared_with_national_team: bool = False,
) -> Lesson:
    _require_project_leader(acting_user, programme)
    lesson = Lesson(
        programme=programme,
        text=text,
        period=period,
        measure=measure,
        shared_with_national_team=shared_with_national_team,
        created_by=acting_user,
    )
    lesson.full_clean()
    lesson.save()
    record_change(instance=lesson, action=ChangeAction.CREATE, acting_user=acting_user,
                  changes=diff({}, snapshot(lesson, FIELDS)), region=programme.region_id)
    return lesson


@transaction.atomic
def lesson_update(*, lesson: Lesson, acting_user, expected_version: int | None, **data) -> Lesson:
    _require_project_leader(acting_user, lesson.programme)
    # A bound ModelForm has already set the new values on `lesson`: read "before" from the database.
    before = snapshot(Lesson.objects.get(pk=lesson.pk), FIELDS)
    for name, value in data.items():
        if name in FIELDS:
            setattr(lesson, name, value)
    lesson.full_clean()
    claim_version(lesson, expected_version)
    lesson.save(update_fields=[*FIELDS, "updated_at"])
    record_change(instance=lesson, action=ChangeAction.UPDATE, acting_user=acting_user,
                  changes=diff(before, snapshot(lesson, FIELDS)), region=lesson.programme.region_id)
    return lesson
