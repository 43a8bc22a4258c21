"""The file and value rules of the import, each on its own (no database)."""

from decimal import Decimal

import pytest

from reporting.imports import parsing as importing
from reporting.models import FigureStatus


@pytest.mark.parametrize("text, unit, status, value", [
    ("414", "count", FigureStatus.VALUE, Decimal(414)),
    ("0", "count", FigureStatus.VALUE, Decimal(0)),
    ("-", "count", FigureStatus.VALUE, Decimal(0)),  # CBS: nil
    (".", "count", FigureStatus.NOT_AVAILABLE, None),  # CBS: unknown, unreliable or secret
    ("n.b.", "count", FigureStatus.NOT_AVAILABLE, None),
    ("x", "count", FigureStatus.SECRET, None),
    ("1.234", "count", FigureStatus.VALUE, Decimal(1234)),
    ("12,5", "percentage", FigureStatus.VALUE, Decimal("12.5")),
    ("1.234,56", "euro", FigureStatus.VALUE, Decimal("1234.56")),
    (" 7 ", "score", FigureStatus.VALUE, Decimal(7)),
    (5, "count", FigureStatus.VALUE, Decimal(5)),  # Excel numbers come as numbers
])
def test_values_are_read_the_dutch_and_the_cbs_way(text, unit, status, value):
    parsed = importing.parse_value(text, unit)
    assert parsed.status == status
    assert parsed.value == value


def test_empty_is_no_figure():
    assert importing.parse_value("", "count") is None
    assert importing.parse_value("   ", "count") is None
    assert importing.parse_value(None, "count") is None


@pytest.mark.parametrize("text, unit, message", [
    ("-3", "count", "Een aantal is een geheel getal van 0 of meer."),
    ("2,5", "count", "Een aantal is een geheel getal van 0 of meer."),
    ("101", "percentage", "Een percentage ligt tussen 0 en 100."),
    ("-1", "euro", "Een bedrag in euro's kan niet negatief zijn."),
    ("12,345", "euro", "Gebruik hoogstens twee decimalen."),
    ("veel", "count", "'veel' is geen getal."),
])
def test_bad_values_get_a_dutch_message(text, unit, message):
    with pytest.raises(importing.ValueError_) as error:
        importing.parse_value(text, unit)
    assert str(error.value) == message


@pytest.mark.parametrize("text, key, provisional", [
    ("2023KW01", ("quarter", 2023, 1), False),
    ("2023HJ01", ("half_year", 2023, 1), False),
    ("2023JJ00", ("year", 2023, 0), False),
    ("2023KW03*", ("quarter", 2023, 3), True),
    ("1e halfjaar 2023*", ("half_year", 2023, 1), True),
    ("2e halfjaar 2022", ("half_year", 2022, 2), False),
    ("2023 2e halfjaar*", ("half_year", 2023, 2), True),
    ("2023 1e kwartaal", ("quarter", 2023, 1), False),
    ("2024**", ("year", 2024, 0), True),
    ("Q2 2023", ("quarter", 2023, 2), False),
])
def test_periods_as_codes_and_labels(text, key, provisional):
    parsed = importing.parse_period(text)
    assert parsed.key == key and parsed.is_provisional is provisional


@pytest.mark.parametrize("text", ["2023KW05", "2023HJ03", "volgend jaar", ""])
def test_unknown_periods(text):
    assert importing.parse_period(text) is None


def test_municipality_keys():
    assert importing.normalise_municipality("GM0794    ") == ("code", "GM0794")
    assert importing.normalise_municipality("gm794") == ("code", "GM0794")
    assert importing.normalise_municipality("NL01  ") == ("other_key", "NL01")
    assert importing.normalise_municipality("  Helmond ") == ("name", "helmond")


@pytest.mark.parametrize("label", ["Noord-Brabant (PV)", "Zuid-Nederland (LD)", "Brabant-Zuidoost (VT)",
                                   "Zuidoost-Brabant (CR)", "Nederland", " nederland "])
