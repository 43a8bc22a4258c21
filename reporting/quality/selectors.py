"""Reads of data quality: flags beside figures, the import's flagged rows and the project leader's overview; each in
a fixed number of queries."""

from dataclasses import dataclass, field

from django.db.models import F, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from programme.models import Indicator, Organisation, OrganisationKind, Region, ReportingPeriod
from reporting.comments.selectors import thread_url
from reporting.figures.completeness import Delivery
from reporting.models import Figure, FigureFlag, FigureImport, FigureStatus, ImportRowFlag

IMPORT_FLAGS_SHOWN = 100


def ceiling_names() -> dict[int, list[str]]:
    """Per indicator the names of the indicators whose sum it may not exceed (one query)."""
    through = Indicator.not_above_sum_of.through
    names: dict[int, list[str]] = {}
    for from_id, name in through.objects.order_by("to_indicator__code").values_list(
            "from_indicator_id", "to_indicator__name"):
        names.setdefault(from_id, []).append(name)
    return names


def flags_of_figures(figures: QuerySet[Figure]) -> dict[int, list[FigureFlag]]:
    """The kept flags of the figures of a queryset, by figure id: one query, with or without figures."""
    flags: dict[int, list[FigureFlag]] = {}
    for flag in FigureFlag.objects.filter(figure__in=figures.values("pk")).order_by("kind"):
        flags.setdefault(flag.figure_id, []).append(flag)
    return flags


def flag_text(flags: list[FigureFlag]) -> str:
    """What a figure's flags say in one line (table, hover, export): the message and the explanation, or "open"."""
    parts = []
    for flag in flags:
        parts.append(f"{flag.message} {_('Explanation')}: {flag.explanation}" if flag.explanation
                     else f"{flag.message} ({_('no explanation yet')})")
    return " ".join(parts)


@dataclass
class ImportFlags:
    count: int
    rows: list


def import_flags(figure_import: FigureImport) -> ImportFlags:
    """The flagged rows of an import's preview that will be written (first IMPORT_FLAGS_SHOWN), in two queries."""
    flagged = ImportRowFlag.objects.filter(figure_import=figure_import)
    count = flagged.count()
    rows = list(flagged.select_related("row", "row__organisation", "row__indicator", "row__period")
                .order_by("row__line", "row_id")[:IMPORT_FLAGS_SHOWN])
    return ImportFlags(count=count, rows=rows)


@dataclass
class OverviewRow:
    organisation: Organisation
    open_flags: list = field(default_factory=list)
    explained: int = 0
    violations: list = field(default_factory=list)
    missing: list = field(default_factory=list)  # indicators without a figure by the delivery rule
    comments: list = field(default_factory=list)  # (indicator, number of comments, url of the thread)

    @property
    def anything(self) -> bool:
        return bool(self.open_flags or self.violations or self.missing or self.comments)


def flag_for(*, region_ids, pk: int) -> FigureFlag:
    """A kept flag of a figure in one of these regions, else a 404."""
    return get_object_or_404(
        FigureFlag.objects.select_related("figure", "figure__organisation", "figure__indicator", "figure__period"),
        pk=pk, figure__organisation__region_id__in=region_ids)


def quality_overview(*, region: Region, period: ReportingPeriod, delivery: Delivery,
                     comments: dict | None = None) -> list[OverviewRow]:
    """Per municipality of the region, for one period: open flags (outliers and relations without explanation),
    stored values that break a minimum or maximum (stored before the rule was set), and the indicators missing by
    the delivery rule (`delivery`, from reporting.figures.completeness). Three queries besides the delivery."""
    municipalities = list(Organisation.objects.filter(region=region, kind=OrganisationKind.MUNICIPALITY)
                          .order_by("name"))
    rows = {m.pk: OverviewRow(organisation=m) for m in municipalities}
    flags = (FigureFlag.objects.filter(figure__organisation__region=region, figure__period=period)
             .select_related("figure__indicator").order_by("figure__indicator__code", "kind"))
    for flag in flags:
        row = rows.get(flag.figure.organisation_id)
        if row is None:
            continue
        if flag.explanation:
            row.explained += 1
        else:
            row.open_flags.append(flag)
    broken = (Figure.objects.filter(organisation__region=region, period=period, status=FigureStatus.VALUE)
              .filter(Q(indicator__minimum__isnull=False, value__lt=F("indicator__minimum"))
                      | Q(indicator__maximum__isnull=False, value__gt=F("indicator__maximum")))
              .select_related("indicator").order_by("indicator__code"))
    for figure in broken:
        if figure.organisation_id in rows:
            rows[figure.organisation_id].violations.append(figure)
    indicators = {i.pk: i for i in Indicator.objects.all()}
    for (municipality_id, indicator_id), delivered in sorted(delivery.cells.items()):
        if not delivered and municipality_id in rows and indicator_id in indicators:
            rows[municipality_id].missing.append(indicators[indicator_id])
    # The comment threads (from reporting.comments: counts per municipality and indicator), each with its link.
    for (municipality_id, indicator_id), count in sorted((comments or {}).items()):
        if municipality_id in rows and indicator_id in indicators:
            rows[municipality_id].comments.append((indicators[indicator_id], count, thread_url(
                region.pk, municipality_id=municipality_id, indicator_id=indicator_id, period_id=period.pk)))
    return [rows[m.pk] for m in municipalities]
