"""The steering group's dashboard of a region: measures, goals, figures, bottlenecks and the report, in SQL."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from measures.models import Health, Measure, MeasureStatus, Participation
from programme import calendar
from programme.models import (
    ActionLine,
    Goal,
    Organisation,
    OrganisationKind,
    PeriodKind,
    ProgrammeLevel,
    Region,
    valid_numbers,
)
from reporting.dashboards.access import dashboard_regions
from reporting.dashboards.cache import cached
from reporting.dashboards.selectors.common import (
    Filters,
    current_report_period,
    figures_over_time,
    latest_quarter_with_figures,
    period_parts,
    quarters,
    resolve_range,
    vt_indicators,
    with_national,
)
from reporting.figures.completeness import figure_delivery
from reporting.figures.goals import year_value
from reporting.figures.selectors import SOURCE_PREFERENCE
from reporting.models import (
    Bottleneck,
    BottleneckStatus,
    Figure,
    FigureStatus,
    ProgressReport,
    ReportStatus,
)


def other_dashboard_regions(user, region: Region) -> QuerySet[Region]:
    """The other regions whose dashboard the user may open, for the page's region switch."""
    return dashboard_regions(user).exclude(pk=region.pk)


def steering_options(region: Region, fingerprint: str) -> dict:
    """The choices of the filter form: action lines, municipalities and quarters (cached with the data)."""

    def build():
        lines = list(
            ActionLine.objects.filter(programme__region=region, programme__level=ProgrammeLevel.REGIONAL)
            .order_by("programme__start_date", "number").values("pk", "number", "name")
        )
        municipalities = list(
            Organisation.objects.filter(region=region, kind=OrganisationKind.MUNICIPALITY)
            .order_by("name").values_list("pk", "name")
        )
        indicators = vt_indicators()
        return {
            "action_lines": [(line["pk"], line["number"], line["name"]) for line in lines],
            "municipalities": municipalities,
            "quarters": quarters(),
            "indicators": indicators,
            "latest_with_figures": latest_quarter_with_figures([region.pk], [i["id"] for i in indicators]),
        }

    return cached("steering-options", (region.pk,), fingerprint, build)


def region_measures(region: Region, filters: Filters) -> QuerySet[Measure]:
    """The current measures the dashboard counts: the same rows the measure list shows for the same filter."""
    measures = Measure.objects.filter(programme__region=region, programme__level=ProgrammeLevel.REGIONAL,
                                      archived_at__isnull=True)
    if filters.action_line:
        measures = measures.filter(action_line_id=filters.action_line)
    if filters.municipality:
        measures = measures.filter(
            Exists(Participation.objects.filter(measure_id=OuterRef("pk"), organisation_id=filters.municipality))
        )
    return measures


def _per_action_line(measures: QuerySet[Measure]) -> dict[int, dict]:
    """Per action line the number of measures, of undated ones, and per status and per health.

    Counted per (action line, status, health) and added up here: a few dozen rows, and a query far cheaper to build
    than one filtered count per status and per health.
    """
    result = {}
    for row in measures.values("action_line_id", "status", "health").annotate(
            total=Count("pk"), undated=Count("pk", filter=Q(start_date__isnull=True))).order_by():
        line = result.get(row["action_line_id"])
        if line is None:
            line = result[row["action_line_id"]] = {
                "total": 0, "undated": 0, "status": dict.fromkeys(MeasureStatus.values, 0),
                "health": dict.fromkeys(Health.values, 0)}
        line["total"] += row["total"]
        line["undated"] += row["undated"]
        for counts, value in ((line["status"], row["status"]), (line["health"], row["health"])):
            if value in counts:  # a measure without a health is counted in no health
                counts[value] += row["total"]
    return result


