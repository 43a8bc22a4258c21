"""A municipality's page: its own figures over time beside the region's."""

from django.db.models import Count, F, Min, Q

from measures.models import Participation
from programme.models import (
    Organisation,
    Population,
    ProgrammeLevel,
)
from reporting.dashboards.cache import cached
from reporting.dashboards.selectors.common import Filters, figures_over_time, resolve_range, with_national


def municipality_data(municipality: Organisation, filters: Filters, options: dict, fingerprint: str) -> dict:
    """A municipality's figures against its region, the measures it takes part in and since when."""
    period_range = resolve_range(filters, options["quarters"], options["latest_with_figures"])

    def build():
        by_id = {q["id"]: q for q in options["quarters"]}
        first, last = (by_id[period_range[0]], by_id[period_range[1]]) if period_range else (None, None)
        period_ids = [q["id"] for q in options["quarters"] if first and first["start"] <= q["start"] <= last["start"]]
        others = "measure__participations"  # every participation of the same measure, this one included
        participations = list(
            Participation.objects.filter(organisation=municipality, measure__archived_at__isnull=True,
                                         measure__programme__level=ProgrammeLevel.REGIONAL)
            .annotate(
                joined_before=Count(others, filter=Q(**{f"{others}__joined_on__lt": F("joined_on")})),
                participants=Count(others),
                intake_dates=Count(f"{others}__joined_on", distinct=True),
                first_joined=Min(f"{others}__joined_on"),
            )
            .order_by("measure__action_line__number", "measure__title", "joined_on")
            .values("pk", "measure_id", "measure__title", "measure__action_line__number", "measure__action_line__name",
                    "measure__status", "measure__health", "measure__progress", "joined_on", "left_on",
                    "joined_before", "participants", "intake_dates", "first_joined")
        )
        populations = list(Population.objects.filter(organisation=municipality).order_by("-year")
                           .values("year", "inhabitants", "is_estimate")[:1])
        return {
            "range": period_range,
            "period_ids": period_ids,
            "population": populations[0] if populations else None,
            "participations": participations,
            # The municipality beside its region and the country.
            "figures": with_national(figures_over_time(region=municipality.region, indicators=options["indicators"],
                                                       period_ids=period_ids, municipality_id=municipality.pk,
                                                       municipalities=options["municipalities"]),
                                     period_ids),
        }

    return cached("municipality", (municipality.pk, filters.key(), period_range), fingerprint, build)
