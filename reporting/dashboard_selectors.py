"""Reads for the dashboards: access, the aggregates in SQL, and a cache that can never show a stale number.

Every aggregate is computed by the database (values + Sum/Count/Avg, conditional counts with filter=Q), so a
page needs the same number of queries for a region of five municipalities as for the whole country. The
results are plain, language-neutral data (ids, codes, numbers, dates) that the pure chart builders in
dashboard_charts.py turn into charts; labels are translated there, per request.

Caching: the expensive aggregates are cached under a key that contains a fingerprint of the data (one cheap
query of maxima and counts over the tables the dashboards read, see `data_fingerprint`). Any write, through a
service, an import, the admin or a bulk load, changes the fingerprint, so the next request computes afresh.
"""

import datetime
import hashlib
from dataclasses import asdict, dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Avg, Count, Exists, IntegerField, Min, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from measures.models import Health, Measure, MeasureStatus, MeasureUpdate, Participation
from programme.access import require_role, scope_of
from programme.models import (
    ActionLine,
    ChangeRecord,
    Goal,
    Indicator,
    Organisation,
    OrganisationKind,
    PeriodKind,
    Population,
    Programme,
    ProgrammeLevel,
    Region,
    ReportingPeriod,
)

from . import privacy
from .models import Bottleneck, BottleneckStatus, Figure, FigureChange, FigureStatus, ProgressReport, ReportStatus
from .selectors import EXPECTED_PERIODS, SOURCE_PREFERENCE, _year_value

# The Veilig Thuis counts the dashboards follow over time (reference data codes).
VT_CODES = ("adviesvragen-vt", "meldingen-vt")
DEFAULT_QUARTERS = 12  # three years, when no period range is chosen
CACHE_SECONDS = 15 * 60  # a safety net only: the fingerprint in the key already retires stale entries
THOUSAND = Decimal(1000)


# Access --------------------------------------------------------------------------------------------------------


def require_regional_reader(user):
    """The regional dashboards are for the people of a region (and administrators); others get a 403.

    The national team reads approved reports and the national dashboard, not a region's live data.
    """
    scope = require_role(user)
    if not (scope.is_superuser or scope.region_ids):
        raise PermissionDenied
    return scope


def require_national_reader(user):
    scope = require_role(user)
    if not (scope.is_superuser or scope.is_national_team):
        raise PermissionDenied
    return scope


def dashboard_regions(user) -> QuerySet[Region]:
    """Regions with a regional programme whose dashboard the user may open: every member of the region."""
    scope = scope_of(user)
    regions = Region.objects.filter(programmes__level=ProgrammeLevel.REGIONAL).distinct().order_by("name")
    if scope.is_superuser:
        return regions
    return regions.filter(pk__in=scope.region_ids)


def region_for_dashboard(user, pk: int) -> Region:
    return get_object_or_404(dashboard_regions(user), pk=pk)


def municipality_for_page(user, pk: int) -> Organisation:
    scope = scope_of(user)
    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).select_related("region")
    if not scope.is_superuser:
        municipalities = municipalities.filter(region_id__in=scope.region_ids)
    return get_object_or_404(municipalities, pk=pk)


# Cache ---------------------------------------------------------------------------------------------------------


def data_fingerprint() -> str:
    """One query over the tables the dashboards read; it changes with every write, so cached data is never stale.

    Append-only logs (the change log, the figure history, the admin log) give the newest id; tables with a
    timestamp their newest change and their count (deletes lower it); populations, which have neither, their
    count and sum. Every maximum uses an index or a small table, so this costs a few milliseconds nationally.
    """
    parts = [
        (ChangeRecord, "MAX(id)"), (FigureChange, "MAX(id)"), (LogEntry, "MAX(id)"),
        (Figure, "MAX(updated_at)"), (Measure, "MAX(updated_at)"), (Measure, "COUNT(*)"),
        (MeasureUpdate, "MAX(updated_at)"), (MeasureUpdate, "COUNT(*)"), (Participation, "COUNT(*)"),
        (Participation, "MAX(id)"), (ProgressReport, "MAX(updated_at)"), (ProgressReport, "COUNT(*)"),
        (Bottleneck, "MAX(updated_at)"), (Bottleneck, "COUNT(*)"), (Population, "COUNT(*)"),
        (Population, "SUM(inhabitants)"), (Organisation, "MAX(updated_at)"), (Organisation, "COUNT(*)"),
        (Goal, "MAX(updated_at)"), (Goal, "COUNT(*)"), (ActionLine, "MAX(updated_at)"), (Programme, "MAX(updated_at)"),
        (ReportingPeriod, "MAX(updated_at)"), (ReportingPeriod, "COUNT(*)"), (Indicator, "MAX(updated_at)"),
        (Region, "MAX(updated_at)"),
    ]
    sql = "SELECT " + ", ".join(f"(SELECT {expr} FROM {model._meta.db_table})" for model, expr in parts)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:24]


