"""The figures endpoint: the pages' disclosure step, filters, stable paging with a cap, CSV on request."""

import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from programme.models import Indicator, Organisation, ReportingPeriod
from reporting.api.pagination import MAX_PAGE_SIZE, ApiPagination, FigureCursorPagination
from reporting.figures.selectors import export_rows, figure_table
from reporting.models import Figure

from .conftest import api_client, token_for

pytestmark = pytest.mark.django_db

URL = reverse("reporting:api-figures-list")
VALUES = {"Asten": 3, "Best": 12, "Helmond": 611, "Eindhoven": 0}


@pytest.fixture
def figures(periods, region):
    indicator = Indicator.objects.get(code="meldingen-vt")
    q1 = ReportingPeriod.objects.get(kind="quarter", year=2024, number=1)
    for name, value in VALUES.items():
        Figure.objects.create(indicator=indicator, organisation=Organisation.objects.get(name=name), period=q1,
                              source="veilig_thuis", value=Decimal(value), is_provisional=name == "Best")
    return indicator, q1


def _by_name(response):
    return {row["municipality"]: row for row in response.json()["results"]}


def test_the_national_team_gets_what_the_figure_table_shows_it(users, region, figures):
    indicator, q1 = figures
    rows = _by_name(api_client(token_for(users["national"])).get(URL, {"indicator": indicator.code}))
    assert {name: (row["value"], row["value_label"], row["hidden"], row["rounded"]) for name, row in rows.items()} == {
        "Asten": (None, "<5", True, True), "Best": (10, None, False, True), "Helmond": (610, None, False, True),
        "Eindhoven": (None, "<5", True, True)}
    table = figure_table(user=users["national"], region=region, period=q1, indicator=indicator,
                         source="veilig_thuis")
    _header, exported = export_rows(table)
    page = {row[0]: row[5] for row in exported if row[0] in VALUES}
    assert page == {name: row["value_label"] or row["value"] for name, row in rows.items()}
    assert rows["Best"]["is_provisional"] is True and rows["Best"]["source"] == "veilig_thuis"


def test_the_region_itself_gets_exact_values(users, figures):
    rows = _by_name(api_client(token_for(users["helmond"])).get(URL))
    assert {name: row["value"] for name, row in rows.items()} == VALUES
    assert not any(row["hidden"] or row["rounded"] for row in rows.values())


def test_filters(users, figures, region):
    client = api_client(token_for(users["helmond"]))
    assert set(_by_name(client.get(URL, {"municipality": "GM0794"}))) == {"Helmond"}
    assert set(_by_name(client.get(URL, {"period_from": "2024-01-01", "period_to": "2024-03-31"}))) == set(VALUES)
    assert _by_name(client.get(URL, {"period_from": "2024-04-01"})) == {}
    assert _by_name(client.get(URL, {"indicator": "adviesvragen-vt"})) == {}
    assert set(_by_name(client.get(URL, {"is_provisional": "true"}))) == {"Best"}
    assert client.get(URL, {"source": "nonsense"}).status_code == 400


def test_paging_by_cursor_is_stable_and_capped(users, figures):
    client = api_client(token_for(users["helmond"]))
    first = client.get(URL, {"page_size": 3}).json()
    second = client.get(first["next"]).json()
    assert len(first["results"]) == 3 and len(second["results"]) == 1 and second["next"] is None
    ids = [row["id"] for row in first["results"] + second["results"]]
    assert ids == sorted(ids) == sorted(Figure.objects.values_list("pk", flat=True))
    assert client.get(URL, {"cursor": "nonsense"}).status_code == 404
    assert FigureCursorPagination.max_page_size == ApiPagination.max_page_size == MAX_PAGE_SIZE == 1000


def test_a_page_size_beyond_the_cap_gets_the_cap(users, figures, monkeypatch):
    monkeypatch.setattr(FigureCursorPagination, "max_page_size", 2)
    client = api_client(token_for(users["helmond"]))
    assert len(client.get(URL, {"page_size": 100000}).json()["results"]) == 2


def test_csv_on_request(users, figures):
    client = api_client(token_for(users["national"]))
    for response in (client.get(URL, {"format": "csv"}), client.get(URL, HTTP_ACCEPT="text/csv")):
        assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
        rows = {row["municipality"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
        assert rows["Asten"]["value"] == "" and rows["Asten"]["value_label"] == "<5"
        assert rows["Helmond"]["value"] == "610"
