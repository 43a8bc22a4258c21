"""The scan's workflow with every role: draft, submit, return with a comment, resubmit, a new version; concurrency."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from programme.changelog import ConcurrentEditError
from reporting.models import ScanStatus, SelfScan
from reporting.selfscans import services
from reporting.selfscans.services import Answer

from .conftest import fill

pytestmark = pytest.mark.django_db


def test_team_fills_in_submits_is_returned_and_resubmits(users, draft):
    team, leader = users["helmond"], users["project_leader"]
    with pytest.raises(ValidationError):  # nothing answered yet
        services.scan_submit(scan=draft, acting_user=team)
    scan = fill(draft, team, [1, 2, None, 4])
    scan = services.scan_submit(scan=scan, acting_user=team)
    assert scan.status == ScanStatus.SUBMITTED and scan.submitted_at
    with pytest.raises(ValidationError):  # frozen
        fill(scan, team, [4, 4, 4, 4])
    with pytest.raises(ValidationError):  # a return needs a comment
        services.scan_return(scan=scan, acting_user=leader, comment=" ")
    scan = services.scan_return(scan=scan, acting_user=leader, comment="Licht score 1 toe")
    assert scan.status == ScanStatus.RETURNED
    scan = fill(scan, team, [2, 2, None, 4])
    assert scan.status == ScanStatus.DRAFT
    scan = services.scan_submit(scan=scan, acting_user=team)
    assert [t.to_status for t in scan.transitions.order_by("pk")] == [
        "draft", "submitted", "returned", "draft", "submitted"]


@pytest.mark.parametrize("role", ["eindhoven", "steering_group", "project_leader", "veilig_thuis", "national",
                                  "other_region"])
def test_only_the_municipality_fills_in_its_scan(users, draft, role):
    with pytest.raises(PermissionDenied):
        fill(draft, users[role], [1, 1, 1, 1])
    with pytest.raises(PermissionDenied):
        services.scan_submit(scan=draft, acting_user=users[role])


@pytest.mark.parametrize("role", ["helmond", "eindhoven", "steering_group", "other_project_leader"])
def test_only_the_project_leader_returns(users, draft, role):
    scan = services.scan_submit(scan=fill(draft, users["helmond"], [1, 2, 3, 4]), acting_user=users["helmond"])
    with pytest.raises(PermissionDenied):
        services.scan_return(scan=scan, acting_user=users[role], comment="x")
    assert SelfScan.objects.get(pk=scan.pk).status == ScanStatus.SUBMITTED


def test_a_new_version_needs_a_reason_and_keeps_the_submitted_one(users, draft):
    team = users["helmond"]
    scan = services.scan_submit(scan=fill(draft, team, [1, 2, 3, 4]), acting_user=team)
    with pytest.raises(ValidationError):
        services.scan_new_version(scan=scan, acting_user=team, reason="")
    new = services.scan_new_version(scan=scan, acting_user=team, reason="Score 1 was te streng")
    assert new.revision == 2 and new.status == ScanStatus.DRAFT and new.previous == scan
    fill(new, team, [2, 2, 3, 4])
    assert sorted(scan.answers.values_list("score", flat=True)) == [1, 2, 3, 4]


def test_concurrent_edits_are_refused(users, draft):
    team = users["helmond"]
    version = draft.version
    criterion = draft.framework.criteria.first()
    services.scan_update(scan=draft, acting_user=team, expected_version=version, strengths="A",
                         answers={criterion.pk: Answer(score=3)})
    stale = SelfScan.objects.get(pk=draft.pk)
    with pytest.raises(ConcurrentEditError):
        services.scan_update(scan=stale, acting_user=team, expected_version=version, strengths="B",
                             answers={criterion.pk: Answer(score=1)})
    assert SelfScan.objects.get(pk=draft.pk).strengths == "A"
    assert draft.answers.get(criterion=criterion).score == 3


def test_a_score_off_the_scale_is_refused_at_its_field(users, draft):
    criterion = draft.framework.criteria.first()
    with pytest.raises(ValidationError) as error:
        services.scan_update(scan=draft, acting_user=users["helmond"], expected_version=draft.version, strengths="",
                             answers={criterion.pk: Answer(score=7)})
    assert f"score_{criterion.pk}" in error.value.error_dict


def test_one_scan_per_team_and_year(users, draft, framework, helmond):
    with pytest.raises(ValidationError):
        services.scan_create(framework=framework, municipality=helmond, acting_user=users["helmond"])
