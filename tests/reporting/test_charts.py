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
    assert "customdata" not in fig["data"][1]  # no link anywhere: no list of nulls on the page


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


def test_a_chart_title_cannot_add_attributes_to_the_chart_markup():
    """The probe's rename of indicator 2 (`... x onfocus=alert(document.domain) autofocus x`) and quotes of both
    kinds stay inside the aria-labels, which name each chart table after its chart."""
    from html.parser import HTMLParser

    from django.template.loader import render_to_string
    from django.utils import translation

    title = "Meldingen x onfocus=alert(document.domain) autofocus x \"'<b>"
    chart = Chart(key="k", title=title, categories=["2025 Q1"], series=[Series("Helmond", [3])])
    found = []

    class Attributes(HTMLParser):
        def handle_starttag(self, tag, attrs):
            found.extend((tag, name, value) for name, value in attrs)

    with translation.override("nl"):
        Attributes().feed(render_to_string("includes/chart.html", {"chart": chart_context(chart)}))
    names = {name for _tag, name, _value in found}
    assert not names & {"onfocus", "autofocus", "x"} and not any(tag == "b" for tag, _n, _v in found)
    labels = [value for _tag, name, value in found if name == "aria-label"]
    assert f"Cijfers van de grafiek: {title}" in labels


def test_user_text_reaches_plotly_as_plain_text():
    """Plotly draws a subset of HTML (links included) in names, ticks and hovers: a measure titled with a link
    shows the characters, it does not become a link."""
    link = '<a href="https://evil.example/phish" target="_blank">Klik: nieuwe meldcode</a>'
    for kind in ("bar", "line", "hbar"):
        data = figure(Chart(key="k", title=link, categories=[link], series=[Series(link, [1])], kind=kind,
                            y_title=link, category_title=link))
        trace = data["data"][0]
        texts = [trace["name"], trace["hovertemplate"], *trace["x"], *trace["y"],
                 data["layout"]["xaxis"]["title"]["text"], data["layout"]["yaxis"]["title"]["text"]]
        assert not any("<a " in str(text) for text in texts), kind
        assert "&lt;a href=" in trace["name"]
    import datetime

    timeline = figure(Chart(key="t", title="t", categories=[link], kind="timeline", groups=[link],
                            series=[Series("start", [datetime.date(2024, 1, 1)]), Series("end", [None])],
                            today=datetime.date(2025, 1, 1), today_label=link))
    assert not any("<a " in str(v) for v in (timeline["data"][0]["y"], timeline["data"][0]["name"],
                                            timeline["layout"]["yaxis"]["categoryarray"],
                                            timeline["layout"]["annotations"][0]["text"]))


def test_self_scan_heat_map_labels_are_plain_text():
    from reporting.selfscans.charts import heat_map_figure

    trace = heat_map_figure(themes=["<i>thema</i>"], municipalities=["<a href='x'>Asten</a>"], values=[[2]],
                            urls=[[None]])["data"][0]
    assert trace["x"] == ["&lt;i&gt;thema&lt;/i&gt;"] and trace["y"] == ["&lt;a href='x'&gt;Asten&lt;/a&gt;"]
