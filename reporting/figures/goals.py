"""The actual value of a measured goal, from the region's figures, for the framework and report pages."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum
from django.utils.translation import gettext as _

from programme.models import (
    Aggregation,
    Indicator,
    PeriodKind,
    valid_numbers,
)
from reporting.disclosure import Disclosure, is_hidden
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
        .annotate(total=Sum("value"))
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
        # gets it through the disclosure step by the report's own rendering (content_for_viewer).
        disclosure = Disclosure(exact=True) if request is None else Disclosure.for_viewer(request.user, region_id)
        result[goal.pk] = _goal_actual(indicator, source, years, complete, disclosure)
    return result


def year_value(indicator: Indicator, rows: list) -> Decimal:
    totals = [Decimal(r["total"]) for r in sorted(rows, key=lambda r: r["period__end_date"])]
    if indicator.aggregation_over_time == Aggregation.MEAN:
        return (sum(totals) / len(totals)).quantize(Decimal("0.01"))
    if indicator.aggregation_over_time == Aggregation.LAST:
        return totals[-1]
    return sum(totals)


def _goal_actual(indicator, source, years, complete, disclosure: Disclosure) -> dict:
    year = complete[-1]
    suppress = indicator.suppress_small_numbers
    label = f"{year}, {FigureSource(source).label}"
    exact_value = year_value(indicator, years[year])
    value = disclosure.count(exact_value, suppress=suppress)
    if is_hidden(value):
        return {"value": value, "label": label, "trend": "", "number": None, "protected": suppress}
    trend = ""
    previous = complete[-2] if len(complete) > 1 and complete[-2] == year - 1 else None
    before = None if previous is None else disclosure.count(year_value(indicator, years[previous]),
                                                            suppress=suppress)
    if before and not is_hidden(before):
        change = ((Decimal(value) - Decimal(before)) * 100 / Decimal(before)).quantize(Decimal(1),
                                                                                      rounding=ROUND_HALF_UP)
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
    # `number` is the exact value when the viewer may see it (a snapshot freezes it exact); `protected` tells
    # the report's rendering to send it through the disclosure step for whoever reads it.
    return {"value": format_number(value, indicator.unit), "label": label, "trend": trend,
            "number": exact_value if disclosure.exact else value, "protected": suppress}
