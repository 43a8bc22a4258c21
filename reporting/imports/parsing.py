"""Reading figure files: CSV (any delimiter, CBS StatLine quirks) and Excel, values, periods and municipality keys.

Pure functions without the database, so each rule is tested on its own. Messages are Dutch through gettext,
because they end up next to a cell of the grid or a row of the import preview.
"""

import codecs
import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from programme.models import CBS_PERIOD_PREFIXES, IndicatorUnit, PeriodKind, valid_numbers
from reporting.models import FigureStatus

NOT_AVAILABLE_MARKS = {"n.b.", "nb", "n.b", "."}
SECRET_MARKS = {"x"}
NIL_MARKS = {"-"}


class ValueError_(ValueError):
    """A value that does not fit its indicator; the message is meant for the user."""


@dataclass(frozen=True)
class ParsedValue:
    status: str
    value: Decimal | None


def parse_number(text: str) -> Decimal:
    """A number written the Dutch way (1.234,5) or plainly (1234.5)."""
    cleaned = text.replace("\u00a0", "").replace(" ", "")
    if "," in cleaned or re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+", cleaned):
        # Dutch: points group thousands (1.234), the comma is the decimal sign.
        cleaned = cleaned.replace(".", "").replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", cleaned):
        raise ValueError_(_("'%(text)s' is not a number.") % {"text": text})
    try:
        return Decimal(cleaned)
    except InvalidOperation as error:
        raise ValueError_(_("'%(text)s' is not a number.") % {"text": text}) from error


def parse_value(text, unit: str) -> ParsedValue | None:
    """The status and value of a cell; None for an empty cell (no figure). Raises ValueError_ with a message."""
    if text is None:
        return None
    if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
        number = Decimal(str(text))
    else:
        raw = str(text).strip()
        if raw == "":
            return None
        lowered = raw.lower()
        if lowered in NOT_AVAILABLE_MARKS:
            return ParsedValue(FigureStatus.NOT_AVAILABLE, None)
        if lowered in SECRET_MARKS:
            return ParsedValue(FigureStatus.SECRET, None)
        if lowered in NIL_MARKS:
            number = Decimal(0)
        else:
            number = parse_number(raw)
    return ParsedValue(FigureStatus.VALUE, check_unit(number, unit))


def check_unit(number: Decimal, unit: str) -> Decimal:
    # First, before any rounding: a 30-digit number is beyond the decimal context's 28 digits and would make
    # quantize() raise; the column holds twelve digits before the comma.
    if abs(number) >= Decimal("1e12"):
        raise ValueError_(_("This number is too large."))
    if unit == IndicatorUnit.COUNT:
        if number != number.to_integral_value() or number < 0:
            raise ValueError_(_("A count is a whole number of 0 or more."))
        return number.quantize(Decimal(1))
    if number.as_tuple().exponent < -2 and number != number.quantize(Decimal("0.01")):
        raise ValueError_(_("Use at most two decimals."))
    if unit == IndicatorUnit.PERCENTAGE and not (0 <= number <= 100):
        raise ValueError_(_("A percentage lies between 0 and 100."))
    if unit == IndicatorUnit.EURO and number < 0:
        raise ValueError_(_("An amount in euros cannot be negative."))
    return number.quantize(Decimal("0.01"))


# Periods ------------------------------------------------------------------------------------------------------

_CODE = re.compile(r"^(\d{4})\s*(KW|HJ|JJ)\s*(\d{2})$", re.IGNORECASE)
_QUARTER_LABELS = [
    re.compile(r"^(\d{4})\s+(\d)e\s+kwartaal$", re.IGNORECASE),
    re.compile(r"^(\d)e\s+kwartaal\s+(\d{4})$", re.IGNORECASE),
    re.compile(r"^(\d{4})\s*[-/ ]?\s*[QK](\d)$", re.IGNORECASE),
    re.compile(r"^[QK](\d)\s*[-/ ]?\s*(\d{4})$", re.IGNORECASE),
]
_HALF_LABELS = [
    re.compile(r"^(\d{4})\s+(\d)e\s+halfjaar$", re.IGNORECASE),
    re.compile(r"^(\d)e\s+halfjaar\s+(\d{4})$", re.IGNORECASE),
    re.compile(r"^(\d{4})\s*[-/ ]?\s*H(\d)$", re.IGNORECASE),
    re.compile(r"^H(\d)\s*[-/ ]?\s*(\d{4})$", re.IGNORECASE),
]
_YEAR = re.compile(r"^(\d{4})$")
_KIND_OF_PREFIX = {prefix: kind for kind, prefix in CBS_PERIOD_PREFIXES.items()}


@dataclass(frozen=True)
class ParsedPeriod:
    kind: str
    year: int
    number: int
    is_provisional: bool

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.kind, self.year, self.number)


def _year_number(match) -> tuple[int, int]:
    first, second = match.group(1), match.group(2)
    return (int(first), int(second)) if len(first) == 4 else (int(second), int(first))


