"""Generate a national-scale data set (about 30 regions, 342 municipalities, ten years of figures, thousands
of measures) for benchmarks and load tests. Deterministic: the same seed gives the same data.

Everything is written with bulk_create in batches (figures with COPY on PostgreSQL); the generated regions
and indicators are marked by the code prefix `bench-` so they can be removed again without touching real
regions. Generated figures carry the source "demo" (generated, not real).
"""

import datetime
import io
import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from measures.models import Health, Measure, MeasureStatus, MeasureUpdate, Participation
from programme import calendar
from programme.models import (
    ActionLine,
    Goal,
    Indicator,
    Organisation,
    OrganisationKind,
    PeriodKind,
    Population,
    Programme,
    ProgrammeLevel,
    Region,
    ReportingPeriod,
    Theme,
)
from programme.services.periods import reporting_periods_generate
from reporting.demo import figures as demo
from reporting.models import (
    Bottleneck,
    BottleneckStatus,
    Figure,
    FigureChange,
    FigureSource,
    FigureStatus,
    ProgressReport,
    ReportStatus,
    Severity,
)

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
    indicators: int = 20  # the real indicators count too
    reports: int = 1400
    bottlenecks: int = 2000

    @classmethod
    def demo(cls) -> "Scale":
        return cls(regions=3, municipalities=30, measures=60, first_year=2023, last_year=2024, indicators=4,
                   reports=40, bottlenecks=60)


def remove_generated() -> None:
    """Remove what an earlier run generated (regions and indicators with the bench- prefix, everything in them,
    and the generated figures of the real municipalities, which unlike the demo figures have no history)."""
    regions = Region.objects.filter(code__startswith=PREFIX)
    programmes = Programme.objects.filter(region__in=regions)
    Figure.objects.filter(
        Q(organisation__region__in=regions)
        | Q(indicator__code__startswith=PREFIX)
        # The demo loader records its figures in the history; generated figures have none.
        | (Q(source=FigureSource.DEMO) & ~Exists(FigureChange.objects.filter(figure_id=OuterRef("pk"))))
    ).delete()
    Indicator.objects.filter(code__startswith=PREFIX).delete()
    Bottleneck.objects.filter(programme__in=programmes).delete()
    reports = ProgressReport.objects.filter(programme__in=programmes)
    reports.update(previous=None)
    reports.delete()
    MeasureUpdate.objects.filter(measure__programme__in=programmes).delete()
    Participation.objects.filter(measure__programme__in=programmes).delete()
    Measure.objects.filter(programme__in=programmes).delete()
    programmes.delete()
    from reporting.demo.selfscans import remove_scans_of

    remove_scans_of(regions)
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
    goal_indicators = {
        1: Indicator.objects.filter(code="adviesvragen-vt").first(),
        2: Indicator.objects.filter(code="meldingen-vt").first(),
    }
    goals = []
    for line in lines:
        for g in (1, 2):
            indicator = goal_indicators.get(line.number) if g == 1 else None
            # A goal measured by a Veilig Thuis count aims at the region's yearly number; the others at 10 -> 20.
            baseline, target = (10, 20) if indicator is None else (rng.randint(800, 1500), rng.randint(1600, 2400))
            goals.append(Goal(action_line=line, code=f"{line.number}.{g}", title=f"Doel {line.number}.{g}",
                              baseline=baseline, baseline_year=scale.first_year, target=target,
                              indicator=indicator, deadline=datetime.date(scale.last_year + 2, 12, 31)))
    Goal.objects.bulk_create(goals)
    Theme.objects.bulk_create(
        [Theme(action_line=line, name=f"Thema {line.number}.{t}") for line in lines for t in (1, 2)]
    )
    # Periods up to this year, so the reports of the current quarter have their period.
    reporting_periods_generate(first_year=scale.first_year, last_year=max(scale.last_year, calendar.today().year))
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


# Figures, reports and bottlenecks -----------------------------------------------------------------------------

FIGURE_COLUMNS = ("indicator_id", "organisation_id", "period_id", "source", "status", "value", "is_provisional",
                  "version", "created_at", "updated_at")


