"""Measure services: the yardstick, the assessment, updates that set the current state, history and archiving."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from measures.models import Assessment, Measure, MeasureStatus, MeasureUpdate, Participation
from measures.services import assessments as assessment_services
from measures.services import measures as measure_services
from measures.services import participations as participation_services
from measures.services import updates as update_services
from programme.changelog import ConcurrentEditError
from programme.models import ChangeRecord, Goal, Organisation

from .conftest import accept

pytestmark = pytest.mark.django_db


def test_new_measure_is_proposed_with_participants_and_logged(make_measure, users):
    deurne = Organisation.objects.get(name="Deurne")
    measure = make_measure(participants=[deurne])
    assert measure.status == MeasureStatus.PROPOSED
    participation = Participation.objects.get(measure=measure)
    assert participation.organisation == deurne and participation.joined_on == datetime.date(2023, 1, 1)
    record = ChangeRecord.objects.get(object_id=measure.pk, content_type__model="measure", action="create")
    assert record.user == users["helmond"] and record.changes["title"] == [None, measure.title]
    [participants] = record.changes["participants"][1]
    assert "Deurne" in participants and "2023-01-01" in participants


@pytest.mark.parametrize(
    "extra, field",
    [
        ({"start_date": datetime.date(2024, 1, 1), "end_date": datetime.date(2023, 1, 1)}, "end_date"),
        ({"budget": Decimal("-1")}, "budget"),
    ],
)
def test_bad_measure_input_saves_nothing(make_measure, extra, field):
    with pytest.raises(ValidationError) as error:
        make_measure(**extra)
    assert field in error.value.message_dict
    assert not Measure.objects.exists() and not ChangeRecord.objects.filter(content_type__model="measure").exists()


def test_goal_of_another_action_line_is_refused(make_measure):
    other_goal = Goal.objects.get(code="2.1", action_line__programme__level="regional")
    with pytest.raises(ValidationError) as error:
        make_measure(line=1, goals=[other_goal])
    assert "2.1" in error.value.message_dict["goals"][0]
    assert not Measure.objects.exists()


def test_participant_outside_the_region_is_refused(make_measure, users):
    tilburg = Organisation.objects.get(name="Tilburg")
    with pytest.raises(ValidationError) as error:
        make_measure(participants=[tilburg])
    assert "Tilburg" in error.value.message_dict["participants"][0]
    assert not Measure.objects.exists()


def test_owner_outside_the_region_is_refused(make_measure):
    with pytest.raises(ValidationError) as error:
        make_measure(owner="Tilburg")
    assert "owner" in error.value.message_dict


def test_veilig_thuis_of_the_larger_region_may_own_and_take_part(make_measure):
    vt = Organisation.objects.get(name="Veilig Thuis Oost-Brabant")
    measure = make_measure(owner="Veilig Thuis Oost-Brabant", participants=[vt])
    assert measure.participants.get() == vt


def test_accepting_makes_planned_and_keeps_the_assessment(make_measure, users):
    measure = make_measure()
    assessment = accept(measure, users["project_leader"])
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.PLANNED
    goals = Goal.objects.filter(action_line__programme=measure.programme).count()
    assert assessment.contributions.count() == goals
    assert ChangeRecord.objects.filter(object_id=measure.pk, content_type__model="measure",
                                       action="transition", changes__status=["proposed", "planned"]).exists()


def test_rejecting_makes_rejected_and_no_second_assessment(make_measure, users):
    measure = make_measure()
    accept(measure, users["project_leader"], decision="reject")
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.REJECTED
    with pytest.raises(ValidationError):
        accept(measure, users["project_leader"])
    assert Assessment.objects.filter(measure=measure).count() == 1


def test_assessment_needs_every_goal_and_reasons(make_measure, users):
    measure = make_measure()
    with pytest.raises(ValidationError) as error:
        assessment_services.assessment_create(measure=measure, acting_user=users["project_leader"], decision="accept",
                                              reasons=" ", contributions={})
    assert "reasons" in error.value.message_dict and "__all__" in error.value.message_dict
    measure.refresh_from_db()
    assert measure.status == MeasureStatus.PROPOSED and not Assessment.objects.exists()


def _post(measure, user, period, **extra):
    data = {"status": MeasureStatus.IN_PROGRESS, "health": "on_track", "progress": 20, "narrative": "Gestart.",
            "spent": Decimal("1000")}
    data.update(extra)
    return update_services.measure_update_post(measure=measure, acting_user=user, period=period, **data)


def test_update_sets_current_state_and_older_period_does_not_override(make_measure, users, periods):
    measure = make_measure(accepted=True)
    _post(measure, users["helmond"], periods["2024KW01"], health="at_risk", progress=40)
    measure.refresh_from_db()
    assert (measure.status, measure.health, measure.progress) == ("in_progress", "at_risk", 40)
    _post(measure, users["helmond"], periods["2023KW04"], health="on_track", progress=30)
    measure.refresh_from_db()
    assert (measure.health, measure.progress) == ("at_risk", 40)


def test_one_update_per_period_message_on_the_period(make_measure, users, periods):
    measure = make_measure(accepted=True)
    _post(measure, users["helmond"], periods["2024KW01"])
    with pytest.raises(ValidationError) as error:
        _post(measure, users["helmond"], periods["2024KW01"])
    assert "period" in error.value.message_dict
    assert MeasureUpdate.objects.count() == 1


def test_progress_above_100_is_refused(make_measure, users, periods):
    measure = make_measure(accepted=True)
    with pytest.raises(ValidationError) as error:
        _post(measure, users["helmond"], periods["2024KW01"], progress=101)
    assert "progress" in error.value.message_dict
    assert not MeasureUpdate.objects.exists()


def test_proposed_measure_cannot_report_progress(make_measure, users, periods):
    measure = make_measure()
    with pytest.raises(ValidationError):
        _post(measure, users["helmond"], periods["2024KW01"])


def test_stale_update_edit_is_refused(make_measure, users, periods):
    measure = make_measure(accepted=True)
    update = _post(measure, users["helmond"], periods["2024KW01"])
    update_services.measure_update_edit(update=update, acting_user=users["helmond"], expected_version=1, progress=50)
    stale = MeasureUpdate.objects.get(pk=update.pk)
    with pytest.raises(ConcurrentEditError):
        update_services.measure_update_edit(update=stale, acting_user=users["project_leader"], expected_version=1,
                                            progress=60)
    assert MeasureUpdate.objects.get(pk=update.pk).progress == 50


def test_delete_without_updates_deletes_and_records(make_measure, users):
    measure = make_measure()
    pk = measure.pk
    assert measure_services.measure_delete(measure=measure, acting_user=users["helmond"]) == "delete"
    assert not Measure.objects.filter(pk=pk).exists()
    assert ChangeRecord.objects.filter(object_id=pk, content_type__model="measure", action="delete").exists()


def test_measure_with_updates_is_archived(make_measure, users, periods):
    measure = make_measure(accepted=True)
    _post(measure, users["helmond"], periods["2024KW01"])
    assert measure_services.measure_delete(measure=measure, acting_user=users["helmond"]) == "archive"
    measure.refresh_from_db()
    assert measure.archived_at is not None and measure.updates.count() == 1


def test_phased_participation_and_overlap(make_measure, users):
    measure = make_measure()
    eindhoven = Organisation.objects.get(name="Eindhoven")
    participation_services.participation_add(measure=measure, acting_user=users["helmond"], organisation=eindhoven,
                                             joined_on=datetime.date(2023, 7, 1), left_on=datetime.date(2023, 12, 31))
    participation_services.participation_add(measure=measure, acting_user=users["helmond"], organisation=eindhoven,
                                             joined_on=datetime.date(2024, 7, 1))
    with pytest.raises(ValidationError) as error:
        participation_services.participation_add(measure=measure, acting_user=users["helmond"], organisation=eindhoven,
                                                 joined_on=datetime.date(2023, 9, 1))
    assert "joined_on" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        participation_services.participation_add(measure=measure, acting_user=users["helmond"],
                                                 organisation=Organisation.objects.get(name="Tilburg"),
                                                 joined_on=datetime.date(2023, 9, 1))
    assert "organisation" in error.value.message_dict
    assert measure.participations.count() == 2
    record = ChangeRecord.objects.filter(object_id=measure.pk, changes__has_key="participants").first()
    assert record is not None


def test_edit_records_before_and_after_and_refuses_stale_version(make_measure, users):
    measure = make_measure(title="Oud")
    measure_services.measure_update(measure=measure, acting_user=users["helmond"], expected_version=1, title="Nieuw")
    record = ChangeRecord.objects.get(object_id=measure.pk, content_type__model="measure", action="update")
    assert record.changes == {"title": ["Oud", "Nieuw"]}
    with pytest.raises(ConcurrentEditError):
        measure_services.measure_update(measure=Measure.objects.get(pk=measure.pk), acting_user=users["project_leader"],
                                        expected_version=1, title="Anders")
    assert Measure.objects.get(pk=measure.pk).title == "Nieuw"
