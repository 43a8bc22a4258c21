"""The dashboards' chart builders are pure: plain data in, charts out, tested without a database."""

import datetime
from decimal import Decimal

from django.utils import translation

from reporting import charts
from reporting.dashboards import charts as build
from reporting.disclosure import Disclosure

INSIDE = Disclosure(exact=True)
OUTSIDE = Disclosure(exact=False, threshold=4)


def _links():
    return build.Links(
        measures=lambda **kw: "/maatregelen/?" + "&".join(f"{k}={v}" for k, v in sorted(kw.items()) if v),
        measure=lambda pk: f"/maatregelen/{pk}/",
        figures=lambda period, indicator, source: f"/cijfers/?period={period}&indicator={indicator}&source={source}",
        report=lambda pk: f"/rapportages/{pk}/",
    )


LINES = [
    {"id": 7, "number": 1, "name": "Bewustwording", "total": 3,
     "status": {"proposed": 0, "rejected": 0, "planned": 1, "in_progress": 2, "completed": 0, "stopped": 0,
                "on_hold": 0},
     "health": {"on_track": 1, "at_risk": 2, "off_track": 0}},
]
Q = [{"id": 1, "kind": "quarter", "year": 2024, "number": 1}, {"id": 2, "kind": "quarter", "year": 2024, "number": 2}]
FIGURES = [{
    "id": 5, "code": "meldingen-vt", "name": "Meldingen", "suppress": True, "sources": ["veilig_thuis"],
    "municipalities": [(10, "Asten"), (11, "Best")],
    "values": {(10, 1): (Decimal(12), 10000, "veilig_thuis"), (11, 1): (Decimal(3), 20000, "veilig_thuis"),
               (10, 2): (Decimal(14), 10000, "veilig_thuis")},
    "region": {1: {"total": Decimal(15), "average": Decimal("7.50"), "count": 2, "inhabitants": 30000,
                   "source": "veilig_thuis"},
               2: {"total": Decimal(14), "average": Decimal("14.00"), "count": 1, "inhabitants": 10000,
                   "source": "veilig_thuis"}},
}]


def test_a_click_on_a_health_bar_leads_to_the_measures_of_that_line_and_health():
    chart = build.measures_by_health(LINES, _links())
    at_risk = next(s for s in chart.series if s.colour == charts.HEALTH_COLOURS["at_risk"])
    assert at_risk.values == [2]
    assert at_risk.urls == ["/maatregelen/?action_line=7&health=at_risk"]
    status = build.measures_by_status(LINES, _links())
    assert [s.values for s in status.series] == [[1], [2]]  # only the statuses that occur: planned, in progress
    assert status.series[1].urls == ["/maatregelen/?action_line=7&status=in_progress"]


def test_figures_per_1000_and_the_region_as_reference_line_for_the_region_itself():
    with translation.override("nl"):
        absolute, per_thousand = build.figure_charts(FIGURES, Q, _links(), INSIDE, region_name="Regio")
    assert [s.values for s in absolute.series[:2]] == [[Decimal(12), Decimal(14)], [Decimal(3), None]]
    assert absolute.series[2].reference and absolute.series[2].values == [Decimal("7.50"), Decimal("14.00")]
    # 12 per 10,000 inhabitants is 1.2 per 1,000; the region: 15 per 30,000 is 0.5.
    assert per_thousand.series[0].values == [Decimal("1.20"), Decimal("1.40")]
    assert per_thousand.series[2].values == [Decimal("0.50"), Decimal("1.40")]
    assert absolute.series[0].urls[0] == "/cijfers/?period=1&indicator=5&source=veilig_thuis"


def test_outside_the_region_counts_are_rounded_to_fives_and_small_ones_hidden():
    with translation.override("nl"):
        absolute, per_thousand = build.figure_charts(FIGURES, Q, _links(), OUTSIDE, region_name="Regio")
        header, rows = charts.table(per_thousand)
        text = charts.csv_text(absolute)
    assert absolute.series[0].values == [10, 15]  # 12 and 14, rounded to fives
    assert absolute.series[1].values == ["<5", None]
    assert per_thousand.series[1].values == ["<5", None]
    # The region's 15 over two municipalities: 7.50; its 14 over one is published as 15.
    assert absolute.series[2].values == [Decimal("7.50"), Decimal("15.00")]
    # Rates from the rounded counts: 10 per 10,000 inhabitants is 1.00 per 1,000.
    assert rows[0] == ["K1 2024", "1,00", "<5", "0,50"]
    assert "K1 2024;10;<5;8" in text and ";3;" not in text and ";12;" not in text
    assert charts.figure(absolute)["data"][1]["y"] == [None, None]  # a gap in the plot, never a number