def parse_period(text) -> ParsedPeriod | None:
    """A CBS period code (2023KW01, 2023HJ01, 2023JJ00) or label (1e halfjaar 2023*); '*' marks provisional."""
    if text is None:
        return None
    raw = str(text).strip()
    if isinstance(text, int | float):
        raw = str(int(text))
    stripped = raw.rstrip("*").strip()
    provisional = stripped != raw
    match = _CODE.match(stripped)
    if match:
        year, prefix, number = int(match.group(1)), match.group(2).upper(), int(match.group(3))
        kind = _KIND_OF_PREFIX[prefix]
        return ParsedPeriod(kind, year, number, provisional) if number in valid_numbers(kind) else None
    for kind, patterns in ((PeriodKind.QUARTER, _QUARTER_LABELS), (PeriodKind.HALF_YEAR, _HALF_LABELS)):
        for pattern in patterns:
            match = pattern.match(stripped)
            if match:
                year, number = _year_number(match)
                return ParsedPeriod(kind, year, number, provisional) if number in valid_numbers(kind) else None
    match = _YEAR.match(stripped)
    if match:
        return ParsedPeriod(PeriodKind.YEAR, int(match.group(1)), 0, provisional)
    return None


# Municipalities -----------------------------------------------------------------------------------------------

_GM = re.compile(r"^GM\s*(\d{1,4})$", re.IGNORECASE)
_REGION_KEY = re.compile(r"^[A-Z]{2}\d{2,4}$", re.IGNORECASE)


def normalise_municipality(text) -> tuple[str, str]:
    """('code', 'GM0794') for a CBS key (padded or not), ('other_key', 'NL01') for another CBS region key,
    or ('name', 'helmond') for a name."""
    raw = "" if text is None else str(text).strip()
    match = _GM.match(raw)
    if match:
        return "code", f"GM{int(match.group(1)):04d}"
    if raw.isdigit() and len(raw) <= 4:
        return "code", f"GM{int(raw):04d}"
    if _REGION_KEY.match(raw):
        return "other_key", raw.upper()
    return "name", " ".join(raw.lower().split())


# Files --------------------------------------------------------------------------------------------------------


class FileError(Exception):
    """The file cannot be read at all; the message is meant for the user."""


def is_excel(file_name: str) -> bool:
    return file_name.lower().endswith((".xlsx", ".xlsm"))


def _decode(content: bytes) -> str:
    if content.startswith(codecs.BOM_UTF8):
        text = content[len(codecs.BOM_UTF8):].decode("utf-8", errors="replace")
    elif content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text".
        text = content.decode("utf-16", errors="replace")
    else:
        try:
            text = content.decode("utf-8")
        except UnicodeDecodeError:
            # Excel on Windows still saves "CSV" as Windows-1252.
            text = content.decode("cp1252", errors="replace")
    if "\x00" in text:
        # No text file has NUL characters (and the database refuses them): this is not a CSV file.
        raise FileError(_("The file contains characters that are not text. Save it as CSV (UTF-8) and try again."))
    return text


def sniff_delimiter(first_line: str) -> str:
    """The delimiter of a CSV file: CBS and Dutch Excel use ';', others ',' or a tab."""
    counts = {delimiter: first_line.count(delimiter) for delimiter in (";", "\t", ",", "|")}
    best = max(counts, key=lambda d: (counts[d], d == ";"))
    return best if counts[best] else ";"


def read_rows(content: bytes, file_name: str) -> tuple[list[str], Iterator[list]]:
    """The header row and an iterator over the data rows (lists of cell values), for CSV or Excel."""
    if is_excel(file_name):
        return _read_excel(content)
    text = _decode(content)
    first_line = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    try:
        headers = next(reader)
    except StopIteration as error:
        raise FileError(_("The file is empty.")) from error
    headers = [h.strip().lstrip("\ufeff").strip() for h in headers]
    if not any(headers):
        raise FileError(_("The first row of the file should hold the column names."))
    return headers, reader


def _read_excel(content: bytes):
    from zipfile import BadZipFile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (BadZipFile, KeyError, OSError, ValueError) as error:
        raise FileError(_("This is not an Excel file (.xlsx) that can be read.")) from error
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        headers = next(rows)
    except StopIteration as error:
        raise FileError(_("The file is empty.")) from error
    headers = ["" if h is None else str(h).strip() for h in headers]

    def data():
        for row in rows:
            yield ["" if cell is None else cell for cell in row]
        workbook.close()

    return headers, data()


def guess_mapping(headers: list[str], indicator_names: dict[str, str]) -> dict:
    """A first guess of the column mapping from the header names (CBS StatLine and common Dutch names)."""
    lowered = [h.lower() for h in headers]

    def find(*words):
        for index, header in enumerate(lowered):
            if any(word in header for word in words):
                return headers[index]
        return ""

    mapping = {
        "municipality": find("regios", "gemeentecode", "gemeente", "regio", "municipality"),
        "period": find("perioden", "periode", "period", "kwartaal"),
        "indicator": find("indicator", "onderwerp"),
        "value": find("waarde", "value", "aantal"),
        "columns": {},
    }
    for code, name in indicator_names.items():
        for header in headers:
            simple = header.lower().replace("_", " ")
            if code.lower() == header.lower() or name.lower() in simple:
                mapping["columns"][code] = header
    if mapping["columns"]:
        mapping["value"] = ""
        mapping["indicator"] = ""
    return mapping
