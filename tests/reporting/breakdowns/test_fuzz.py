"""Random input in the breakdown grid and random breakdowns leaving the region: never a server error, a bad cell
saves nothing, and outside the region no part shows other than rounded to fives or hidden."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from programme.models import ReportingPeriod, ViolenceForm
from reporting.breakdowns.selectors import breakdown_table
from reporting.models import Figure, FigureBreakdown
from tests.fuzzing import FUZZ, HOSTILE
from tests.permissions import client_for

pytestmark = pytest.mark.django_db

VALID = st.one_of(st.integers(min_value=0, max_value=99999).map(str), st.just(""), st.just("n.b."),
                  st.integers(min_value=0, max_value=999).map(lambda n: f"{n:,}".replace(",", ".")))
INVALID = st.one_of(st.sampled_from(["-1", "1,5", "veel", "1e9", "NaN", "∞", "12 34", *HOSTILE]),
                    st.text(min_size=1, max_size=20).filter(lambda t: re.search(r"[^\d\s.]", t) is not None
                                                            and t.strip().lower() not in ("n.b.", "nb", "x", "")))


def test_breakdown_grid_saves_valid_cells_and_refuses_the_rest(users, region, periods, indicators, municipality):
    advice = indicators["adviesvragen-vt"]
    helmond = municipality("Helmond")
    period = ReportingPeriod.objects.get(kind="quarter", year=2023, number=1)
    forms = list(ViolenceForm.objects.all()[:3])
    url = (reverse("reporting:breakdown_grid", args=[region.pk])
           + f"?indicator={advice.pk}&period={period.pk}&source=veilig_thuis")
    client = client_for(users["veilig_thuis"])
    outcomes = {"saved": 0, "refused": 0}

    @FUZZ
    @given(values=st.lists(VALID, min_size=3, max_size=3), bad=st.one_of(st.none(), INVALID))
    def run(values, bad):
        FigureBreakdown.objects.all().delete()
        Figure.objects.all().delete()
        names = [f"c-{helmond.pk}-{form.pk}" for form in forms]
        data = {name: value for name, value in zip(names, values, strict=True)}
        if bad is not None:
            data[names[0]] = bad
        data.update({f"v-{name}": "0" for name in names})
        response = client.post(url, data)
        if bad is None:
            assert response.status_code == 302
            outcomes["saved"] += 1
            assert FigureBreakdown.objects.count() == sum(1 for value in values if value)
        else:
            assert response.status_code == 200
            outcomes["refused"] += 1
            assert not FigureBreakdown.objects.exists()

    run()
    assert outcomes["saved"] >= 5 and outcomes["refused"] >= 2


def test_parts_leaving_the_region_are_rounded_or_hidden(users, region, periods, indicators, municipality):
    advice = indicators["adviesvragen-vt"]
    helmond = municipality("Helmond")
    period = ReportingPeriod.objects.get(kind="quarter", year=2023, number=1)
    forms = list(ViolenceForm.objects.all()[:4])

    @FUZZ
    @given(parts=st.lists(st.integers(min_value=0, max_value=60), min_size=4, max_size=4),
           extra=st.integers(min_value=0, max_value=10))
    def run(parts, extra):
        FigureBreakdown.objects.all().delete()
        Figure.objects.all().delete()
        for form, value in zip(forms, parts, strict=True):
            FigureBreakdown.objects.create(indicator=advice, organisation=helmond, period=period,
                                           source="veilig_thuis", violence_form=form, value=Decimal(value))
        Figure.objects.create(indicator=advice, organisation=helmond, period=period, source="veilig_thuis",
                              value=Decimal(sum(parts) + extra))
        table = breakdown_table(user=users["national"], region=region, indicator=advice, period=period,
                                source="veilig_thuis")
        row = table.rows[0]
        shown = [cell["display"] for cell in row["cells"]] + [row["total"], *table.column_texts]
        for text in shown:
            assert text == "<5" or int(text.replace(".", "")) % 5 == 0, text
        assert row["difference"] is None

    run()
