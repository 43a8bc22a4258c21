"""Demo breakdowns by form of violence: the demo's Veilig Thuis totals of its last four quarters split over the
forms of violence by fixed shares (rounded each, so the parts need not add up to the total, as with CBS figures).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction

from programme.models import ViolenceForm
from reporting.demo.figures import RATES
from reporting.models import Figure, FigureBreakdown, FigureChange, FigureChangeAction, FigureSource, FigureStatus

QUARTERS = 4
# Shares of the total by form of violence (roughly the Veilig Thuis national picture); forms not named get none.
SHARES = {
    "Kindermishandeling": Decimal("0.42"),
    "(Ex-)partnergeweld": Decimal("0.31"),
    "Ouderenmishandeling": Decimal("0.07"),
    "Kind-oudergeweld": Decimal("0.05"),
    "Complexe (vecht)scheidingen": Decimal("0.08"),
    "Eergerelateerd geweld": Decimal("0.01"),
    "Stalking": Decimal("0.02"),
}


@transaction.atomic
def load_demo_breakdowns(stdout=None) -> int:
    forms = {f.name: f for f in ViolenceForm.objects.filter(name__in=SHARES)}
    totals = list(Figure.objects.filter(source=FigureSource.DEMO, indicator__code__in=RATES,
                                        status=FigureStatus.VALUE).select_related("period"))
    latest = sorted({f.period.start_date for f in totals})[-QUARTERS:]
    existing = set(FigureBreakdown.objects.filter(source=FigureSource.DEMO).values_list(
        "organisation_id", "indicator_id", "period_id", "violence_form_id"))
    new = []
    for total in totals:
        if total.period.start_date not in latest:
            continue
        for name, share in SHARES.items():
            form = forms.get(name)
            if form is None or (total.organisation_id, total.indicator_id, total.period_id, form.pk) in existing:
                continue
            value = (total.value * share).quantize(Decimal(1), rounding=ROUND_HALF_UP)
            new.append(FigureBreakdown(indicator_id=total.indicator_id, organisation_id=total.organisation_id,
                                       period_id=total.period_id, source=FigureSource.DEMO, violence_form=form,
                                       value=value))
    FigureBreakdown.objects.bulk_create(new)
    FigureChange.objects.bulk_create(
        FigureChange(indicator_id=b.indicator_id, organisation_id=b.organisation_id, period_id=b.period_id,
                     source=b.source, violence_form=b.violence_form, action=FigureChangeAction.CREATE,
                     new_status=b.status, new_value=b.value, new_provisional=False, version=1)
        for b in new
    )
    if stdout is not None:
        stdout.write(f"Demo breakdowns by form of violence: {len(new)} added.")
    return len(new)
