"""The one guard against spreadsheet formula injection, used by every CSV and Excel download of the portal.

Following the OWASP guidance on CSV injection, a text cell that a spreadsheet could run as a formula
gets a leading apostrophe, so Excel and LibreOffice show it as text:

- text starting with = + - or @, also after leading whitespace (spreadsheets trim it before parsing);
- text starting with a tab or a carriage return, whatever follows.

Numbers (int, float, Decimal), dates, None and other non-text values pass unchanged: they are written
as typed cells and cannot hold a formula. Text that is exactly a negative number ("-5", "-12,5",
"-1.234.567,0") also passes unchanged: it holds only digits and separators, so it cannot call a
function or reference a cell, and the chart CSV writes its (Dutch formatted) numbers as text, which a
leading apostrophe would turn into text for the reader's spreadsheet.
"""

import io
import re

FORMULA_STARTS = ("=", "+", "-", "@")
ALWAYS_QUOTED_STARTS = ("\t", "\r")
NEGATIVE_NUMBER = re.compile(r"-[0-9]+(?:[.,][0-9]+)*")


def neutralise_formula(value):
    """The value as a spreadsheet should receive it: text that could run as a formula gets a leading quote."""
    if not isinstance(value, str):
        return value
    if value.startswith(ALWAYS_QUOTED_STARTS):
        return "'" + value
    stripped = value.lstrip()
    if stripped.startswith(FORMULA_STARTS) and not NEGATIVE_NUMBER.fullmatch(stripped):
        return "'" + value
    return value


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def workbook_response(workbook, file_name: str):
    """An openpyxl workbook as a download named `file_name` (with its .xlsx ending)."""
    from django.http import HttpResponse

    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{file_name}"'
    return response
