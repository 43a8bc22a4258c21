"""Random and hostile input in the report, bottleneck and figure forms and in the import parser.

Valid input is saved as typed, broken input is refused in Dutch and changes nothing, most examples are valid;
no server error, nothing stored that runs as script in a page, and exports neutralise formulas.
"""

import codecs
import csv
import html
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from programme.models import Indicator, ReportingPeriod
from reporting.exports import csv_response, xlsx_response
from reporting.imports import parsing as importing
from reporting.imports import services
from reporting.models import Bottleneck, Figure, ProgressReport
from tests.fuzzing import (
    BLANK,
    FUZZ,
    HOSTILE,
    WITH_NUL,
    Tally,
    check_case,
    draw_case,
    main_form,
    post_case,
    stored_text,
    too_long,
    valid_text,
)
from tests.permissions import client_for

pytestmark = pytest.mark.django_db


def test_report_edit_form(users, draft):
    """Summary, lessons and narratives are free text: saved as typed (stripped); a broken field saves nothing."""
    client = client_for(users["project_leader"])
    url = reverse("reporting:report_edit", args=[draft.pk])
    lines = list(draft.programme.action_lines.order_by("number"))
    text_fields = ["summary", "lessons_learned", *(f"narrative_{line.pk}" for line in lines)]
    tally = Tally()

    @FUZZ
    @given(data=st.data())
    def run(data):
        chosen = data.draw(st.lists(st.sampled_from(text_fields), min_size=1, max_size=3, unique=True))
        case = draw_case(data, {name: valid_text(max_size=2000, required=False) for name in chosen},
                         {chosen[0]: [WITH_NUL]})
        before = _report_state(draft)
        check_case(post_case(client, url, case), case, location=reverse("reporting:report_detail", args=[draft.pk]))
        if case.valid:
            state = _report_state(draft)
            assert {name: state[name] for name in chosen} == {name: stored_text(case.values[name]) for name in chosen}
        else:
            assert _report_state(draft) == before
        tally.add(case)

    run()
    tally.assert_mostly_saved()


def _report_state(report):
    fresh = ProgressReport.objects.get(pk=report.pk)
    state = {"summary": fresh.summary, "lessons_learned": fresh.lessons_learned, "version": fresh.version}
    state.update({f"narrative_{section.action_line_id}": section.narrative for section in fresh.sections.all()})
    return state


def test_bottleneck_form(users, programme):
    """A bottleneck with a title, a description and an action line is recorded; a broken one is not."""
    client = client_for(users["project_leader"])
    url = reverse("reporting:bottleneck_create")
    lines = [str(pk) for pk in programme.action_lines.order_by("number").values_list("pk", flat=True)]
    tally = Tally()

    @FUZZ
    @given(data=st.data())
    def run(data):
        case = draw_case(data, {
            "title": valid_text(max_size=300), "description": valid_text(max_size=2000),
            "action_line": st.sampled_from(lines), "measure": st.just(""),
            "severity": st.sampled_from(["low", "medium", "high"]),
        }, {
            "title": [BLANK, too_long(300), WITH_NUL],
            "description": [BLANK],
            "action_line": [(st.just(""), "Kies de maatregel of de actielijn waarover dit knelpunt gaat.")],
        })
        count = Bottleneck.objects.count()
        response = post_case(client, url, case)
        check_case(response, case, location="/knelpunten/")
        if case.valid:
            saved = Bottleneck.objects.latest("pk")
            assert response["Location"] == reverse("reporting:bottleneck_detail", args=[saved.pk])
            assert (saved.title, saved.description, str(saved.action_line_id), saved.severity) == (
                stored_text(case.values["title"]), stored_text(case.values["description"]),
                case.values["action_line"], case.values["severity"])
        else:
            assert Bottleneck.objects.count() == count
        tally.add(case)

    run()
    tally.assert_mostly_saved()


def _grid_cell(unit: str):
    """A valid way to type a figure of `unit`, and the value it is stored as."""
    if unit == "percentage":
        return st.decimals(0, 100, places=2).map(lambda d: (f"{d:.2f}".replace(".", ","), d))
    return st.integers(0, 10**9).map(lambda n: (st_choice_dutch(n), Decimal(n)))


def st_choice_dutch(n: int) -> str:
    # Both "1234567" and the Dutch "1.234.567" are read as the same count; alternate by the number itself.
    return f"{n:,}".replace(",", ".") if n % 2 else str(n)


