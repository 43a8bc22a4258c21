"""The national overview: every region side by side, per year."""

from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Subquery, Sum

from measures.models import Health, Measure
from programme.models import (
    PeriodKind,
    ProgrammeLevel,
    Region,
    ReportingPeriod,
)
from reporting.dashboards.cache import cached
from reporting.dashboards.selectors.common import (
    best_source,
    current_report_period,
    inhabitants_expr,
    period_parts,
    vt_indicators,
)
from reporting.disclosure import rate
from reporting.figures.selectors import SOURCE_PREFERENCE
from reporting.models import Figure, FigureStatus, ProgressReport, ReportStatus


def national_years(fingerprint: str) -> dict:
    """The years with four quarters of Veilig Thuis figures anywhere, newest first, for the year filter."""

    def build():
        indicators = vt_indicators()
        # Per quarter whether any figure exists (an index look-up each), not a count over every figure.
        with_figures = Figure.objects.filter(period_id=OuterRef("pk"), indicator_id__in=[i["id"] for i in indicators],
                                             status=FigureStatus.VALUE)
        quarters: dict[int, int] = {}
        for year in (ReportingPeriod.objects.filter(kind=PeriodKind.QUARTER).filter(Exists(with_figures))
                     .values_list("year", flat=True)):
            quarters[year] = quarters.get(year, 0) + 1
        return {"years": sorted((year for year, count in quarters.items() if count == 4), reverse=True),
                "indicators": indicators}

    return cached("national-years", (), fingerprint, build)


def _yearly_figures(year: int, indicators: list[dict]) -> dict:
    """Per region and indicator the year's total, inhabitants and rate, from the best available source of each
    quarter (best_source, the rule of the steering and municipality charts): a quarter typed in by Veilig Thuis
    next to a CBS history adds to it instead of hiding it, and sources are never added up within a quarter."""
    rows = (
        Figure.objects.filter(indicator_id__in=[i["id"] for i in indicators], period__year=year,
                              period__kind=PeriodKind.QUARTER, status=FigureStatus.VALUE)
        .values("organisation__region_id", "indicator_id", "period_id", "source")
        .annotate(total=Sum("value"), inhabitants=Sum(inhabitants_expr())).order_by()
    )
    # (region, indicator) -> quarter -> source -> (total, inhabitants)
    cells: dict = {}
    for row in rows:
        key = (row["organisation__region_id"], row["indicator_id"])
        cells.setdefault(key, {}).setdefault(row["period_id"], {})[row["source"]] = (row["total"],
                                                                                     row["inhabitants"] or 0)
    figures = {}
    for key, by_quarter in cells.items():
        total, people, sources = Decimal(0), Decimal(0), set()
        for by_source in by_quarter.values():
            source = best_source(by_source)
            quarter_total, inhabitants = by_source[source]
            total += quarter_total
            people += inhabitants
            sources.add(source)
        # Inhabitants are summed over every quarterly figure: divided by the quarters, once a year.
        people = people / len(by_quarter)
        figures[key] = {"total": total, "inhabitants": people, "rate": rate(total, people),
                        "quarters": len(by_quarter), "sources": sorted(sources, key=SOURCE_PREFERENCE.index)}
    return figures


def national_data(year: int | None, indicators: list[dict], fingerprint: str) -> dict:
    """Per region: yearly figures per 1,000 inhabitants, the share of measures on track, the reporting status."""

    def build():
        regions = list(
            Region.objects.filter(programmes__level=ProgrammeLevel.REGIONAL).distinct().order_by("name")
            .values("pk", "name")
        )
        figures = _yearly_figures(year, indicators) if year is not None and indicators else {}
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
    """The national total and rate per indicator over the regions shown, from the regions' exact totals (no
    second query); the disclosure step rounds the total before a rate is shown outside a region."""
    result = {}
    for indicator in indicators:
        rows = [row for (region_id, ind), row in data["figures"].items() if ind == indicator["id"]]
        total = sum((row["total"] for row in rows), Decimal(0))
        people = sum((row["inhabitants"] for row in rows), Decimal(0))
        result[indicator["id"]] = {"rate": rate(total, people) if rows else None,
                                   "total": total if rows else None, "inhabitants": people}
    return result