def test_each_point_names_its_source_on_hover_and_in_the_table_when_sources_mix():
    mixed = {**FIGURES[0], "sources": ["veilig_thuis", "cbs_statline"],
             "values": {**FIGURES[0]["values"], (10, 1): (Decimal(12), 10000, "cbs_statline")}}
    with translation.override("nl"):
        single, _rates = build.figure_charts(FIGURES, Q, _links(), INSIDE, region_name="Regio")
        absolute, _rates = build.figure_charts([mixed], Q, _links(), INSIDE, region_name="Regio")
        header, rows = charts.table(absolute)
        hover = charts.figure(absolute)["data"][0]["text"]
        single_rows = charts.table(single)[1]
    assert hover == ["12 · CBS StatLine", "14 · registratie Veilig Thuis"]
    assert rows[0][1] == "12 (CBS StatLine)" and rows[1][1] == "14 (registratie Veilig Thuis)"
    assert single_rows[0][1] == "12"  # one source: named once in the note, not in every cell
    assert "CBS StatLine" in absolute.notes[0] and "registratie Veilig Thuis" in absolute.notes[0]


def test_goal_progress_runs_from_baseline_to_target():
    goal = {"baseline": Decimal(4800), "target": Decimal(5500), "suppress": True}
    assert build.goal_progress(goal, Decimal(5150)) == 50
    assert build.goal_progress({"baseline": None, "target": Decimal(20), "suppress": False}, 5) == 25
    assert build.goal_progress({"baseline": 10, "target": None, "suppress": False}, 5) is None


def test_a_goal_beyond_its_target_reads_as_reached_in_its_direction():
    """Baseline 4,800, target 5,500, actual 7,505 was "311% of the way"."""
    more = {"baseline": Decimal(4800), "target": Decimal(5500), "direction": "higher", "suppress": True}
    fewer = {"baseline": Decimal(100), "target": Decimal(60), "direction": "lower", "suppress": False}
    steady = {"baseline": Decimal(3900), "target": Decimal(4200), "direction": "neither", "suppress": True}
    with translation.override("nl"):
        assert build.goal_progress(more, Decimal(7505)) == 100
        assert build.goal_reached(more, Decimal(7505)) and build.goal_status(more, 7505) == "doel bereikt"
        assert build.goal_status(more, 5150) == "50% van de weg naar het doel"
        assert build.goal_progress(fewer, 80) == 50 and not build.goal_reached(fewer, 80)
        assert build.goal_status(fewer, 55) == "doel bereikt"
        assert build.goal_status(fewer, 120) == "verder van het doel dan de uitgangswaarde"
        assert build.goal_progress(steady, 4620) is None
        assert build.goal_status(steady, 4620) == "10% boven het doel"
        assert build.goal_status(steady, 4200) == "doel bereikt"
        goal = {**more, "code": "1.2", "title": "Meer adviesvragen", "unit": "", "baseline_year": 2022,
                "deadline": None, "indicator_id": 1, "source": "demo",
                "years": [(2023, Decimal(5150)), (2024, Decimal(7505))]}
        chart = build.goals_chart([goal, {**steady, **{k: goal[k] for k in goal if k not in steady},
                                          "code": "2.3"}], INSIDE)
        [row] = [r for r in build.goal_rows([goal], INSIDE)]
        header, rows = charts.table(chart)
    assert [s.name for s in chart.series] == ["Doel 1.2", "Streefwaarde (100%)"]  # the steady goal only in the table
    assert chart.series[0].values == [Decimal(50), Decimal(100)]
    assert rows[1][1] == "100 (doel bereikt)"
    assert row["reached"] and row["status"] == "doel bereikt" and row["direction"] == "hoger is beter"


def test_goals_chart_and_table_hide_a_year_built_from_a_small_number_outside_the_region():
    goal = {"code": "1.2", "title": "Meer adviesvragen", "unit": "", "baseline": Decimal(100), "baseline_year": 2022,
            "target": Decimal(200), "deadline": None, "indicator_id": 1, "suppress": True, "source": "demo",
            "years": [(2023, Decimal(152), ), (2024, Decimal(3))]}
    with translation.override("nl"):
        inside = build.goals_chart([goal], INSIDE)
        outside = build.goals_chart([goal], OUTSIDE)
        row = build.goal_rows([goal], INSIDE)[0]
        outside_row = build.goal_rows([goal], OUTSIDE)[0]
    assert inside.series[0].values == [Decimal(52), Decimal(-97)]
    assert outside.series[0].values == [Decimal(50), "<5"]  # 152 published as 150; 3 hidden
    assert outside_row["latest"] == "<5" and outside_row["latest_hidden"] and outside_row["trend"] == ""
    goal["years"] = [(2023, Decimal(150)), (2024, Decimal(180))]
    with translation.override("nl"):
        row = build.goal_rows([goal], INSIDE)[0]
    assert row["latest"] == Decimal(180) and row["progress"] == Decimal(80)
    assert row["trend"] == "stijging van 20% t.o.v. 2023"


