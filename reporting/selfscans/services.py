"""Writes of a team's self-scan and its workflow, the Excel import, and points to improve linked to measures."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from programme.changelog import ChangeAction, ConcurrentEditError, claim_version, diff, record_change
from programme.models import Organisation, OrganisationKind
from programme.portal.audit import audit
from reporting.models import (
    ScanAnswer,
    ScanCriterion,
    ScanFramework,
    ScanImprovement,
    ScanStatus,
    ScanTransition,
    SelfScan,
)
from reporting.models.selfscans import MAX_SCORE, MIN_SCORE
from reporting.selfscans import access
from reporting.selfscans.framework_services import _require_project_leader


@dataclass(frozen=True)
class Answer:
    """What a user gave for one criterion: a score 1-4, or not applicable, and an explanation."""

    score: int | None = None
    not_applicable: bool = False
    explanation: str = ""


def _require_editor(user, municipality_id) -> None:
    if not access.edits_scan_of(user, municipality_id):
        raise PermissionDenied(_("Only the policy advisers of the municipality fill in its self-scan."))


def _log(*, scan: SelfScan, from_status: str, to_status: str, acting_user, comment: str = "") -> None:
    ScanTransition.objects.create(scan=scan, from_status=from_status, to_status=to_status, user=acting_user,
                                  comment=comment)
    record_change(instance=scan, action=ChangeAction.TRANSITION if from_status else ChangeAction.CREATE,
                  acting_user=acting_user, changes={"status": [from_status or None, to_status]},
                  region=scan.framework.region_id, comment=comment)
    audit("self_scan_transition", user=acting_user, scan_id=scan.pk, region_id=scan.framework.region_id,
          from_status=from_status or None, to_status=to_status)


@transaction.atomic
def scan_create(*, framework: ScanFramework, municipality: Organisation, acting_user) -> SelfScan:
    """A municipality starts its scan of the year: one empty answer per criterion."""
    _require_editor(acting_user, municipality.pk)
    if municipality.kind != OrganisationKind.MUNICIPALITY:
        raise ValidationError({"municipality": _("Only a municipality fills in a self-scan.")})
    if SelfScan.objects.filter(framework=framework, municipality=municipality).exists():
        raise ValidationError(_("This municipality already has a scan for %(year)s; open that one.")
                              % {"year": framework.year})
    scan = SelfScan(framework=framework, municipality=municipality, created_by=acting_user)
    scan.full_clean()
    try:
        with transaction.atomic():
            scan.save()
    except IntegrityError as exc:
        raise ValidationError(_("This municipality already has a scan for %(year)s; open that one.")
                              % {"year": framework.year}) from exc
    ScanAnswer.objects.bulk_create(ScanAnswer(scan=scan, criterion=c) for c in framework.criteria.all())
    _log(scan=scan, from_status="", to_status=ScanStatus.DRAFT, acting_user=acting_user)
    return scan


def _validate_answers(criteria_ids: set[int], answers: dict[int, Answer]) -> None:
    errors = {}
    if set(answers) - criteria_ids:
        raise ValidationError(_("An answer belongs to a criterion of another framework."))
    for criterion_id, answer in answers.items():
        if answer.score is not None and answer.not_applicable:
            errors[f"score_{criterion_id}"] = _("Choose a score or 'not applicable', not both.")
        elif answer.score is not None and not MIN_SCORE <= answer.score <= MAX_SCORE:
            errors[f"score_{criterion_id}"] = _("A score is 1, 2, 3 or 4, or the criterion is not applicable.")
        if len(answer.explanation) > 5000:
            errors[f"explanation_{criterion_id}"] = _("Keep the explanation under 5,000 characters.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def scan_update(*, scan: SelfScan, acting_user, expected_version: int | None, strengths: str,
                answers: dict[int, Answer]) -> SelfScan:
    """Save a draft (or a returned scan, which becomes a draft again); refused over someone else's newer save."""
    _require_editor(acting_user, scan.municipality_id)
    if not scan.is_editable:
        raise ValidationError(_("This scan is %(status)s and can no longer be edited.")
                              % {"status": scan.get_status_display()})
    existing = {a.criterion_id: a for a in scan.answers.all()}
    _validate_answers(set(existing), answers)
    try:
        claim_version(scan, expected_version)
    except ConcurrentEditError as conflict:
        for criterion_id, answer in existing.items():
            setattr(conflict.current, f"score_{criterion_id}",
                    "na" if answer.not_applicable else (answer.score or ""))
            setattr(conflict.current, f"explanation_{criterion_id}", answer.explanation)
        raise
    before = {"strengths": scan.strengths}
    after = {"strengths": strengths}
    changed = []
    for criterion_id, answer in answers.items():
        row = existing[criterion_id]
        new = (answer.score, answer.not_applicable, answer.explanation.strip())
        old = (row.score, row.not_applicable, row.explanation)
        if new != old:
            before[f"criterion {criterion_id}"] = list(old)
            after[f"criterion {criterion_id}"] = list(new)
            row.score, row.not_applicable, row.explanation = new
            row.full_clean()
            changed.append(row)
    ScanAnswer.objects.bulk_update(changed, ["score", "not_applicable", "explanation"])
    scan.strengths = strengths.strip()
    reopened = scan.status == ScanStatus.RETURNED
    if reopened:
        scan.status = ScanStatus.DRAFT
    scan.full_clean()
    scan.save(update_fields=["strengths", "status", "updated_at"])
    if reopened:
        _log(scan=scan, from_status=ScanStatus.RETURNED, to_status=ScanStatus.DRAFT, acting_user=acting_user)
    record_change(instance=scan, action=ChangeAction.UPDATE, acting_user=acting_user, changes=diff(before, after),
                  region=scan.framework.region_id)
    return scan


