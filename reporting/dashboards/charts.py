"""Dashboard data in, charts out: pure functions from the plain data of dashboard_selectors to charts.Chart.

No ORM here: the selectors did the counting; this module translates labels, sends every figure through the
viewer's disclosure step (`disclosure`, reporting.disclosure), and says where a click on each bar or point
leads (through the `Links` passed in). The view draws a chart, its table and its CSV download
from the same Chart object.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from measures.models import Health, MeasureStatus
from programme.models import GoalDirection, PeriodKind
from reporting.charts import HEALTH_COLOURS, PALETTE, Chart, Series
from reporting.disclosure import Disclosure, is_hidden
from reporting.models import FigureSource

# Statuses in the order of a measure's life; the colours come from the colour-blind safe palette.
STATUS_ORDER = [MeasureStatus.PROPOSED, MeasureStatus.PLANNED, MeasureStatus.IN_PROGRESS, MeasureStatus.ON_HOLD,
                MeasureStatus.COMPLETED, MeasureStatus.STOPPED, MeasureStatus.REJECTED]
STATUS_COLOURS = {
    MeasureStatus.PROPOSED: "#999999", MeasureStatus.PLANNED: PALETTE[4], MeasureStatus.IN_PROGRESS: PALETTE[0],
    MeasureStatus.ON_HOLD: PALETTE[1], MeasureStatus.COMPLETED: PALETTE[2], MeasureStatus.STOPPED: PALETTE[5],
    MeasureStatus.REJECTED: PALETTE[6],
}
HEALTH_ORDER = [Health.ON_TRACK, Health.AT_RISK, Health.OFF_TRACK]


@dataclass
class Links:
    """Where clicks lead; the view fills these in with reverse() and the current filters."""

    measures: Callable[..., str]  # measures(action_line=, status=, health=) -> filtered measure list
    measure: Callable[[int], str]  # measure(pk) -> its page
    figures: Callable[[int, int, str], str] = lambda period_id, indicator_id, source: ""
    report: Callable[[int], str] = lambda pk: ""


def period_label(period: dict) -> str:
    if period["kind"] == PeriodKind.QUARTER:
        return _("Q%(number)s %(year)s") % {"number": period["number"], "year": period["year"]}
    if period["kind"] == PeriodKind.HALF_YEAR:
        return _("H%(number)s %(year)s") % {"number": period["number"], "year": period["year"]}
    return str(period["year"])


def shorten(text: str, length: int = 48) -> str:
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


def line_label(number: int, name: str) -> str:
    """An action line's full label: the data, table and CSV keep it whole; charts draw line_tick()."""
    return f"{number}. {name}"


def line_tick(number: int, name: str) -> str:
    return f"{number}. {shorten(name)}"


# Steering group ------------------------------------------------------------------------------------------------


def measures_by_status(lines: list[dict], links: Links) -> Chart:
    used = [s for s in STATUS_ORDER if any(line["status"][s] for line in lines)]
    return Chart(
        key="status",
        title=_("Measures per action line, by status"),
        categories=[line_label(line["number"], line["name"]) for line in lines],
        short_categories=[line_tick(line["number"], line["name"]) for line in lines],
        series=[
            Series(str(MeasureStatus(status).label).capitalize(), [line["status"][status] for line in lines],
                   urls=[links.measures(action_line=line["id"], status=status) for line in lines],
                   colour=STATUS_COLOURS[status])
            for status in used
        ],
        kind="hbar_stacked",
        y_title=_("Number of measures"),
        category_title=_("Action line"),
        height=140 + 60 * len(lines),
        notes=[_("Click a bar to see those measures in the list.")],
    )


def measures_by_health(lines: list[dict], links: Links) -> Chart:
    return Chart(
        key="health",
        title=_("Measures per action line: on track, at risk, off track"),
        categories=[line_label(line["number"], line["name"]) for line in lines],
        short_categories=[line_tick(line["number"], line["name"]) for line in lines],
        series=[
            Series(str(Health(health).label).capitalize(), [line["health"][health] for line in lines],
                   urls=[links.measures(action_line=line["id"], health=health) for line in lines],
                   colour=HEALTH_COLOURS[health])
            for health in HEALTH_ORDER
        ],
        kind="hbar_stacked",
        y_title=_("Number of measures"),
        category_title=_("Action line"),
        height=140 + 60 * len(lines),
        notes=[_("Click a bar to see those measures in the list.")],
    )