_NOT_A_NUMBER = (st.sampled_from(["veel", "12a", "<script>alert('xss')</script>", "1e3x"]),
                 lambda value: f"'{value}' is geen getal.")
# The outside probe's inputs: superscript digits pass str.isdigit(); 16- and 30-digit values and
# thousands separators reached the database's numeric limit.
SUPERSCRIPTS = ["²", "³", "1²", "٣", "１２"]
TOO_LARGE = ["1000000000000000", "1" * 16, "9" * 30, "1.000.000.000.000.000", "1.000.000.000.000"]
_TOO_LARGE = (st.sampled_from(TOO_LARGE), "Dit getal is te groot.")
_SUPERSCRIPT = (st.sampled_from(SUPERSCRIPTS), lambda value: f"'{value}' is geen getal.")
_GRID_INVALID = {
    "count": [_NOT_A_NUMBER, (st.sampled_from(["-5", "2,5", "0,01"]), "Een aantal is een geheel getal van 0 of meer."),
              _TOO_LARGE, _SUPERSCRIPT],
    "percentage": [_NOT_A_NUMBER, (st.sampled_from(["150", "-1", "100,01"]), "Een percentage ligt tussen 0 en 100."),
                   (st.sampled_from(["12,345", "0.001"]), "Gebruik hoogstens twee decimalen."), _SUPERSCRIPT],
}


GRID_REFUSED = "Sommige cellen zijn niet geldig; er is niets opgeslagen. Verbeter de gemarkeerde cellen."


def test_figure_grid_cell_values(users, region, periods, indicators):
    """Typed figures are stored with their value; one bad cell saves none of the cells (all or nothing)."""
    client = client_for(users["veilig_thuis"])
    period = ReportingPeriod.objects.get(kind="quarter", year=2024, number=1)
    url = reverse("reporting:figure_grid", args=[region.pk]) + f"?period={period.pk}&source=veilig_thuis"
    form = main_form(client.get(url).content.decode())
    cells = [f["name"] for f in form["fields"] if f["name"].startswith("c-")]
    units = {name: Indicator.objects.get(pk=int(name.split("-")[2])).unit for name in cells}
    assert len(cells) > 10 and set(units.values()) == {"count", "percentage"}, units
    figures = Figure.objects.filter(period=period, source="veilig_thuis")
    tally = Tally()

    @FUZZ
    @given(data=st.data())
    def run(data):
        chosen = data.draw(st.lists(st.sampled_from(cells), min_size=1, max_size=4, unique=True))
        typed = {name: data.draw(_grid_cell(units[name]), label=name) for name in chosen}
        case = draw_case(data, {name: st.just(text) for name, (text, _value) in typed.items()},
                         {chosen[0]: _GRID_INVALID[units[chosen[0]]]})
        before = sorted(figures.values_list("organisation", "indicator", "value", "version"))
        response = post_case(client, url, case)
        check_case(response, case, location=f"period={period.pk}")
        if case.valid:
            for name, (_text, value) in typed.items():
                _c, municipality, indicator = name.split("-")
                assert figures.get(organisation=municipality, indicator=indicator).value == value, name
        else:
            assert GRID_REFUSED in html.unescape(response.content.decode())
            assert sorted(figures.values_list("organisation", "indicator", "value", "version")) == before
        tally.add(case)

    run()
    tally.assert_mostly_saved()


# The import parser: whatever the bytes, it reads them or says in Dutch why not; nothing else escapes.

def _read_all(content: bytes, file_name: str):
    try:
        headers, rows = importing.read_rows(content, file_name)
        return headers, list(rows)
    except importing.FileError as error:
        assert str(error)
        return None


@FUZZ
@given(content=st.binary(max_size=4096), name=st.sampled_from(["cijfers.csv", "cijfers.xlsx", "cijfers.txt"]))
def test_parser_survives_random_bytes(content, name):
    _read_all(content, name)


@FUZZ
@given(cells=st.lists(st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30)), min_size=1, max_size=5),
                      min_size=1, max_size=20),
       encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1", "utf-16", "utf-16-le"]),
       delimiter=st.sampled_from([";", ",", "\t"]))
def test_parser_survives_hostile_cells_in_any_encoding(cells, encoding, delimiter):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows([["gemeente", "periode", "waarde"], *cells])
    content = buffer.getvalue().encode(encoding, errors="replace")
    _read_all(content, "cijfers.csv")


