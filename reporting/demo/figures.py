"""Demo figures: quarterly Veilig Thuis numbers for the 21 municipalities, from 2021 up to the last complete quarter
before today (programme.calendar.today(), so the demo is current on any date), generated from inhabitants.

They are not real figures: they carry the source "demo" (shown as "demo data, generated from inhabitants, not
real"). Helmond's Q1 2023 is set to the known 414 advice requests and 340 reports, and a few small municipalities
get values from 1 to 4 in some quarters, so the suppression of small numbers can be seen.
"""

import hashlib
from decimal import Decimal

from django.db import transaction

from programme import calendar
from programme.models import Indicator, Organisation, OrganisationKind, PeriodKind, ReportingPeriod
from reporting.models import Figure, FigureChange, FigureChangeAction, FigureSource

FIRST_YEAR = 2021
# Quarterly rates per 1,000 inhabitants (about 7 advice requests and 5.5 reports a year).
RATES = {"adviesvragen-vt": Decimal("1.8"), "meldingen-vt": Decimal("1.4")}
KNOWN = {("GM0794", "adviesvragen-vt", 2023, 1): 414, ("GM0794", "meldingen-vt", 2023, 1): 340}
# Small municipalities with small numbers in some quarters (deterministic, for the suppression demo).
SMALL = {
    ("GM1667", "meldingen-vt", 2024, 2): 3,
    ("GM1667", "adviesvragen-vt", 2024, 3): 4,
    ("GM0743", "meldingen-vt", 2023, 4): 2,
    ("GM1724", "meldingen-vt", 2024, 1): 1,
}


def _wobble(*parts) -> Decimal:
    """A repeatable factor between 0.85 and 1.15 for a municipality, indicator and quarter."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return Decimal("0.85") + Decimal(digest[0]) / Decimal(255) * Decimal("0.30")


def demo_value(code: str, indicator: str, year: int, quarter: int, inhabitants: int) -> int:
    if (code, indicator, year, quarter) in KNOWN:
        return KNOWN[(code, indicator, year, quarter)]
    if (code, indicator, year, quarter) in SMALL:
        return SMALL[(code, indicator, year, quarter)]
    growth = Decimal(1) + Decimal("0.03") * (year - 2021)  # slowly more people find Veilig Thuis
    # Helmond has more reports per inhabitant than the region (its known Q1 2023 figure), so it is scaled to that.
    base = RATES[indicator] * (Decimal("2.5") if code == "GM0794" else 1)
    value = Decimal(inhabitants) / 1000 * base * growth * _wobble(code, indicator, year, quarter)
    return int(value.to_integral_value())


@transaction.atomic
def load_demo_figures(stdout=None) -> int:
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=RATES)}
    # Every quarter from 2021 that has ended by today: the dashboards' default window (the last three years up to
    # the newest quarter with figures) is full on whatever date the demo is loaded.
    periods = {(p.year, p.number): p for p in ReportingPeriod.objects.filter(
        kind=PeriodKind.QUARTER, year__gte=FIRST_YEAR, end_date__lt=calendar.today())}
    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY, region__code="zuidoost-brabant")
    existing = set(
        Figure.objects.filter(source=FigureSource.DEMO).values_list("organisation_id", "indicator_id", "period_id")
    )
    new = []
    for municipality in municipalities.prefetch_related("populations"):
        populations = sorted(municipality.populations.all(), key=lambda p: p.year)
        if not populations:
            continue
        inhabitants = populations[-1].inhabitants
        for code, indicator in indicators.items():
            for (year, quarter), period in periods.items():
                if (municipality.pk, indicator.pk, period.pk) in existing:
                    continue
                value = demo_value(municipality.cbs_code, code, year, quarter, inhabitants)
                new.append(Figure(indicator=indicator, organisation=municipality, period=period,
                                  source=FigureSource.DEMO, value=Decimal(value)))
    Figure.objects.bulk_create(new)
    FigureChange.objects.bulk_create(
        FigureChange(figure=f, indicator_id=f.indicator_id, organisation_id=f.organisation_id, period_id=f.period_id,
                     source=f.source, action=FigureChangeAction.CREATE, new_status=f.status, new_value=f.value,
                     new_provisional=False, version=1)
        for f in new
    )
    if stdout is not None:
        stdout.write(f"Demo figures: {len(new)} added (source 'demo', generated from inhabitants).")
    return len(new)
