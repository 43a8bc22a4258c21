"""Small factories for the report tests: measures and their updates straight through the ORM."""

from measures.models import Measure, MeasureUpdate
from programme.models import NationalMeasure, Organisation, Programme, ReportingPeriod


def regional_programme() -> Programme:
    return Programme.objects.get(level="regional", region__code="zuidoost-brabant")


def period(year: int, number: int) -> ReportingPeriod:
    return ReportingPeriod.objects.get(kind="quarter", year=year, number=number)


def make_measure(
    programme: Programme | None = None,
    *,
    line: int = 1,
    title: str = "Voorlichting op scholen",
    owner: str = "Helmond",
    status: str = "in_progress",
    health: str = "on_track",
    progress: int = 40,
    national: tuple[str, ...] = (),
    themes=(),
) -> Measure:
    programme = programme or regional_programme()
    measure = Measure.objects.create(
        programme=programme,
        title=title,
        action_line=programme.action_lines.get(number=line),
        owner=Organisation.objects.get(name=owner),
        status=status,
        health=health,
        progress=progress,
    )
    if national:
        measure.national_measures.set(NationalMeasure.objects.filter(number__in=national))
    if themes:
        measure.themes.set(themes)
    return measure


def make_update(measure: Measure, period_: ReportingPeriod, author, **fields) -> MeasureUpdate:
    values = {"status": measure.status, "health": measure.health or "on_track", "progress": measure.progress,
              "narrative": "Alles volgens plan."}
    values.update(fields)
    return MeasureUpdate.objects.create(measure=measure, period=period_, author=author, **values)