def _tiles(region: Region, filters: Filters, per_line: dict,
           municipalities: list[tuple[int, str]] | None = None) -> dict:
    by_status = {status: sum(line["status"][status] for line in per_line.values()) for status in MeasureStatus.values}
    by_health = {health: sum(line["health"][health] for line in per_line.values()) for health in Health.values}
    bottlenecks = Bottleneck.objects.filter(programme__region=region)
    if filters.action_line:
        bottlenecks = bottlenecks.filter(action_line_id=filters.action_line)
    counted = bottlenecks.aggregate(
        open=Count("pk", filter=Q(status=BottleneckStatus.OPEN)),
        escalated=Count("pk", filter=Q(status=BottleneckStatus.ESCALATED)),
    )
    report_period = current_report_period()
    # The report tile in one query: the newest revision of this period's report and the latest approved report.
    reports = ProgressReport.objects.filter(programme__region=region, status=ReportStatus.APPROVED)
    if report_period:
        reports |= ProgressReport.objects.filter(programme__region=region, period_id=report_period["id"])
    rows = list(reports.order_by("-period__start_date", "-revision").values(
        "pk", "status", "revision", "period_id", "period__kind", "period__year", "period__number", "approved_at"))
    report = next((row for row in rows if report_period and row["period_id"] == report_period["id"]), None)
    latest_approved = next((row for row in rows if row["status"] == ReportStatus.APPROVED), None)
    return {
        "measures": sum(line["total"] for line in per_line.values()),
        "by_status": by_status,
        "by_health": by_health,
        "with_health": sum(by_health.values()),
        "bottlenecks_open": counted["open"],
        "bottlenecks_escalated": counted["escalated"],
        "report_period": report_period,
        "report": report,
        "latest_approved": latest_approved,
        "delivery": not_delivered(region, municipalities),
    }


def not_delivered(region: Region, municipalities: list[tuple[int, str]] | None = None) -> dict:
    """The delivery of the quarter that is due: x of y values in, and the organisations still owing some."""
    period = calendar.quarter_due()
    if period is None:
        return {"period": None, "organisations": [], "expected": 0, "delivered": 0}
    delivery = figure_delivery(region=region, period=period, municipalities=municipalities)
    return {"period": period_parts(period), "organisations": [s.name for s in delivery.missing_suppliers],
            "expected": delivery.expected, "delivered": delivery.delivered}


def _goal_series(region: Region, goals: list[dict], years: tuple[int, int]) -> None:
    """Add to each measured goal its yearly values over complete years, chosen as goal_actuals chooses them
    (newest complete year, quarters before other kinds, the preferred source; sources never added up)."""
    indicator_ids = {g["indicator_id"] for g in goals if g["indicator_id"]}
    if not indicator_ids:
        return
    rows = (
        Figure.objects.filter(indicator_id__in=indicator_ids, organisation__region=region, status=FigureStatus.VALUE,
                              period__year__range=years)
        .values("indicator_id", "source", "period__kind", "period__year", "period__end_date")
        .annotate(total=Sum("value")).order_by()
    )
    series: dict = {}
    for row in rows:
        key = (row["indicator_id"], row["source"], row["period__kind"])
        series.setdefault(key, {}).setdefault(row["period__year"], []).append(row)
    for goal in goals:
        best = None
        for (indicator_id, source, kind), by_year in series.items():
            if indicator_id != goal["indicator_id"]:
                continue
            complete = sorted(y for y, r in by_year.items() if len(r) == len(valid_numbers(kind)))
            if not complete:
                continue
            rank = (complete[-1], kind == PeriodKind.QUARTER, -SOURCE_PREFERENCE.index(source))
            if best is None or rank > best[0]:
                best = (rank, source, by_year, complete)
        if best is None:
            continue
        _rank, source, by_year, complete = best
        aggregation = goal["aggregation"]
        goal["source"] = source
        goal["years"] = [
            (year, year_value(_Aggregating(aggregation), by_year[year])) for year in complete
        ]


@dataclass
class _Aggregating:
    """What goals.year_value needs of an indicator."""

    aggregation_over_time: str