def test_timeline_draws_bars_from_start_to_end_with_a_today_line_and_lists_dates_in_dutch():
    timeline = {"rows": [
        {"pk": 3, "title": "Pilot MDA++", "action_line__number": 2, "start_date": datetime.date(2024, 3, 1),
         "end_date": datetime.date(2024, 3, 11), "status": "in_progress", "health": "on_track"},
        {"pk": 4, "title": "Pilot MDA++", "action_line__number": 2, "start_date": datetime.date(2025, 1, 1),
         "end_date": None, "status": "planned", "health": ""},
    ], "undated": 1}
    with translation.override("nl"):
        chart = build.timeline_chart(timeline, _links(), today=datetime.date(2026, 1, 1))
        fig = charts.figure(chart)
        header, rows = charts.table(chart)
    trace = fig["data"][0]
    assert trace["base"] == ["2024-03-01", "2025-01-01"]
    assert trace["x"][0] == 10 * 86400000  # ten days, in milliseconds on a date axis
    assert trace["customdata"] == ["/maatregelen/3/", "/maatregelen/4/"]
    assert trace["y"] == ["Pilot MDA++", "Pilot MDA++ (2)"]  # equal titles stay two bars
    assert fig["layout"]["shapes"][0]["x0"] == "2026-01-01" and fig["layout"]["xaxis"]["type"] == "date"
    assert header == ["Maatregel", "Actielijn", "Start", "Einde", "Status"]
    assert rows[0] == ["Pilot MDA++", "Actielijn 2", "1 maart 2024", "11 maart 2024", "in uitvoering"]
    assert rows[1][3] == "–"
    assert chart.notes[1] == "1 maatregel zonder startdatum wordt niet getoond."


def test_national_chart_draws_the_national_rate_as_a_vertical_reference_from_rounded_totals():
    data = {"year": 2024, "regions": [{"pk": 1, "name": "Noord"}, {"pk": 2, "name": "Zuid"}],
            "figures": {(1, 5): {"total": Decimal(31), "inhabitants": Decimal(20000), "rate": Decimal("1.55")},
                        (2, 5): {"total": Decimal(4), "inhabitants": Decimal(10000), "rate": Decimal("0.40")}},
            "reports": {1: {"latest_approved": 44}, 2: {"latest_approved": None}}, "measures": {}}
    indicators = [{"id": 5, "name": "Meldingen", "suppress": True}]
    totals = {5: {"rate": Decimal("1.17"), "total": Decimal(35), "inhabitants": Decimal(30000)}}
    with translation.override("nl"):
        chart = build.national_figures_chart(data, indicators, totals, _links(), OUTSIDE)
        fig = charts.figure(chart)
    # 31 published as 30 over 20,000 inhabitants; a region total under 5 is hidden; the country's 35 exact.
    assert chart.series[0].values == [Decimal("1.50"), "<5"]
    assert chart.series[1].values == [Decimal("1.17"), Decimal("1.17")]
    assert chart.series[0].urls == ["/rapportages/44/", None]  # drill-down into the approved report only
    reference = fig["data"][1]
    assert reference["type"] == "scatter" and reference["y"] == ["Noord", "Zuid"] and reference["x"] == [1.17, 1.17]
    assert fig["layout"]["yaxis"]["type"] == "category"


def test_full_names_in_the_data_and_csv_only_the_drawn_tick_is_shortened():
    long_name = "Sterke integrale samenwerking tussen direct betrokkenen en de sectoren zorg, welzijn en veiligheid"
    lines = [{**LINES[0], "number": 2, "name": long_name}]
    chart = build.measures_by_health(lines, _links())
    text = charts.csv_text(chart)
    axis = charts.figure(chart)["layout"]["yaxis"]
    assert f"2. {long_name}" in text and "…" not in text
    assert axis["tickvals"] == [f"2. {long_name}"] and axis["ticktext"][0].endswith("…")


def test_many_municipalities_draw_the_region_and_each_municipality_on_demand_with_every_legend_entry():
    names = [(100 + i, f"Gemeente {i}") for i in range(21)]
    many = {**FIGURES[0], "municipalities": names,
            "values": {(100, 1): (Decimal(12), 10000, "veilig_thuis")}}
    with translation.override("nl"):
        absolute, _rates = build.figure_charts([many], Q, _links(), INSIDE, region_name="Regio")
    spec = charts.figure(absolute)
    traces = spec["data"]
    assert [t.get("visible") for t in traces[:21]] == ["legendonly"] * 21 and "visible" not in traces[21]
    assert all("markers" in t["mode"] for t in traces)  # a single value is a point, not nothing
    assert spec["layout"]["legend"]["orientation"] == "h" and spec["layout"]["height"] > 460
    header, rows = charts.table(absolute)
    assert len(header) == 23  # every municipality stays in the table and CSV
