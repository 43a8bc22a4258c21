"""Comments on figures: added from the grid or the figure's history, shown beside the value and in the history,
read only inside the region (the national team and other regions get a 404 and never see them)."""

from decimal import Decimal

import pytest
from django.urls import reverse

from programme.models import ReportingPeriod
from reporting.models import Figure, FigureComment

from ...permissions import assert_permissions, client_for

pytestmark = pytest.mark.django_db

TEXT = "Registratie gewijzigd per 1 januari"


def q(year, number):
    return ReportingPeriod.objects.get(kind="quarter", year=year, number=number)


def comment(municipality, indicator, period, author, text=TEXT):
    return FigureComment.objects.create(organisation=municipality, indicator=indicator, period=period, author=author,
                                        text=text)


def test_a_comment_added_on_the_grid_shows_beside_the_value_and_in_the_history(users, region, periods, indicators,
                                                                               municipality):
    advice, helmond = indicators["adviesvragen-vt"], municipality("Helmond")
    Figure.objects.create(organisation=helmond, indicator=advice, period=q(2024, 1), source="veilig_thuis",
                          status="value", value=Decimal(400))
    grid = reverse("reporting:figure_grid", args=[region.pk]) + f"?period={q(2024, 1).pk}&source=veilig_thuis"
    client = client_for(users["veilig_thuis"])
    page = client.get(grid).content.decode()
    assert "Opmerking bij een cijfer" in page and "comment-marker" not in page
    response = client.post(reverse("reporting:comment_add", args=[region.pk]), {
        "municipality": helmond.pk, "indicator": advice.pk, "period": q(2024, 1).pk, "text": TEXT, "next": grid})
    assert response.status_code == 302 and response["Location"] == grid
    saved = FigureComment.objects.get()
    assert (saved.organisation, saved.indicator, saved.period, saved.author, saved.text) == (
        helmond, advice, q(2024, 1), users["veilig_thuis"], TEXT)
    page = client.get(grid).content.decode()
    assert "comment-marker" in page
    assert '1<span class="visually-hidden"> opmerking bij Helmond, Adviesvragen Veilig Thuis' in page
    # The steering group sees the marker in the table, and the thread on the figure's history page.
    reader = client_for(users["steering_group"])
    table = reader.get(reverse("reporting:figure_table", args=[region.pk]),
                       {"period": q(2024, 1).pk, "indicator": advice.pk}).content.decode()
    assert "opmerking bij Helmond, Adviesvragen Veilig Thuis" in table
    history = reader.get(reverse("reporting:figure_history", args=[region.pk]), {
        "indicator": advice.pk, "municipality": helmond.pk, "period": q(2024, 1).pk}).content.decode()
    assert TEXT in history and "Opmerking plaatsen" in history


def test_a_missing_value_takes_a_comment_too(users, region, periods, indicators, municipality):
    """'Levert K3 later': the comment is keyed like a figure (indicator, municipality, period), not linked to one."""
    advice, asten = indicators["adviesvragen-vt"], municipality("Asten")
    response = client_for(users["steering_group"]).post(reverse("reporting:comment_add", args=[region.pk]), {
        "municipality": asten.pk, "indicator": advice.pk, "period": q(2024, 3).pk, "text": "Levert K3 later"})
    assert response.status_code == 302 and "#opmerkingen" in response["Location"]
    assert not Figure.objects.exists() and FigureComment.objects.get().text == "Levert K3 later"
    table = client_for(users["helmond"]).get(reverse("reporting:figure_table", args=[region.pk]),
                                             {"period": q(2024, 3).pk, "indicator": advice.pk}).content.decode()
    assert "1<span class=\"visually-hidden\"> opmerking bij Asten" in table


def test_comments_stay_inside_the_region(users, region, periods, indicators, municipality):
    advice, helmond = indicators["adviesvragen-vt"], municipality("Helmond")
    comment(helmond, advice, q(2024, 1), users["helmond"])
    history = reverse("reporting:figure_history", args=[region.pk])
    narrowed = {"indicator": advice.pk, "municipality": helmond.pk, "period": q(2024, 1).pk}
    assert_permissions(history + f"?indicator={advice.pk}&municipality={helmond.pk}&period={q(2024, 1).pk}",
                       allowed=[users[k] for k in ("project_leader", "helmond", "veilig_thuis", "steering_group",
                                                   "admin")],
                       outside=[users["national"], users["other_region"], users["other_project_leader"]],
                       no_role=users["no_role"], expect=200)
    # The national team reads the region's table (small numbers hidden), without markers or comments.
    table = client_for(users["national"]).get(reverse("reporting:figure_table", args=[region.pk]),
                                              {"period": q(2024, 1).pk, "indicator": advice.pk}).content.decode()
    assert "opmerking" not in table.lower() and TEXT not in table
    national = client_for(users["national"]).get(reverse("reporting:national_dashboard")).content.decode()
    assert TEXT not in national
    assert client_for(users["helmond"]).get(history, narrowed).content.decode().count(TEXT) == 1


def test_only_region_members_add_comments(users, region, other_region, periods, indicators, municipality):
    advice, helmond = indicators["adviesvragen-vt"], municipality("Helmond")
    url = reverse("reporting:comment_add", args=[region.pk])
    data = {"municipality": helmond.pk, "indicator": advice.pk, "period": q(2024, 1).pk, "text": "Opmerking"}
    assert_permissions(url, method="post", data=data, allowed=[users["helmond"], users["steering_group"]],
                       outside=[users["national"], users["other_region"], users["other_project_leader"]],
                       no_role=users["no_role"], expect=302, location="#opmerkingen")
    assert FigureComment.objects.count() == 2
    # A municipality of another region cannot be slipped in through one's own region.
    tilburg = other_region.organisations.get(name="Tilburg")
    client = client_for(users["helmond"])
    response = client.post(url, {**data, "municipality": tilburg.pk})
    assert response.status_code == 302
    assert "Selecteer een geldige keuze" in client.get(response["Location"]).content.decode()
    response = client.post(url, {**data, "text": "   "})
    assert response.status_code == 302 and FigureComment.objects.count() == 2


def test_the_grid_and_table_read_comments_in_one_query(users, region, periods, indicators, municipality):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    advice = indicators["adviesvragen-vt"]
    grid = reverse("reporting:figure_grid", args=[region.pk]) + f"?period={q(2024, 1).pk}&source=veilig_thuis"
    client = client_for(users["veilig_thuis"])
    client.get(grid)

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(grid).status_code == 200
        return len(captured)

    before = count()
    for m in region.organisations.filter(kind="municipality"):
        comment(m, advice, q(2024, 1), users["helmond"])
        comment(m, advice, q(2024, 1), users["helmond"], "Tweede opmerking")
    assert count() == before
