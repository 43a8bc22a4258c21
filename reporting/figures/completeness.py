"""Who has delivered which figures for a period: the one rule behind the home card, the dashboard tile and the
reminders, so they can never disagree.

A cell is a (municipality, indicator) pair of the region for an indicator that someone supplies
(indicator.supplier_kinds) and that is recorded per this kind of period (indicator.periodicity). It is delivered
when a figure of any source is recorded for it, also "not available" or "secret". Its suppliers are the
municipality itself for municipal indicators, and for other kinds (Veilig Thuis, police) the organisations of
that kind in the region or a larger region around it.
"""

from dataclasses import dataclass, field

from programme import calendar
from programme.models import (
    Indicator,
    Organisation,
    OrganisationKind,
    Region,
    ReportingPeriod,
)
from reporting.figures.access import entry_rights, regions_for_entry
from reporting.models import Figure


@dataclass
class SupplierDelivery:
    """What one supplying organisation owes for the period and how much of it is in."""

    organisation_id: int
    name: str
    expected: int = 0
    delivered: int = 0
    missing: dict[str, list[str]] = field(default_factory=dict)  # indicator name -> municipality names

    @property
    def complete(self) -> bool:
        return self.delivered >= self.expected


@dataclass
class Delivery:
    period: ReportingPeriod
    region: Region
    cells: dict[tuple[int, int], bool]  # (municipality id, indicator id) -> delivered
    suppliers: list[SupplierDelivery]

    @property
    def expected(self) -> int:
        return len(self.cells)

    @property
    def delivered(self) -> int:
        return sum(self.cells.values())

    @property
    def missing_suppliers(self) -> list[SupplierDelivery]:
        return [s for s in self.suppliers if not s.complete]

    def count(self, allows) -> tuple[int, int]:
        """(delivered, expected) over the cells for which `allows(municipality_id, indicator_id)` is true."""
        mine = [delivered for (m, i), delivered in self.cells.items() if allows(m, i)]
        return sum(mine), len(mine)


def figure_delivery(*, region: Region, period: ReportingPeriod,
                    municipalities: list[tuple[int, str]] | None = None) -> Delivery:
    """The delivery of `region`'s figures for `period`, in at most five queries whatever the size of the region."""
    return figure_deliveries(region=region, periods=[period], municipalities=municipalities)[0]


def figure_deliveries(*, region: Region, periods: list[ReportingPeriod],
                      municipalities: list[tuple[int, str]] | None = None) -> list[Delivery]:
    """The delivery of `region`'s figures for each of `periods` (any kinds), in at most five queries whatever the
    number of periods or the size of the region: the completeness table asks for many periods at once. A caller
    that has the region's municipalities, (pk, name) by name, passes them and saves one; a region inside no larger
    one saves another."""
    kinds = {period.kind for period in periods}
    all_indicators = [
        i for i in Indicator.objects.filter(periodicity__in=kinds).order_by("name")
        .values_list("pk", "name", "periodicity", "supplier_kinds", named=True) if i.supplier_kinds
    ]
    if municipalities is None:
        municipalities = list(
            Organisation.objects.filter(region=region, kind=OrganisationKind.MUNICIPALITY).order_by("name")
            .values_list("pk", "name")
        )
    present = set(
        Figure.objects.filter(period__in=periods, indicator__in=[i.pk for i in all_indicators],
                              organisation__region=region)
        .values_list("period_id", "organisation_id", "indicator_id").distinct().order_by()
    )
    other_kinds = {kind for i in all_indicators for kind in i.supplier_kinds} - {OrganisationKind.MUNICIPALITY}
    partners = list(
        Organisation.objects.filter(region_id__in=region.and_ancestor_ids(), kind__in=other_kinds)
        .order_by("name").values_list("pk", "name", "kind")
    )
    return [_delivery(region, period, [i for i in all_indicators if i.periodicity == period.kind], municipalities,
                      partners, present) for period in periods]


def _delivery(region, period, indicators, municipalities, partners, present) -> Delivery:
    suppliers: dict[int, SupplierDelivery] = {}
    cells: dict[tuple[int, int], bool] = {}
    for indicator in indicators:
        owing_partners = [(pk, name) for pk, name, kind in partners if kind in indicator.supplier_kinds]
        by_municipality = OrganisationKind.MUNICIPALITY in indicator.supplier_kinds
        for municipality_id, municipality_name in municipalities:
            delivered = (period.pk, municipality_id, indicator.pk) in present
            cells[(municipality_id, indicator.pk)] = delivered
            owing = [*owing_partners, (municipality_id, municipality_name)] if by_municipality else owing_partners
            for pk, name in owing:
                supplier = suppliers.get(pk)
                if supplier is None:
                    supplier = suppliers[pk] = SupplierDelivery(organisation_id=pk, name=name)
                supplier.expected += 1
                if delivered:
                    supplier.delivered += 1
                else:
                    supplier.missing.setdefault(indicator.name, []).append(municipality_name)
    ordered = sorted(suppliers.values(), key=lambda s: s.name)
    return Delivery(period=period, region=region, cells=cells, suppliers=ordered)


def completeness_table(*, region: Region, periods: list[ReportingPeriod]) -> dict:
    """Organisation x period, x of y values in (a reporting-rate report), from the same rule as the tile and the
    reminders. Rows are every organisation that owes figures in any of the periods; a cell is None where the
    organisation owes nothing in that period."""
    deliveries = figure_deliveries(region=region, periods=periods)
    names: dict[int, str] = {}
    for delivery in deliveries:
        for supplier in delivery.suppliers:
            names[supplier.organisation_id] = supplier.name
    rows = []
    for organisation_id, name in sorted(names.items(), key=lambda item: item[1]):
        cells = []
        for delivery in deliveries:
            supplier = next((s for s in delivery.suppliers if s.organisation_id == organisation_id), None)
            cells.append(supplier)
        rows.append({"organisation_id": organisation_id, "name": name, "cells": cells})
    return {"deliveries": deliveries, "rows": rows}


def delivery_status(user) -> list[dict]:
    """For the home page: per region the user enters figures for, how many of their figures due now are in."""
    regions = regions_for_entry(user)
    period = calendar.quarter_due() if regions else None
    if period is None:
        return []
    today = calendar.today()
    result = []
    for region in regions:
        delivered, expected = figure_delivery(region=region, period=period).count(entry_rights(user, region).allows)
        result.append({"region": region, "period": period, "expected": expected, "delivered": delivered,
                       "overdue": bool(period.deadline and period.deadline < today and delivered < expected)})
    return result