def cached(name: str, parts: tuple, fingerprint: str, build):
    """The cached result of `build()` for these parameters and this state of the data."""
    key = "ghnt:dashboard:" + hashlib.sha256(repr((name, parts, fingerprint)).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_SECONDS)
    return value


# Shared pieces -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filters:
    """What the filter form of a dashboard chose; ids, validated against the options before use."""

    period_from: int | None = None
    period_to: int | None = None
    municipality: int | None = None
    action_line: int | None = None

    def key(self) -> tuple:
        return tuple(sorted(asdict(self).items()))


def period_parts(period: ReportingPeriod | dict) -> dict:
    """A period as plain data: kind, year and number give its label in any language."""
    if isinstance(period, dict):
        return period
    return {"id": period.pk, "kind": period.kind, "year": period.year, "number": period.number,
            "start": period.start_date, "end": period.end_date}


def quarters() -> list[dict]:
    return [
        {"id": pk, "kind": PeriodKind.QUARTER, "year": year, "number": number, "start": start, "end": end}
        for pk, year, number, start, end in ReportingPeriod.objects.filter(kind=PeriodKind.QUARTER)
        .order_by("start_date").values_list("pk", "year", "number", "start_date", "end_date")
    ]


def _inhabitants():
    """The inhabitants of a figure's municipality in the figure's year, else the nearest earlier, else later year
    (the same rule as selectors.population_for), as an SQL expression."""
    earlier = Population.objects.filter(
        organisation_id=OuterRef("organisation_id"), year__lte=OuterRef("period__year")
    ).order_by("-year").values("inhabitants")[:1]
    later = Population.objects.filter(organisation_id=OuterRef("organisation_id")).order_by("year").values(
        "inhabitants")[:1]
    return Coalesce(Subquery(earlier), Subquery(later), output_field=IntegerField())


