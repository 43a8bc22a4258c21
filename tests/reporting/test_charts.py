"""Chart building is pure: tested without a database."""

from decimal import Decimal

from programme.portal.spreadsheets import neutralise_formula
from reporting.charts import Chart, Series, chart_context, csv_text, figure, format_number, table


def _chart(**extra):
    return Chart(
        key="vt",
        title="Adviesvragen",
        categories=["K1 2023", "K2 2023"],
        series=[
            Series("Helmond", [414, 1234567], urls=["/a", "/b"]),
            Series("Asten", ["<5", None]),
            Series("Regiogemiddelde", [Decimal("12.5"), 3], reference=True),
        ],
        category_title="Periode",
        **extra,
    )


def test_dutch_number_format():
    assert format_number(1234567) == "1.234.567"
    assert format_number(Decimal("1234.5"), 1) == "1.234,5"
    assert format_number(None) == "–"
    assert format_number("<5") == "<5"


def test_suppressed_and_missing_values_leave_a_gap_not_a_zero():
    fig = figure(_chart())
    asten = fig["data"][1]
    assert asten["y"] == [None, None]
    assert asten["text"] == ["<5", "–"]
    assert fig["layout"]["separators"] == ",."


def test_click_urls_travel_as_customdata():
    fig = figure(_chart())
    assert fig["data"][0]["customdata"] == ["/a", "/b"]
    assert fig["data"][1]["customdata"] == [None, None]


def test_reference_series_is_a_dashed_line():
    ref = figure(_chart())["data"][2]
    assert ref["type"] == "scatter" and ref["line"]["dash"] == "dash"


def test_table_and_csv_show_exactly_the_chart_numbers():
    header, rows = table(_chart(decimals=1))
    assert header == ["Periode", "Helmond", "Asten", "Regiogemiddelde"]
    assert rows[0] == ["K1 2023", "414,0", "<5", "12,5"]
    text = csv_text(_chart(decimals=1))
    assert text.startswith("\ufeffPeriode;Helmond;Asten;Regiogemiddelde\r\n")
    assert "K2 2023;1.234.567,0;–;3,0" in text


def test_csv_neutralises_formulas():
    assert neutralise_formula("=HYPERLINK(\"http://x\")") == "'=HYPERLINK(\"http://x\")"
    assert neutralise_formula("@SUM(A1)") == "'@SUM(A1)"
    assert neutralise_formula("-12,5") == "-12,5"
    chart = Chart(key="x", title="t", categories=["=1+1"], series=[Series("s", [1])])
    assert "'=1+1" in csv_text(chart)


def test_empty_chart_is_reported_empty():
    chart = Chart(key="e", title="leeg", categories=["a"], series=[Series("s", [None])])
    assert chart.is_empty and chart_context(chart)["empty"]
