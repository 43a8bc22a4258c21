"""Reads of figures for pages and exports, scoped to the user, in a fixed number of queries."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Prefetch, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.utils import formats
from django.utils.translation import gettext as _

from programme.access import scope_of
from programme.models import (
    Aggregation,
    Indicator,
    IndicatorUnit,
    Organisation,
    OrganisationKind,
    PeriodKind,
    Population,
    Region,
    ReportingPeriod,
)
from reporting.disclosure import Disclosure, is_hidden, rate
from reporting.figures.access import EntryRights, regions_with_figures_visible_to
from reporting.models import Figure, FigureChange, FigureSource, FigureStatus
from reporting.quality import selectors as quality_selectors

SOURCE_PREFERENCE = [s.value for s in FigureSource]


def format_number(value, unit: str = IndicatorUnit.COUNT, grouping: bool = True) -> str:
    """A number the Dutch way: 1.234 for counts, 12,5 for the rest (trailing zeros dropped)."""
    if value is None:
        return ""
    value = Decimal(value)
    if unit == IndicatorUnit.COUNT and value == value.to_integral_value():
        return formats.number_format(value.quantize(Decimal(1)), 0, use_l10n=True, force_grouping=grouping)
    text = formats.number_format(value, 2, use_l10n=True, force_grouping=grouping)
    decimal_sign = formats.get_format("DECIMAL_SEPARATOR")
    if decimal_sign in text:
        text = text.rstrip("0").rstrip(decimal_sign)
    return text


def status_label(status: str) -> str:
    return {FigureStatus.NOT_AVAILABLE: _("n/a"), FigureStatus.SECRET: _("secret")}.get(status, "")


def grid_text(figure) -> str:
    """How a figure appears in an input of the grid (what the user would type)."""
    if figure is None:
        return ""
    if figure.status == FigureStatus.NOT_AVAILABLE:
        return "n.b."
    if figure.status == FigureStatus.SECRET:
        return "x"
    return format_number(figure.value, figure.indicator.unit if hasattr(figure, "indicator") else "", False)


# Periods and indicators are one calendar and one list for every region: they are the same for every user.

def periods() -> QuerySet[ReportingPeriod]:
    return ReportingPeriod.objects.order_by("-start_date", "kind")


def period_for(pk: int) -> ReportingPeriod:
    return get_object_or_404(ReportingPeriod, pk=pk)


def indicators() -> QuerySet[Indicator]:
    return Indicator.objects.order_by("code")


def indicator_for(pk: int) -> Indicator:
    return get_object_or_404(Indicator, pk=pk)


def default_source(user) -> str:
    """The source the grid and the upload open on: what the user's own organisation delivers."""
    kinds = set(Organisation.objects.filter(pk__in=scope_of(user).organisation_ids).values_list("kind", flat=True))
    if "veilig_thuis" in kinds:
        return FigureSource.VEILIG_THUIS
    if "municipality" in kinds and not scope_of(user).region_ids_with_role("project_leader"):
        return FigureSource.MUNICIPALITY
    return FigureSource.VEILIG_THUIS


def population_for(populations: list[Population], year: int) -> Population | None:
    """The inhabitants of that year, else of the nearest earlier year, else of the nearest later one."""
    earlier = [p for p in populations if p.year <= year]
    if earlier:
        return max(earlier, key=lambda p: p.year)
    return min(populations, key=lambda p: p.year) if populations else None


def municipalities_with_populations(region: Region) -> list[Organisation]:
    return list(
        Organisation.objects.filter(region=region, kind=OrganisationKind.MUNICIPALITY)
        .prefetch_related(Prefetch("populations", queryset=Population.objects.order_by("year")))
        .order_by("name")
    )


def latest_period_with_figures(region: Region, indicator: Indicator) -> ReportingPeriod | None:
    """The most recent period with any figure of the indicator in the region (one indexed query)."""
    latest = (
        Figure.objects.filter(organisation__region=region, indicator=indicator)
        .order_by("-period__end_date", "period__kind")
        .values_list("period_id", flat=True)
        .first()
    )
    return ReportingPeriod.objects.filter(pk=latest).first() if latest else None


