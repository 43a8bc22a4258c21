"""CSV and Excel downloads of figures; text that a spreadsheet would run as a formula is neutralised."""

import csv
import io
from decimal import Decimal

from django.http import Http404, HttpResponse

from programme.portal.spreadsheets import neutralise_formula, workbook_response


def _cell(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if value is None:
        return ""
    return neutralise_formula(str(value)) if not isinstance(value, int | float) else value


def csv_response(file_name: str, header: list, rows: list[list]) -> HttpResponse:
    buffer = io.StringIO()
    # Semicolons and decimal commas, so Dutch Excel opens it as it is; a BOM so it reads it as UTF-8.
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([_cell(h) for h in header])
    for row in rows:
        writer.writerow([str(_cell(v)).replace(".", ",") if isinstance(v, Decimal) else _cell(v) for v in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{file_name}.csv"'
    return response


def xlsx_response(file_name: str, header: list, rows: list[list]) -> HttpResponse:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([_cell(h) for h in header])
    for row in rows:
        sheet.append([_cell(v) for v in row])
    return workbook_response(workbook, f"{file_name}.xlsx")


FORMATS = {"csv": csv_response, "xlsx": xlsx_response}


def table_response(fmt: str, file_name: str, header: list, rows: list[list]) -> HttpResponse:
    """The download of a table in the format the URL names (csv or xlsx); any other format is not found."""
    if fmt not in FORMATS:
        raise Http404
    return FORMATS[fmt](file_name, header, rows)
