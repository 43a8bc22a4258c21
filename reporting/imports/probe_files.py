"""The hostile files of the outside probe, rebuilt: for the tests and the upload benchmark.

Each builder returns (file name, bytes). The xlsx files are written as raw parts, as the probe did: Excel itself
never writes a million columns or a shared string table of a gigabyte.
"""

import io
import zipfile

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Cijfers" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>'
)
SHEET_START = ('<?xml version="1.0" encoding="UTF-8"?>'
               '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
SHEET_END = "</sheetData></worksheet>"
HEADER_ROW = ('<row r="1"><c r="A1" t="inlineStr"><is><t>gemeente</t></is></c>'
              '<c r="B1" t="inlineStr"><is><t>periode</t></is></c>'
              '<c r="C1" t="inlineStr"><is><t>indicator</t></is></c>'
              '<c r="D1" t="inlineStr"><is><t>waarde</t></is></c></row>')


def data_row(line: int, value_cell: str, municipality: str = "Helmond", indicator: str = "adviesvragen-vt") -> str:
    """A row for Helmond, 2023KW01, adviesvragen-vt with the given <c> element as the value in column D."""
    return (f'<row r="{line}"><c r="A{line}" t="inlineStr"><is><t>{municipality}</t></is></c>'
            f'<c r="B{line}" t="inlineStr"><is><t>2023KW01</t></is></c>'
            f'<c r="C{line}" t="inlineStr"><is><t>{indicator}</t></is></c>{value_cell}</row>')


def xlsx(sheet_parts, shared_strings=None, *, name="cijfers.xlsx") -> tuple[str, bytes]:
    """An xlsx of raw parts; `sheet_parts` and `shared_strings` are strings or iterables of strings (streamed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        for part, content in (("xl/worksheets/sheet1.xml", sheet_parts), ("xl/sharedStrings.xml", shared_strings)):
            if content is None:
                continue
            with archive.open(part, "w", force_zip64=True) as stream:
                for piece in ([content] if isinstance(content, str) else content):
                    stream.write(piece.encode())
    return name, buffer.getvalue()


def _repeat(piece: str, times: int, chunk: int = 10_000):
    for start in range(0, times, chunk):
        yield piece * min(chunk, times - start)


def xlsx_million_columns() -> tuple[str, bytes]:
    return xlsx([SHEET_START, "<row>", *_repeat("<c><v>1</v></c>", 1_000_000), "</row>", SHEET_END],
                name="kolommen.xlsx")


def csv_many_columns(columns: int = 100_000) -> tuple[str, bytes]:
    header = ";".join(f"k{n}" for n in range(columns))
    return "kolommen.csv", (header + "\n" + ";".join("1" for _n in range(columns)) + "\n").encode()


def xlsx_million_rows(rows: int = 2_000_000) -> tuple[str, bytes]:
    return xlsx([SHEET_START, HEADER_ROW, *_repeat('<row><c t="inlineStr"><is><t>Helmond</t></is></c></row>', rows),
                 SHEET_END], name="regels.xlsx")


def xlsx_huge_shared_strings(megabytes: int = 1024) -> tuple[str, bytes]:
    """A shared string table of `megabytes` unpacked (one long string, as compact as a zip makes it)."""
    piece = "x" * (1024 * 1024)
    strings = ['<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
               'spreadsheetml/2006/main"><si><t>', *(piece for _n in range(megabytes)), "</t></si></sst>"]
    return xlsx([SHEET_START, '<row r="1"><c r="A1" t="s"><v>0</v></c></row>', SHEET_END], strings,
                name="teksten.xlsx")


def csv_long_field(where: str = "row", kib: int = 129) -> tuple[str, bytes]:
    long = "x" * (kib * 1024)
    if where == "header":
        return "lang.csv", f"gemeente;periode;{long}\nHelmond;2023KW01;1\n".encode()
    return "lang.csv", f"gemeente;periode;indicator;waarde\nHelmond;2023KW01;adviesvragen-vt;{long}\n".encode()


def xlsx_with_value(value_cell: str, shared_strings=None, **names) -> tuple[str, bytes]:
    """A small figure file whose one value cell is `value_cell` (a text in a number cell, a bad date, ...)."""
    return xlsx([SHEET_START, HEADER_ROW, data_row(2, value_cell, **names), SHEET_END], shared_strings)


MALFORMED_XML = xlsx([SHEET_START, HEADER_ROW, '<row r="2"><c r="A2"><v>1</v></row>', SHEET_END])
TEXT_IN_NUMBER_CELL = xlsx_with_value('<c r="D2" t="n"><v>veel</v></c>')
BAD_DATE = xlsx_with_value('<c r="D2" t="d"><v>2023-13-45</v></c>')
FAR_CELL_REFERENCE = xlsx_with_value('<c r="ZZZZZZ2"><v>1</v></c>')
SHARED_STRING_OUT_OF_RANGE = xlsx_with_value(
    '<c r="D2" t="s"><v>99</v></c>',
    '<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    "<si><t>een</t></si></sst>")
SIXTEEN_DIGITS = xlsx_with_value('<c r="D2"><v>1000000000000000</v></c>')


def probe_files(*, full_size: bool = True, **names) -> list[tuple[str, str, bytes]]:
    """(what, file name, content) of every hostile file; `full_size` False makes the large ones smaller (tests);
    `names` (municipality, indicator) name the row of the small files."""
    return [
        ("xlsx, 1.000.000 kolommen", *xlsx_million_columns()),
        ("CSV, 100.000 kolommen", *csv_many_columns()),
        ("xlsx, 2.000.000 regels", *xlsx_million_rows(2_000_000 if full_size else 260_000)),
        ("xlsx, 250.001 regels (binnen de uitgepakte grootte)", *xlsx_million_rows(250_001)),
        ("xlsx, gedeelde teksten van 1 GB", *xlsx_huge_shared_strings(1024 if full_size else 40)),
        ("CSV, kolomnaam van 129 KiB", *csv_long_field("header")),
        ("CSV, cel van 129 KiB", *csv_long_field("row")),
        ("xlsx, kapotte XML", *MALFORMED_XML),
        ("xlsx, tekst in een getalcel", *xlsx_with_value('<c r="D2" t="n"><v>veel</v></c>', **names)),
        ("xlsx, ongeldige datum", *xlsx_with_value('<c r="D2" t="d"><v>2023-13-45</v></c>', **names)),
        ("xlsx, celverwijzing ZZZZZZ2", *FAR_CELL_REFERENCE),
        ("xlsx, gedeelde tekst buiten bereik", *SHARED_STRING_OUT_OF_RANGE),
        ("xlsx, getal van 16 cijfers", *xlsx_with_value('<c r="D2"><v>1000000000000000</v></c>', **names)),
    ]
