"""Imports: every rule of a figure delivery, and that a bad import changes nothing."""

from decimal import Decimal

import pytest
from django.db import connection

from programme.models import ReportingPeriod
from reporting.imports import services as imports_services
from reporting.models import Figure, FigureChange, FigureImport, FigureImportStatus, ImportRow

from ..conftest import LONG, run_import

pytestmark = pytest.mark.django_db


def q(year, number, kind="quarter"):
    return ReportingPeriod.objects.get(kind=kind, year=year, number=number)


def value_of(municipality, indicator, period, source="veilig_thuis"):
    figure = Figure.objects.filter(organisation=municipality, indicator=indicator, period=period, source=source).first()
    return None if figure is None else (figure.status, figure.value, figure.is_provisional)


CBS_FILE = (
    "\ufeff"
    '"ID";"RegioS";"Perioden";"Adviesvragen Veilig Thuis";"Meldingen Veilig Thuis";"Binnen termijn"\r\n'
    '1;"GM0794    ";"2023HJ01";"415";"340";"87,5"\r\n'  # padded key, decimal comma
    '2;"GM0772    ";"1e halfjaar 2023*";".";"x";"-"\r\n'  # label with provisional star; unknown, secret, nil
    '3;"Geldrop-Mierlo";"2023JJ00";"1.205";"-";"."\r\n'  # municipality by name, Dutch thousands
    '4;"NL01      ";"2023HJ01";"60000";"50000";"80"\r\n'  # the country: not a municipality, skipped
    '5;"GM0855    ";"2023HJ01";"500";"400";"70"\r\n'  # Tilburg: another region, skipped
)


def test_cbs_file_with_every_quirk(users, region, periods, indicators, municipality):
    vt = users["veilig_thuis"]
    figure_import = run_import(vt, region, CBS_FILE, file_name="84850NED.csv", source="cbs_statline")
    assert figure_import.status == FigureImportStatus.CONFIRMED
    assert (figure_import.created_count, figure_import.outside_count, figure_import.not_municipality_count,
            figure_import.rejected_count) == (9, 3, 3, 0)
    helmond, eindhoven, geldrop = municipality("Helmond"), municipality("Eindhoven"), municipality("Geldrop-Mierlo")
    h1 = q(2023, 1, "half_year")
    advice, reports = indicators["adviesvragen-vt"], indicators["meldingen-vt"]
    in_time = indicators["binnen-termijn-vt"]
    assert value_of(helmond, advice, h1, "cbs_statline") == ("value", Decimal(415), False)
    assert value_of(helmond, in_time, h1, "cbs_statline") == ("value", Decimal("87.5"), False)
    assert value_of(eindhoven, advice, h1, "cbs_statline") == ("not_available", None, True)
    assert value_of(eindhoven, reports, h1, "cbs_statline") == ("secret", None, True)
    assert value_of(eindhoven, in_time, h1, "cbs_statline") == ("value", Decimal(0), True)
    assert value_of(geldrop, advice, q(2023, 0, "year"), "cbs_statline") == ("value", Decimal(1205), False)
    left_out = ImportRow.objects.filter(figure_import=figure_import).exclude(action="create")
    reasons = set(left_out.values_list("action", "reason"))
    assert ("not_municipality", "NL01 is een provincie, regio of het land, geen gemeente.") in reasons
    assert any(action == "outside" and reason in ("Tilburg ligt buiten regio Zuidoost-Brabant.",
               "Gemeente GM0855 ligt buiten regio Zuidoost-Brabant.") for action, reason in reasons)
    # Every created figure is in the history, naming the import.
    assert FigureChange.objects.filter(figure_import=figure_import, action="create").count() == 9


