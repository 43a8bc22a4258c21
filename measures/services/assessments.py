"""The project leader's assessment of a proposed measure: accept or reject, and its contribution to every goal."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from programme.changelog import ChangeAction, claim_version, record_change
from programme.models import Goal

from ..models import Assessment, Contribution, Decision, GoalContribution, Measure, MeasureStatus


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
        instance=assessment, action=ChangeAction.CREATE, acting_user=acting_user, region=measure.programme.region_id,
        changes={
            "decision": [None, decision],
            "reasons": [None, assessment.reasons],
            **{f"goal:{goal.code}": [None, contributions[goal.pk]] for goal in goals},
        },
    )
    record_change(
        instance=measure, action=ChangeAction.TRANSITION, acting_user=acting_user, region=measure.programme.region_id,
        changes={"status": [old_status, measure.status]},
    )
    return assessment
