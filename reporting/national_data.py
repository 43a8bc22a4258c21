"""Generate a national-scale data set (about 30 regions, 342 municipalities, ten years of figures, thousands
of measures) for benchmarks and load tests. Deterministic: the same seed gives the same data.

Everything is written with bulk_create in batches; the generated regions are marked by the code prefix
`bench-` so they can be removed again without touching real regions.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction

from measures.models import Health, Measure, MeasureStatus, MeasureUpdate, Participation
from programme.models import (
    ActionLine,
    Goal,
    Organisation,
    OrganisationKind,
    Population,
    Programme,
    ProgrammeLevel,
    Region,
    ReportingPeriod,
    Theme,
)
from programme.services import reporting_periods_generate

PREFIX = "bench-"
BATCH = 5000


@dataclass
class Scale:
    regions: int = 30
    municipalities: int = 342
    measures: int = 3500
    updates_per_measure: int = 4
    first_year: int = 2015
    last_year: int = 2024

    @classmethod
    def demo(cls) -> "Scale":
        return cls(regions=3, municipalities=30, measures=60, first_year=2023, last_year=2024)


def remove_generated() -> None:
    """Remove what an earlier run generated (regions with the bench- prefix and everything in them)."""
    regions = Region.objects.filter(code__startswith=PREFIX)
    programmes = Programme.objects.filter(region__in=regions)
    MeasureUpdate.objects.filter(measure__programme__in=programmes).delete()
    Participation.objects.filter(measure__programme__in=programmes).delete()
    Measure.objects.filter(programme__in=programmes).delete()
    programmes.delete()
    Population.objects.filter(organisation__region__in=regions).delete()
    Organisation.objects.filter(region__in=regions).delete()
    regions.delete()


@transaction.atomic
def generate_framework(scale: Scale, rng: random.Random) -> dict:
    """Regions, municipalities with populations, a regional programme per region with its framework."""
    remove_generated()
    national = Programme.objects.filter(level=ProgrammeLevel.NATIONAL, short_name="GHNT").first()
    # The scale counts the whole country: the real regions and municipalities already loaded count too.
    real = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
    region_count = max(1, scale.regions - real.values("region").distinct().count())
    municipality_count = max(region_count, scale.municipalities - real.count())
    regions = Region.objects.bulk_create(
        [Region(name=f"Benchmarkregio {i + 1:02d}", code=f"{PREFIX}{i + 1:02d}") for i in range(region_count)]
    )
    used_codes = set(Organisation.objects.exclude(cbs_code=None).values_list("cbs_code", flat=True))
    municipalities = []
    code = 5000
    for index in range(municipality_count):
        while f"GM{code:04d}" in used_codes:
            code += 1
        municipalities.append(
            Organisation(
                name=f"Benchmarkgemeente {index + 1:03d}",
                kind=OrganisationKind.MUNICIPALITY,
                region=regions[index % len(regions)],
                cbs_code=f"GM{code:04d}",
            )
        )
        code += 1
    municipalities = Organisation.objects.bulk_create(municipalities, batch_size=BATCH)
    partners = Organisation.objects.bulk_create(
        [Organisation(name=f"Veilig Thuis {r.name}", kind=OrganisationKind.VEILIG_THUIS, region=r) for r in regions]
    )
    populations = []
    for municipality in municipalities:
        inhabitants = rng.randint(6000, 240000)
        for year in range(scale.first_year, scale.last_year + 1):
            populations.append(
                Population(
                    organisation=municipality, year=year, inhabitants=int(inhabitants * (1 + 0.004 * (year - 2015)))
                )
            )
    Population.objects.bulk_create(populations, batch_size=BATCH)
    programmes = Programme.objects.bulk_create(
        [
            Programme(
                name=f"Regionale aanpak {r.name}",
                short_name=f"Aanpak {r.code}",
                level=ProgrammeLevel.REGIONAL,
                region=r,
                national_programme=national,
                start_date=datetime.date(scale.first_year, 1, 1),
            )
            for r in regions
        ]
    )
    lines = ActionLine.objects.bulk_create(
        [ActionLine(programme=p, number=n, name=f"Actielijn {n}") for p in programmes for n in (1, 2, 3)]
    )
    Goal.objects.bulk_create(
        [
            Goal(action_line=line, code=f"{line.number}.{g}", title=f"Doel {line.number}.{g}", baseline=10, target=20)
            for line in lines
            for g in (1, 2)
        ]
    )
    Theme.objects.bulk_create(
        [Theme(action_line=line, name=f"Thema {line.number}.{t}") for line in lines for t in (1, 2)]
    )
    reporting_periods_generate(first_year=scale.first_year, last_year=scale.last_year)
    return {
        "regions": regions,
        "municipalities": municipalities,
        "partners": partners,
        "programmes": programmes,
        "lines": lines,
    }


@transaction.atomic
def generate_measures(scale: Scale, rng: random.Random, framework: dict, author) -> int:
    """Measures spread over the regions, each with its updates and a few participants."""
    programmes = framework["programmes"]
    lines_by_programme: dict[int, list[ActionLine]] = {}
    for line in framework["lines"]:
        lines_by_programme.setdefault(line.programme_id, []).append(line)
    municipalities_by_region: dict[int, list[Organisation]] = {}
    for municipality in framework["municipalities"]:
        municipalities_by_region.setdefault(municipality.region_id, []).append(municipality)
    statuses = [
        MeasureStatus.PLANNED,
        MeasureStatus.IN_PROGRESS,
        MeasureStatus.IN_PROGRESS,
        MeasureStatus.COMPLETED,
        MeasureStatus.ON_HOLD,
        MeasureStatus.PROPOSED,
    ]
    healths = [Health.ON_TRACK, Health.ON_TRACK, Health.AT_RISK, Health.OFF_TRACK]
    measures = []
    for index in range(max(0, scale.measures - Measure.objects.count())):
        programme = programmes[index % len(programmes)]
        owners = municipalities_by_region[programme.region_id]
        start = datetime.date(rng.randint(scale.first_year, scale.last_year), rng.randint(1, 12), 1)
        measures.append(
            Measure(
                programme=programme,
                title=f"Maatregel {index + 1:05d}",
                description="Gegenereerde maatregel voor de benchmark.",
                action_line=rng.choice(lines_by_programme[programme.pk]),
                owner=rng.choice(owners),
                start_date=start,
                end_date=start + datetime.timedelta(days=rng.randint(180, 1400)),
                budget=rng.randint(5, 400) * 1000,
                status=rng.choice(statuses),
                health=rng.choice(healths),
                progress=rng.randint(0, 100),
            )
        )
    measures = Measure.objects.bulk_create(measures, batch_size=BATCH)
    periods = list(ReportingPeriod.objects.filter(kind="quarter", year__range=(scale.first_year, scale.last_year)))
    updates, participations = [], []
    for measure in measures:
        for period in rng.sample(periods, min(scale.updates_per_measure, len(periods))):
            updates.append(
                MeasureUpdate(
                    measure=measure,
                    period=period,
                    status=measure.status if measure.status != MeasureStatus.PROPOSED else MeasureStatus.PLANNED,
                    health=rng.choice(healths),
                    progress=rng.randint(0, 100),
                    narrative="Voortgang volgens plan.",
                    spent=rng.randint(0, 50) * 500,
                    author=author,
                )
            )
        region_municipalities = municipalities_by_region[measure.programme.region_id]
        for municipality in rng.sample(region_municipalities, min(2, len(region_municipalities))):
            participations.append(
                Participation(measure=measure, organisation=municipality, joined_on=measure.start_date)
            )
    MeasureUpdate.objects.bulk_create(updates, batch_size=BATCH)
    Participation.objects.bulk_create(participations, batch_size=BATCH)
    return len(measures)
