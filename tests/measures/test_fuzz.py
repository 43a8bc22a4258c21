"""Random and hostile input in the measure forms: never a server error, never script in a page."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from tests.fuzzing import FUZZ, fuzz_form
from tests.permissions import client_for

pytestmark = pytest.mark.django_db


@FUZZ
@given(data=st.data())
def test_measure_form(users, programme, data):
    fuzz_form(client_for(users["helmond"]), reverse("measures:measure_create"), data)


@FUZZ
@given(data=st.data())
def test_measure_edit_form(users, make_measure, data):
    measure = make_measure()
    fuzz_form(client_for(users["helmond"]), reverse("measures:measure_update", args=[measure.pk]), data)


@FUZZ
@given(data=st.data())
def test_progress_update_form(users, make_measure, periods, data):
    measure = make_measure(accepted=True)
    fuzz_form(client_for(users["helmond"]), reverse("measures:update_create", args=[measure.pk]), data)
