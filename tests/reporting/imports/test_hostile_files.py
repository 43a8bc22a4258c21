"""The outside probe's hostile files, each written from its reproduction: refused early with a Dutch
message naming the limit, or read with a reason on the row; never a 500, never minutes or gigabytes."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from programme.models import ReportingPeriod
from reporting.imports import parsing
from reporting.imports import probe_files as probe
from reporting.models import Figure, FigureImport, ImportRow

from ...permissions import client_for

pytestmark = pytest.mark.django_db

REFUSED = {
    "kolommen.xlsx": "meer dan 300 kolommen",
    "kolommen.csv": "meer dan 300 kolommen",
    "regels.xlsx": "meer dan 250.000 regels",
    "teksten.xlsx": "meer dan 20 MB",
    "lang.csv": "meer dan 128 KB",
}


def upload(client, region, name, content):
    return client.post(reverse("reporting:import_upload"), {
        "file": SimpleUploadedFile(name, content), "region": region.pk, "source": "veilig_thuis"})


@pytest.mark.parametrize("builder", [probe.xlsx_million_columns, probe.csv_many_columns,
                                     lambda: probe.xlsx_million_rows(260_000),
                                     lambda: probe.xlsx_huge_shared_strings(30),
                                     lambda: probe.csv_long_field("header")])
def test_a_file_beyond_a_limit_is_refused_at_the_upload_with_the_limit_named(users, region, builder):
    name, content = builder()
    response = upload(client_for(users["veilig_thuis"]), region, name, content)
    assert response.status_code == 200
    assert REFUSED[name] in response.content.decode() and not FigureImport.objects.exists()


def test_a_long_field_in_a_row_is_refused_with_its_line(users, region, periods, indicators):
    client = client_for(users["veilig_thuis"])
    response = upload(client, region, *probe.csv_long_field("row"))
    assert "Regel 2 van het bestand heeft een cel van meer dan 128 KB" in response.content.decode()
    # Beyond the sample the upload reads, the preview finds it and stages nothing.
    good = "".join(f"Helmond;2023KW0{n + 1};adviesvragen-vt;{n}\n" for n in range(4))
    long = "x" * (129 * 1024)
    content = f"gemeente;periode;indicator;waarde\n{good}{good}Helmond;2024KW01;adviesvragen-vt;{long}\n"
    response = upload(client, region, "lang.csv", content.encode())
    figure_import = FigureImport.objects.get()
    response = client.post(response["Location"], {"municipality": "gemeente", "period": "periode",
                                                  "indicator": "indicator", "value": "waarde"})
    assert response.status_code == 200
    assert "Regel 10 van het bestand heeft een cel van meer dan 128 KB" in response.content.decode()
    assert not ImportRow.objects.filter(figure_import=figure_import).exists()


@pytest.mark.parametrize("file, message", [
    (probe.MALFORMED_XML, "Het Excel-bestand is beschadigd"),
    (probe.FAR_CELL_REFERENCE, "celverwijzing die niet bestaat (ZZZZZZ2)"),
    (probe.SHARED_STRING_OUT_OF_RANGE, "verwijst naar een tekst die niet bestaat (D2)"),
])
def test_a_damaged_excel_file_gets_a_dutch_message(users, region, periods, indicators, file, message):
    response = upload(client_for(users["veilig_thuis"]), region, *file)
    assert response.status_code == 200 and message in response.content.decode()


@pytest.mark.parametrize("file, reason", [
    (probe.TEXT_IN_NUMBER_CELL, "'veel' is geen getal."),
    (probe.BAD_DATE, "'2023-13-45' is geen getal."),
    (probe.SIXTEEN_DIGITS, "Dit getal is te groot."),
])
def test_a_bad_cell_is_a_rejected_row_with_its_reason(users, region, periods, indicators, file, reason):
    client = client_for(users["veilig_thuis"])
    response = upload(client, region, *file)
    response = client.post(response["Location"], {"municipality": "gemeente", "period": "periode",
                                                  "indicator": "indicator", "value": "waarde"})
    assert response.status_code == 302
    row = ImportRow.objects.get()
    assert (row.action, row.reason) == ("rejected", reason)
    assert reason in html.unescape(client.get(response["Location"]).content.decode())


@pytest.mark.parametrize("value", ["1000000000000000", "123456789012345678901234567890", "1.000.000.000.000.000"])
def test_a_huge_value_in_a_csv_import_is_rejected_not_a_database_error(users, region, periods, indicators, value):
    """A 16-digit count passed every rule and failed the bulk insert (NumericValueOutOfRange)."""
    client = client_for(users["veilig_thuis"])
    response = upload(client, region, "x.csv", f"gemeente;periode;indicator;waarde\nHelmond;2023KW01;"
                                               f"adviesvragen-vt;{value}\n".encode())
    client.post(response["Location"], {"municipality": "gemeente", "period": "periode", "indicator": "indicator",
                                       "value": "waarde"})
    row = ImportRow.objects.get()
    assert (row.action, row.reason) == ("rejected", "Dit getal is te groot.") and not Figure.objects.exists()


@pytest.mark.parametrize("text", ["²", "³", "٣", "１２"])
def test_digits_of_other_scripts_are_no_municipality_code_or_number(text):
    assert parsing.normalise_municipality(text)[0] == "name"
    with pytest.raises(parsing.ValueError_):
        parsing.parse_value(text, "count")


def test_the_mapping_page_shows_a_bounded_sample(users, region, periods, indicators):
    client = client_for(users["veilig_thuis"])
    rows = "".join(f"Helmond;2023KW0{n % 4 + 1};adviesvragen-vt;{n}\n" for n in range(50))
    response = upload(client, region, "x.csv", f"gemeente;periode;indicator;waarde\n{rows}".encode())
    page = client.get(response["Location"]).content.decode()
    assert page.count("<td>Helmond</td>") == parsing.SAMPLE_ROWS


def test_sources_are_tied_to_roles(users, region, periods, indicators, municipality):
    """Veilig Thuis could store figures as CBS StatLine or municipal through the grid and the upload."""
    vt = client_for(users["veilig_thuis"])
    grid = reverse("reporting:figure_grid", args=[region.pk])
    period = ReportingPeriod.objects.get(kind="quarter", year=2023, number=1)
    for source in ("cbs_statline", "municipality"):
        response = vt.post(f"{grid}?period={period.pk}&source={source}", {})
        assert response.status_code == 404, source
    page = vt.get(f"{grid}?period={period.pk}").content.decode()
    assert 'value="veilig_thuis"' in page and 'value="cbs_statline"' not in page
    content = b"gemeente;periode;indicator;waarde\nHelmond;2023KW01;adviesvragen-vt;414\n"
    for source in ("cbs_statline", "municipality"):
        response = vt.post(reverse("reporting:import_upload"), {
            "file": SimpleUploadedFile("x.csv", content), "region": region.pk, "source": source})
        assert response.status_code == 200 and not FigureImport.objects.exists(), source
    # A CBS file is stored as CBS, whoever brings it in and whatever they choose.
    cbs = b'"ID";"RegioS";"Perioden";"Adviesvragen Veilig Thuis"\r\n1;"GM0794    ";"2023HJ01";"415"\r\n'
    vt.post(reverse("reporting:import_upload"), {
        "file": SimpleUploadedFile("84850NED.csv", cbs), "region": region.pk, "source": "veilig_thuis"})
    assert FigureImport.objects.get().source == "cbs_statline"


@pytest.mark.parametrize("param", ["indicator", "municipality", "period"])
@pytest.mark.parametrize("value", ["²", "³", "١"])
def test_figure_history_ignores_digits_of_other_scripts(users, region, param, value):
    """/cijfers/regio/2/historie/?indicator=² was a 500 (str.isdigit() accepts superscripts)."""
    url = reverse("reporting:figure_history", args=[region.pk])
    assert client_for(users["project_leader"]).get(url, {param: value}).status_code == 200


def test_the_import_page_reads_its_rows_once(users, region, periods, indicators):
    """The caption took its label from the first row, which ran the rows query a second time."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ..conftest import LONG, run_import

    figure_import = run_import(users["veilig_thuis"], region, "gemeente;periode;indicator;waarde\n"
                               "Helmond;2023KW01;adviesvragen-vt;414\nAsten;2023KW01;adviesvragen-vt;4\n",
                               mapping=LONG, confirm=False)
    client = client_for(users["veilig_thuis"])
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("reporting:import_detail", args=[figure_import.pk])).content.decode()
    rows = [q["sql"] for q in queries.captured_queries
            if 'FROM "reporting_importrow"' in q["sql"] and "COUNT(" not in q["sql"]]
    assert len(rows) == 1, rows
    assert "Regels: nieuw" in page
