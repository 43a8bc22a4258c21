"""What every dashboard reads: the filters, periods, rates and the figures over time."""

from dataclasses import asdict, dataclass
from decimal import Decimal

from django.db.models import Avg, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from programme import calendar
from programme.models import (
    Indicator,
    Organisation,
    OrganisationKind,
    PeriodKind,
    Population,
    Region,
    ReportingPeriod,
)
from reporting.figures.selectors import SOURCE_PREFERENCE
from reporting.models import Figure, FigureStatus

# The Veilig Thuis counts the dashboards follow over time (reference data codes).
VT_CODES = ("adviesvragen-vt", "meldingen-vt")


DEFAULT_QUARTERS = 12  # three years, when no period range is chosen




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


def inhabitants_expr():
    """The inhabitants of a figure's municipality in the figure's year, else the nearest earlier, else later year
    (the same rule as selectors.population_for), as an SQL expression."""
    earlier = Population.objects.filter(
        organisation_id=OuterRef("organisation_id"), year__lte=OuterRef("period__year")
    ).order_by("-year").values("inhabitants")[:1]
    later = Population.objects.filter(organisation_id=OuterRef("organisation_id")).order_by("year").values(
        "inhabitants")[:1]
    return Coalesce(Subquery(earlier), Subquery(later), output_field=IntegerField())



def current_report_period() -> dict | None:
    """The quarter the regions report on now, as plain data."""
    period = calendar.current_quarter()
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


def chosen_sources(base: QuerySet, group: str) -> dict:
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
    count and inhabitants per quarter, all from SQL (four queries whatever the size)."""
    if not indicators or not period_ids:
        return []
    base = Figure.objects.filter(
        organisation__region=region, indicator_id__in=[i["id"] for i in indicators], period_id__in=period_ids,
        status=FigureStatus.VALUE,
    )
    sources = chosen_sources(base, "indicator_id")
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
            inhabitants=inhabitants_expr()).order_by():
        values.setdefault(row["indicator_id"], {})[(row["organisation_id"], row["period_id"])] = (
            row["value"], row["inhabitants"])
    region_rows: dict = {}
    for row in figures.values("indicator_id", "period_id").annotate(
            total=Sum("value"), average=Avg("value"), count=Count("pk"),
            inhabitants=Sum(inhabitants_expr())).order_by():
        region_rows.setdefault(row["indicator_id"], {})[row["period_id"]] = {
            "total": row["total"], "average": Decimal(row["average"]).quantize(Decimal("0.01")),
            "count": row["count"], "inhabitants": row["inhabitants"],
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