def test_parser_reads_a_large_file_within_bounds():
    """200,000 rows are read one at a time: every row arrives, and memory stays a small multiple of the file.

    The bound is what makes a 50 MB upload safe: the parser streams rows instead of holding them all as lists
    (holding them takes about 16 times the file size; the decoded text and its reader about 5 times).
    """
    import tracemalloc

    rows = "".join(f"GM{n % 400:04d};2023KW0{n % 4 + 1};{n}\n" for n in range(200_000))
    content = ("gemeente;periode;waarde\n" + rows).encode()
    tracemalloc.start()
    try:
        headers, read = importing.read_rows(content, "groot.csv")
        count, last = 0, None
        for row in read:
            count, last = count + 1, row
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert headers == ["gemeente", "periode", "waarde"]
    assert (count, last) == (200_000, ["GM0399", "2023KW04", "199999"])
    assert peak < 8 * len(content), f"{peak / len(content):.1f} times the file size"


def test_parser_refuses_a_broken_excel_file():
    result = _read_all(codecs.BOM_UTF8 + b"\xff\xfe\x00\x00garbage", "cijfers.xlsx")
    assert result is None


@FUZZ
@given(text=st.sampled_from(HOSTILE[:12]))
def test_hostile_file_names_and_cells_stay_inert_through_the_import_pages(users, region, periods, indicators, text):
    content = f"gemeente;periode;indicator;waarde\n{text};2023KW01;adviesvragen-vt;{text}\n".encode()
    figure_import = services.figure_import_upload(acting_user=users["veilig_thuis"], region=region,
                                                  file_name=f"{text}.csv", content=content, source="veilig_thuis")
    client = client_for(users["veilig_thuis"])
    for url in (reverse("reporting:import_mapping", args=[figure_import.pk]), reverse("reporting:import_list")):
        page = client.get(url).content.decode()
        assert "<script>alert" not in page and "<img src=x" not in page and "<svg onload" not in page


@FUZZ
@given(cells=st.lists(st.sampled_from(HOSTILE[4:8] + ["=1+1", "\t=1", "\r=1", "@A1"]), min_size=1, max_size=6))
def test_exports_neutralise_formulas(cells):
    from openpyxl import load_workbook

    text = csv_response("x.csv", ["kolom"] * len(cells), [cells]).content.decode("utf-8-sig")
    for value in list(csv.reader(io.StringIO(text), delimiter=";"))[1]:
        assert not value or value[0] not in "=+-@\t\r" or value.startswith("'")
    sheet = load_workbook(io.BytesIO(xlsx_response("x.xlsx", ["kolom"] * len(cells), [cells]).content)).active
    for cell in next(sheet.iter_rows(min_row=2, values_only=True)):
        assert cell is None or not str(cell).startswith(("=", "+", "-", "@")) or str(cell).startswith("'")


@FUZZ
@given(cells=st.lists(st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20)), min_size=4, max_size=4))
def test_preview_of_hostile_rows_stages_them_or_rejects_them(users, region, periods, indicators, cells):
    from django.core.exceptions import ValidationError

    from reporting.figures.access import entry_rights

    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows([["gemeente", "periode", "indicator", "waarde"], cells,
                                                 ["Helmond", "2023KW01", "adviesvragen-vt", cells[3]]])
    user = users["veilig_thuis"]
    rights = entry_rights(user, region)
    try:
        figure_import = services.figure_import_upload(acting_user=user, region=region, file_name="x.csv",
                                                      content=buffer.getvalue().encode(), source="veilig_thuis")
        mapping = {"municipality": "gemeente", "period": "periode", "indicator": "indicator", "value": "waarde",
                   "columns": {}}
        figure_import = services.figure_import_preview(figure_import=figure_import, rights=rights, mapping=mapping,
                                                       acting_user=user)
    except ValidationError:
        return
    counts = (figure_import.created_count, figure_import.updated_count, figure_import.unchanged_count,
              figure_import.rejected_count)
    # No crash (NUL bytes, markup, formulas all reach the staging table or a Dutch reason); an empty row is skipped.
    assert sum(counts) <= 2 and figure_import.created_count <= 1, counts


def test_nul_characters_are_refused_with_a_dutch_message_and_utf16_is_read(users, region, periods, indicators):
    """Found by the fuzzer: a NUL byte in a cell made PostgreSQL refuse the staging COPY (a server error)."""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="tekens die geen tekst zijn"):
        services.figure_import_upload(acting_user=users["veilig_thuis"], region=region, file_name="x.csv",
                                      content=b"gemeente;periode;waarde\nHel\x00mond;2023KW01;4\n",
                                      source="veilig_thuis")
    headers, rows = _read_all("gemeente;periode;waarde\nHelmond;2023KW01;414\n".encode("utf-16"), "x.csv")
    assert headers == ["gemeente", "periode", "waarde"] and rows == [["Helmond", "2023KW01", "414"]]


