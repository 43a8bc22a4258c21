"""Random and hostile input in the framework forms (goals, action lines, themes): no server error, no script."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from programme.models import Programme
from tests.fuzzing import FUZZ, fuzz_form
from tests.permissions import client_for

pytestmark = pytest.mark.django_db


def _line():
    return Programme.objects.get(level="regional").action_lines.order_by("number").first()


@FUZZ
@given(data=st.data())
def test_goal_forms(users, data):
    line = _line()
    client = client_for(users["project_leader"])
    fuzz_form(client, reverse("programme:goal_create", args=[line.pk]), data)
    fuzz_form(client, reverse("programme:goal_update", args=[line.goals.first().pk]), data)


@FUZZ
@given(data=st.data())
def test_action_line_and_theme_forms(users, data):
    line = _line()
    client = client_for(users["project_leader"])
    fuzz_form(client, reverse("programme:action_line_update", args=[line.pk]), data)
    fuzz_form(client, reverse("programme:theme_create", args=[line.pk]), data)