def test_cbs_labels_of_other_kinds_of_region_are_no_municipality(label):
    assert importing.normalise_municipality(label) == ("other_key", label.strip())


def test_cbs_labels_of_municipalities_are_names():
    # A municipality's qualifier has a full stop; one named as its province is labelled "(gemeente)".
    assert importing.normalise_municipality("Bergen (L.)") == ("name", "bergen (l.)")
    assert importing.normalise_municipality("Utrecht (gemeente)") == ("name", "utrecht")
    assert importing.normalise_municipality("'s-Hertogenbosch") == ("name", "'s-hertogenbosch")


@pytest.mark.parametrize("headers, expected", [
    (["ID", "RegioS", "Perioden", "GestarteAdviezen_1"], True),
    (["Regio's", "Perioden", "Gestarte adviezen (aantal)"], True),
    (["Aard geweld", "Wijken en buurten", "Perioden", "Adviezen/Gestarte adviezen (aantal)"], True),
    (["Regio's", "Perioden", "waarde"], False),  # no ID and no measure with its unit: a file of one's own
    (["gemeente", "periode", "Gestarte adviezen (aantal)"], False),
])
def test_cbs_files_by_key_or_label(headers, expected):
    assert importing.is_cbs_file(headers) is expected


def test_a_labelled_cbs_header_is_mapped_whole():
    headers = ["Aard geweld", "Regio's", "Perioden", "Adviezen/Gestarte adviezen (aantal)",
               "Ontvangen meldingen (aantal)"]
    mapping = importing.guess_mapping(headers, {"adviesvragen-vt": "Adviesvragen Veilig Thuis"}, {
        "adviesvragen-vt": "GestarteAdviezen", "meldingen-vt": "OntvangenMeldingen"})
    assert (mapping["municipality"], mapping["period"], mapping["breakdown"], mapping["columns"]) == (
        "Regio's", "Perioden", "Aard geweld", {"adviesvragen-vt": "Adviezen/Gestarte adviezen (aantal)",
                                               "meldingen-vt": "Ontvangen meldingen (aantal)"})


def test_csv_with_bom_quoted_headers_and_semicolons():
    content = '\ufeff"ID";"RegioS";"Perioden";"Gestarte adviezen"\r\n1;"GM0794    ";"2023HJ01";"1,5"\r\n'.encode()
    headers, rows = importing.read_rows(content, "cbs.csv")
    assert headers == ["ID", "RegioS", "Perioden", "Gestarte adviezen"]
    assert list(rows) == [["1", "GM0794    ", "2023HJ01", "1,5"]]


def test_csv_with_commas_and_windows_encoding():
    content = "gemeente,periode,waarde\nSint-Oedenrode é,2023KW01,4\n".encode("cp1252")
    headers, rows = importing.read_rows(content, "file.csv")
    assert headers == ["gemeente", "periode", "waarde"]
    assert list(rows)[0][0] == "Sint-Oedenrode é"


def test_excel_file_is_read(tmp_path):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Gemeente", "Periode", "Waarde"])
    sheet.append(["GM0794", "2023KW01", 414])
    path = tmp_path / "f.xlsx"
    workbook.save(path)
    headers, rows = importing.read_rows(path.read_bytes(), "f.xlsx")
    assert headers == ["Gemeente", "Periode", "Waarde"]
    assert list(rows) == [["GM0794", "2023KW01", 414]]


def test_a_broken_excel_file_gets_a_message():
    with pytest.raises(importing.FileError):
        importing.read_rows(b"not a zip", "f.xlsx")


def test_guess_mapping_for_a_cbs_wide_file():
    mapping = importing.guess_mapping(
        ["ID", "RegioS", "Perioden", "Adviesvragen Veilig Thuis"], {"adviesvragen-vt": "Adviesvragen Veilig Thuis"}
    )
    assert mapping["municipality"] == "RegioS" and mapping["period"] == "Perioden"
    assert mapping["columns"] == {"adviesvragen-vt": "Adviesvragen Veilig Thuis"}