@FUZZ
@given(value=st.one_of(st.sampled_from(SUPERSCRIPTS + TOO_LARGE),
                       st.integers(10**11, 10**31).map(str),
                       st.integers(0, 10**18).map(st_choice_dutch)))
def test_import_of_probe_values_stages_or_rejects_them_never_fails(users, region, periods, indicators, value):
    """A 16-digit value failed the bulk insert (NumericValueOutOfRange); superscripts passed isdigit."""
    from reporting.figures.access import entry_rights

    user = users["veilig_thuis"]
    content = f"gemeente;periode;indicator;waarde\nHelmond;2023KW01;adviesvragen-vt;{value}\n".encode()
    figure_import = services.figure_import_upload(acting_user=user, region=region, file_name="x.csv",
                                                  content=content, source="veilig_thuis")
    figure_import = services.figure_import_preview(
        figure_import=figure_import, rights=entry_rights(user, region), acting_user=user,
        mapping={"municipality": "gemeente", "period": "periode", "indicator": "indicator", "value": "waarde"})
    row = figure_import.rows.get()
    number = value.replace(".", "")
    if number.isascii() and number.isdigit() and int(number) < 10**12:
        assert row.action == "create" and row.value == Decimal(number)
        services.figure_import_confirm(figure_import=figure_import, acting_user=user)
        Figure.objects.all().delete()
    else:
        assert row.action == "rejected" and row.reason in ("Dit getal is te groot.", f"'{value}' is geen getal.")


# Malformed xlsx parts: the probe's damaged files and random mutations of a valid sheet: read, or a Dutch message.

_CELLS = st.one_of(
    st.sampled_from(['<c r="D2"><v>veel</v></c>', '<c r="D2" t="d"><v>2023-13-45</v></c>',
                     '<c r="ZZZZZZ2"><v>1</v></c>',
                     '<c r="D2" t="s"><v>99</v></c>', '<c r="D2" t="s"><v>-1</v></c>', '<c r="D2" t="s"><v>x</v></c>',
                     '<c r="D2"><v>1E+400</v></c>', '<c r="D2"><v>NaN</v></c>', '<c r="XFD2"><v>1</v></c>',
                     '<c r="D9999999"><v>1</v></c>', '<c r="D2" t="e"><v>#N/A</v></c>', '<c r="D2" t="b"><v>1</v></c>',
                     '<c r="D2" t="inlineStr"><is><t>1.000.000.000.000.000</t></is></c>', '<c r="D2"><v>²</v></c>',
                     '<c r="D2"><v>1000000000000000</v></c>', '<c><v>1</v></c>', '<c r="2D"><v>1</v></c>']),
    st.builds(lambda ref, kind, text: f'<c r="{ref}" t="{kind}"><v>{html.escape(text)}</v></c>',
              st.from_regex(r"[A-Z]{1,7}[0-9]{1,9}", fullmatch=True), st.sampled_from(["n", "s", "d", "str", "e", ""]),
              st.text(max_size=20)),
)


@FUZZ
@given(cell=_CELLS, cut=st.one_of(st.none(), st.integers(0, 400)), junk=st.text(max_size=10))
def test_parser_survives_malformed_xlsx_parts(cell, cut, junk):
    from reporting.imports import probe_files as probe

    sheet = probe.SHEET_START + probe.HEADER_ROW + probe.data_row(2, cell) + probe.SHEET_END
    if cut is not None:
        sheet = sheet[:cut] + junk + sheet[cut:]
    strings = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
               'spreadsheetml/2006/main"><si><t>een</t></si></sst>')
    name, content = probe.xlsx(sheet, strings)
    _read_all(content, name)


@FUZZ
@given(size=st.sampled_from([128 * 1024 - 8, 128 * 1024 + 1, 200 * 1024]), where=st.sampled_from(["header", "row"]),
       quoted=st.booleans())
def test_parser_survives_long_fields(size, where, quoted):
    field = ('"' + "x" * size + '"') if quoted else "x" * size
    header = f"gemeente;periode;{field}" if where == "header" else "gemeente;periode;waarde"
    row = f"Helmond;2023KW01;{field}" if where == "row" else "Helmond;2023KW01;1"
    result = _read_all(f"{header}\n{row}\n".encode(), "lang.csv")
    assert (result is None) == (size > 128 * 1024 or (where == "header" and size > 200))
