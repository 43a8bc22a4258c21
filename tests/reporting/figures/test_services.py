"""The entry grid and who may enter which figures: every rule of the issue, and that a bad grid changes nothing."""

from decimal import Decimal

import pytest

from programme.models import ReportingPeriod
from reporting.figures import services as figures_services
from reporting.figures.access import entry_rights
from reporting.models import Figure, FigureChange

pytestmark = pytest.mark.django_db


def q(year, number, kind="quarter"):
    return ReportingPeriod.objects.get(kind=kind, year=year, number=number)


def value_of(municipality, indicator, period, source="veilig_thuis"):
    figure = Figure.objects.filter(organisation=municipality, indicator=indicator, period=period, source=source).first()
    return None if figure is None else (figure.status, figure.value, figure.is_provisional)


def test_rights_follow_role_and_kind(users, region, indicators, municipality):
    vt = entry_rights(users["veilig_thuis"], region)
    assert len(vt.municipality_rows) == 21
    assert {i.code for i in vt.indicator_columns} == {"adviesvragen-vt", "meldingen-vt", "binnen-termijn-vt"}
    helmond = entry_rights(users["helmond"], region)
    assert [m.name for m in helmond.municipality_rows] == ["Helmond"]
    assert [i.code for i in helmond.indicator_columns] == ["budget-gemeente"]
    assert len(entry_rights(users["project_leader"], region).indicator_columns) == 4
    assert not entry_rights(users["steering_group"], region).any
    assert not entry_rights(users["other_region"], region).any
    assert not entry_rights(users["national"], region).any


# The grid ----------------------------------------------------------------------------------------------------


def grid_cells(rights, values, versions=None, originals=None):
    return [
        figures_services.GridCell(municipality_id=m.pk, indicator_id=i.pk, text=text,
                          original=(originals or {}).get((m, i), ""), version=(versions or {}).get((m, i), 0))
        for (m, i), text in values.items()
    ]


def test_grid_keeps_empty_zero_and_not_available_apart(users, region, periods, indicators, municipality):
    rights = entry_rights(users["veilig_thuis"], region)
    advice = indicators["adviesvragen-vt"]
    cells = {(municipality("Helmond"), advice): "414", (municipality("Asten"), advice): "0",
             (municipality("Best"), advice): "n.b.", (municipality("Bladel"), advice): ""}
    saved = figures_services.figures_save_grid(rights=rights, period=q(2023, 1), source="veilig_thuis",
                                       cells=grid_cells(rights, cells), acting_user=users["veilig_thuis"])
    assert saved == 3
    assert value_of(municipality("Helmond"), advice, q(2023, 1)) == ("value", Decimal(414), False)
    assert value_of(municipality("Asten"), advice, q(2023, 1)) == ("value", Decimal(0), False)
    assert value_of(municipality("Best"), advice, q(2023, 1)) == ("not_available", None, False)
    assert value_of(municipality("Bladel"), advice, q(2023, 1)) is None
    # Clearing a cell removes the figure, and the history says so.
    helmond_figure = Figure.objects.get(organisation=municipality("Helmond"))
    figures_services.figures_save_grid(
        rights=rights, period=q(2023, 1), source="veilig_thuis", acting_user=users["veilig_thuis"],
        cells=grid_cells(rights, {(municipality("Helmond"), advice): ""}, {(municipality("Helmond"), advice): 1},
                         {(municipality("Helmond"), advice): "414"}))
    assert not Figure.objects.filter(pk=helmond_figure.pk).exists()
    assert FigureChange.objects.filter(organisation=municipality("Helmond"), action="delete").count() == 1


def test_grid_with_one_bad_cell_saves_nothing(users, region, periods, indicators, municipality):
    rights = entry_rights(users["veilig_thuis"], region)
    advice, in_time = indicators["adviesvragen-vt"], indicators["binnen-termijn-vt"]
    cells = {(municipality("Helmond"), advice): "414", (municipality("Helmond"), in_time): "120",
             (municipality("Asten"), advice): "2,5"}
    with pytest.raises(figures_services.GridInvalid) as invalid:
        figures_services.figures_save_grid(rights=rights, period=q(2023, 1), source="veilig_thuis",
                                   cells=grid_cells(rights, cells), acting_user=users["veilig_thuis"])
    assert invalid.value.errors == {
        (municipality("Helmond").pk, in_time.pk): "Een percentage ligt tussen 0 en 100.",
        (municipality("Asten").pk, advice.pk): "Een aantal is een geheel getal van 0 of meer.",
    }
    assert Figure.objects.count() == 0


def test_grid_refuses_a_cell_someone_else_changed(users, region, periods, indicators, municipality):
    rights = entry_rights(users["veilig_thuis"], region)
    advice = indicators["adviesvragen-vt"]
    key = (municipality("Helmond"), advice)
    figures_services.figures_save_grid(rights=rights, period=q(2023, 1), source="veilig_thuis",
                               cells=grid_cells(rights, {key: "400"}), acting_user=users["veilig_thuis"])
    # Both open the grid at version 1; the project leader saves first.
    figures_services.figures_save_grid(rights=entry_rights(users["project_leader"], region), period=q(2023, 1),
                               source="veilig_thuis", acting_user=users["project_leader"],
                               cells=grid_cells(rights, {key: "401"}, {key: 1}, {key: "400"}))
    with pytest.raises(figures_services.GridConflict) as conflict:
        figures_services.figures_save_grid(rights=rights, period=q(2023, 1), source="veilig_thuis",
                                   acting_user=users["veilig_thuis"],
                                   cells=grid_cells(rights, {key: "414"}, {key: 1}, {key: "400"}))
    assert conflict.value.cells == [(municipality("Helmond").pk, advice.pk)]
    assert value_of(*key, q(2023, 1))[1] == Decimal(401)
    # A cell the user did not touch is not written back over the other person's change.
    figures_services.figures_save_grid(rights=rights, period=q(2023, 1), source="veilig_thuis",
                               acting_user=users["veilig_thuis"],
                               cells=grid_cells(rights, {key: "400"}, {key: 1}, {key: "400"}))
    assert value_of(*key, q(2023, 1))[1] == Decimal(401)


def test_grid_refuses_cells_outside_the_users_rights(users, region, periods, indicators, municipality):
    rights = entry_rights(users["helmond"], region)
    cells = [figures_services.GridCell(municipality_id=municipality("Eindhoven").pk,
                               indicator_id=indicators["budget-gemeente"].pk, text="5", original="", version=0)]
    with pytest.raises(figures_services.GridInvalid):
        figures_services.figures_save_grid(rights=rights, period=q(2023, 0, "year"), source="municipality", cells=cells,
                                   acting_user=users["helmond"])
    assert Figure.objects.count() == 0