def rate(value, inhabitants) -> Decimal | None:
    if value is None or not inhabitants:
        return None
    return (Decimal(value) * THOUSAND / Decimal(inhabitants)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def _small():
    return Count("pk", filter=Q(value__gte=1, value__lte=privacy.threshold()))


def current_report_period() -> dict | None:
    """The quarter the regions report on now (the project leader's home card uses the same one)."""
    today = timezone.localdate()
    period = (
        ReportingPeriod.objects.filter(kind=PeriodKind.QUARTER, start_date__lte=today, end_date__gte=today)
        .order_by("start_date").first()
    )
    return period_parts(period) if period else None


def delivery_period() -> dict | None:
    """The quarter whose figures are due now: ended, deadline not passed; else the last ended quarter."""
    today = timezone.localdate()
    ended = ReportingPeriod.objects.filter(kind=PeriodKind.QUARTER, end_date__lt=today)
    period = ended.filter(deadline__gte=today).order_by("end_date").first() or ended.order_by("-end_date").first()
    return period_parts(period) if period else None


def resolve_range(filters: Filters, options: list[dict], latest_with_figures: int | None) -> tuple[int, int] | None:
    """The chosen period range, or the last DEFAULT_QUARTERS quarters up to the newest quarter with figures."""
    if not options:
        return None
    index = {q["id"]: i for i, q in enumerate(options)}
    today = timezone.localdate()
    ended = [i for i, q in enumerate(options) if q["end"] < today] or [len(options) - 1]
    default_end = index.get(latest_with_figures, ended[-1])
    end = index.get(filters.period_to, default_end)
    start = index.get(filters.period_from, max(0, end - DEFAULT_QUARTERS + 1))
    if start > end:
        start, end = end, start
    return options[start]["id"], options[end]["id"]


# Figures over time -----------------------------------------------------------------------------------------------


def vt_indicators() -> list[dict]:
    return [
        {"id": pk, "code": code, "name": name, "suppress": suppress}
        for pk, code, name, suppress in Indicator.objects.filter(code__in=VT_CODES)
        .order_by("code").values_list("pk", "code", "name", "suppress_small_numbers")
    ]


def latest_quarter_with_figures(region_ids, indicator_ids) -> int | None:
    row = (
        Figure.objects.filter(organisation__region_id__in=region_ids, indicator_id__in=indicator_ids,
                              period__kind=PeriodKind.QUARTER, status=FigureStatus.VALUE)
        .order_by("-period__start_date").values_list("period_id", flat=True).first()
    )
    return row


def _chosen_sources(base: QuerySet, group: str) -> dict:
    """Per group (an indicator, or a region and an indicator) the preferred source among those present.

    Sources describe the same thing differently (CBS rounds to fives): one is chosen, never added up.
    """
    present: dict = {}
    for row in base.values(*group.split(","), "source").annotate(n=Count("pk")).order_by():
        key = tuple(row[g] for g in group.split(","))
        present.setdefault(key, set()).add(row["source"])
    return {key: next(s for s in SOURCE_PREFERENCE if s in sources) for key, sources in present.items()}


def figures_over_time(*, region: Region, indicators: list[dict], period_ids: list[int],
                      municipality_id: int | None) -> list[dict]:
    """Per indicator: each municipality's quarterly value and inhabitants, and the region's total, average,
    count, small-number count and inhabitants per quarter, all from SQL (four queries whatever the size)."""
    if not indicators or not period_ids:
        return []
    base = Figure.objects.filter(
        organisation__region=region, indicator_id__in=[i["id"] for i in indicators], period_id__in=period_ids,
        status=FigureStatus.VALUE,
    )
    sources = _chosen_sources(base, "indicator_id")
    if not sources:
        return [{**indicator, "source": None, "municipalities": [], "values": {}, "region": {}}
                for indicator in indicators]
    chosen = Q()
    for (indicator_id,), source in sources.items():
        chosen |= Q(indicator_id=indicator_id, source=source)
    figures = base.filter(chosen)
    per_municipality = figures if municipality_id is None else figures.filter(organisation_id=municipality_id)
    values: dict = {}
    for row in per_municipality.values("indicator_id", "organisation_id", "period_id", "value").annotate(
            inhabitants=_inhabitants()).order_by():
        values.setdefault(row["indicator_id"], {})[(row["organisation_id"], row["period_id"])] = (
            row["value"], row["inhabitants"])
    region_rows: dict = {}
    for row in figures.values("indicator_id", "period_id").annotate(
            total=Sum("value"), average=Avg("value"), count=Count("pk"), small=_small(),
            inhabitants=Sum(_inhabitants())).order_by():
        region_rows.setdefault(row["indicator_id"], {})[row["period_id"]] = {
            "total": row["total"], "average": Decimal(row["average"]).quantize(Decimal("0.01")),
            "count": row["count"], "small": row["small"], "inhabitants": row["inhabitants"],
        }
    municipalities = Organisation.objects.filter(region=region, kind=OrganisationKind.MUNICIPALITY)
    if municipality_id is not None:
        municipalities = municipalities.filter(pk=municipality_id)
    names = list(municipalities.order_by("name").values_list("pk", "name"))
    return [
        {**indicator, "source": sources.get((indicator["id"],)), "municipalities": names,
         "values": values.get(indicator["id"], {}), "region": region_rows.get(indicator["id"], {})}
        for indicator in indicators
    ]


# Steering group dashboard --------------------------------------------------------------------------------------


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
    counts = {f"s_{status}": Count("pk", filter=Q(status=status)) for status in MeasureStatus.values}
    counts.update({f"h_{health}": Count("pk", filter=Q(health=health)) for health in Health.values})
    result = {}
    for row in measures.values("action_line_id").annotate(total=Count("pk"), **counts).order_by():
        result[row["action_line_id"]] = {
            "total": row["total"],
            "status": {status: row[f"s_{status}"] for status in MeasureStatus.values},
            "health": {health: row[f"h_{health}"] for health in Health.values},
        }
    return result


def _tiles(region: Region, filters: Filters, per_line: dict) -> dict:
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
    report = None
    if report_period:
        report = (
            ProgressReport.objects.filter(programme__region=region, period_id=report_period["id"])
            .order_by("-revision").values("pk", "status", "revision").first()
        )
    latest_approved = (
        ProgressReport.objects.filter(programme__region=region, status=ReportStatus.APPROVED)
        .order_by("-period__start_date", "-revision")
        .values("pk", "period__kind", "period__year", "period__number", "approved_at").first()
    )
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
        "delivery": not_delivered(region),
    }


