"""Reading figure files: CSV (any delimiter, CBS StatLine quirks) and Excel, values, periods and municipality keys.

Pure functions without the database, so each rule is tested on its own. Messages are Dutch through gettext,
because they end up next to a cell of the grid or a row of the import preview.
"""

import codecs
import csv
import io
import re
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from zipfile import BadZipFile, ZipFile

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
    if len(cleaned) > 40:
        raise ValueError_(_("This number is too large."))
    if "," in cleaned or re.fullmatch(r"[+-]?[0-9]{1,3}(\.[0-9]{3})+", cleaned):
        # Dutch: points group thousands (1.234), the comma is the decimal sign.
        cleaned = cleaned.replace(".", "").replace(",", ".")
    # ASCII digits only: superscripts and other scripts' digits pass str.isdigit() but are no figure.
    if not re.fullmatch(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", cleaned):
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
        if not number.is_finite():
            raise ValueError_(_("'%(text)s' is not a number.") % {"text": text})
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


MAX_VALUE = Decimal("1e12")  # a figure's column holds 14 digits, two of them decimals


def check_unit(number: Decimal, unit: str) -> Decimal:
    # The size first: a 16-digit count passed every other rule and broke the bulk insert (NumericValueOutOfRange).
    if abs(number) >= MAX_VALUE:
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

_CODE = re.compile(r"^(\d{4})\s*(KW|HJ|JJ)\s*(\d{2})$", re.IGNORECASE | re.ASCII)
_QUARTER_LABELS = [
    re.compile(r"^(\d{4})\s+(\d)e\s+kwartaal$", re.IGNORECASE | re.ASCII),
    re.compile(r"^(\d)e\s+kwartaal\s+(\d{4})$", re.IGNORECASE | re.ASCII),
    re.compile(r"^(\d{4})\s*[-/ ]?\s*[QK](\d)$", re.IGNORECASE | re.ASCII),
    re.compile(r"^[QK](\d)\s*[-/ ]?\s*(\d{4})$", re.IGNORECASE | re.ASCII),
]
_HALF_LABELS = [
    re.compile(r"^(\d{4})\s+(\d)e\s+halfjaar$", re.IGNORECASE | re.ASCII),
    re.compile(r"^(\d)e\s+halfjaar\s+(\d{4})$", re.IGNORECASE | re.ASCII),
    re.compile(r"^(\d{4})\s*[-/ ]?\s*H(\d)$", re.IGNORECASE | re.ASCII),
    re.compile(r"^H(\d)\s*[-/ ]?\s*(\d{4})$", re.IGNORECASE | re.ASCII),
]
_YEAR = re.compile(r"^(\d{4})$", re.ASCII)
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
    if isinstance(text, int | float | Decimal) and not isinstance(text, bool):
        number = Decimal(str(text))
        if not number.is_finite() or number != number.to_integral_value():
            return None
        raw = str(int(number))
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

_GM = re.compile(r"^GM\s*(\d{1,4})$", re.IGNORECASE | re.ASCII)
_REGION_KEY = re.compile(r"^[A-Z]{2}\d{2,4}$", re.IGNORECASE | re.ASCII)
_DIGITS = re.compile(r"^[0-9]{1,4}$")
# CBS labels its regions by name, other kinds than municipalities with their kind's abbreviation: "Noord-Brabant (PV)",
# "Zuid-Nederland (LD)", "Brabant-Zuidoost (VT)". A municipality's own qualifier has a full stop ("Bergen (L.)"), and
# one that shares its name with a province is "Utrecht (gemeente)".
_REGION_LABEL = re.compile(r"^.+\(\s*[A-Z]{2,4}\s*\)$", re.ASCII)
_MUNICIPALITY_LABEL = re.compile(r"\s*\(\s*gemeente\s*\)$", re.IGNORECASE)
COUNTRY_LABELS = {"nederland"}


def normalise_municipality(text) -> tuple[str, str]:
    """('code', 'GM0794') for a CBS key (padded or not), ('other_key', 'NL01') for another CBS region key or label
    ('Noord-Brabant (PV)', 'Nederland'), or ('name', 'helmond') for a name."""
    raw = "" if text is None else str(text).strip()
    match = _GM.match(raw)
    if match:
        return "code", f"GM{int(match.group(1)):04d}"
    if _DIGITS.match(raw):
        return "code", f"GM{int(raw):04d}"
    if _REGION_KEY.match(raw):
        return "other_key", raw.upper()
    name = " ".join(_MUNICIPALITY_LABEL.sub("", raw).lower().split())
    if _REGION_LABEL.match(raw) or name in COUNTRY_LABELS:
        return "other_key", raw
    return "name", name


# Files --------------------------------------------------------------------------------------------------------

# Every file is bounded before and while it is read, so no upload costs more than a few seconds or a few hundred MB:
# a figure file has a handful of columns and at most a few hundred thousand rows.
MAX_UPLOAD_MB = 20
MAX_UPLOAD_BYTES = MAX_UPLOAD_MB * 1024 * 1024
MAX_COLUMNS = 300
MAX_ROWS = 250_000
MAX_HEADER_CHARS = 200
MAX_CELL_CHARS = 32_767  # Excel's own limit
MAX_XLSX_UNPACKED_MB = 100  # the sheet and the shared strings, unpacked
MAX_SHARED_STRINGS_MB = 20
MAX_SHARED_STRINGS = 500_000
SAMPLE_ROWS = 5
SAMPLE_CHARS = 60


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


def _too_many_columns() -> FileError:
    return FileError(_("The file has more than %(limit)s columns; a figure file has a few. Remove the extra "
                       "columns and try again.") % {"limit": MAX_COLUMNS})


def _too_many_rows() -> FileError:
    return FileError(_("The file has more than %(limit)s rows. Split it into smaller files and import them one by "
                       "one.") % {"limit": f"{MAX_ROWS:,}".replace(",", ".")})


def _check_headers(headers: list[str]) -> list[str]:
    if len(headers) > MAX_COLUMNS:
        raise _too_many_columns()
    if any(len(h) > MAX_HEADER_CHARS for h in headers):
        raise FileError(_("A column name is longer than %(limit)s characters; the first row of the file should "
                          "hold the column names.") % {"limit": MAX_HEADER_CHARS})
    if not any(headers):
        raise FileError(_("The first row of the file should hold the column names."))
    return headers


def read_rows(content: bytes, file_name: str) -> tuple[list[str], Iterator[list]]:
    """The header row and an iterator over the data rows (lists of cell values), for CSV or Excel.

    Both raise FileError, also while the rows are iterated: a file is read lazily and may turn out broken or too
    large halfway."""
    if len(content) > MAX_UPLOAD_BYTES:
        raise FileError(_("The file is larger than %(limit)s MB.") % {"limit": MAX_UPLOAD_MB})
    if is_excel(file_name):
        return _read_excel(content)
    text = _decode(content)
    first_line = text.split("\n", 1)[0][:MAX_HEADER_CHARS * MAX_COLUMNS + MAX_COLUMNS]
    if text.count("\n", len(first_line)) > MAX_ROWS + 1:
        raise _too_many_rows()
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(first_line))
    try:
        headers = next(reader)
    except StopIteration as error:
        raise FileError(_("The file is empty.")) from error
    except csv.Error as error:
        raise _csv_error(error, 1) from error
    headers = _check_headers([h.strip().lstrip("\ufeff").strip() for h in headers])
    return headers, _csv_data(reader)


