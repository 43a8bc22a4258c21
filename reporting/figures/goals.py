"""The actual value of a measured goal, from the region's figures, for the framework and report pages."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from programme.models import (
    Aggregation,
    Indicator,
    PeriodKind,
    valid_numbers,
)
from reporting import privacy
from reporting.figures.selectors import SOURCE_PREFERENCE, format_number
from reporting.models import Figure, FigureSource, FigureStatus


def goal_actuals(request, goals) -> dict:
    """For each goal with an indicator: the region's value over the latest complete year, and its trend.

    One query for all goals of a page. The year value follows the indicator's aggregation over time; the
    source and period kind are never mixed (the most recent complete year of one source and kind wins).
    """
    measured = [g for g in goals if g.indicator_id]
    if not measured:
        return {}
    regions = {g.action_line.programme.region_id for g in measured} - {None}
    indicators = {g.indicator_id: g.indicator for g in measured}
    per_period = (
        Figure.objects.filter(indicator_id__in=indicators, organisation__region_id__in=regions,
                              status=FigureStatus.VALUE)
        .values("indicator_id", "organisation__region_id", "source", "period__kind", "period__year", "period__end_date")
        .annotate(total=Sum("value"), small=Count("pk", filter=Q(value__gte=1, value__lte=privacy.threshold())))
    )
    series: dict[tuple, dict[int, list]] = {}
    for row in per_period:
        key = (row["indicator_id"], row["organisation__region_id"], row["source"], row["period__kind"])
        series.setdefault(key, {}).setdefault(row["period__year"], []).append(row)
    result = {}
    for goal in measured:
        region_id = goal.action_line.programme.region_id
        indicator = indicators[goal.indicator_id]
        best = None
        for (ind, reg, source, kind), years in series.items():
            if ind != goal.indicator_id or reg != region_id:
                continue
            complete = sorted(y for y, rows in years.items() if len(rows) == len(valid_numbers(kind)))
            if not complete:
                continue
            rank = (complete[-1], kind == PeriodKind.QUARTER, -SOURCE_PREFERENCE.index(source))
            if best is None or rank > best[0]:
                best = (rank, source, kind, years, complete)
        if best is None:
            continue
        _rank, source, kind, years, complete = best
        # Without a request (a report snapshot) the exact value is frozen; whoever reads the report later
        # gets it suppressed by the report's own rendering, using `number` and `contains_small`.
        exact = request is None or privacy.sees_exact_values(request.user, region_id)
        result[goal.pk] = _goal_actual(indicator, source, years, complete, exact)
    return result


def year_value(indicator: Indicator, rows: list) -> Decimal:
    totals = [Decimal(r["total"]) for r in sorted(rows, key=lambda r: r["period__end_date"])]
    if indicator.aggregation_over_time == Aggregation.MEAN:
        return (sum(totals) / len(totals)).quantize(Decimal("0.01"))
    if indicator.aggregation_over_time == Aggregation.LAST:
        return totals[-1]
    return sum(totals)


def _goal_actual(indicator, source, years, complete, exact) -> dict:
    year = complete[-1]
    contains_small = indicator.suppress_small_numbers and any(r["small"] for r in years[year])
    label = f"{year}, {FigureSource(source).label}"
    if contains_small and not exact:
        return {"value": _("hidden (small numbers)"), "label": label, "trend": "", "number": None,
                "contains_small": True}
    value = year_value(indicator, years[year])
    trend = ""
    previous = complete[-2] if len(complete) > 1 and complete[-2] == year - 1 else None
    if previous is not None and not (
        indicator.suppress_small_numbers and not exact and any(r["small"] for r in years[previous])
    ):
        before = year_value(indicator, years[previous])
        if before:
            change = ((value - before) * 100 / before).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            words = {"pct": abs(change), "year": previous}
            if change > 0:
                trend = _("up %(pct)s%% on %(year)s") % words
            elif change < 0:
                trend = _("down %(pct)s%% on %(year)s") % words
            else:
                trend = _("the same as %(year)s") % words
            if change and indicator.higher_is_better is not None:
                better = (change > 0) == indicator.higher_is_better
                trend += " (" + (_("better") if better else _("worse")) + ")"
    return {"value": format_number(value, indicator.unit), "label": label, "trend": trend, "number": value,
            "contains_small": contains_small}