def not_delivered(region: Region) -> dict:
    """The organisations that have not yet delivered any of their figures for the quarter that is due.

    A supplier is expected for the indicators its kind supplies (indicator.supplier_kinds): a partner such as
    Veilig Thuis for all municipalities of the region, a municipality for itself.
    """
    period = delivery_period()
    if period is None:
        return {"period": None, "organisations": []}
    indicators = list(Indicator.objects.exclude(supplier_kinds=[]).values_list("pk", "supplier_kinds"))
    kinds = {kind for _pk, supplied in indicators for kind in supplied}
    region_ids = {region.pk}
    parent = region.parent_id
    while parent is not None and parent not in region_ids:
        region_ids.add(parent)
        parent = Region.objects.filter(pk=parent).values_list("parent_id", flat=True).first()
    suppliers = list(
        Organisation.objects.filter(region_id__in=region_ids, kind__in=kinds)
        .exclude(Q(kind=OrganisationKind.MUNICIPALITY) & ~Q(region=region))
        .order_by("name").values_list("pk", "name", "kind")
    )
    delivered = Figure.objects.filter(period_id=period["id"], organisation__region=region)
    delivered_indicators = set(delivered.values_list("indicator_id", flat=True).distinct().order_by())
    municipal = [pk for pk, supplied in indicators if OrganisationKind.MUNICIPALITY in supplied]
    municipalities_delivered = set(
        delivered.filter(indicator_id__in=municipal).values_list("organisation_id", flat=True).distinct().order_by()
    )
    missing = []
    for pk, name, kind in suppliers:
        if kind == OrganisationKind.MUNICIPALITY:
            done = pk in municipalities_delivered
        else:
            done = any(ind in delivered_indicators for ind, supplied in indicators if kind in supplied)
        if not done:
            missing.append(name)
    return {"period": period, "organisations": missing, "expected": len(suppliers)}


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
        .annotate(total=Sum("value"), small=_small()).order_by()
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
            complete = sorted(y for y, r in by_year.items() if len(r) == EXPECTED_PERIODS[kind])
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
            (year, _year_value(_Aggregating(aggregation), by_year[year]), any(r["small"] for r in by_year[year]))
            for year in complete
        ]


@dataclass
class _Aggregating:
    """What selectors._year_value needs of an indicator."""

    aggregation_over_time: str


def _goals(region: Region, filters: Filters, years: tuple[int, int]) -> list[dict]:
    goals = Goal.objects.filter(action_line__programme__region=region,
                                action_line__programme__level=ProgrammeLevel.REGIONAL)
    if filters.action_line:
        goals = goals.filter(action_line_id=filters.action_line)
    result = [
        {"id": row["pk"], "code": row["code"], "title": row["title"], "unit": row["unit"],
         "baseline": row["baseline"], "baseline_year": row["baseline_year"], "target": row["target"],
         "deadline": row["deadline"], "indicator_id": row["indicator_id"],
         "indicator": row["indicator__name"], "aggregation": row["indicator__aggregation_over_time"],
         "suppress": bool(row["indicator__suppress_small_numbers"]), "line": row["action_line__number"],
         "source": None, "years": []}
        for row in goals.order_by("action_line__number", "code").values(
            "pk", "code", "title", "unit", "baseline", "baseline_year", "target", "deadline", "indicator_id",
            "indicator__name", "indicator__aggregation_over_time", "indicator__suppress_small_numbers",
            "action_line__number")
    ]
    _goal_series(region, result, years)
    return result


