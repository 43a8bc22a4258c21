"""Demo figures: quarterly Veilig Thuis numbers for the 21 municipalities, generated from inhabitants, for every
quarter of the dashboards' default window (the last three years up to the last complete quarter before
programme.calendar.today()) and the rest of the year that window starts in, so the demo is current on any date.

They are not real figures: they carry the source "demo" (shown as "demo data, generated from inhabitants, not
real"). Helmond's first quarter of the window holds the known 414 advice requests and 340 reports (real numbers
of Q1 2023), and a few small municipalities get values from 1 to 4 in some recent quarters, so the suppression of
small numbers can be seen.
"""

import datetime
import hashlib
from decimal import Decimal

from django.db import transaction

from programme import calendar
from programme.models import Indicator, Organisation, OrganisationKind, PeriodKind, ReportingPeriod
from reporting.dashboards.selectors.common import DEFAULT_QUARTERS
from reporting.models import Figure, FigureChange, FigureChangeAction, FigureSource

# Quarterly rates per 1,000 inhabitants (about 7 advice requests and 5.5 reports a year).
RATES = {"adviesvragen-vt": Decimal("1.8"), "meldingen-vt": Decimal("1.4")}
# Helmond's known figures, in the first quarter of the default window.
KNOWN = {("GM0794", "adviesvragen-vt"): 414, ("GM0794", "meldingen-vt"): 340}
# Small municipalities with small numbers in some quarters, by quarters before the last complete one
# (deterministic, for the suppression demo).
SMALL = {
    ("GM1667", "meldingen-vt", 2): 3,
    ("GM1667", "adviesvragen-vt", 1): 4,
    ("GM0743", "meldingen-vt", 4): 2,
    ("GM1724", "meldingen-vt", 3): 1,
}


def demo_quarters(day: datetime.date) -> list[tuple[int, int]]:
    """The (year, quarter) pairs that get figures: from the first quarter of the year the default window starts
    in, up to the last quarter that has ended by the day."""
    last = day.year * 4 + (day.month - 1) // 3 - 1  # quarters counted from year 0; the last complete one
    first = (last - DEFAULT_QUARTERS + 1) // 4 * 4
    return [(index // 4, index % 4 + 1) for index in range(first, last + 1)]


def fixed_values(quarters: list[tuple[int, int]]) -> dict:
    """The known and the small values by (code, indicator, year, quarter), placed in the window of `quarters`."""
    if not quarters:
        return {}
    window = quarters[-DEFAULT_QUARTERS:]
    year, quarter = window[0]
    fixed = {(code, indicator, year, quarter): value for (code, indicator), value in KNOWN.items()}
    for (code, indicator, back), value in SMALL.items():
        if back < len(window):
            year, quarter = window[-1 - back]
            fixed[(code, indicator, year, quarter)] = value
    return fixed


def _wobble(*parts) -> Decimal:
    """A repeatable factor between 0.85 and 1.15 for a municipality, indicator and quarter."""
    digest = hashlib.sha256("|".join(map(str, parts)).encode()).digest()
    return Decimal("0.85") + Decimal(digest[0]) / Decimal(255) * Decimal("0.30")


def demo_value(code: str, indicator: str, year: int, quarter: int, inhabitants: int, *, first_year: int,
               fixed: dict) -> int:
    if (code, indicator, year, quarter) in fixed:
        return fixed[(code, indicator, year, quarter)]
    growth = Decimal(1) + Decimal("0.03") * (year - first_year)  # slowly more people find Veilig Thuis
    # Helmond has more reports per inhabitant than the region (its known figures), so it is scaled to that.
    base = RATES[indicator] * (Decimal("2.5") if code == "GM0794" else 1)
    value = Decimal(inhabitants) / 1000 * base * growth * _wobble(code, indicator, year, quarter)
    return int(value.to_integral_value())


@transaction.atomic
def load_demo_figures(stdout=None) -> int:
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=RATES)}
    # The dashboards' default window (the last three years up to the newest quarter with figures) is full on
    # whatever date the demo is loaded.
    quarters = demo_quarters(calendar.today())
    fixed = fixed_values(quarters)
    first_year = quarters[0][0] if quarters else 0
    periods = {(p.year, p.number): p for p in ReportingPeriod.objects.filter(
        kind=PeriodKind.QUARTER, year__gte=first_year, end_date__lt=calendar.today())}
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
                value = demo_value(municipality.cbs_code, code, year, quarter, inhabitants, first_year=first_year,
                                   fixed=fixed)
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