def goal_progress(goal: dict, value) -> Decimal | None:
    """How far a value has come from the baseline (0%) to the target (100%), never past 100: beyond the target
    a goal is reached (goal_reached), not "311% of the way". Without a baseline, from zero. None for a goal
    where neither way is better: it has no way to go, only a distance to its target."""
    if value is None or goal["target"] is None or goal.get("direction") == GoalDirection.NEITHER:
        return None
    baseline = Decimal(goal["baseline"] or 0)
    span = Decimal(goal["target"]) - baseline
    if not span:
        return None
    progress = ((Decimal(value) - baseline) * 100 / span).quantize(Decimal("1"))
    return min(progress, Decimal(100))


def goal_reached(goal: dict, value) -> bool:
    """Whether the value meets the target in the goal's direction (for "neither": exactly on it)."""
    if value is None or goal["target"] is None:
        return False
    value, target = Decimal(value), Decimal(goal["target"])
    direction = goal.get("direction", GoalDirection.HIGHER)
    if direction == GoalDirection.LOWER:
        return value <= target
    if direction == GoalDirection.NEITHER:
        return value == target
    return value >= target


def goal_status(goal: dict, value) -> str:
    """In words: target reached, the way to go, or (neither way better) the distance to the target."""
    if value is None or goal["target"] is None:
        return ""
    if goal_reached(goal, value):
        return _("target reached")
    if goal.get("direction") == GoalDirection.NEITHER:
        target = Decimal(goal["target"])
        if not target:
            return ""
        distance = ((Decimal(value) - target) * 100 / target).quantize(Decimal("1"))
        words = {"pct": abs(distance)}
        return (_("%(pct)s%% above the target") if distance > 0 else _("%(pct)s%% below the target")) % words
    progress = goal_progress(goal, value)
    if progress is None:
        return ""
    if progress < 0:
        return _("further from the target than the baseline")
    # xgettext:no-python-format
    return _("%(pct)s%% of the way to the target") % {"pct": progress}


def goal_value_shown(goal: dict, value, disclosure: Disclosure):
    """A year value as the viewer may see it: outside the region rounded, or the label when small."""
    return disclosure.count(value, suppress=goal["suppress"])


def goals_chart(goals: list[dict], disclosure: Disclosure) -> Chart:
    """Per goal with a direction the way from baseline to target over the years, capped at the target: a year
    beyond it shows as 100% with "target reached" on hover. Goals where neither way is better stay in the table."""
    measured = [g for g in goals if g["years"] and g["target"] is not None
                and g.get("direction") != GoalDirection.NEITHER]
    years = sorted({year for g in measured for year, _value in g["years"]})
    series = []
    for index, goal in enumerate(measured):
        by_year = dict(goal["years"])
        values, notes = [], []
        for year in years:
            if year not in by_year:
                values.append(None)
                notes.append(None)
                continue
            shown = goal_value_shown(goal, by_year[year], disclosure)
            values.append(shown if is_hidden(shown) else goal_progress(goal, shown))
            notes.append(None if is_hidden(shown) else goal_status(goal, shown))
        series.append(Series(_("Goal %(code)s") % {"code": goal["code"]}, values, colour=PALETTE[index % 8],
                             point_notes=notes))
    if measured:
        series.append(Series(_("Target (100%)"), [100] * len(years), reference=True))
    return Chart(
        key="goals",
        title=_("Goals: the way from baseline (0%) to target (100%)"),
        categories=[str(year) for year in years],
        series=series,
        kind="line",
        # xgettext:no-python-format
        y_title=_("% of the way to the target"),
        category_title=_("Year"),
        notes_in_table=True,
        notes=[_("Per goal with figures: the complete years in the chosen period; a year at or beyond the target "
                 "shows as 100% (target reached). Goals where neither way is better, and the numbers themselves, "
                 "are in the table of goals below.")],
    )