def _timeline(measures: QuerySet[Measure], start: datetime.date | None, end: datetime.date | None) -> dict:
    """The measures that run in the period range, with their dates, ordered by action line and start."""
    dated = measures.filter(start_date__isnull=False)
    if start and end:
        dated = dated.filter(Q(start_date__lte=end) & (Q(end_date__isnull=True) | Q(end_date__gte=start)))
    rows = list(
        dated.order_by("action_line__number", "start_date", "title").values(
            "pk", "title", "action_line_id", "action_line__number", "action_line__name", "start_date", "end_date",
            "status", "health")
    )
    undated = measures.filter(start_date__isnull=True).count()
    return {"rows": rows, "undated": undated}


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
             **per_line.get(pk, {"total": 0, "status": dict.fromkeys(MeasureStatus.values, 0),
                                 "health": dict.fromkeys(Health.values, 0)})}
            for pk, number, name in options["action_lines"]
            if not filters.action_line or pk == filters.action_line
        ]
        years = (first["year"], last["year"]) if first else (1900, 2100)
        return {
            "range": period_range,
            "period_ids": period_ids,
            "tiles": _tiles(region, filters, per_line),
            "lines": lines,
            "goals": _goals(region, filters, years),
            "figures": figures_over_time(region=region, indicators=options["indicators"], period_ids=period_ids,
                                         municipality_id=filters.municipality),
            "timeline": _timeline(measures, first["start"] if first else None, last["end"] if last else None),
        }

    return cached("steering", (region.pk, filters.key(), period_range), fingerprint, build)


def steering_tiles(region: Region, fingerprint: str) -> dict:
    """Only the tiles, for the steering group's home page."""
    filters = Filters()
    return cached("steering-tiles", (region.pk,), fingerprint,
                  lambda: _tiles(region, filters, _per_action_line(region_measures(region, filters))))


# Municipality page ---------------------------------------------------------------------------------------------


def municipality_data(municipality: Organisation, filters: Filters, options: dict, fingerprint: str) -> dict:
    """A municipality's figures against its region, the measures it takes part in and since when."""
    period_range = resolve_range(filters, options["quarters"], options["latest_with_figures"])

    def build():
        by_id = {q["id"]: q for q in options["quarters"]}
        first, last = (by_id[period_range[0]], by_id[period_range[1]]) if period_range else (None, None)
        period_ids = [q["id"] for q in options["quarters"] if first and first["start"] <= q["start"] <= last["start"]]
        earlier = Participation.objects.filter(measure_id=OuterRef("measure_id"), joined_on__lt=OuterRef("joined_on"))
        participations = list(
            Participation.objects.filter(organisation=municipality, measure__archived_at__isnull=True,
                                         measure__programme__level=ProgrammeLevel.REGIONAL)
            .annotate(
                joined_before=Coalesce(Subquery(earlier.values("measure_id").annotate(n=Count("pk")).values("n")[:1]),
                                       0),
                participants=Subquery(Participation.objects.filter(measure_id=OuterRef("measure_id"))
                                      .values("measure_id").annotate(n=Count("pk")).values("n")[:1]),
                intake_dates=Subquery(Participation.objects.filter(measure_id=OuterRef("measure_id"))
                                      .values("measure_id").annotate(n=Count("joined_on", distinct=True))
                                      .values("n")[:1]),
                first_joined=Subquery(Participation.objects.filter(measure_id=OuterRef("measure_id"))
                                      .values("measure_id").annotate(d=Min("joined_on")).values("d")[:1]),
            )
            .order_by("measure__action_line__number", "measure__title", "joined_on")
            .values("pk", "measure_id", "measure__title", "measure__action_line__number", "measure__action_line__name",
                    "measure__status", "measure__health", "measure__progress", "joined_on", "left_on",
                    "joined_before", "participants", "intake_dates", "first_joined")
        )
        populations = list(Population.objects.filter(organisation=municipality).order_by("-year")
                           .values("year", "inhabitants", "is_estimate")[:1])
        return {
            "range": period_range,
            "period_ids": period_ids,
            "population": populations[0] if populations else None,
            "participations": participations,
            "figures": figures_over_time(region=municipality.region, indicators=options["indicators"],
                                         period_ids=period_ids, municipality_id=municipality.pk),
        }

    return cached("municipality", (municipality.pk, filters.key(), period_range), fingerprint, build)


# National dashboard ---------------------------------------------------------------------------------------------


def national_years(fingerprint: str) -> dict:
    """The years with four quarters of Veilig Thuis figures anywhere, newest first, for the year filter."""

    def build():
        indicators = vt_indicators()
        rows = (
            Figure.objects.filter(indicator__code__in=VT_CODES, period__kind=PeriodKind.QUARTER,
                                  status=FigureStatus.VALUE)
            .values("period__year").annotate(quarters=Count("period_id", distinct=True)).order_by("-period__year")
        )
        return {"years": [row["period__year"] for row in rows if row["quarters"] == 4], "indicators": indicators}

    return cached("national-years", (), fingerprint, build)


