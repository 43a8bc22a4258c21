"""Random and hostile input in the measure forms: valid input is saved as typed, broken input is refused in
Dutch and changes nothing, most examples are valid; never a server error, never script in a page."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from measures.models import Measure, MeasureUpdate
from tests.fuzzing import (
    BLANK,
    DATE,
    FUZZ,
    NUMBER,
    WITH_NUL,
    Tally,
    check_case,
    draw_case,
    post_case,
    stored_text,
    too_long,
    valid_text,
)
from tests.permissions import client_for

pytestmark = pytest.mark.django_db

AMOUNTS = st.decimals(0, 10**9, places=2).map(lambda amount: f"{amount:.2f}")
MEASURE_INVALID = {
    "title": [BLANK, too_long(300), WITH_NUL],
    "budget": [(st.sampled_from(["-1", "-0.01"]), "Het budget kan niet negatief zijn."),
               (st.sampled_from(["veel", "1,2,3"]), NUMBER)],
    "start_date": [(st.sampled_from(["2024-13-01", "gisteren", "31-02-2024"]), DATE)],
    "contact_email": [(st.sampled_from(["geen-mail", "a@", "<b>@x"]), "Voer een geldig e-mailadres in.")],
}


def _measure_values(lines):
    return {
        "title": valid_text(max_size=300), "description": valid_text(max_size=2000, required=False),
        "contact_name": valid_text(max_size=200, required=False), "budget": AMOUNTS,
        "action_line": st.sampled_from(lines),
        # The start date is not after the end date the edited measure has (that refusal is a rule of its own).
        "start_date": st.dates(max_value=datetime.date(2025, 12, 31)).map(str) | st.just(""),
    }


def _measure_state(measure_filter):
    return sorted(measure_filter.values_list("pk", "title", "description", "budget", "version"))


def _assert_measure_saved(measure, case):
    values = case.values
    assert (measure.title, measure.description, measure.contact_name, measure.budget, str(measure.action_line_id),
            str(measure.start_date or "")) == (
        stored_text(values["title"]), stored_text(values["description"]), stored_text(values["contact_name"]),
        Decimal(values["budget"]), values["action_line"], values["start_date"])


def test_measure_form(users, programme):
    client = client_for(users["helmond"])
    url = reverse("measures:measure_create")
    lines = [str(pk) for pk in programme.action_lines.order_by("number").values_list("pk", flat=True)]
    tally = Tally()

    @FUZZ
    @given(data=st.data())
    def run(data):
        case = draw_case(data, _measure_values(lines), MEASURE_INVALID)
        before = _measure_state(Measure.objects.all())
        response = post_case(client, url, case)
        check_case(response, case, location="/maatregelen/")
        if case.valid:
            measure = Measure.objects.latest("pk")
            assert response["Location"] == reverse("measures:measure_detail", args=[measure.pk])
            _assert_measure_saved(measure, case)
            assert measure.status == "proposed"
        else:
            assert _measure_state(Measure.objects.all()) == before
        tally.add(case)

    run()
    tally.assert_mostly_saved()


def test_measure_edit_form(users, make_measure, programme):
    measure = make_measure()
    client = client_for(users["helmond"])
    url = reverse("measures:measure_update", args=[measure.pk])
    lines = [str(measure.action_line_id)]  # another action line would need its own goals
    tally = Tally()

    @FUZZ
    @given(data=st.data())
    def run(data):
        case = draw_case(data, _measure_values(lines), MEASURE_INVALID)
        before = _measure_state(Measure.objects.filter(pk=measure.pk))
        check_case(post_case(client, url, case), case, location=reverse("measures:measure_detail", args=[measure.pk]))
        if case.valid:
            _assert_measure_saved(Measure.objects.get(pk=measure.pk), case)
        else:
            assert _measure_state(Measure.objects.filter(pk=measure.pk)) == before
        tally.add(case)

    run()
    tally.assert_mostly_saved()


def test_progress_update_form(users, make_measure, periods):
    client = client_for(users["helmond"])
    tally = Tally()

    @FUZZ
    @given(data=st.data())
    def run(data):
        measure = make_measure(accepted=True)  # a fresh measure: one update per period is a rule of its own
        url = reverse("measures:update_create", args=[measure.pk])
        case = draw_case(data, {
            "status": st.sampled_from(["planned", "in_progress", "completed", "stopped", "on_hold"]),
            "health": st.sampled_from(["on_track", "at_risk", "off_track"]),
            "progress": st.integers(0, 100).map(str), "narrative": valid_text(max_size=2000),
            "spent": AMOUNTS, "next_steps": valid_text(max_size=2000, required=False),
        }, {
            "progress": [(st.integers(101, 10**4).map(str), "De voortgang kan niet meer dan 100% zijn."),
                         (st.integers(-10**4, -1).map(str), "De voortgang kan niet negatief zijn."),
                         (st.sampled_from(["half", "50%", "1.5"]), "Voer een geheel getal in.")],
            "narrative": [BLANK, WITH_NUL],
            "spent": [(st.sampled_from(["-1", "-0.5"]), "Het bedrag kan niet negatief zijn.")],
        })
        response = post_case(client, url, case)
        check_case(response, case, location=reverse("measures:measure_detail", args=[measure.pk]))
        updates = MeasureUpdate.objects.filter(measure=measure)
        if case.valid:
            update = updates.get()
            values = case.values
            assert (update.status, update.health, update.progress, update.narrative, update.spent,
                    update.next_steps) == (values["status"], values["health"], int(values["progress"]),
                                           stored_text(values["narrative"]), Decimal(values["spent"]),
                                           stored_text(values["next_steps"]))
            measure.refresh_from_db()
            assert (measure.status, measure.progress) == (values["status"], int(values["progress"]))
        else:
            assert not updates.exists()
        tally.add(case)

    run()
    tally.assert_mostly_saved()
