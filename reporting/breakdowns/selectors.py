"""Reads of breakdowns by form of violence: the grid, the table with its total check, exports and chart data.

Outside the owning region every number passes `reporting.disclosure`, like a total: each part is rounded on
its own from its exact value, column totals over the municipalities are summed exactly and rounded after. The
check "total minus the sum of the parts" is shown only inside the region: outside it is a difference of exact
values, so it would give back what the rounding hides (a hidden part is the total minus the other parts).
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from programme.models import Indicator, Organisation, OrganisationKind, Region, ReportingPeriod, ViolenceForm
from reporting.breakdowns.services import TOTAL_COLUMN
from reporting.disclosure import Disclosure, is_hidden
from reporting.figures.access import EntryRights
from reporting.figures.selectors import SOURCE_PREFERENCE, format_number, grid_text, status_label
from reporting.models import Figure, FigureBreakdown, FigureSource, FigureStatus


def violence_forms() -> list[ViolenceForm]:
    return list(ViolenceForm.objects.order_by("order", "name"))


def check_difference(total, parts: list) -> Decimal | None:
    """The total minus the sum of its known parts; None when there is no total or no part to compare."""
    values = [p for p in parts if p is not None]
    if total is None or not values:
        return None
    return Decimal(total) - sum(Decimal(v) for v in values)


@dataclass
class _Column:
    """A column of the breakdown grid, shaped like an indicator for the grid form (pk, name, unit)."""

    pk: int
    name: str
    unit: str


def grid(*, rights: EntryRights, indicator: Indicator, period: ReportingPeriod, source: str,
         forms: list[ViolenceForm]) -> list[dict]:
    """Rows of the breakdown grid: per municipality a cell per form of violence and one for the total, with the
    sum of the parts and its difference from the total (two queries whatever the size of the region)."""
    municipalities = [m for m in rights.municipality_rows if rights.allows(m.pk, indicator.pk)]
    ids = [m.pk for m in municipalities]
    parts = {(b.organisation_id, b.violence_form_id): b for b in FigureBreakdown.objects.filter(
        indicator=indicator, period=period, source=source, organisation__in=ids)}
    totals = {f.organisation_id: f for f in Figure.objects.filter(
        indicator=indicator, period=period, source=source, organisation__in=ids)}
    columns = [_Column(f.pk, f.name, indicator.unit) for f in forms]
    total_column = _Column(TOTAL_COLUMN, _("Total"), indicator.unit)
    rows = []
    for municipality in municipalities:
        cells = []
        for column in [*columns, total_column]:
            record = totals.get(municipality.pk) if column is total_column else parts.get((municipality.pk,
                                                                                            column.pk))
            if record is not None:
                record.indicator = indicator  # grid_text reads the unit; no query per cell
            cells.append({"indicator": column, "name": f"c-{municipality.pk}-{column.pk}", "allowed": True,
                          "figure": record, "text": grid_text(record), "version": record.version if record else 0,
                          "is_total": column is total_column})
        total = totals.get(municipality.pk)
        part_values = [p.value for (m, _f), p in parts.items() if m == municipality.pk
                       and p.status == FigureStatus.VALUE]
        total_value = total.value if total and total.status == FigureStatus.VALUE else None
        rows.append({"municipality": municipality, "cells": cells,
                     "sum": sum(part_values, Decimal(0)) if part_values else None,
                     "difference": check_difference(total_value, part_values), "unit": indicator.unit})
    return rows


def sources_present(*, region: Region, indicator: Indicator, period: ReportingPeriod) -> list[str]:
    present = set(FigureBreakdown.objects.filter(organisation__region=region, indicator=indicator, period=period)
                  .values_list("source", flat=True).distinct())
    return [s for s in SOURCE_PREFERENCE if s in present]


def latest_period_with_breakdowns(region: Region, indicator: Indicator) -> ReportingPeriod | None:
    latest = (FigureBreakdown.objects.filter(organisation__region=region, indicator=indicator)
              .order_by("-period__end_date", "period__kind").values_list("period_id", flat=True).first())
    return ReportingPeriod.objects.filter(pk=latest).first() if latest else None


@dataclass
class BreakdownTable:
    region: Region
    indicator: Indicator
    period: ReportingPeriod
    source: str
    forms: list[ViolenceForm]
    rows: list[dict]
    column_totals: list  # per form of violence, then the total: as shown (rounded or the label outside), or None
    disclosure: Disclosure
    exact: bool
    rounded: bool
    has_parts: bool
    chart: list[tuple[str, object]] = field(default_factory=list)  # (form name, region total as shown)

    @property
    def column_texts(self) -> list[str]:
        return [("" if shown is None else shown if is_hidden(shown) else format_number(shown, self.indicator.unit))
                for shown in self.column_totals]


def _shown(disclosure: Disclosure, record, suppress: bool):
    """(shown value or label, display text, hidden) of one record (part or total)."""
    if record is None:
        return None, "", False
    if record.status != FigureStatus.VALUE:
        return None, status_label(record.status), False
    shown = disclosure.count(record.value, suppress=suppress)
    return shown, shown if is_hidden(shown) else format_number(shown, "count"), is_hidden(shown)


def breakdown_table(*, user, region: Region, indicator: Indicator, period: ReportingPeriod, source: str,
                    public: bool = False) -> BreakdownTable:
    """Forms of violence x municipalities of one indicator, period and source, with the total beside each row
    and the check of the total against the sum of its parts (inside the region only). Four queries."""
    disclosure = Disclosure.for_viewer(user, region.pk, public=public)
    suppress = indicator.suppress_small_numbers
    forms = violence_forms()
    municipalities = list(Organisation.objects.filter(region=region, kind=OrganisationKind.MUNICIPALITY)
                          .order_by("name"))
    parts = {(b.organisation_id, b.violence_form_id): b for b in FigureBreakdown.objects.filter(
        indicator=indicator, period=period, source=source, organisation__region=region)}
    totals = {f.organisation_id: f for f in Figure.objects.filter(
        indicator=indicator, period=period, source=source, organisation__region=region)}
    used = {form_id for _m, form_id in parts}
    # Only the forms that occur: fifteen empty columns say nothing.
    forms = [f for f in forms if f.pk in used]
    rows = []
    exact_columns = {f.pk: [] for f in forms}
    exact_totals = []
    for municipality in municipalities:
        cells = []
        values = []
        for form in forms:
            part = parts.get((municipality.pk, form.pk))
            shown, text, hidden = _shown(disclosure, part, suppress)
            cells.append({"display": text, "hidden": hidden, "export": text if shown is None else shown,
                          "provisional": bool(part and part.is_provisional)})
            if part is not None and part.status == FigureStatus.VALUE:
                values.append(part.value)
                exact_columns[form.pk].append(part.value)
        total = totals.get(municipality.pk)
        shown_total, total_text, total_hidden = _shown(disclosure, total, suppress)
        total_value = total.value if total and total.status == FigureStatus.VALUE else None
        if total_value is not None:
            exact_totals.append(total_value)
        if not values and total is None:
            continue
        difference = check_difference(total_value, values) if disclosure.exact or not suppress else None
        rows.append({"municipality": municipality, "cells": cells, "total": total_text, "total_hidden": total_hidden,
                     "total_export": total_text if shown_total is None else shown_total,
                     "difference": difference,
                     "difference_text": format_number(difference, indicator.unit) if difference else ""})
    column_totals = []
    chart = []
    for form in forms:
        exact_sum = sum(exact_columns[form.pk], Decimal(0)) if exact_columns[form.pk] else None
        shown = disclosure.count(exact_sum, suppress=suppress)
        column_totals.append(shown)
        chart.append((form.name, shown))
    column_totals.append(disclosure.count(sum(exact_totals, Decimal(0)) if exact_totals else None,
                                          suppress=suppress))
    return BreakdownTable(region=region, indicator=indicator, period=period, source=source, forms=forms, rows=rows,
                          column_totals=column_totals, disclosure=disclosure, exact=disclosure.exact,
                          rounded=disclosure.protects(suppress), has_parts=bool(parts), chart=chart)


def export_rows(table: BreakdownTable) -> tuple[list[str], list[list]]:
    """Header and rows of a breakdown export: one line per municipality and form of violence, as the table shows
    them (rounded and hidden outside the region), then the municipality's total and, inside the region, the check."""
    header = [_("Municipality"), _("CBS code"), _("Period"), _("Indicator"), _("Source"), _("Form of violence"),
              _("Value"), _("Provisional")]
    base = (table.period.code, table.indicator.code, FigureSource(table.source).label)
    rows = []
    for row in table.rows:
        municipality = row["municipality"]
        for form, cell in zip(table.forms, row["cells"], strict=True):
            if cell["display"]:
                rows.append([municipality.name, municipality.cbs_code, *base, form.name, cell["export"],
                             _("yes") if cell["provisional"] else ""])
        rows.append([municipality.name, municipality.cbs_code, *base, _("Total"), row["total_export"], ""])
        if row["difference"]:
            rows.append([municipality.name, municipality.cbs_code, *base, _("Total minus the sum of the forms"),
                         row["difference"], ""])
    for form, shown in zip([*table.forms, None], table.column_totals, strict=True):
        if shown is not None:
            rows.append([_("Region total"), "", *base, form.name if form else _("Total"), shown, ""])
    return header, rows