def _move(*, scan: SelfScan, sources: set, target: str, acting_user, comment: str = "", **fields) -> SelfScan:
    from_status = scan.status
    if from_status not in sources:
        raise ValidationError(_("This scan is %(status)s; this step is not possible now.")
                              % {"status": scan.get_status_display()})
    # Compare-and-swap on the status: of two people acting at once, only the first one's step applies.
    updated = SelfScan.objects.filter(pk=scan.pk, status=from_status).update(
        status=target, version=F("version") + 1, updated_at=timezone.now(), **fields)
    if not updated:
        raise ValidationError(_("Someone else changed the status of this scan a moment ago; reload the page."))
    scan.refresh_from_db()
    _log(scan=scan, from_status=from_status, to_status=target, acting_user=acting_user, comment=comment)
    return scan


@transaction.atomic
def scan_submit(*, scan: SelfScan, acting_user) -> SelfScan:
    """Submit: every criterion needs a score or 'not applicable'; the submitted scan is frozen."""
    _require_editor(acting_user, scan.municipality_id)
    missing = [a.criterion.text for a in scan.answers.select_related("criterion")
               if a.score is None and not a.not_applicable]
    if missing and scan.is_editable:
        raise ValidationError(
            _("Give every criterion a score or mark it 'not applicable' before submitting. Still open: %(list)s")
            % {"list": "; ".join(missing[:5]) + (" …" if len(missing) > 5 else "")})
    return _move(scan=scan, sources={ScanStatus.DRAFT, ScanStatus.RETURNED}, target=ScanStatus.SUBMITTED,
                 acting_user=acting_user, submitted_at=timezone.now())


@transaction.atomic
def scan_return(*, scan: SelfScan, acting_user, comment: str) -> SelfScan:
    """The project leader returns a submitted scan with a comment; the team edits and submits again."""
    _require_project_leader(acting_user, scan.framework.region_id)
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError({"comment": _("Say why you return the scan, so the team knows what to change.")})
    if scan.next_versions.exists():
        raise ValidationError(_("A newer version of this scan exists; return that one."))
    return _move(scan=scan, sources={ScanStatus.SUBMITTED}, target=ScanStatus.RETURNED, acting_user=acting_user,
                 comment=comment)


