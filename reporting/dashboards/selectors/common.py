"""What every dashboard reads: the filters, periods, rates and the figures over time."""

from dataclasses import asdict, dataclass
from decimal import Decimal
from functools import cache

from django.db import connection
from django.db.models import IntegerField, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

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


@cache
def inhabitants_expr():
    """The inhabitants of a figure's municipality in the figure's year, else the nearest earlier, else later year
    (the same rule as selectors.population_for), as an SQL expression.

    Built once: a queryset that uses an expression resolves a copy of it and leaves the original as it was.
    """
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
    today = calendar.today()
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


def best_source(sources) -> str:
    """The source a chart uses where several describe the same cell: the first in SOURCE_PREFERENCE."""
    return min(sources, key=SOURCE_PREFERENCE.index)


def figures_over_time(*, region: Region, indicators: list[dict], period_ids: list[int],
                      municipality_id: int | None, municipalities: list[tuple[int, str]] | None = None) -> list[dict]:
    """Per indicator: each municipality's quarterly value, inhabitants and source, and the region's total,
    average, count, inhabitants and source per quarter (one query whatever the size; one more for the region's
    municipalities unless `municipalities`, their (pk, name) by name, is given).

    The source is chosen per period, never once for the whole window: a quarter typed in by hand next to a
    history imported from CBS leaves the history in place. Per municipality and quarter the value is that of
    the best source present (SOURCE_PREFERENCE); the region's line per quarter counts the figures of the best
    source present in that quarter only, so sources are never added together.
    """
    if not indicators or not period_ids:
        return []
    rows = (
        Figure.objects.filter(organisation__region=region, indicator_id__in=[i["id"] for i in indicators],
                              period_id__in=period_ids, status=FigureStatus.VALUE)
        .values_list("indicator_id", "organisation_id", "period_id", "source", "value")
        .annotate(inhabitants=inhabitants_expr()).order_by()
    )
    # (indicator, period) -> source -> {organisation: (value, inhabitants)}
    cells: dict = {}
    for indicator_id, organisation_id, period_id, source, value, inhabitants in rows:
        cells.setdefault((indicator_id, period_id), {}).setdefault(source, {})[organisation_id] = (value, inhabitants)
    values: dict = {}
    region_rows: dict = {}
    for (indicator_id, period_id), by_source in cells.items():
        per_organisation: dict = {}
        for source in sorted(by_source, key=SOURCE_PREFERENCE.index, reverse=True):
            for organisation_id, (value, inhabitants) in by_source[source].items():
                per_organisation[organisation_id] = (value, inhabitants, source)  # better sources overwrite
        for organisation_id, cell in per_organisation.items():
            if municipality_id is None or organisation_id == municipality_id:
                values.setdefault(indicator_id, {})[(organisation_id, period_id)] = cell
        source = best_source(by_source)
        chosen = by_source[source].values()
        total = sum(value for value, _inhabitants in chosen)
        region_rows.setdefault(indicator_id, {})[period_id] = {
            "total": total, "average": (Decimal(total) / len(chosen)).quantize(Decimal("0.01")),
            "count": len(chosen), "inhabitants": sum(inhabitants or 0 for _value, inhabitants in chosen),
            "source": source,
        }
    if municipalities is None:
        municipalities = list(Organisation.objects.filter(region=region, kind=OrganisationKind.MUNICIPALITY)
                              .order_by("name").values_list("pk", "name"))
    names = [(pk, name) for pk, name in municipalities if municipality_id is None or pk == municipality_id]
    result = []
    for indicator in indicators:
        per_period = region_rows.get(indicator["id"], {})
        used = {cell[2] for cell in values.get(indicator["id"], {}).values()} | {
            row["source"] for row in per_period.values()}
        result.append({**indicator, "sources": sorted(used, key=SOURCE_PREFERENCE.index), "municipalities": names,
                       "values": values.get(indicator["id"], {}), "region": per_period})
    return result


def national_over_time(indicators: list[dict], period_ids: list[int]) -> dict:
    """Per indicator and quarter the country's total and inhabitants, for the national reference line: in each
    region the figures of the best source present in that quarter (the rule of the region's line), added up over
    the regions. One query whatever the size, which chooses the source and adds up in the database (a row per
    indicator and quarter comes back, not one per region and source); the numbers are exact, the disclosure step
    rounds them for display.
    """
    if not indicators or not period_ids:
        return {}
    per_source = (
        Figure.objects.filter(organisation__region__isnull=False, indicator_id__in=[i["id"] for i in indicators],
                              period_id__in=period_ids, status=FigureStatus.VALUE)
        .values("organisation__region_id", "indicator_id", "period_id", "source")
        .annotate(total=Sum("value"), inhabitants=Sum(inhabitants_expr())).order_by()
    )
    sql, params = per_source.query.sql_with_params()
    # The ORM cannot select from a grouped subquery, so the choice and the sum over the regions are written out:
    # per region and quarter the rows of the source that comes first in SOURCE_PREFERENCE, then their sums.
    preference = " ".join(["WHEN %s THEN %s"] * len(SOURCE_PREFERENCE))
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indicator_id, period_id, SUM(total), SUM(COALESCE(inhabitants, 0)) FROM ("
            " SELECT indicator_id, period_id, total, inhabitants, ROW_NUMBER() OVER ("
            "  PARTITION BY organisation__region_id, indicator_id, period_id"
            f"  ORDER BY CASE source {preference} END) AS place"
            f" FROM ({sql}) per_source"
            ") ranked WHERE place = 1 GROUP BY indicator_id, period_id",
            [*[part for place, source in enumerate(SOURCE_PREFERENCE) for part in (source, place)], *params])
        rows = cursor.fetchall()
    result: dict = {}
    for indicator_id, period_id, total, inhabitants in rows:
        result.setdefault(indicator_id, {})[period_id] = {"total": total, "inhabitants": int(inhabitants)}
    return result


def with_national(figures: list[dict], period_ids: list[int]) -> list[dict]:
    """The figures over time with the national reference of each indicator beside the region's line."""
    national = national_over_time(figures, period_ids)
    return [{**indicator, "national": national.get(indicator["id"], {})} for indicator in figures]
