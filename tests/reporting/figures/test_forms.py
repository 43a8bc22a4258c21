"""The entry grid's form: a field per cell the user may fill in, a Dutch message per bad cell, versions passed on."""

from types import SimpleNamespace

from django.http import QueryDict

from reporting.figures.forms import FigureGridForm

COUNT = SimpleNamespace(pk=1, unit="count")
PERCENTAGE = SimpleNamespace(pk=2, unit="percentage")


def _rows():
    helmond = SimpleNamespace(pk=10)
    return [{"municipality": helmond, "cells": [
        {"name": "c-10-1", "indicator": COUNT, "allowed": True, "text": "4"},
        {"name": "c-10-2", "indicator": PERCENTAGE, "allowed": False, "text": ""},
    ]}]


def _form(query: str) -> FigureGridForm:
    return FigureGridForm(QueryDict(query), rows=_rows())


def test_only_cells_the_user_may_fill_in_are_fields():
    assert set(_form("").fields) == {"c-10-1", "o-c-10-1", "v-c-10-1", "x-c-10-1"}


def test_a_changed_cell_that_does_not_fit_its_indicator_gets_its_own_dutch_message():
    form = _form("c-10-1=2,5&o-c-10-1=4&v-c-10-1=3")
    assert not form.is_valid()
    assert form.errors == {"c-10-1": ["Een aantal is een geheel getal van 0 of meer."]}


def test_an_unchanged_cell_is_not_checked_and_an_unsent_cell_is_left_alone():
    assert _form("c-10-1=%20veel&o-c-10-1=veel").is_valid()
    form = _form("c-10-2=101")  # not the user's to enter: no field, ignored
    assert form.is_valid() and form.grid_cells() == []


def test_the_cells_go_to_the_service_as_typed_with_their_versions():
    form = _form("c-10-1=%201.234&o-c-10-1=4&v-c-10-1=3")
    assert form.is_valid()
    (cell,) = form.grid_cells()
    assert (cell.municipality_id, cell.indicator_id, cell.text, cell.original, cell.version) == (
        10, 1, " 1.234", "4", 3)
    # A version nobody could have sent matches no figure: the service will call the cell changed meanwhile.
    for query, version in (("c-10-1=5&v-c-10-1=x", -1), ("c-10-1=5", 0)):
        form = _form(query)
        assert form.is_valid() and form.grid_cells()[0].version == version


def test_a_refused_save_shows_the_input_and_the_error_beside_the_saved_value():
    rows = _rows()
    form = FigureGridForm(QueryDict("c-10-1=2,5&o-c-10-1=4&v-c-10-1=3"), rows=rows)
    form.is_valid()
    form.show_in(rows)
    cell = rows[0]["cells"][0]
    assert (cell["value"], cell["original"], cell["saved_text"], cell["conflict"]) == ("2,5", "4", "4", False)
    assert cell["error"] == "Een aantal is een geheel getal van 0 of meer."
    form.show_in(rows, conflicts=frozenset({"c-10-1"}))
    assert cell["original"] == "4" and cell["conflict"]


def test_a_value_too_large_to_store_is_refused_with_a_dutch_message_not_a_server_error():
    """The probe's grid values: a 16-digit count, a 30-digit one (beyond the decimal context's precision) and the
    same with thousands separators; the column holds 12 digits before the comma."""
    for value in ("1000000000000000", "1" * 30, "1.000.000.000.000.000", "999999999999,5"):
        form = _form(f"c-10-1={value}&o-c-10-1=4&v-c-10-1=3")
        assert not form.is_valid(), value
        assert form.errors["c-10-1"] in (["Dit getal is te groot."], ["Een aantal is een geheel getal van 0 of meer."])
    assert _form("c-10-1=999.999.999.999&o-c-10-1=4&v-c-10-1=3").is_valid()