def sources_present(*, region: Region, indicator: Indicator, period: ReportingPeriod) -> list[str]:
    present = set(
        Figure.objects.filter(organisation__region=region, indicator=indicator, period=period)
        .values_list("source", flat=True)
        .distinct()
    )
    return [s for s in SOURCE_PREFERENCE if s in present]


@dataclass
class FigureTable:
    region: Region
    period: ReportingPeriod
    indicator: Indicator
    source: str
    exact: bool
    rows: list
    total: object  # Decimal, None (not applicable) or the label of a hidden total
    average: object
    region_rate: object
    count: int
    municipality_count: int
    totals_hidden: bool
    shows_rates: bool
    disclosure: Disclosure
    rounded: bool  # counts are published rounded (outside the region)


def figure_table(*, user, region: Region, period: ReportingPeriod, indicator: Indicator, source: str,
                 public: bool = False) -> FigureTable:
    """One indicator, one period, one source: a row per municipality with its rate, and the region's total
    and average computed by the database. Outside the region (and in a `public` export) every count goes
    through the disclosure step: rounded, small ones hidden, rates and averages from the rounded counts."""
    disclosure = Disclosure.for_viewer(user, region.pk, public=public)
    exact = disclosure.exact
    suppress = indicator.suppress_small_numbers
    municipalities = municipalities_with_populations(region)
    shown = Figure.objects.filter(period=period, indicator=indicator, source=source, organisation__region=region)
    figures = {f.organisation_id: f for f in shown}
    shows_rates = indicator.unit == IndicatorUnit.COUNT
    # Flags and their explanations are the region's own notes: shown only where the figures are exact.
    flags = quality_selectors.flags_of_figures(shown) if exact else {}
    rows, inhabitants_with_value = [], 0
    for municipality in municipalities:
        figure = figures.get(municipality.pk)
        population = population_for(list(municipality.populations.all()), period.year)
        value = figure.value if figure and figure.status == FigureStatus.VALUE else None
        shown = disclosure.count(value, suppress=suppress)
        hidden = is_hidden(shown)
        if value is not None and population:
            inhabitants_with_value += population.inhabitants
        rows.append({
            "municipality": municipality,
            "figure": figure,
            "value": value,
            "shown": shown,
            "display": shown if hidden else (
                format_number(shown, indicator.unit) if value is not None else
                (status_label(figure.status) if figure else "")),
            "hidden": hidden,
            "population": population,
            "population_is_estimate": bool(population and (population.is_estimate or population.year != period.year)),
            "rate": None if hidden or not shows_rates else rate(shown, population.inhabitants if population else None),
            "quality": quality_selectors.flag_text(flags.get(figure.pk, [])) if figure else "",
        })
    aggregate = Figure.objects.filter(
        period=period, indicator=indicator, source=source, organisation__region=region, status=FigureStatus.VALUE
    ).aggregate(total=Sum("value"), average=Avg("value"), count=Count("pk"))
    total = average = region_rate = None
    if aggregate["count"]:
        exact_total = aggregate["total"]
        if indicator.aggregation_over_organisations == Aggregation.SUM:
            total = disclosure.count(exact_total, suppress=suppress)
        if indicator.aggregation_over_organisations in (Aggregation.SUM, Aggregation.MEAN):
            if disclosure.protects(suppress):
                average = disclosure.average(exact_total, aggregate["count"], suppress=suppress)
            else:
                average = Decimal(aggregate["average"]).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        if shows_rates and total is not None:
            region_rate = disclosure.rate(exact_total, inhabitants_with_value, suppress=suppress)
    totals_hidden = is_hidden(total) or is_hidden(average)
    if totals_hidden:
        total = average = region_rate = None
    return FigureTable(
        region=region, period=period, indicator=indicator, source=source, exact=exact, rows=rows, total=total,
        average=average, region_rate=region_rate, count=aggregate["count"], municipality_count=len(municipalities),
        totals_hidden=totals_hidden, shows_rates=shows_rates, disclosure=disclosure,
        rounded=disclosure.protects(suppress),
    )