def goal_rows(goals: list[dict], disclosure: Disclosure) -> list[dict]:
    """The table of goals: baseline, target, the latest complete year and its trend."""
    rows = []
    for goal in goals:
        latest = goal["years"][-1] if goal["years"] else None
        previous = goal["years"][-2] if len(goal["years"]) > 1 else None
        shown = goal_value_shown(goal, latest[1], disclosure) if latest else None
        trend = ""
        if latest and previous and not is_hidden(shown) and previous[0] == latest[0] - 1:
            before = goal_value_shown(goal, previous[1], disclosure)
            if not is_hidden(before) and before:
                change = ((Decimal(shown) - Decimal(before)) * 100 / Decimal(before)).quantize(Decimal(1))
                words = {"pct": abs(change), "year": previous[0]}
                trend = (_("up %(pct)s%% on %(year)s") if change > 0 else _("down %(pct)s%% on %(year)s")
                         if change < 0 else _("the same as %(year)s")) % words
        rows.append({
            "code": goal["code"], "title": goal["title"], "unit": goal["unit"], "baseline": goal["baseline"],
            "baseline_year": goal["baseline_year"], "target": goal["target"], "deadline": goal["deadline"],
            "latest_year": latest[0] if latest else None, "latest": shown, "latest_hidden": is_hidden(shown),
            "trend": trend,
            "progress": None if latest is None or is_hidden(shown) else goal_progress(goal, shown),
            "reached": latest is not None and not is_hidden(shown) and goal_reached(goal, shown),
            "status": "" if latest is None or is_hidden(shown) else goal_status(goal, shown),
            "direction": GoalDirection(goal.get("direction") or GoalDirection.HIGHER).label,
            "source": FigureSource(goal["source"]).label if goal["source"] else "",
            "has_indicator": bool(goal["indicator_id"]),
        })
    return rows


def _source_label(source: str | None) -> str | None:
    return _source_label_in(source, get_language()) if source else None


def _source_labels() -> dict[str | None, str | None]:
    """Every source's label in the active language (and None for none), for a chart that labels every point."""
    language = get_language()
    return {None: None, **{source: _source_label_in(source, language) for source in FigureSource.values}}


@lru_cache(maxsize=64)
def _source_label_in(source: str, language: str) -> str:
    """A source's label, translated once per language (a chart labels every point with its source)."""
    return str(FigureSource(source).label)


NATIONAL_COLOUR = "#666666"  # the country's reference line: dashed like the region's, in grey