def _indicators(scale: Scale) -> list[Indicator]:
    """The real indicators plus generated ones, `scale.indicators` in all."""
    real = list(Indicator.objects.exclude(code__startswith=PREFIX).order_by("code"))
    Indicator.objects.bulk_create([
        Indicator(code=f"{PREFIX}{i + 1:02d}", name=f"Benchmarkindicator {i + 1:02d}", unit="count",
                  periodicity="quarter", supplier_kinds=["municipality"])
        for i in range(max(0, scale.indicators - len(real)))
    ])
    return list(Indicator.objects.order_by("code"))[: max(scale.indicators, len(real))]


def _write_figures(rows: list[tuple]) -> None:
    """Write (indicator, municipality, period, value) rows as new figures of the source 'demo'."""
    if connection.vendor == "postgresql":
        # COPY is an order of magnitude faster than INSERT for a quarter of a million rows.
        now = timezone.now().isoformat()
        fixed = f"\t{FigureSource.DEMO}\t{FigureStatus.VALUE}"
        for start in range(0, len(rows), 100000):
            buffer = io.StringIO("".join(
                f"{ind}\t{org}\t{per}{fixed}\t{value}\tf\t1\t{now}\t{now}\n"
                for ind, org, per, value in rows[start:start + 100000]
            ))
            with connection.cursor() as cursor:
                cursor.copy_expert(f"COPY {Figure._meta.db_table} ({', '.join(FIGURE_COLUMNS)}) FROM STDIN", buffer)
        return
    Figure.objects.bulk_create(
        (Figure(indicator_id=ind, organisation_id=org, period_id=per, source=FigureSource.DEMO,
                status=FigureStatus.VALUE, value=Decimal(value)) for ind, org, per, value in rows),
        batch_size=BATCH,
    )


@transaction.atomic
def generate_figures(scale: Scale, rng: random.Random) -> int:
    """Quarterly figures of every indicator for every municipality, from inhabitants, source 'demo'."""
    indicators = _indicators(scale)
    periods = list(ReportingPeriod.objects.filter(
        kind=PeriodKind.QUARTER, year__range=(scale.first_year, scale.last_year)).order_by("start_date"))
    municipalities = list(Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).order_by("pk"))
    inhabitants = {}
    for organisation_id, year, number in Population.objects.order_by("year").values_list(
            "organisation_id", "year", "inhabitants"):
        inhabitants.setdefault(organisation_id, {})[year] = number
    existing = set(Figure.objects.filter(source=FigureSource.DEMO).values_list(
        "indicator_id", "organisation_id", "period_id"))
    rates = {i.pk: float(demo.RATES.get(i.code, 0)) or rng.uniform(0.3, 4.0) for i in indicators}
    rows = []
    for municipality in municipalities:
        years = inhabitants.get(municipality.pk)
        if not years:
            continue
        for period in periods:
            people = years.get(period.year) or years[min(years, key=lambda y: abs(y - period.year))]
            growth = 1 + 0.03 * (period.year - scale.first_year)
            for indicator in indicators:
                if (indicator.pk, municipality.pk, period.pk) in existing:
                    continue
                value = round(people / 1000 * rates[indicator.pk] * growth * rng.uniform(0.85, 1.15))
                rows.append((indicator.pk, municipality.pk, period.pk, value))
    _write_figures(rows)
    return len(rows)


def _snapshot(programme: Programme, lines: list[ActionLine], period: ReportingPeriod) -> dict:
    """A plausible minimal frozen report: the action lines with a short narrative, no measures listed."""
    return {
        "schema": 1,
        "taken_at": timezone.now().isoformat(),
        "programme": programme.name,
        "region": programme.region.name,
        "period": f"K{period.number} {period.year}",
        "summary": f"Gegenereerde rapportage over K{period.number} {period.year}.",
        "lessons_learned": "",
        "action_lines": [
            {"id": line.pk, "number": line.number, "name": line.name, "narrative": "Volgens plan.",
             "measures": [], "goals": [], "bottlenecks": []}
            for line in lines
        ],
        "lessons": [],
        "national_action_lines": [],
    }