def test_one_bad_row_among_good_ones_writes_nothing(users, region, periods, indicators):
    content = ("gemeente;periode;indicator;waarde\n"
               "GM0794;2023KW01;adviesvragen-vt;414\n"
               "GM0772;2023KW01;adviesvragen-vt;veel\n"
               "GM0772;2023KW09;adviesvragen-vt;12\n"
               "GM9999;2023KW01;adviesvragen-vt;12\n"
               "GM0794;2023KW01;adviesvragen-vt;415\n")
    figure_import = run_import(users["veilig_thuis"], region, content, mapping=LONG, confirm=False)
    rejected = ImportRow.objects.filter(figure_import=figure_import, action="rejected")
    reasons = dict(rejected.values_list("line", "reason"))
    assert reasons == {
        3: "'veel' is geen getal.",
        4: "Onbekende periode '2023KW09': schrijf die als 2023KW01, 2023HJ01 of 2023JJ00.",
        6: "Dit cijfer staat ook op regel 2 van het bestand.",
    }
    with pytest.raises(Exception, match="afgewezen regels"):
        imports_services.figure_import_confirm(figure_import=figure_import, acting_user=users["veilig_thuis"])
    assert Figure.objects.count() == 0 and FigureChange.objects.count() == 0


def test_same_file_twice_changes_nothing_the_second_time(users, region, periods, indicators):
    content = ("gemeente;periode;indicator;waarde\nHelmond;2023KW01;adviesvragen-vt;414\n"
               "Helmond;2023KW01;meldingen-vt;340\n")
    run_import(users["veilig_thuis"], region, content, mapping=LONG)
    second = run_import(users["veilig_thuis"], region, content, mapping=LONG, confirm=False)
    assert (second.created_count, second.updated_count, second.unchanged_count) == (0, 0, 2)
    # A file that changes nothing cannot be confirmed: no empty import with its own undo button.
    with pytest.raises(Exception, match="verandert geen enkel cijfer"):
        imports_services.figure_import_confirm(figure_import=second, acting_user=users["veilig_thuis"])
    assert FigureChange.objects.count() == 2
    assert Figure.objects.get(indicator=indicators["adviesvragen-vt"]).version == 1


def test_undo_restores_old_values_and_removes_new_ones(users, region, periods, indicators, municipality):
    vt = users["veilig_thuis"]
    run_import(vt, region, "gemeente;periode;indicator;waarde\nHelmond;2023KW01;adviesvragen-vt;400\n", mapping=LONG)
    second = run_import(vt, region, "gemeente;periode;indicator;waarde\nHelmond;2023KW01;adviesvragen-vt;414\n"
                        "Eindhoven;2023KW01;adviesvragen-vt;900\n", mapping=LONG)
    assert (second.created_count, second.updated_count) == (1, 1)
    imports_services.figure_import_undo(figure_import=second, acting_user=users["project_leader"])
    advice = indicators["adviesvragen-vt"]
    assert value_of(municipality("Helmond"), advice, q(2023, 1)) == ("value", Decimal(400), False)
    assert value_of(municipality("Eindhoven"), advice, q(2023, 1)) is None
    undo = FigureChange.objects.filter(figure_import=second, is_undo=True)
    assert undo.count() == 2 and set(undo.values_list("user__username", flat=True)) == {"pl"}
    # The history of Eindhoven keeps both the import and its undo, though the figure is gone.
    eindhoven = FigureChange.objects.filter(organisation=municipality("Eindhoven")).order_by("pk")
    assert [(c.action, c.new_value) for c in eindhoven] == [("create", Decimal(900)), ("delete", None)]


def test_undo_is_refused_when_a_figure_changed_since(users, region, periods, indicators, municipality):
    vt = users["veilig_thuis"]
    first = run_import(vt, region, "gemeente;periode;indicator;waarde\nHelmond;2023KW01;adviesvragen-vt;400\n",
                       mapping=LONG)
    run_import(vt, region, "gemeente;periode;indicator;waarde\nHelmond;2023KW01;adviesvragen-vt;414\n", mapping=LONG)
    with pytest.raises(Exception, match="sindsdien gewijzigd"):
        imports_services.figure_import_undo(figure_import=first, acting_user=vt)
    assert value_of(municipality("Helmond"), indicators["adviesvragen-vt"], q(2023, 1))[1] == Decimal(414)


