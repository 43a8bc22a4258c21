"""The attacker test for breakdowns: everything the national team can download of one region's quarter (the
breakdown table's CSV and Excel, the totals' CSV and Excel), turned into linear constraints,
with the strongest assumption for the attacker (each total is exactly the sum of its parts), must leave every
part shown as hidden a range of values: no part is "the total minus the other parts" (see README, Breakdowns).
"""

from decimal import Decimal

import pytest
from django.urls import reverse

from programme.models import Indicator, Organisation, ReportingPeriod, ViolenceForm
from reporting.models import Figure, FigureBreakdown

from ...permissions import client_for
from ..test_disclosure_attack import _interval, _rows

scipy_optimize = pytest.importorskip("scipy.optimize")

pytestmark = pytest.mark.django_db

FORMS = ["Kindermishandeling", "(Ex-)partnergeweld", "Ouderenmishandeling"]
# Municipality: its parts by form; the total is their sum.
# Cranendonck's total is not the sum of its parts (CBS rounds each cell): 17 beside 11 + 3 + 0.
EXTRA = {"Cranendonck": 3}
PARTS = {
    "Cranendonck": [11, 3, 0],
    "Asten": [11, 3, 0],       # one hidden part beside a total: the total minus the other part
    "Best": [2, 2, 20],        # two hidden parts
    "Bladel": [0, 1, 7],       # a zero next to a hidden part
    "Helmond": [300, 200, 4],  # large parts and a small one: the region's column total minus Helmond's
}


@pytest.fixture
def attacked_region(users, region, periods):
    indicator = Indicator.objects.get(code="meldingen-vt")
    assert indicator.suppress_small_numbers
    period = ReportingPeriod.objects.get(kind="quarter", year=2024, number=1)
    forms = [ViolenceForm.objects.get(name=name) for name in FORMS]
    for name, parts in PARTS.items():
        municipality = Organisation.objects.get(name=name, region=region)
        Figure.objects.create(indicator=indicator, organisation=municipality, period=period, source="veilig_thuis",
                              value=Decimal(sum(parts) + EXTRA.get(name, 0)))
        for form, value in zip(forms, parts, strict=True):
            FigureBreakdown.objects.create(indicator=indicator, organisation=municipality, period=period,
                                           source="veilig_thuis", violence_form=form, value=Decimal(value))
    return region, indicator, period


def _gather(users, region, indicator, period):
    """Intervals per (municipality, form or "total") and per region column ("region", form or "total")."""
    client = client_for(users["national"])
    params = {"period": period.pk, "indicator": indicator.pk, "source": "veilig_thuis"}
    cells = {}
    for fmt in ("csv", "xlsx"):
        response = client.get(reverse("reporting:breakdown_export", args=[region.pk, fmt]), params)
        assert response.status_code == 200
        for row in _rows(response, fmt)[1:]:
            interval = _interval(row[6])
            if interval is None:
                continue
            where = row[0] if row[0] in PARTS else "region"
            # A part, or the total; nothing else (the check "total minus the parts" stays inside the region).
            assert row[5] in [*FORMS, "Totaal"], row
            what = row[5] if row[5] in FORMS else "total"
            cells.setdefault((where, what), []).append(interval)
        response = client.get(reverse("reporting:figure_export", args=[region.pk, fmt]), params)
        for row in _rows(response, fmt)[1:]:
            interval = _interval(row[5])
            if interval is not None:
                cells.setdefault((row[0] if row[0] in PARTS else "region", "total"), []).append(interval)
    return cells


def test_no_hidden_part_can_be_pinned_from_everything_the_national_team_can_download(users, attacked_region):
    region, indicator, period = attacked_region
    cells = _gather(users, region, indicator, period)
    names = list(PARTS)
    keys = [(name, what) for name in names for what in [*FORMS, "total"]]
    index = {key: i for i, key in enumerate(keys)}
    size = len(keys)
    rows, upper = [], []

    def bound(coefficients, low, high):
        vector = [0.0] * size
        for key, factor in coefficients:
            vector[index[key]] += factor
        rows.append(vector)
        upper.append(high)
        rows.append([-v for v in vector])
        upper.append(-low)

    for (where, what), intervals in cells.items():
        for low, high in intervals:
            if where == "region":
                bound([((name, what), 1) for name in names], low, high)
            else:
                bound([((where, what), 1)], low, high)
    a_eq = []
    for name in names:  # the attacker's strongest assumption: a total is exactly the sum of its parts
        if name in EXTRA:
            continue
        vector = [0.0] * size
        vector[index[(name, "total")]] = 1.0
        for form in FORMS:
            vector[index[(name, form)]] = -1.0
        a_eq.append(vector)
    hidden = [key for key, intervals in cells.items() if key[0] != "region"
              and any(low == 0.0 and high == 4.0 for low, high in intervals)]
    truly_small = {(name, form) for name, parts in PARTS.items() for form, value in zip(FORMS, parts, strict=True)
                   if value < 5}
    assert set(hidden) == truly_small  # every small part is hidden (zeros too), and only those
    pinned = {}
    for key in hidden:
        objective = [0.0] * size
        objective[index[key]] = 1.0
        found = []
        for sign in (1, -1):
            solved = scipy_optimize.linprog([sign * c for c in objective], A_ub=rows, b_ub=upper, A_eq=a_eq,
                                            b_eq=[0.0] * len(a_eq), bounds=[(0, None)] * size, method="highs")
            assert solved.status == 0, solved.message
            found.append(sign * solved.fun)
        if found[1] - found[0] < 1:
            pinned[key] = found
    assert not pinned, f"hidden parts pinned down by the published numbers: {pinned}"
    # No exact part or total of a protected indicator leaves the region.
    assert all(high - low == 5 or high - low == 4 for intervals in cells.values() for low, high in intervals)
