"""The attacker test: everything the national team can download of one region, turned into linear constraints,
must leave every hidden cell a range of values (linear programming finds the narrowest range it can).

The read API's figures (JSON and CSV, as the national team's token pages through them) are part of it.
The region has small cells in quarters, one only visible by combining half years and the year, two hidden
cells in one total, and zeros. Shown numbers are read the way the README says they are published: "<5" is
0 to 4, a multiple of 5 may be rounded (within 2.5), any other number is exact.
"""

import csv
import io
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from programme.models import Indicator, Organisation, Population, ReportingPeriod
from reporting.models import Figure

from ..permissions import client_for

scipy_optimize = pytest.importorskip("scipy.optimize")

pytestmark = pytest.mark.django_db

# Municipality: Q1..Q4 of 2024, exact. Half years and the year are delivered too (CBS delivers HJ and JJ).
QUARTERS = {
    "Asten": [11, 12, 14, 2],   # the case: the year minus three quarters gives Q4 away
    "Best": [3, 2, 21, 18],     # two hidden cells in one half year
    "Bladel": [0, 1, 0, 7],     # zeros next to a hidden cell
    "Cranendonck": [9, 6, 4, 8],  # hidden only in Q3; the half year minus Q4 would give it back
    "Eindhoven": [1733, 1690, 1702, 1811],
    "Helmond": [611, 588, 640, 597],
}
KINDS = [("quarter", n) for n in range(1, 5)] + [("half_year", 1), ("half_year", 2), ("year", 0)]


def _value(quarters, kind, number):
    if kind == "quarter":
        return quarters[number - 1]
    if kind == "half_year":
        return sum(quarters[2 * number - 2: 2 * number])
    return sum(quarters)


def _interval(text) -> tuple[float, float] | None:
    """The range a published cell text allows."""
    text = str(text).strip()
    if text in ("", "None", "–"):
        return None
    if text.startswith("<"):
        return 0.0, float(int(text[1:]) - 1)
    if not re.fullmatch(r"[0-9.,]+", text):
        return None  # a word ("hidden") tells nothing
    number = float(Decimal(text.replace(".", "").replace(",", ".")) if "," in text else Decimal(text))
    if number % 5 == 0:
        return max(0.0, number - 2.5), number + 2.5
    return number, number


def _rows(response, fmt):
    if fmt == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]


@pytest.fixture
def attacked_region(users, region, periods):
    indicator = Indicator.objects.get(code="meldingen-vt")
    assert indicator.suppress_small_numbers
    for name, quarters in QUARTERS.items():
        municipality = Organisation.objects.get(name=name, region=region)
        Population.objects.get_or_create(organisation=municipality, year=2024, defaults={"inhabitants": 20000})
        for kind, number in KINDS:
            period = ReportingPeriod.objects.get(kind=kind, year=2024, number=number)
            Figure.objects.create(indicator=indicator, organisation=municipality, period=period, source="veilig_thuis",
                                  value=Decimal(_value(quarters, kind, number)))
    return region, indicator


def _gather_api(users, region, indicator, cells):
    """The figures of the read API (JSON and CSV, every page) as the national team's token receives them."""
    from .api.conftest import api_client, token_for

    client = api_client(token_for(users["national"]))
    periods = {p.pk: (p.kind, p.number) for p in ReportingPeriod.objects.filter(year=2024)}
    gathered = 0
    url = reverse("reporting:api-figures-list") + f"?indicator={indicator.code}&region={region.pk}&page_size=10"
    while url:  # every page, following the cursor; each page as JSON and as CSV
        response = client.get(url)
        assert response.status_code == 200
        as_csv = client.get(url + "&format=csv")
        assert as_csv.status_code == 200
        rows = response.json()["results"] + list(csv.DictReader(io.StringIO(as_csv.content.decode("utf-8"))))
        url = response.json()["next"]
        for row in rows:
            shown = row["value_label"] or row["value"]
            interval = _interval(shown)
            if row["municipality"] in QUARTERS and interval and int(row["period"]) in periods:
                kind, number = periods[int(row["period"])]
                cells.setdefault((row["municipality"], kind, number), []).append(interval)
                gathered += 1
    return gathered