def national_data(year: int | None, indicators: list[dict], fingerprint: str) -> dict:
    """Per region: yearly figures per 1,000 inhabitants, the share of measures on track, the reporting status."""

    def build():
        regions = list(
            Region.objects.filter(programmes__level=ProgrammeLevel.REGIONAL).distinct().order_by("name")
            .values("pk", "name")
        )
        figures = {}
        if year is not None and indicators:
            base = Figure.objects.filter(indicator_id__in=[i["id"] for i in indicators], period__year=year,
                                         period__kind=PeriodKind.QUARTER, status=FigureStatus.VALUE)
            sources = _chosen_sources(base, "organisation__region_id,indicator_id")
            chosen = Q()
            for (region_id, indicator_id), source in sources.items():
                chosen |= Q(organisation__region_id=region_id, indicator_id=indicator_id, source=source)
            if sources:
                for row in base.filter(chosen).values("organisation__region_id", "indicator_id").annotate(
                        total=Sum("value"), small=_small(), quarters=Count("period_id", distinct=True),
                        inhabitants=Sum(_inhabitants())).order_by():
                    # Inhabitants are summed over every quarterly figure: divided by the quarters, once a year.
                    people = Decimal(row["inhabitants"] or 0) / (row["quarters"] or 1)
                    figures[(row["organisation__region_id"], row["indicator_id"])] = {
                        "total": row["total"], "small": row["small"], "inhabitants": people,
                        "rate": rate(row["total"], people), "quarters": row["quarters"],
                    }
        measures = {
            row["programme__region_id"]: row
            for row in Measure.objects.filter(programme__level=ProgrammeLevel.REGIONAL, archived_at__isnull=True)
            .values("programme__region_id").annotate(
                with_health=Count("pk", filter=~Q(health="")),
                on_track=Count("pk", filter=Q(health=Health.ON_TRACK)),
                at_risk=Count("pk", filter=Q(health=Health.AT_RISK)),
                off_track=Count("pk", filter=Q(health=Health.OFF_TRACK)),
            ).order_by()
        }
        report_period = current_report_period()
        approved = ProgressReport.objects.filter(programme__region_id=OuterRef("pk"), status=ReportStatus.APPROVED)
        reports = {
            row["pk"]: row
            for row in Region.objects.filter(pk__in=[r["pk"] for r in regions]).annotate(
                latest_approved=Subquery(approved.order_by("-period__start_date", "-revision").values("pk")[:1]),
                latest_approved_period=Subquery(approved.order_by("-period__start_date", "-revision")
                                                .values("period_id")[:1]),
                approved_this_period=Exists(approved.filter(period_id=report_period["id"])) if report_period
                else Exists(approved.none()),
            ).values("pk", "latest_approved", "latest_approved_period", "approved_this_period")
        }
        period_ids = {row["latest_approved_period"] for row in reports.values()} - {None}
        periods = {p.pk: period_parts(p) for p in ReportingPeriod.objects.filter(pk__in=period_ids)}
        for row in reports.values():
            row["latest_approved_period"] = periods.get(row["latest_approved_period"])
        return {
            "year": year,
            "regions": regions,
            "figures": figures,
            "measures": measures,
            "reports": reports,
            "report_period": report_period,
        }

    return cached("national", (year, tuple(i["id"] for i in indicators)), fingerprint, build)


def national_totals(data: dict, indicators: list[dict]) -> dict:
    """The national rate per indicator over the regions shown, from the regions' totals (no second query)."""
    result = {}
    for indicator in indicators:
        rows = [row for (region_id, ind), row in data["figures"].items() if ind == indicator["id"]]
        total = sum((row["total"] for row in rows), Decimal(0))
        people = sum((row["inhabitants"] for row in rows), Decimal(0))
        result[indicator["id"]] = {"rate": rate(total, people) if rows else None,
                                   "small": sum(row["small"] for row in rows)}
    return result


__all__ = [
    "Filters",
    "cached",
    "data_fingerprint",
    "dashboard_regions",
    "figures_over_time",
    "municipality_data",
    "municipality_for_page",
    "national_data",
    "national_years",
    "region_for_dashboard",
    "require_national_reader",
    "require_regional_reader",
    "steering_data",
    "steering_options",
    "steering_tiles",
]