def test_definitive_replaces_provisional_and_history_keeps_both(users, region, periods, indicators, municipality):
    vt = users["veilig_thuis"]
    run_import(vt, region, "gemeente;periode;indicator;waarde\nHelmond;2023HJ01*;adviesvragen-vt;410\n", mapping=LONG)
    figure_import = run_import(
        vt, region, "gemeente;periode;indicator;waarde\nHelmond;2023HJ01;adviesvragen-vt;415\n", mapping=LONG)
    assert figure_import.updated_count == 1
    advice = indicators["adviesvragen-vt"]
    assert value_of(municipality("Helmond"), advice, q(2023, 1, "half_year")) == ("value", Decimal(415), False)
    history = FigureChange.objects.filter(indicator=advice).order_by("pk")
    assert [(c.new_value, c.new_provisional) for c in history] == [(Decimal(410), True), (Decimal(415), False)]
    # A provisional figure arriving later does not replace the definitive one.
    late = run_import(vt, region, "gemeente;periode;indicator;waarde\nHelmond;2023HJ01*;adviesvragen-vt;999\n",
                      mapping=LONG, confirm=False)
    assert (late.updated_count, late.unchanged_count) == (0, 1)
    assert value_of(municipality("Helmond"), advice, q(2023, 1, "half_year"))[1] == Decimal(415)


def test_confirm_refuses_when_figures_changed_after_the_preview(users, region, periods, indicators, municipality):
    vt = users["veilig_thuis"]
    run_import(vt, region, "gemeente;periode;indicator;waarde\nHelmond;2023KW01;adviesvragen-vt;400\n", mapping=LONG)
    pending = run_import(vt, region, "gemeente;periode;indicator;waarde\nHelmond;2023KW01;adviesvragen-vt;414\n"
                         "Asten;2023KW01;adviesvragen-vt;30\n", mapping=LONG, confirm=False)
    run_import(users["project_leader"], region,
               "gemeente;periode;indicator;waarde\nHelmond;2023KW01;adviesvragen-vt;401\n", mapping=LONG)
    with pytest.raises(imports_services.ImportConflict):
        imports_services.figure_import_confirm(figure_import=pending, acting_user=vt)
    advice = indicators["adviesvragen-vt"]
    assert value_of(municipality("Helmond"), advice, q(2023, 1))[1] == Decimal(401)
    assert value_of(municipality("Asten"), advice, q(2023, 1)) is None


def test_adviser_imports_only_their_own_municipality(users, region, periods, indicators):
    content = ("gemeente;periode;indicator;waarde\nHelmond;2023JJ00;budget-gemeente;25000,50\n"
               "Eindhoven;2023JJ00;budget-gemeente;80000\nHelmond;2023JJ00;adviesvragen-vt;3\n")
    figure_import = run_import(users["helmond"], region, content, mapping=LONG, confirm=False,
                               source="municipality")
    rows = dict(ImportRow.objects.filter(figure_import=figure_import).values_list("line", "action"))
    assert rows == {2: "create", 3: "skipped", 4: "rejected"}


def test_an_uploaded_file_is_stored_with_lz4_on_postgresql(users, region, periods, indicators):
    """pglz took most of a 3.8 MB upload's 0.1 s (migration reporting 0016); the file reads back byte for byte."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://... (CI does)")
    rows = "".join(f"Helmond;2023KW0{n % 4 + 1};adviesvragen-vt;{n}\n" for n in range(20_000))
    content = f"gemeente;periode;indicator;waarde\n{rows}"
    figure_import = run_import(users["veilig_thuis"], region, content, mapping=LONG, confirm=False)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_column_compression(content) FROM reporting_figureimport WHERE id = %s",
                       [figure_import.pk])
        assert cursor.fetchone()[0] == "lz4"
    assert bytes(FigureImport.objects.get(pk=figure_import.pk).content) == content.encode()