def _goals(region: Region, filters: Filters, years: tuple[int, int]) -> list[dict]:
    goals = Goal.objects.filter(action_line__programme__region=region,
                                action_line__programme__level=ProgrammeLevel.REGIONAL)
    if filters.action_line:
        goals = goals.filter(action_line_id=filters.action_line)
    result = [
        {"id": row["pk"], "code": row["code"], "title": row["title"], "unit": row["unit"],
         "baseline": row["baseline"], "baseline_year": row["baseline_year"], "target": row["target"],
         "direction": row["direction"],
         "deadline": row["deadline"], "indicator_id": row["indicator_id"],
         "indicator": row["indicator__name"], "aggregation": row["indicator__aggregation_over_time"],
         "suppress": bool(row["indicator__suppress_small_numbers"]), "line": row["action_line__number"],
         "source": None, "years": []}
        for row in goals.order_by("action_line__number", "code").values(
            "pk", "code", "title", "unit", "baseline", "baseline_year", "target", "direction", "deadline",
            "indicator_id",
            "indicator__name", "indicator__aggregation_over_time", "indicator__suppress_small_numbers",
            "action_line__number")
    ]
    _goal_series(region, result, years)
    return result


def _timeline(measures: QuerySet[Measure], start: datetime.date | None, end: datetime.date | None,
              per_line: dict) -> dict:
    """The measures that run in the period range, with their dates, ordered by action line and start; the count
    of measures without a start date comes with the counts per action line."""
    dated = measures.filter(start_date__isnull=False)
    if start and end:
        dated = dated.filter(Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start)))
    rows = list(
        dated.order_by("action_line__number", "start_date", "title").values(
            "pk", "title", "action_line_id", "action_line__number", "action_line__name", "start_date", "end_date",
            "status", "health")
    )
    return {"rows": rows, "undated": sum(line["undated"] for line in per_line.values())}


def steering_data(region: Region, filters: Filters, options: dict, fingerprint: str) -> dict:
    """Everything the steering group dashboard shows for one region and filter, cached until the data changes."""
    period_range = resolve_range(filters, options["quarters"], options["latest_with_figures"])

    def build():
        measures = region_measures(region, filters)
        per_line = _per_action_line(measures)
        by_id = {q["id"]: q for q in options["quarters"]}
        first, last = (by_id[period_range[0]], by_id[period_range[1]]) if period_range else (None, None)
        period_ids = [q["id"] for q in options["quarters"] if first and first["start"] <= q["start"] <= last["start"]]
        lines = [
            {"id": pk, "number": number, "name": name,
             **per_line.get(pk, {"total": 0, "undated": 0, "status": dict.fromkeys(MeasureStatus.values, 0),
                                 "health": dict.fromkeys(Health.values, 0)})}
            for pk, number, name in options["action_lines"]
            if not filters.action_line or pk == filters.action_line
        ]
        years = (first["year"], last["year"]) if first else (1900, 2100)
        return {
            "range": period_range,
            "period_ids": period_ids,
            "tiles": _tiles(region, filters, per_line, options["municipalities"]),
            "lines": lines,
            "goals": _goals(region, filters, years),
            "figures": with_national(figures_over_time(region=region, indicators=options["indicators"],
                                                       period_ids=period_ids, municipality_id=filters.municipality,
                                                       municipalities=options["municipalities"]),
                                     period_ids),
            "timeline": _timeline(measures, first["start"] if first else None, last["end"] if last else None,
                                  per_line),
        }

    return cached("steering", (region.pk, filters.key(), period_range), fingerprint, build)


def steering_tiles(region: Region, fingerprint: str) -> dict:
    """Only the tiles, for the steering group's home page."""
    filters = Filters()
    return cached("steering-tiles", (region.pk,), fingerprint,
                  lambda: _tiles(region, filters, _per_action_line(region_measures(region, filters))))