@transaction.atomic
def scan_new_version(*, scan: SelfScan, acting_user, reason: str) -> SelfScan:
    """A correction after submission: a new draft with the same answers; the submitted version stays as it was."""
    _require_editor(acting_user, scan.municipality_id)
    if scan.status != ScanStatus.SUBMITTED:
        raise ValidationError(_("A new version can only be opened from a submitted scan."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give the reason for a new version.")})
    siblings = SelfScan.objects.select_for_update().filter(framework=scan.framework, municipality=scan.municipality)
    if siblings.aggregate(m=Max("revision"))["m"] != scan.revision:
        raise ValidationError(_("A newer version of this scan already exists; continue with that one."))
    new = SelfScan(framework=scan.framework, municipality=scan.municipality, revision=scan.revision + 1,
                   strengths=scan.strengths, previous=scan, new_version_reason=reason, created_by=acting_user)
    new.full_clean()
    new.save()
    ScanAnswer.objects.bulk_create(
        ScanAnswer(scan=new, criterion_id=a.criterion_id, score=a.score, not_applicable=a.not_applicable,
                   explanation=a.explanation) for a in scan.answers.all())
    ScanImprovement.objects.bulk_create(
        ScanImprovement(scan=new, criterion_id=i.criterion_id, text=i.text, measure_id=i.measure_id)
        for i in scan.improvements.all())
    _log(scan=new, from_status="", to_status=ScanStatus.DRAFT, acting_user=acting_user, comment=reason)
    return new


@transaction.atomic
def scan_import(*, scan: SelfScan, acting_user, expected_version: int | None, strengths: str,
                answers: dict[int, Answer], improvements: list[str]) -> SelfScan:
    """The confirmed upload of an Excel form: answers, strengths and the points to improve not yet in the scan,
    all or nothing."""
    scan = scan_update(scan=scan, acting_user=acting_user, expected_version=expected_version, strengths=strengths,
                       answers=answers)
    existing = set(scan.improvements.values_list("text", flat=True))
    for text in improvements:
        if text not in existing:
            improvement_add(scan=scan, acting_user=acting_user, text=text)
            existing.add(text)
    return scan


@transaction.atomic
def improvement_add(*, scan: SelfScan, acting_user, text: str, criterion: ScanCriterion | None = None
                    ) -> ScanImprovement:
    _require_editor(acting_user, scan.municipality_id)
    if not scan.is_editable:
        raise ValidationError(_("This scan is %(status)s and can no longer be edited.")
                              % {"status": scan.get_status_display()})
    if criterion is not None and criterion.framework_id != scan.framework_id:
        raise ValidationError({"criterion": _("The criterion belongs to another framework.")})
    improvement = ScanImprovement(scan=scan, criterion=criterion, text=(text or "").strip())
    improvement.full_clean()
    improvement.save()
    record_change(instance=scan, action=ChangeAction.UPDATE, acting_user=acting_user,
                  changes={"point to improve": [None, improvement.text]}, region=scan.framework.region_id)
    return improvement


@transaction.atomic
def improvement_remove(*, improvement: ScanImprovement, acting_user) -> None:
    scan = improvement.scan
    _require_editor(acting_user, scan.municipality_id)
    if not scan.is_editable:
        raise ValidationError(_("This scan is %(status)s and can no longer be edited.")
                              % {"status": scan.get_status_display()})
    record_change(instance=scan, action=ChangeAction.UPDATE, acting_user=acting_user,
                  changes={"point to improve": [improvement.text, None]}, region=scan.framework.region_id)
    improvement.delete()


def _require_linker(user, scan) -> None:
    if not access.links_improvements(user, scan):
        raise PermissionDenied(_("Only the project leader or the municipality's advisers link points to improve."))


@transaction.atomic
def improvement_link_measure(*, improvement: ScanImprovement, measure, acting_user) -> ScanImprovement:
    """Link a point to improve to an existing regional measure (or unlink it with measure=None)."""
    scan = improvement.scan
    _require_linker(acting_user, scan)
    if measure is not None and measure.programme.region_id != scan.framework.region_id:
        raise ValidationError({"measure": _("Choose a measure of the region's own programme.")})
    before = str(improvement.measure or "")
    improvement.measure = measure
    improvement.save(update_fields=["measure", "updated_at"])
    record_change(instance=scan, action=ChangeAction.UPDATE, acting_user=acting_user,
                  changes={"measure of point to improve": [before or None, str(measure) if measure else None]},
                  region=scan.framework.region_id, comment=improvement.text)
    return improvement


@transaction.atomic
def improvement_create_measure(*, improvement: ScanImprovement, acting_user, programme, title: str, action_line,
                               owner, description: str = ""):
    """A point to improve becomes a new regional measure (a proposal for the project leader), linked to it."""
    from measures.services import measures as measure_services

    _require_linker(acting_user, improvement.scan)
    if programme.region_id != improvement.scan.framework.region_id:
        raise ValidationError(_("Choose a programme of the scan's own region."))
    measure = measure_services.measure_create(programme=programme, acting_user=acting_user, title=title,
                                              action_line=action_line, owner=owner, description=description)
    return improvement_link_measure(improvement=improvement, measure=measure, acting_user=acting_user)