def export_rows(table: FigureTable) -> tuple[list[str], list[list]]:
    """Header and rows of a figures export: what the table shows, suppression included."""
    header = [_("Municipality"), _("CBS code"), _("Period"), _("Indicator"), _("Source"), _("Value"),
              _("Provisional"), _("Inhabitants"), _("Per 1,000 inhabitants"), _("Flag and explanation")]
    rows = []
    for row in table.rows:
        figure = row["figure"]
        if row["value"] is not None:
            value = row["shown"]
        else:
            value = status_label(figure.status) if figure else ""
        rows.append([
            row["municipality"].name, row["municipality"].cbs_code, table.period.code, table.indicator.code,
            FigureSource(table.source).label, value, _("yes") if figure and figure.is_provisional else "",
            row["population"].inhabitants if row["population"] else "", row["rate"] if row["rate"] is not None else "",
            row["quality"],
        ])
    if table.totals_hidden:
        rows.append([_("Region total"), "", table.period.code, table.indicator.code, FigureSource(table.source).label,
                     table.disclosure.label, "", "", "", ""])
    elif table.total is not None:
        rows.append([_("Region total"), "", table.period.code, table.indicator.code, FigureSource(table.source).label,
                     table.total, "", "", table.region_rate if table.region_rate is not None else "", ""])
    return header, rows


def grid(*, rights: EntryRights, period: ReportingPeriod, source: str) -> list[dict]:
    """Rows of the entry grid: per municipality the cells of the indicators the user may fill in."""
    municipalities = rights.municipality_rows
    indicators = rights.indicator_columns
    shown = Figure.objects.filter(
        period=period, source=source, organisation__in=[m.pk for m in municipalities],
        indicator__in=[i.pk for i in indicators],
    )
    figures = {(f.organisation_id, f.indicator_id): f for f in shown.select_related("indicator")}
    flags = quality_selectors.flags_of_figures(shown)
    rows = []
    for municipality in municipalities:
        cells = []
        for indicator in indicators:
            figure = figures.get((municipality.pk, indicator.pk))
            cells.append({
                "flags": flags.get(figure.pk, []) if figure else [],
                "indicator": indicator,
                "name": f"c-{municipality.pk}-{indicator.pk}",
                "allowed": rights.allows(municipality.pk, indicator.pk),
                "figure": figure,
                "text": grid_text(figure),
                "version": figure.version if figure else 0,
            })
        rows.append({"municipality": municipality, "cells": cells})
    return rows


def history_visible_to(user) -> QuerySet[FigureChange]:
    """Figure history of the user's own regions (exact values, so never for outsiders)."""
    scope = scope_of(user)
    qs = FigureChange.objects.select_related("indicator", "organisation", "period", "user", "figure_import",
                                             "violence_form")
    if scope.is_superuser:
        return qs
    return qs.filter(organisation__region_id__in=scope.region_ids)


def history_region_for(user, pk: int) -> Region:
    """A region whose figure history the user may read: their own (any, for the administrator), else a 404."""
    regions = regions_with_figures_visible_to(user)
    if not user.is_superuser:
        regions = regions.filter(pk__in=scope_of(user).region_ids)
    return get_object_or_404(regions, pk=pk)


def figure_history(*, user, region: Region, indicator_id: int | None = None, municipality_id: int | None = None,
                   period_id: int | None = None) -> QuerySet[FigureChange]:
    """The region's figure history, narrowed to one indicator, municipality or period when given."""
    changes = history_visible_to(user).filter(organisation__region=region)
    for field, value in (("indicator_id", indicator_id), ("organisation_id", municipality_id),
                         ("period_id", period_id)):
        if value is not None:
            changes = changes.filter(**{field: value})
    return changes


def first_visible_region(user) -> Region | None:
    scope = scope_of(user)
    regions = regions_with_figures_visible_to(user)
    own = regions.filter(pk__in=scope.region_ids).first()
    return own or regions.first()


def quarters_up_to(last: ReportingPeriod, count: int) -> list[ReportingPeriod]:
    """The `count` quarters ending with `last`, oldest first."""
    return list(reversed(ReportingPeriod.objects.filter(kind=PeriodKind.QUARTER, start_date__lte=last.start_date)
                         .order_by("-start_date")[:count]))