def figure_charts(figures: list[dict], periods: list[dict], links: Links, disclosure: Disclosure,
                  region_name: str) -> list[Chart]:
    """Per indicator: each municipality over time in absolute numbers and per 1,000 inhabitants, with the
    region as a dashed reference line (average per municipality; the region's own rate), and per 1,000
    inhabitants the country's rate as a second one when the figures carry it (see selectors.with_national).

    Every point carries its source (the selector chose the best one per municipality and quarter): on hover
    always, in the table and CSV as soon as the chart mixes sources. Only quarters are drawn.
    """
    charts = []
    categories = [period_label(p) for p in periods]
    labels = _source_labels()
    # The country's numbers hold other regions' figures: whoever looks, they leave those regions.
    national_disclosure = Disclosure.outside()
    for indicator in figures:
        region_sources = [indicator["region"].get(p["id"], {}).get("source") for p in periods]
        # A point's link and label follow from its quarter and source alone: made once each, not once a point.
        point_links = {(p["id"], source): links.figures(p["id"], indicator["id"], source)
                       for p in periods for source in {*indicator["sources"], *region_sources} - {None}}
        urls = [point_links.get((p["id"], source)) for p, source in zip(periods, region_sources, strict=True)]
        absolute, per_thousand = [], []
        # More municipalities than colours: the region's line is drawn, each municipality on demand (a click on
        # its name in the legend), never 21 lines at once; the table and CSV hold every one.
        on_demand = len(indicator["municipalities"]) > len(PALETTE)
        for index, (municipality_id, name) in enumerate(indicator["municipalities"]):
            colour = PALETTE[index % len(PALETTE)] if len(indicator["municipalities"]) <= len(PALETTE) else None
            values, rates, sources, point_urls = [], [], [], []
            for period in periods:
                value, inhabitants, source = indicator["values"].get((municipality_id, period["id"]),
                                                                     (None, None, None))
                shown = disclosure.count(value, suppress=indicator["suppress"])
                values.append(shown)
                rates.append(shown if is_hidden(shown) else _rate(shown, inhabitants))
                sources.append(labels[source])
                point_urls.append(point_links[(period["id"], source)] if source else None)
            absolute.append(Series(name, values, urls=point_urls, colour=colour, point_notes=sources,
                                   hidden=on_demand))
            per_thousand.append(Series(name, rates, urls=point_urls, colour=colour, point_notes=sources,
                                       hidden=on_demand))
        averages, region_rates = [], []
        for period in periods:
            row = indicator["region"].get(period["id"])
            if row is None:
                averages.append(None)
                region_rates.append(None)
            elif disclosure.protects(indicator["suppress"]):
                averages.append(disclosure.average(row["total"], row["count"], suppress=True))
                region_rates.append(disclosure.rate(row["total"], row["inhabitants"], suppress=True))
            else:
                averages.append(row["average"])
                region_rates.append(_rate(row["total"], row["inhabitants"]))
        region_notes = [labels[source] for source in region_sources]
        absolute.append(Series(_("Average per municipality of %(region)s") % {"region": region_name}, averages,
                               urls=urls, reference=True, point_notes=region_notes))
        per_thousand.append(Series(_("%(region)s as a whole") % {"region": region_name}, region_rates,
                                   urls=urls, reference=True, point_notes=region_notes))
        national_notes = []
        if "national" in indicator:
            national_rates = []
            for period in periods:
                row = indicator["national"].get(period["id"])
                national_rates.append(None if row is None else national_disclosure.rate(
                    row["total"], row["inhabitants"], suppress=indicator["suppress"]))
            per_thousand.append(Series(_("The Netherlands as a whole"), national_rates, reference=True,
                                       colour=NATIONAL_COLOUR))
            national_notes.append(_("The grey dashed line is the Netherlands as a whole: per region and quarter "
                                    "the best available source, added up over the regions, and rounded as every "
                                    "number that leaves a region."))
        notes = []
        sources = indicator["sources"]
        if sources:
            notes.append(_("Source: %(sources)s. Quarterly figures only. Per municipality and quarter the best "
                           "available source is used (in this order: %(order)s); the region's line counts one "
                           "source per quarter; sources are never added together.") % {
                "sources": ", ".join(_source_label(s) for s in sources),
                "order": ", ".join(str(label) for label in FigureSource.labels)})
        if disclosure.protects(indicator["suppress"]):
            notes.append(disclosure.note())
        if on_demand:
            notes.append(_("Click a municipality in the legend to draw its line, or choose one in the filter; the "
                           "table holds every municipality."))
        mixed = len(sources) > 1
        charts.append(Chart(
            key=f"{indicator['code']}-aantal",
            title=_("%(indicator)s per quarter") % {"indicator": indicator["name"]},
            categories=categories, series=absolute, kind="line", y_title=_("Count"),
            category_title=_("Quarter"), notes=notes, notes_in_table=mixed, series_title=_("Municipality"),
        ))
        charts.append(Chart(
            key=f"{indicator['code']}-per-1000",
            title=_("%(indicator)s per 1,000 inhabitants per quarter") % {"indicator": indicator["name"]},
            categories=categories, series=per_thousand, kind="line", decimals=2,
            y_title=_("Per 1,000 inhabitants"), category_title=_("Quarter"), notes=notes + national_notes,
            notes_in_table=mixed,
            series_title=_("Municipality"),
        ))
    return charts


def _rate(value, inhabitants):
    if value is None or not inhabitants:
        return None
    return (Decimal(value) * 1000 / Decimal(inhabitants)).quantize(Decimal("0.01"))


def timeline_chart(timeline: dict, links: Links, today: datetime.date) -> Chart:
    rows = timeline["rows"]
    titles, ticks, seen = [], [], {}
    for row in rows:
        # The category axis merges equal names: a second measure with the same title gets its number. The full
        # title stays in the data (table, CSV); only the drawn tick label is shortened.
        title = row["title"]
        seen[title] = seen.get(title, 0) + 1
        suffix = "" if seen[title] == 1 else f" ({seen[title]})"
        titles.append(title + suffix)
        ticks.append(shorten(title, 60) + suffix)
    # Translated once, not per measure: a timeline has hundreds.
    statuses = {status: str(label) for status, label in MeasureStatus.choices}
    group = _("Action line %(number)s")
    notes = [_("The dashed line is today. A measure without an end date runs on to today.")]
    if timeline["undated"]:
        notes.append(ngettext("%(count)s measure without a start date is not shown.",
                              "%(count)s measures without a start date are not shown.",
                              timeline["undated"]) % {"count": timeline["undated"]})
    return Chart(
        key="tijdlijn",
        title=_("Timeline of the measures, by action line"),
        categories=titles,
        short_categories=ticks,
        series=[
            Series(_("Start"), [row["start_date"] for row in rows], urls=[links.measure(row["pk"]) for row in rows]),
            Series(_("End"), [row["end_date"] for row in rows]),
            Series(_("Status"), [statuses[row["status"]] for row in rows]),
        ],
        kind="timeline",
        groups=[group % {"number": row["action_line__number"]} for row in rows],
        group_title=_("Action line"),
        category_title=_("Measure"),
        y_title=_("Date"),
        today=today,
        today_label=_("today"),
        height=160 + 26 * len(rows),
        notes=notes,
    )


