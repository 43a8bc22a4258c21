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
    VT_CODES,
    chosen_sources,
    current_report_period,
    inhabitants_expr,
    period_parts,
    vt_indicators,
)
from reporting.disclosure import rate
from reporting.models import Figure, FigureStatus, ProgressReport, ReportStatus


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
            sources = chosen_sources(base, "organisation__region_id,indicator_id")
            chosen = Q()
            for (region_id, indicator_id), source in sources.items():
                chosen |= Q(organisation__region_id=region_id, indicator_id=indicator_id, source=source)
            if sources:
                for row in base.filter(chosen).values("organisation__region_id", "indicator_id").annotate(
                        total=Sum("value"), quarters=Count("period_id", distinct=True),
                        inhabitants=Sum(inhabitants_expr())).order_by():
                    # Inhabitants are summed over every quarterly figure: divided by the quarters, once a year.
                    people = Decimal(row["inhabitants"] or 0) / (row["quarters"] or 1)
                    figures[(row["organisation__region_id"], row["indicator_id"])] = {
                        "total": row["total"], "inhabitants": people,
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
