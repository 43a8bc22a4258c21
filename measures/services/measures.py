"""Writes to measures themselves: create, change, delete or archive; links checked against the yardstick."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programme import calendar
from programme.changelog import ChangeAction, claim_version, diff, record_change, snapshot
from programme.models import Goal, NationalMeasure, Organisation, Programme, ProgrammeLevel, Theme, ViolenceForm

from ..access import region_organisations
from ..models import Measure, MeasureStatus, Participation
from .participations import participants_snapshot, validate_participants

MEASURE_FIELDS = [
    "title",
    "description",
    "action_line",
    "owner",
    "contact_name",
    "contact_email",
    "start_date",
    "end_date",
    "budget",
    "funding_source",
]
MEASURE_M2M_FIELDS = ["goals", "themes", "violence_forms", "national_measures"]


def _validate_links(
    *,
    programme: Programme,
    action_line,
    owner: Organisation | None,
    goals: Iterable[Goal],
    themes: Iterable[Theme],
    national_measures: Iterable[NationalMeasure],
) -> None:
    """The yardstick: goals and themes belong to the chosen action line, the owner works in the region."""
    errors: dict[str, list] = {}
    if programme.level != ProgrammeLevel.REGIONAL:
        errors["programme"] = [_("A measure belongs to a regional programme.")]
    if action_line is not None and action_line.programme_id != programme.pk:
        errors["action_line"] = [_("Choose an action line of the regional programme.")]
    if action_line is not None:
        wrong_goals = [goal for goal in goals if goal.action_line_id != action_line.pk]
        if wrong_goals:
            errors["goals"] = [
                _("These goals belong to another action line than the one chosen: %(goals)s.")
                % {"goals": ", ".join(goal.code for goal in wrong_goals)}
            ]
        wrong_themes = [theme for theme in themes if theme.action_line_id != action_line.pk]
        if wrong_themes:
            errors["themes"] = [
                _("These themes belong to another action line than the one chosen: %(themes)s.")
                % {"themes": ", ".join(theme.name for theme in wrong_themes)}
            ]
    national_ids = {programme.national_programme_id} if programme.national_programme_id else set()
    wrong_national = [nm for nm in national_measures if national_ids and nm.programme_id not in national_ids]
    if wrong_national:
        errors["national_measures"] = [_("Choose national measures of the national programme this region follows.")]
    if owner is not None and not region_organisations(programme.region_id).filter(pk=owner.pk).exists():
        errors["owner"] = [_("The owner organisation must work in the region of the programme.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def measure_create(
    *,
    programme: Programme,
    acting_user,
    title: str,
    action_line,
    owner: Organisation,
    description: str = "",
    goals: Iterable[Goal] = (),
    themes: Iterable[Theme] = (),
    violence_forms: Iterable[ViolenceForm] = (),
    national_measures: Iterable[NationalMeasure] = (),
    contact_name: str = "",
    contact_email: str = "",
    start_date: datetime.date | None = None,
    end_date: datetime.date | None = None,
    budget: Decimal | None = None,
    funding_source=None,
    participants: Iterable[Organisation] = (),
) -> Measure:
    """A new measure starts as proposed; participants take part from the start date (or today)."""
    goals, themes, national_measures, participants = list(goals), list(themes), list(national_measures), list(
        participants
    )
    measure = Measure(
        programme=programme,
        title=title,
        description=description,
        action_line=action_line,
        owner=owner,
        contact_name=contact_name,
        contact_email=contact_email,
        start_date=start_date,
        end_date=end_date,
        budget=budget,
        funding_source=funding_source,
        status=MeasureStatus.PROPOSED,
    )
    errors = {}
    try:
        measure.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        _validate_links(
            programme=programme, action_line=action_line, owner=owner, goals=goals, themes=themes,
            national_measures=national_measures,
        )
        validate_participants(programme=programme, organisations=participants, field="participants")
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    measure.save()
    measure.goals.set(goals)
    measure.themes.set(themes)
    measure.violence_forms.set(violence_forms)
    measure.national_measures.set(national_measures)
    joined_on = start_date or calendar.today()
    for organisation in participants:
        Participation.objects.create(measure=measure, organisation=organisation, joined_on=joined_on)
    changes = diff({}, snapshot(measure, [*MEASURE_FIELDS, *MEASURE_M2M_FIELDS, "status"]))
    if participants:
        changes["participants"] = [[], participants_snapshot(measure)]
    record_change(
        instance=measure, action=ChangeAction.CREATE, acting_user=acting_user, changes=changes,
        region=programme.region_id,
    )
    return measure


@transaction.atomic
def measure_update(*, measure: Measure, acting_user, expected_version: int | None, **data) -> Measure:
    """Change what the owner describes; status, health and progress follow from assessments and updates."""
    fields = [*MEASURE_FIELDS, *MEASURE_M2M_FIELDS]
    # Read "before" from the database: a bound ModelForm has already put the new values on the instance.
    before = snapshot(Measure.objects.get(pk=measure.pk), fields)
    for name in MEASURE_FIELDS:
        if name in data:
            setattr(measure, name, data[name])
    links = {name: list(data[name]) if name in data else list(getattr(measure, name).all())
             for name in MEASURE_M2M_FIELDS}
    errors = {}
    try:
        measure.full_clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    try:
        _validate_links(
            programme=measure.programme, action_line=measure.action_line, owner=measure.owner,
            goals=links["goals"], themes=links["themes"], national_measures=links["national_measures"],
        )
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    claim_version(measure, expected_version)
    measure.save(update_fields=[*MEASURE_FIELDS, "updated_at"])
    for name in MEASURE_M2M_FIELDS:
        getattr(measure, name).set(links[name])
    # Compare database values with database values (10000 and 10000.00 are the same budget).
    changes = diff(before, snapshot(Measure.objects.get(pk=measure.pk), fields))
    record_change(
        instance=measure, action=ChangeAction.UPDATE, acting_user=acting_user, changes=changes,
        region=measure.programme.region_id,
    )
    return measure


@transaction.atomic
def measure_delete(*, measure: Measure, acting_user, expected_version: int | None = None) -> str:
    """Delete a measure, or archive it when it has progress updates (their history must stay).

    Returns the change action taken: "delete" or "archive".
    """
    if measure.archived_at is not None:
        raise ValidationError(_("This measure has already been archived."))
    claim_version(measure, expected_version)
    region_id = measure.programme.region_id
    if measure.updates.exists():
        measure.archived_at = timezone.now()
        measure.save(update_fields=["archived_at", "updated_at"])
        record_change(
            instance=measure, action=ChangeAction.ARCHIVE, acting_user=acting_user,
            changes={"archived_at": [None, measure.archived_at.isoformat()]}, region=region_id,
        )
        return ChangeAction.ARCHIVE
    record_change(
        instance=measure, action=ChangeAction.DELETE, acting_user=acting_user,
        changes=diff(snapshot(measure, [*MEASURE_FIELDS, "status"]), {}), region=region_id,
    )
    measure.delete()
    return ChangeAction.DELETE
