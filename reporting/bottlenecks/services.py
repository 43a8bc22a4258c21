"""Writes of bottlenecks (knelpunten): raise, work out, escalate, decide, resolve; every step in the change log.

Anyone of the region raises one; the project leader adds a proposed solution and an owner and may escalate
it; the steering group records a decision; the project leader resolves it with a resolution text.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programme.access import scope_of
from programme.changelog import ChangeAction, claim_version, diff, record_change, snapshot
from programme.models import ActionLine, Organisation, Programme
from reporting.models import Bottleneck, BottleneckStatus

EDIT_FIELDS = [
    "title", "description", "measure", "action_line", "severity", "proposed_solution", "owner_organisation",
    "owner_person",
]
LOGGED_FIELDS = [*EDIT_FIELDS, "status", "decision", "resolution"]


def _require_member(user, programme: Programme) -> None:
    if not scope_of(user).belongs_to_region(programme.region_id):
        raise PermissionDenied(_("Only people of the region can raise a bottleneck."))


def _require_project_leader(user, bottleneck: Bottleneck) -> None:
    if not scope_of(user).is_project_leader_of(bottleneck.programme.region_id):
        raise PermissionDenied(_("Only the project leader of the region can do this with a bottleneck."))


def _require_steering_group(user, bottleneck: Bottleneck) -> None:
    if not scope_of(user).is_steering_group_of(bottleneck.programme.region_id):
        raise PermissionDenied(_("Only a steering group member of the region can decide on a bottleneck."))


def can_edit(user, bottleneck: Bottleneck) -> bool:
    return bottleneck.status != BottleneckStatus.RESOLVED and scope_of(user).is_project_leader_of(
        bottleneck.programme.region_id
    )


def available_actions(user, bottleneck: Bottleneck) -> set[str]:
    scope = scope_of(user)
    region_id = bottleneck.programme.region_id
    actions = set()
    if scope.is_project_leader_of(region_id):
        if bottleneck.status != BottleneckStatus.RESOLVED:
            actions |= {"edit", "resolve"}
        if bottleneck.status == BottleneckStatus.OPEN:
            actions.add("escalate")
    if scope.is_steering_group_of(region_id) and bottleneck.status == BottleneckStatus.ESCALATED:
        actions.add("decide")
    return actions


def _programme_of(*, measure, action_line: ActionLine | None) -> Programme:
    if measure is not None:
        return measure.programme
    if action_line is not None:
        return action_line.programme
    raise ValidationError({"action_line": _("Choose the measure or the action line this bottleneck is about.")})


def _log(bottleneck, action, acting_user, changes, comment=""):
    record_change(
        instance=bottleneck,
        action=action,
        acting_user=acting_user,
        changes=changes,
        region=bottleneck.programme.region_id,
        comment=comment,
    )


@transaction.atomic
def bottleneck_create(
    *, acting_user, title: str, description: str, severity: str, measure=None, action_line: ActionLine | None = None
) -> Bottleneck:
    programme = _programme_of(measure=measure, action_line=action_line)
    _require_member(acting_user, programme)
    bottleneck = Bottleneck(
        programme=programme,
        title=title,
        description=description,
        severity=severity,
        measure=measure,
        action_line=action_line,
        raised_by=acting_user,
    )
    bottleneck.full_clean()
    bottleneck.save()
    _log(bottleneck, ChangeAction.CREATE, acting_user, diff({}, snapshot(bottleneck, LOGGED_FIELDS)))
    return bottleneck


@transaction.atomic
def bottleneck_update(*, bottleneck: Bottleneck, acting_user, expected_version: int | None, **data) -> Bottleneck:
    """The project leader works a bottleneck out: text, severity, proposed solution and owner."""
    _require_project_leader(acting_user, bottleneck)
    if bottleneck.status == BottleneckStatus.RESOLVED:
        raise ValidationError(_("A resolved bottleneck can no longer be changed."))
    owner = data.get("owner_organisation")
    if isinstance(owner, Organisation) and owner.kind == "national":
        raise ValidationError({"owner_organisation": _("Choose an organisation of the region.")})
    # A bound ModelForm has already set the new values on `bottleneck`: read "before" from the database.
    before = snapshot(Bottleneck.objects.get(pk=bottleneck.pk), LOGGED_FIELDS)
    for name, value in data.items():
        if name in EDIT_FIELDS:
            setattr(bottleneck, name, value)
    bottleneck.full_clean()
    claim_version(bottleneck, expected_version)
    bottleneck.save(update_fields=[*EDIT_FIELDS, "updated_at"])
    _log(bottleneck, ChangeAction.UPDATE, acting_user, diff(before, snapshot(bottleneck, LOGGED_FIELDS)))
    return bottleneck


def _step(*, bottleneck, acting_user, sources, target, fields: dict, comment: str, refused: str) -> Bottleneck:
    if bottleneck.status not in sources:
        raise ValidationError(refused % {"status": bottleneck.get_status_display()})
    before = snapshot(bottleneck, LOGGED_FIELDS)
    bottleneck.status = target
    for name, value in fields.items():
        setattr(bottleneck, name, value)
    bottleneck.full_clean()
    claim_version(bottleneck, bottleneck.version)
    bottleneck.save(update_fields=["status", *fields, "updated_at"])
    _log(bottleneck, ChangeAction.TRANSITION, acting_user, diff(before, snapshot(bottleneck, LOGGED_FIELDS)),
         comment)
    return bottleneck


@transaction.atomic
def bottleneck_escalate(*, bottleneck: Bottleneck, acting_user, comment: str = "") -> Bottleneck:
    _require_project_leader(acting_user, bottleneck)
    return _step(
        bottleneck=bottleneck, acting_user=acting_user, sources={BottleneckStatus.OPEN},
        target=BottleneckStatus.ESCALATED, fields={"escalated_at": timezone.now()}, comment=comment,
        refused=_("Only an open bottleneck can be escalated; this one is %(status)s."),
    )


@transaction.atomic
def bottleneck_decide(*, bottleneck: Bottleneck, acting_user, decision: str) -> Bottleneck:
    _require_steering_group(acting_user, bottleneck)
    decision = (decision or "").strip()
    if not decision:
        raise ValidationError({"decision": _("Write down the decision of the steering group.")})
    return _step(
        bottleneck=bottleneck, acting_user=acting_user, sources={BottleneckStatus.ESCALATED},
        target=BottleneckStatus.DECIDED,
        fields={"decision": decision, "decided_at": timezone.now(), "decided_by": acting_user}, comment="",
        refused=_("The steering group decides on escalated bottlenecks only; this one is %(status)s."),
    )


@transaction.atomic
def bottleneck_resolve(*, bottleneck: Bottleneck, acting_user, resolution: str) -> Bottleneck:
    _require_project_leader(acting_user, bottleneck)
    resolution = (resolution or "").strip()
    if not resolution:
        raise ValidationError({"resolution": _("Describe how the bottleneck was resolved.")})
    return _step(
        bottleneck=bottleneck, acting_user=acting_user,
        sources={BottleneckStatus.OPEN, BottleneckStatus.ESCALATED, BottleneckStatus.DECIDED},
        target=BottleneckStatus.RESOLVED, fields={"resolution": resolution, "resolved_at": timezone.now()},
        comment="", refused=_("This bottleneck is already %(status)s."),
    )
