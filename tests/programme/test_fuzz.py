"""Random and hostile input in the framework forms (goals, action lines, themes): valid input is saved as typed,
broken input is refused in Dutch and changes nothing, most examples are valid; no server error, no script."""

from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from programme.models import ActionLine, Goal, Programme, Theme
from tests.fuzzing import (
    BLANK,
    DATE,
    FUZZ,
    NUMBER,
    WHOLE_NUMBER,
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


def _line():
    return Programme.objects.get(level="regional").action_lines.order_by("number").first()


def _goal_state(goals):
    return sorted(goals.values_list("pk", "code", "title", "baseline", "target", "version"))


def _goal_case(data, line, n):
    duplicate = list(line.goals.values_list("code", flat=True))
    case = draw_case(data, {
        "code": st.from_regex(r"[A-Z]{1,3}[0-9]{1,3}", fullmatch=True), "title": valid_text(max_size=300),
        "description": valid_text(max_size=2000, required=False), "baseline": AMOUNTS, "target": AMOUNTS,
        "baseline_year": st.integers(2000, 2040).map(str), "unit": valid_text(max_size=50, required=False),
        "deadline": st.dates().map(str),
    }, {
        "code": [BLANK, (st.sampled_from(duplicate), "Deze actielijn heeft al een doel met deze code.")],
        "title": [BLANK, too_long(300), WITH_NUL],
        "baseline": [(st.sampled_from(["veel", "1,2,3"]), NUMBER)],
        "baseline_year": [(st.sampled_from(["twee", "2024.5"]), WHOLE_NUMBER)],
        "deadline": [(st.sampled_from(["2024-02-30", "morgen"]), DATE)],
    })
    if case.broken != "code":
        case.values["code"] = f"{case.values['code']}-{n}"  # unique, so only the deliberate duplicate collides
    return case


def _assert_goal_saved(goal, case):
    values = case.values
    assert (goal.code, goal.title, goal.description, goal.baseline, goal.target, goal.baseline_year, goal.unit,
            str(goal.deadline)) == (
        values["code"], stored_text(values["title"]), stored_text(values["description"]), Decimal(values["baseline"]),
        Decimal(values["target"]), int(values["baseline_year"]), stored_text(values["unit"]), values["deadline"])


def test_goal_forms(users):
    line = _line()
    client = client_for(users["project_leader"])
    url = reverse("programme:goal_create", args=[line.pk])
    tally = Tally()

    @FUZZ
    @given(data=st.data())
    def run(data):
        case = _goal_case(data, line, len(tally.outcomes))
        before = _goal_state(Goal.objects.all())
        check_case(post_case(client, url, case), case, location="/programma/")
        if case.valid:
            _assert_goal_saved(Goal.objects.latest("pk"), case)
        else:
            assert _goal_state(Goal.objects.all()) == before
        tally.add(case)

    run()
    tally.assert_mostly_saved()


def test_goal_update_form(users):
    line = _line()
    goal = line.goals.order_by("code").first()
    client = client_for(users["project_leader"])
    url = reverse("programme:goal_update", args=[goal.pk])
    tally = Tally()

    @FUZZ
    @given(data=st.data())
    def run(data):
        case = _goal_case(data, line.__class__.objects.get(pk=line.pk), len(tally.outcomes))
        if case.broken == "code" and case.values["code"] == Goal.objects.get(pk=goal.pk).code:
            case.values["code"] = ""  # its own code is no duplicate; the blank code is the broken value instead
            case.message = "Dit veld is verplicht."
        before = _goal_state(Goal.objects.all())
        check_case(post_case(client, url, case), case, location="/programma/")
        if case.valid:
            _assert_goal_saved(Goal.objects.get(pk=goal.pk), case)
        else:
            assert _goal_state(Goal.objects.all()) == before
        tally.add(case)

    run()
    tally.assert_mostly_saved()


def test_action_line_form(users):
    line = _line()
    others = [str(n) for n in line.programme.action_lines.exclude(pk=line.pk).values_list("number", flat=True)]
    client = client_for(users["project_leader"])
    url = reverse("programme:action_line_update", args=[line.pk])
    tally = Tally()

    @FUZZ
    @given(data=st.data())
    def run(data):
        case = draw_case(data, {
            "number": st.sampled_from([str(line.number), "50", "99"]), "name": valid_text(max_size=200),
            "description": valid_text(max_size=2000, required=False),
        }, {
            "number": [(st.sampled_from(others), "Dit programma heeft al een actielijn met dit nummer."),
                       (st.just("0"), "Zorg ervoor dat deze waarde minstens 1 is."),
                       (st.sampled_from(["een", "1.5"]), WHOLE_NUMBER)],
            "name": [BLANK, too_long(200), WITH_NUL],
        })
        before = sorted(ActionLine.objects.values_list("pk", "number", "name", "description", "version"))
        check_case(post_case(client, url, case), case, location="/programma/")
        if case.valid:
            saved = ActionLine.objects.get(pk=line.pk)
            assert (str(saved.number), saved.name, saved.description) == (
                case.values["number"], stored_text(case.values["name"]), stored_text(case.values["description"]))
        else:
            assert sorted(ActionLine.objects.values_list("pk", "number", "name", "description", "version")) == before
        tally.add(case)

    run()
    tally.assert_mostly_saved()


def test_theme_form(users):
    line = _line()
    existing = list(line.themes.values_list("name", flat=True))
    client = client_for(users["project_leader"])
    url = reverse("programme:theme_create", args=[line.pk])
    tally = Tally()

    @FUZZ
    @given(data=st.data())
    def run(data):
        case = draw_case(data, {"name": valid_text(max_size=190), "description": valid_text(max_size=2000,
                                                                                         required=False)},
                         {"name": [BLANK, too_long(200), WITH_NUL]
                          + ([(st.sampled_from(existing), "Deze actielijn heeft al een thema met deze naam.")]
                             if existing else [])})
        if case.valid:
            case.values["name"] = f"{case.values['name'].strip()} {len(tally.outcomes)}"  # unique
        before = sorted(Theme.objects.values_list("pk", "name", "description"))
        check_case(post_case(client, url, case), case, location="/programma/")
        if case.valid:
            saved = Theme.objects.latest("pk")
            assert (saved.action_line_id, saved.name, saved.description) == (
                line.pk, case.values["name"], stored_text(case.values["description"]))
        else:
            assert sorted(Theme.objects.values_list("pk", "name", "description")) == before
        tally.add(case)

    run()
    tally.assert_mostly_saved()