def read_sample(content: bytes, file_name: str) -> tuple[list[str], list[list[str]]]:
    """The header and the first few rows, each cell cut short: what the mapping page shows, and what the upload
    reads to find a damaged file before anyone maps its columns."""
    headers, rows = read_rows(content, file_name)
    sample = []
    for row in rows:
        sample.append([str(cell).strip()[:SAMPLE_CHARS] for cell in row[:len(headers)]])
        if len(sample) == SAMPLE_ROWS:
            break
    return headers, sample


def _csv_error(error: csv.Error, line: int) -> FileError:
    if "field larger than field limit" in str(error):
        return FileError(_("Line %(line)s of the file has a cell of more than %(limit)s KB; a figure file holds "
                           "short texts and numbers.") % {"line": line, "limit": csv.field_size_limit() // 1024})
    return FileError(_("Line %(line)s of the file cannot be read as CSV.") % {"line": line})


def _csv_data(reader) -> Iterator[list]:
    line = 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _csv_error(error, reader.line_num or line + 1) from error
        line += 1
        if line > MAX_ROWS + 1:
            raise _too_many_rows()
        if len(row) > MAX_COLUMNS:
            raise _too_many_columns()
        yield row


# Excel: read straight from the zip as a stream of XML events. openpyxl, even read-only, builds each row whole
# (a million-cell row costs gigabytes) and fails with anything from KeyError to ValueError on a damaged part;
# here every limit is checked as the data arrives and every failure is one FileError.

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PACKAGE_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$", re.ASCII)
_NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?$", re.ASCII)


def _not_excel() -> FileError:
    return FileError(_("This is not an Excel file (.xlsx) that can be read."))


def _damaged(part: str) -> FileError:
    return FileError(_("The Excel file is damaged (%(part)s cannot be read). Open it in Excel, save it again and "
                       "try again.") % {"part": part})


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - 64
    return index - 1


def _sheet_path(archive) -> str:
    """The first worksheet, as the workbook lists it (its file is not always sheet1.xml)."""
    from xml.etree import ElementTree

    names = set(archive.namelist())
    try:
        workbook = ElementTree.fromstring(_read_part(archive, "xl/workbook.xml", 5))
        first = workbook.find(f"{_MAIN}sheets/{_MAIN}sheet")
        rel_id = first.get(f"{_REL}id") if first is not None else None
        rels = ElementTree.fromstring(_read_part(archive, "xl/_rels/workbook.xml.rels", 5))
    except (KeyError, ElementTree.ParseError):
        rel_id, rels = None, None
    if rel_id and rels is not None:
        for rel in rels.iter(f"{_PACKAGE_REL}Relationship"):
            if rel.get("Id") == rel_id:
                target = (rel.get("Target") or "").lstrip("/")
                path = target if target.startswith("xl/") else f"xl/{target}"
                if path in names:
                    return path
    if "xl/worksheets/sheet1.xml" in names:
        return "xl/worksheets/sheet1.xml"
    raise _damaged("xl/workbook.xml")


def _read_part(archive, name: str, limit_mb: int) -> bytes:
    if archive.getinfo(name).file_size > limit_mb * 1024 * 1024:
        raise _damaged(name)
    return archive.read(name)


def _shared_strings(archive) -> list[str]:
    from xml.etree import ElementTree

    name = "xl/sharedStrings.xml"
    if name not in archive.namelist():
        return []
    if archive.getinfo(name).file_size > MAX_SHARED_STRINGS_MB * 1024 * 1024:
        raise FileError(_("The texts of this Excel file take more than %(limit)s MB unpacked; a figure file holds "
                          "far less. Save only the figures in a new file and try again.") % {
            "limit": MAX_SHARED_STRINGS_MB})
    strings = []
    try:
        with archive.open(name) as stream:
            for _event, element in ElementTree.iterparse(stream):
                if element.tag == f"{_MAIN}si":
                    strings.append("".join(t.text or "" for t in element.iter(f"{_MAIN}t"))[:MAX_CELL_CHARS])
                    element.clear()
                    if len(strings) > MAX_SHARED_STRINGS:
                        raise FileError(_("The Excel file has more than %(limit)s different texts.") % {
                            "limit": f"{MAX_SHARED_STRINGS:,}".replace(",", ".")})
    except (ElementTree.ParseError, BadZipFile, EOFError, zlib.error) as error:
        raise _damaged(name) from error
    return strings


def _cell_value(element, kind: str, strings: list[str]):
    """The value of a <c> element: a number as int or Decimal, anything else as its text."""
    value = element.find(f"{_MAIN}v")
    text = value.text if value is not None and value.text is not None else ""
    if kind == "s":
        try:
            return strings[int(text)]
        except (ValueError, IndexError) as error:
            raise FileError(_("A cell of the Excel file refers to a text that does not exist (%(ref)s). Open it in "
                              "Excel, save it again and try again.") % {"ref": element.get("r", "?")[:12]}) from error
    if kind == "inlineStr":
        text = "".join(t.text or "" for t in element.iter(f"{_MAIN}t"))
    if len(text) > MAX_CELL_CHARS:
        raise FileError(_("A cell of the Excel file holds more than %(limit)s characters.") % {
            "limit": f"{MAX_CELL_CHARS:,}".replace(",", ".")})
    if kind in ("", "n") and _NUMBER.match(text):
        number = Decimal(text)
        return int(number) if number == number.to_integral_value() and abs(number) < 10**15 else number
    # A text in a number cell, an invalid date (t="d"), an error (#N/A) or a boolean: the text, judged later.
    return text


def _read_excel(content: bytes):
    from xml.etree import ElementTree

    try:
        archive = ZipFile(io.BytesIO(content))
        infos = archive.infolist()
    except (BadZipFile, OSError, ValueError, EOFError) as error:
        raise _not_excel() from error
    # The sizes in the zip's directory are enforced while unpacking (a part that lies fails its length check),
    # so they bound the work before any byte is unpacked.
    unpacked = sum(info.file_size for info in infos if info.filename.startswith("xl/"))
    if unpacked > MAX_XLSX_UNPACKED_MB * 1024 * 1024:
        raise FileError(_("The Excel file is more than %(limit)s MB unpacked; a figure file is far smaller. Save "
                          "only the figures in a new file, or save it as CSV, and try again.") % {
            "limit": MAX_XLSX_UNPACKED_MB})
    try:
        sheet = _sheet_path(archive)
    except BadZipFile as error:
        raise _not_excel() from error
    _count_rows(archive, sheet)
    strings = _shared_strings(archive)

    def rows():
        try:
            with archive.open(sheet) as stream:
                yield from _sheet_rows(ElementTree.iterparse(stream, events=("start", "end")), strings)
        except (ElementTree.ParseError, BadZipFile, EOFError, zlib.error) as error:
            raise _damaged(sheet) from error

    data = rows()
    try:
        headers = next(data)
    except StopIteration as error:
        raise FileError(_("The file is empty.")) from error
    headers = _check_headers(["" if h is None else str(h).strip() for h in headers])
    return headers, data


def _row_tags(block: bytes, end: int) -> int:
    # An upper bound (it also counts <rowBreaks>, once a sheet), which is all a limit needs; bytes.count allocates
    # nothing, unlike a regular expression's list of matches.
    return block.count(b"<row", 0, end) + block.count(b":row", 0, end)


def _count_rows(archive, sheet: str) -> None:
    """Refuse a sheet with too many rows before parsing it: counting row tags in the unpacked bytes runs at the
    speed of zlib, where parsing two million (empty) rows takes half a minute."""
    rows, tail = 0, b""
    try:
        with archive.open(sheet) as stream:
            while chunk := stream.read(1024 * 1024):
                block = tail + chunk
                # A tag cut in two at the chunk's end is counted in the next block (the tail is at most one tag).
                cut = max(0, len(block) - 8)
                rows += _row_tags(block, cut)
                tail = block[max(0, cut - 3):]  # a tag straddling the cut is counted with the next block
                if rows > MAX_ROWS + 1:
                    raise _too_many_rows()
    except (BadZipFile, EOFError, zlib.error) as error:
        raise _damaged(sheet) from error
    if rows + _row_tags(tail, len(tail)) > MAX_ROWS + 1:
        raise _too_many_rows()


def _sheet_rows(events, strings) -> Iterator[list]:
    """Rows of a sheet as lists (cells left out in the file are ''), from its XML events; empty rows are left out."""
    row_tag, cell_tag, data_tag = f"{_MAIN}row", f"{_MAIN}c", f"{_MAIN}sheetData"
    sheet_data = current = None
    cells: dict[int, object] = {}
    rows_seen = 0
    for event, element in events:
        tag = element.tag
        if event == "start":
            if tag == row_tag:
                current, cells = element, {}
                rows_seen += 1
                number = element.get("r")
                if rows_seen > MAX_ROWS + 1 or (number and (not number.isascii() or not number.isdigit()
                                                            or int(number) > MAX_ROWS + 1)):
                    raise _too_many_rows()
            elif tag == data_tag:
                sheet_data = element
            continue
        if tag == cell_tag and current is not None:
            ref = element.get("r")
            if ref:
                match = _CELL_REF.match(ref)
                if match is None:
                    raise FileError(_("The Excel file has a cell reference that does not exist (%(ref)s).") % {
                        "ref": ref[:12]})
                column = _column_index(match.group(1))
            else:
                column = max(cells, default=-1) + 1
            if column >= MAX_COLUMNS:
                raise _too_many_columns()
            cells[column] = _cell_value(element, element.get("t", ""), strings)
            current.remove(element)
        elif tag == row_tag:
            if cells:
                row = [""] * (max(cells) + 1)
                for column, value in cells.items():
                    row[column] = value
                yield row
            current = None
            if sheet_data is not None:
                sheet_data.clear()


# CBS StatLine's tables as its open data feed and its CSV export name their columns by key: a running "ID", the
# region ("RegioS", or "WijkenEnBuurten" in the tables by municipality and district) and "Perioden". The website's
# CSV with labels names them "Regio's" or "Wijken en buurten" and "Perioden", and its measures "Gestarte adviezen
# (aantal)": a key and its label are the same once reduced to letters and digits.
CBS_REGION_COLUMNS = ("WijkenEnBuurten", "RegioS")
CBS_IGNORED_COLUMNS = ("ID",)
# The dimension that splits a CBS Veilig Thuis table by form of violence (its keys: ViolenceForm.cbs_key; a key
# "T00..." is the total), by key or label ("Aard geweld"). Files of one's own may name such a column "geweldsvorm".
CBS_BREAKDOWN_COLUMNS = ("Geweldsvormen", "VormenVanGeweld", "TypeGeweld", "AardGeweld")
_LABELLED_MEASURE = re.compile(r"^.+\(.+\)$")  # "Gestarte adviezen (aantal)"


def _simple(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


_REGION_NAMES = {_simple(column) for column in CBS_REGION_COLUMNS}
_BREAKDOWN_NAMES = {_simple(column) for column in CBS_BREAKDOWN_COLUMNS}


def is_cbs_breakdown(name: str) -> bool:
    """A CBS dimension (key or label) that splits figures by form of violence."""
    return _simple(name) in _BREAKDOWN_NAMES


def cbs_region_column(headers: list[str]) -> str:
    return next((header for header in headers if _simple(header) in _REGION_NAMES), "")


def cbs_breakdown_column(headers: list[str]) -> str:
    return next((header for header in headers if is_cbs_breakdown(header)), "")


def is_cbs_file(headers: list[str]) -> bool:
    """A CBS StatLine export: its region and period columns, with the running ID (keys) or measures with their
    unit (labels)."""
    if "Perioden" not in headers or not cbs_region_column(headers):
        return False
    return "ID" in headers or any(_LABELLED_MEASURE.match(header) for header in headers)


def cbs_key_matches(header: str, key: str) -> bool:
    """A CBS column and an indicator's CBS key: 'GestarteAdviezen_1' (the feed) or 'Gestarte adviezen (aantal)'
    (the CSV export, also under its group as 'Adviezen/Gestarte adviezen (aantal)') all match the key
    GestarteAdviezen."""
    if not key:
        return False
    return _simple(re.sub(r"_\d+$", "", header.rsplit("/", 1)[-1])).startswith(_simple(key))


def guess_mapping(headers: list[str], indicator_names: dict[str, str], cbs_keys: dict[str, str] | None = None) -> dict:
    """A first guess of the column mapping from the header names (CBS StatLine and common Dutch names).

    A CBS StatLine file is recognised by its columns and mapped whole: the region key column, Perioden, each measure
    column to the indicator with that CBS key; its running ID is left out."""
    cbs_keys = cbs_keys or {}
    if is_cbs_file(headers):
        mapping = {
            "municipality": cbs_region_column(headers),
            "period": "Perioden", "indicator": "", "value": "", "columns": {}, "format": "cbs",
            "breakdown": cbs_breakdown_column(headers),
        }
        dimensions = {*CBS_IGNORED_COLUMNS, mapping["municipality"], "Perioden", mapping["breakdown"]}
        for code, key in cbs_keys.items():
            for header in headers:
                if header not in dimensions and cbs_key_matches(header, key):
                    mapping["columns"][code] = header
                    break
        for code, name in indicator_names.items():
            if code not in mapping["columns"]:
                for header in headers:
                    if _simple(header) == _simple(name):
                        mapping["columns"][code] = header
        return mapping
    lowered = [h.lower() for h in headers]

    def find(*words):
        for index, header in enumerate(lowered):
            if any(word in header for word in words):
                return headers[index]
        return ""

    mapping = {
        "municipality": find("regios", "wijkenenbuurten", "gemeentecode", "gemeente", "regio", "municipality"),
        "period": find("perioden", "periode", "period", "kwartaal"),
        "indicator": find("indicator", "onderwerp"),
        "value": find("waarde", "value", "aantal"),
        "columns": {},
        "breakdown": find("geweldsvorm", "vormenvangeweld", "typegeweld", "violence form"),
    }
    for code, name in indicator_names.items():
        for header in headers:
            simple = header.lower().replace("_", " ")
            if code.lower() == header.lower() or name.lower() in simple or cbs_key_matches(header, cbs_keys.get(code)):
                mapping["columns"][code] = header
    if mapping["columns"]:
        mapping["value"] = ""
        mapping["indicator"] = ""
    return mapping