@transaction.atomic
def generate_reports(scale: Scale, rng: random.Random, framework: dict, author) -> int:
    """Progress reports of the generated regions, newest quarters first: old ones approved, the latest mixed."""
    today = calendar.today()
    periods = list(ReportingPeriod.objects.filter(
        kind=PeriodKind.QUARTER, year__gte=scale.first_year, start_date__lte=today).order_by("-start_date"))
    programmes = framework["programmes"]
    lines: dict[int, list[ActionLine]] = {}
    for line in framework["lines"]:
        lines.setdefault(line.programme_id, []).append(line)
    base = min(len(periods), max(1, scale.reports // max(1, len(programmes))))
    extra = max(0, scale.reports - base * len(programmes))
    now = timezone.now()
    firsts, older = [], []
    for programme in programmes:
        for q_index, period in enumerate(periods[:base]):
            if q_index == 0:
                status = rng.choice([ReportStatus.DRAFT, ReportStatus.SUBMITTED, ReportStatus.APPROVED,
                                     ReportStatus.APPROVED, ReportStatus.RETURNED])
            elif q_index == 1:
                status = rng.choice([ReportStatus.APPROVED] * 4 + [ReportStatus.SUBMITTED])
            else:
                status = ReportStatus.APPROVED
                older.append(len(firsts))
            frozen = status in (ReportStatus.SUBMITTED, ReportStatus.APPROVED)
            firsts.append(ProgressReport(
                programme=programme, period=period, revision=1, status=status, summary="Gegenereerd.",
                snapshot=_snapshot(programme, lines[programme.pk], period) if frozen else None,
                created_by=author, submitted_at=now if frozen else None,
                approved_at=now if status == ReportStatus.APPROVED else None,
            ))
    firsts = ProgressReport.objects.bulk_create(firsts, batch_size=BATCH)
    # Second versions of older approved reports, spread over the regions, up to the requested count.
    step = max(1, len(older) // extra) if extra else 1
    chosen = [firsts[i] for i in older[::step][:extra]]
    ProgressReport.objects.bulk_create([
        ProgressReport(programme=first.programme, period=first.period, revision=2, status=ReportStatus.APPROVED,
                       summary="Tweede versie.", snapshot=first.snapshot, previous=first, created_by=author,
                       new_version_reason="Cijfers aangevuld.", submitted_at=now, approved_at=now)
        for first in chosen
    ], batch_size=BATCH)
    return len(firsts) + len(chosen)


@transaction.atomic
def generate_bottlenecks(scale: Scale, rng: random.Random, framework: dict, author) -> int:
    programmes = framework["programmes"]
    lines: dict[int, list[ActionLine]] = {}
    for line in framework["lines"]:
        lines.setdefault(line.programme_id, []).append(line)
    statuses = [BottleneckStatus.OPEN, BottleneckStatus.OPEN, BottleneckStatus.ESCALATED, BottleneckStatus.DECIDED,
                BottleneckStatus.RESOLVED, BottleneckStatus.RESOLVED]
    now = timezone.now()
    bottlenecks = []
    for index in range(scale.bottlenecks):
        programme = programmes[index % len(programmes)]
        status = rng.choice(statuses)
        bottlenecks.append(Bottleneck(
            programme=programme, title=f"Knelpunt {index + 1:05d}", description="Gegenereerd knelpunt.",
            action_line=rng.choice(lines[programme.pk]), severity=rng.choice(list(Severity)), status=status,
            raised_by=author, escalated_at=now if status in (BottleneckStatus.ESCALATED, BottleneckStatus.DECIDED)
            else None,
            decision="Besloten." if status == BottleneckStatus.DECIDED else "",
            decided_at=now if status == BottleneckStatus.DECIDED else None,
            resolution="Opgelost." if status == BottleneckStatus.RESOLVED else "",
            resolved_at=now if status == BottleneckStatus.RESOLVED else None,
        ))
    Bottleneck.objects.bulk_create(bottlenecks, batch_size=BATCH)
    return len(bottlenecks)
