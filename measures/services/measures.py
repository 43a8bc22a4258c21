"""Writes to measures: one function per use case, each in one transaction with its change-log entry."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from programme.changelog import ChangeAction, claim_version, diff, record_change, snapshot
from programme.models import (
    Goal,
    NationalMeasure,
    Organisation,
    Programme,
    ProgrammeLevel,
    ReportingPeriod,
    Theme,
    ViolenceForm,
)

from ..access import region_organisations
from ..models import (
    UPDATE_STATUSES,
    Assessment,
    Contribution,
    Decision,
    GoalContribution,
    Measure,
    MeasureStatus,
    MeasureUpdate,
    Participation,
)

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
UPDATE_FIELDS = ["period", "status", "health", "progress", "narrative", "spent", "next_steps"]
CURRENT_STATE_FIELDS = ["status", "health", "progress"]


def _region_id(measure: Measure) -> int | None:
    return measure.programme.region_id


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


def _validate_participants(*, programme: Programme, organisations: Iterable[Organisation], field: str) -> None:
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


def _participants_snapshot(measure: Measure) -> list[str]:
    return sorted(_participation_label(p) for p in measure.participations.select_related("organisation"))


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
        _validate_participants(programme=programme, organisations=participants, field="participants")
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if errors:
        raise ValidationError(errors)
    measure.save()
    measure.goals.set(goals)
    measure.themes.set(themes)
    measure.violence_forms.set(violence_forms)
    measure.national_measures.set(national_measures)
    joined_on = start_date or timezone.localdate()
    for organisation in participants:
        Participation.objects.create(measure=measure, organisation=organisation, joined_on=joined_on)
    changes = diff({}, snapshot(measure, [*MEASURE_FIELDS, *MEASURE_M2M_FIELDS, "status"]))
    if participants:
        changes["participants"] = [[], _participants_snapshot(measure)]
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
        region=_region_id(measure),
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
    region_id = _region_id(measure)
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


def _record_participants(*, measure: Measure, before: list[str], acting_user, comment: str) -> None:
    # Participations are recorded on the measure: the list of who takes part since when is part of the
    # measure, and a removed participation keeps its trace in the measure's history.
    record_change(
        instance=measure, action=ChangeAction.UPDATE, acting_user=acting_user,
        changes={"participants": [before, _participants_snapshot(measure)]}, region=_region_id(measure),
        comment=comment,
    )


def _validate_participation(participation: Participation) -> None:
    measure = participation.measure
    _validate_participants(programme=measure.programme, organisations=[participation.organisation],
                           field="organisation")
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
    before = _participants_snapshot(measure)
    participation = Participation(measure=measure, organisation=organisation, joined_on=joined_on, left_on=left_on)
    _validate_participation(participation)
    participation.save()
    _record_participants(measure=measure, before=before, acting_user=acting_user, comment=organisation.name)
    return participation


@transaction.atomic
def participation_update(
    *, participation: Participation, acting_user, joined_on: datetime.date, left_on: datetime.date | None = None,
    **_ignored,
) -> Participation:
    measure = participation.measure
    before = _participants_snapshot(measure)
    participation.joined_on, participation.left_on = joined_on, left_on
    _validate_participation(participation)
    participation.save(update_fields=["joined_on", "left_on"])
    _record_participants(
        measure=measure, before=before, acting_user=acting_user, comment=participation.organisation.name
    )
    return participation


@transaction.atomic
def participation_remove(*, participation: Participation, acting_user) -> None:
    measure = participation.measure
    before = _participants_snapshot(measure)
    name = participation.organisation.name
    participation.delete()
    _record_participants(measure=measure, before=before, acting_user=acting_user, comment=name)


@transaction.atomic
def assessment_create(
    *,
    measure: Measure,
    acting_user,
    decision: str,
    reasons: str,
    contributions: dict[int, str],
    expected_version: int | None = None,
) -> Assessment:
    """The project leader lays a proposal against every goal of the programme; accepted means planned."""
    if measure.status != MeasureStatus.PROPOSED:
        raise ValidationError(_("Only a proposed measure can be assessed."))
    goals = list(Goal.objects.filter(action_line__programme=measure.programme))
    errors = {}
    missing = [goal for goal in goals if contributions.get(goal.pk) not in Contribution.values]
    if missing:
        errors["__all__"] = [
            _("Say for every goal how much the measure contributes; missing: %(goals)s.")
            % {"goals": ", ".join(goal.code for goal in missing)}
        ]
    if not (reasons or "").strip():
        errors["reasons"] = [_("Give the reasons for your decision.")]
    if decision not in Decision.values:
        errors["decision"] = [_("Choose to accept or reject the measure.")]
    if errors:
        raise ValidationError(errors)
    claim_version(measure, expected_version)
    assessment = Assessment(measure=measure, assessed_by=acting_user, decision=decision, reasons=reasons.strip())
    assessment.full_clean()
    assessment.save()
    GoalContribution.objects.bulk_create(
        GoalContribution(assessment=assessment, goal=goal, contribution=contributions[goal.pk]) for goal in goals
    )
    old_status = measure.status
    measure.status = MeasureStatus.PLANNED if decision == Decision.ACCEPT else MeasureStatus.REJECTED
    measure.save(update_fields=["status", "updated_at"])
    record_change(
        instance=assessment, action=ChangeAction.CREATE, acting_user=acting_user, region=_region_id(measure),
        changes={
            "decision": [None, decision],
            "reasons": [None, assessment.reasons],
            **{f"goal:{goal.code}": [None, contributions[goal.pk]] for goal in goals},
        },
    )
    record_change(
        instance=measure, action=ChangeAction.TRANSITION, acting_user=acting_user, region=_region_id(measure),
        changes={"status": [old_status, measure.status]},
    )
    return assessment


def _validate_update(update: MeasureUpdate) -> None:
    errors = {}
    if update.measure.status in (MeasureStatus.PROPOSED, MeasureStatus.REJECTED):
        errors["__all__"] = [_("Progress can be reported once the project leader has accepted the measure.")]
    if update.status and update.status not in UPDATE_STATUSES:
        errors["status"] = [_("Choose planned, in progress, completed, stopped or on hold.")]
    if update.period_id and update.period.start_date > timezone.localdate():
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
            region=_region_id(measure), comment=str(latest.period),
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
        instance=update, action=ChangeAction.CREATE, acting_user=acting_user, region=_region_id(measure),
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
        instance=update, action=ChangeAction.UPDATE, acting_user=acting_user, region=_region_id(update.measure),
        changes=diff(before, snapshot(MeasureUpdate.objects.get(pk=update.pk), UPDATE_FIELDS)),
    )
    _sync_current_state(measure=update.measure, acting_user=acting_user)
    return update