def _gather(users, region, indicator):
    """Every number the national team can download about the region: figure tables (CSV and Excel) of every
    period, the read API's figures (JSON and CSV), and the national overview's chart CSV and chart JSON.
    Returns (cells, totals, national)."""
    client = client_for(users["national"])
    # The steering and municipality dashboards are for the region only.
    assert client.get(reverse("reporting:steering_dashboard", args=[region.pk])).status_code == 403
    cells, totals, inhabitants = {}, {}, {}
    for kind, number in KINDS:
        period = ReportingPeriod.objects.get(kind=kind, year=2024, number=number)
        params = {"period": period.pk, "indicator": indicator.pk, "source": "veilig_thuis"}
        assert client.get(reverse("reporting:figure_table", args=[region.pk]), params).status_code == 200
        for fmt in ("csv", "xlsx"):
            response = client.get(reverse("reporting:figure_export", args=[region.pk, fmt]), params)
            assert response.status_code == 200
            for row in _rows(response, fmt)[1:]:
                interval = _interval(row[5])
                if row[0] in QUARTERS and interval:
                    cells.setdefault((row[0], kind, number), []).append(interval)
                    inhabitants[row[0]] = int(float(row[7]))
                    if row[8]:  # a rate times the (public) population is a count again
                        count = float(Decimal(row[8].replace(",", "."))) * inhabitants[row[0]] / 1000
                        cells[(row[0], kind, number)].append(_rate_interval(count, inhabitants[row[0]]))
                elif row[0] not in QUARTERS and interval:
                    totals.setdefault((kind, number), []).append(interval)
    assert _gather_api(users, region, indicator, cells) == 2 * len(QUARTERS) * len(KINDS)
    page = client.get(reverse("reporting:national_dashboard"), {"year": 2024})
    assert page.status_code == 200
    national = []
    chart = next(c for c in page.context["charts"] if c["key"] == "per-1000")
    trace = next(t for t in chart["figure"]["data"] if t["name"] == indicator.name)
    shown = dict(zip(trace["y"], trace["x"], strict=True))
    csv_rows = _rows(client.get(reverse("reporting:national_chart_csv", args=["per-1000"]), {"year": 2024}), "csv")
    row = next(r for r in csv_rows if r[0] == region.name)
    people = sum(inhabitants[name] for name in QUARTERS)
    for value in (shown.get(region.name), row[csv_rows[0].index(indicator.name)]):
        if value is not None and re.fullmatch(r"[0-9.,]+", str(value)):
            national.append(_rate_interval(float(Decimal(str(value).replace(",", "."))) * people / 1000, people))
    return cells, totals, national


def _rate_interval(count: float, people: int) -> tuple[float, float]:
    """A rate (two decimals) times the population: the count within the rate's rounding, or a rounded count."""
    slack = 0.005 * people / 1000
    nearest_five = round(count / 5) * 5
    if abs(count - nearest_five) <= slack + 1e-9:
        return max(0.0, nearest_five - 2.5 - slack), nearest_five + 2.5 + slack
    return count - slack, count + slack


def _ranges(cells, totals, national):
    """For every cell shown as hidden: the smallest and largest value all published numbers allow."""
    names = list(QUARTERS)
    index = {(name, kind, number): i for i, (name, (kind, number)) in
             enumerate((n, k) for n in names for k in KINDS)}
    size = len(index)
    rows, upper = [], []

    def bound(coefficients, low, high):
        vector = [0.0] * size
        for key, factor in coefficients:
            vector[index[key]] += factor
        rows.append(vector)
        upper.append(high)
        rows.append([-v for v in vector])
        upper.append(-low)

    for key, intervals in cells.items():
        for low, high in intervals:
            bound([(key, 1)], low, high)
    for (kind, number), intervals in totals.items():
        for low, high in intervals:
            bound([((name, kind, number), 1) for name in names], low, high)
    for low, high in national:
        bound([((name, "quarter", n), 1) for name in names for n in range(1, 5)], low, high)
    equalities = []
    for name in names:  # the attacker knows that quarters make half years and half years make the year
        equalities.append([((name, "half_year", 1), 1), ((name, "quarter", 1), -1), ((name, "quarter", 2), -1)])
        equalities.append([((name, "half_year", 2), 1), ((name, "quarter", 3), -1), ((name, "quarter", 4), -1)])
        equalities.append([((name, "year", 0), 1), ((name, "half_year", 1), -1), ((name, "half_year", 2), -1)])
    a_eq = []
    for equality in equalities:
        vector = [0.0] * size
        for key, factor in equality:
            vector[index[key]] += factor
        a_eq.append(vector)
    result = {}
    hidden = [key for key, intervals in cells.items() if any(low == 0.0 and high == 4.0 for low, high in intervals)]
    for key in hidden:
        objective = [0.0] * size
        objective[index[key]] = 1.0
        found = []
        for sign in (1, -1):
            solved = scipy_optimize.linprog([sign * c for c in objective], A_ub=rows, b_ub=upper, A_eq=a_eq,
                                            b_eq=[0.0] * len(a_eq), bounds=[(0, None)] * size, method="highs")
            assert solved.status == 0, solved.message
            found.append(sign * solved.fun)
        result[key] = tuple(found)
    return result


def test_no_hidden_cell_can_be_pinned_from_everything_the_national_team_can_download(users, attacked_region):
    region, indicator = attacked_region
    cells, totals, national = _gather(users, region, indicator)
    ranges = _ranges(cells, totals, national)
    truly_small = {(name, kind, number) for name, quarters in QUARTERS.items() for kind, number in KINDS
                   if _value(quarters, kind, number) < 5}
    assert ("Asten", "quarter", 4) in ranges and ("Best", "half_year", 1) not in ranges
    pinned = {key: span for key, span in ranges.items() if span[1] - span[0] < 1}
    assert not pinned, f"hidden cells pinned down by the published numbers: {pinned}"
    assert set(ranges) == truly_small  # every small cell is hidden (zeros too), and only those
    assert national, "the national overview shows the region's rate"
    year = ReportingPeriod.objects.get(kind="year", year=2024, number=0)
    html = client_for(users["national"]).get(reverse("reporting:figure_table", args=[region.pk]),
                                             {"period": year.pk, "indicator": indicator.pk}).content.decode()
    assert not re.search(r">\s*39\s*<", html)  # Asten's exact year total is not on the page either
