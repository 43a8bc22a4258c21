"""Writes to the organisations taking part in a measure; who takes part since when is logged on the measure."""

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from programme.changelog import ChangeAction, claim_version, record_change
from programme.models import Organisation, Programme

from ..access import region_organisations
from ..models import Measure, Participation


def validate_participants(*, programme: Programme, organisations: Iterable[Organisation], field: str) -> None:
    allowed = set(region_organisations(programme.region_id).values_list("pk", flat=True))
    outside = [org for org in organisations if org.pk not in allowed]
    if outside:
        raise ValidationError(
            {
                field: _("Only organisations of the region can take part; not part of the region: %(names)s.")
                % {"names": ", ".join(org.name for org in outside)}
            }
        )


def _participation_label(participation: Participation) -> str:
    text = _("%(organisation)s from %(joined)s") % {
        "organisation": participation.organisation.name,
        "joined": participation.joined_on.isoformat(),
    }
    if participation.left_on:
        text += " " + _("until %(left)s") % {"left": participation.left_on.isoformat()}
    return text


def participants_snapshot(measure: Measure) -> list[str]:
    return sorted(_participation_label(p) for p in measure.participations.select_related("organisation"))


def _record_participants(*, measure: Measure, before: list[str], acting_user, comment: str) -> None:
    # Participations are recorded on the measure: the list of who takes part since when is part of the
    # measure, and a removed participation keeps its trace in the measure's history.
    record_change(
        instance=measure, action=ChangeAction.UPDATE, acting_user=acting_user,
        changes={"participants": [before, participants_snapshot(measure)]}, region=measure.programme.region_id,
        comment=comment,
    )


def _validate_participation(participation: Participation) -> None:
    measure = participation.measure
    validate_participants(
        programme=measure.programme, organisations=[participation.organisation], field="organisation"
    )
    overlapping = Participation.objects.filter(measure=measure, organisation=participation.organisation)
    if participation.pk:
        overlapping = overlapping.exclude(pk=participation.pk)
    for other in overlapping if participation.joined_on else []:
        starts_before_other_ends = other.left_on is None or participation.joined_on <= other.left_on
        ends_after_other_starts = participation.left_on is None or participation.left_on >= other.joined_on
        if starts_before_other_ends and ends_after_other_starts:
            raise ValidationError(
                {"joined_on": _("%(organisation)s already takes part in this period (from %(joined)s).")
                 % {"organisation": participation.organisation.name,
                    "joined": date_format(other.joined_on, "j F Y")}}
            )
    participation.full_clean()


@transaction.atomic
def participation_add(
    *, measure: Measure, acting_user, organisation: Organisation, joined_on: datetime.date,
    left_on: datetime.date | None = None,
) -> Participation:
    before = participants_snapshot(measure)
    participation = Participation(measure=measure, organisation=organisation, joined_on=joined_on, left_on=left_on)
    _validate_participation(participation)
    participation.save()
    _record_participants(measure=measure, before=before, acting_user=acting_user, comment=organisation.name)
    return participation


@transaction.atomic
def participation_update(
    *, participation: Participation, acting_user, joined_on: datetime.date, left_on: datetime.date | None = None,
    expected_version: int | None = None, **_ignored,
) -> Participation:
    measure = participation.measure
    before = participants_snapshot(measure)
    participation.joined_on, participation.left_on = joined_on, left_on
    _validate_participation(participation)
    # Two people editing the same participation: the second save is refused, as on every shared record.
    claim_version(participation, expected_version)
    participation.save(update_fields=["joined_on", "left_on"])
    _record_participants(
        measure=measure, before=before, acting_user=acting_user, comment=participation.organisation.name
    )
    return participation


@transaction.atomic
def participation_remove(*, participation: Participation, acting_user) -> None:
    measure = participation.measure
    before = participants_snapshot(measure)
    name = participation.organisation.name
    participation.delete()
    _record_participants(measure=measure, before=before, acting_user=acting_user, comment=name)