# National --------------------------------------------------------------------------------------------------------


def national_figures_chart(data: dict, indicators: list[dict], totals: dict, links: Links,
                           disclosure: Disclosure) -> Chart:
    """Per region the yearly number per 1,000 inhabitants of each indicator, the national rate dashed; every
    rate from the region's (or the country's) exact total, rounded by the disclosure step."""
    regions = data["regions"]
    series = []
    used = set()
    for index, indicator in enumerate(indicators):
        values, sources = [], []
        for region in regions:
            row = data["figures"].get((region["pk"], indicator["id"]))
            if row is None:
                values.append(None)
                sources.append(None)
            else:
                values.append(disclosure.rate(row["total"], row["inhabitants"], suppress=indicator["suppress"]))
                # The best available source per quarter: a year may combine two (a CBS history, a newer quarter
                # typed in by Veilig Thuis); each region's number names them.
                sources.append(", ".join(_source_label(source) for source in row.get("sources", [])) or None)
                used.update(row.get("sources", []))
        series.append(Series(indicator["name"], values, colour=PALETTE[index], point_notes=sources,
                             urls=[_report_url(data, region, links) for region in regions]))
    for index, indicator in enumerate(indicators):
        national = totals[indicator["id"]]
        shown = (None if national["total"] is None else
                 disclosure.rate(national["total"], national["inhabitants"], suppress=indicator["suppress"]))
        series.append(Series(_("%(indicator)s, the Netherlands") % {"indicator": indicator["name"]},
                             [shown] * len(regions), reference=True, colour=["#000000", "#555555"][index % 2]))
    return Chart(
        key="per-1000",
        title=_("Per 1,000 inhabitants by region, %(year)s") % {"year": data["year"]},
        categories=[region["name"] for region in regions],
        series=series,
        kind="hbar",
        decimals=2,
        y_title=_("Per 1,000 inhabitants"),
        category_title=_("Region"),
        height=160 + 34 * len(regions),
        notes=[*([disclosure.note()] if any(disclosure.protects(i["suppress"]) for i in indicators) else []),
               *([_("Per region and quarter the best available source is used (in this order: %(order)s); a "
                    "year may combine quarters of different sources, which are named per region; sources are "
                    "never added together.") % {"order": ", ".join(str(label) for label in FigureSource.labels)}]
                 if used else []),
               _("Click a region to open its latest approved progress report.")],
        notes_in_table=len(used) > 1,
    )


def _report_url(data: dict, region: dict, links: Links) -> str | None:
    report = data["reports"].get(region["pk"])
    return links.report(report["latest_approved"]) if report and report["latest_approved"] else None


def national_health_chart(data: dict, links: Links) -> Chart:
    regions = data["regions"]

    def share(region, health):
        row = data["measures"].get(region["pk"])
        if not row or not row["with_health"]:
            return None
        return (Decimal(row[health]) * 100 / row["with_health"]).quantize(Decimal("0.1"))

    return Chart(
        key="op-koers",
        title=_("Share of measures on track, at risk and off track, by region"),
        categories=[region["name"] for region in regions],
        series=[
            Series(str(Health(health).label).capitalize(), [share(region, health) for region in regions],
                   colour=HEALTH_COLOURS[health], urls=[_report_url(data, region, links) for region in regions])
            for health in HEALTH_ORDER
        ],
        kind="hbar_stacked",
        decimals=1,
        # xgettext:no-python-format
        y_title=_("% of the measures with a health"),
        category_title=_("Region"),
        height=160 + 34 * len(regions),
        notes=[_("Click a region to open its latest approved progress report.")],
    )
