"""Writes of breakdowns by form of violence by hand: the breakdown grid, in one transaction with the history.

The grid holds the parts and, beside them, the total itself (a Figure): both are saved together, all or nothing,
each cell guarded by the version it had when the grid was opened.
"""

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from programme.changelog import ConcurrentEditError, claim_version
from programme.models import Indicator, ReportingPeriod
from programme.portal.audit import audit
from reporting.figures.access import EntryRights
from reporting.figures.services import GridCell, GridConflict, GridInvalid, figures_save_grid, plan_cell_writes
from reporting.locks import rules as locks
from reporting.models import FigureBreakdown, FigureChange, FigureChangeAction

TOTAL_COLUMN = 0  # the column of the total in the breakdown grid; the others are violence form ids


class _Conflict(Exception):
    pass


@transaction.atomic
def breakdowns_save_grid(
    *, rights: EntryRights, indicator: Indicator, period: ReportingPeriod, source: str, cells: Iterable[GridCell],
    acting_user,
) -> int:
    """Save the changed cells of the breakdown grid of one indicator and period: parts and totals.

    In the cells, `indicator_id` is the column: a violence form id, or TOTAL_COLUMN for the total. Raises
    GridInvalid or GridConflict (keyed by municipality and column) and saves nothing then. Returns the number of
    figures changed, totals included.
    """
    if source not in rights.sources:
        raise PermissionDenied
    locks.refuse_if_locked(region_id=rights.region.pk, period=period)
    cells = list(cells)
    totals = [GridCell(municipality_id=c.municipality_id, indicator_id=indicator.pk, text=c.text,
                       original=c.original, version=c.version) for c in cells if c.indicator_id == TOTAL_COLUMN]
    parts = [c for c in cells if c.indicator_id != TOTAL_COLUMN]
    existing = {
        (b.organisation_id, b.violence_form_id): b
        for b in FigureBreakdown.objects.filter(
            indicator=indicator, period=period, source=source,
            organisation__in=[m.pk for m in rights.municipalities],
        )
    }
    planned, errors, conflicts = plan_cell_writes(
        parts, existing=existing, allowed=lambda cell: rights.allows(cell.municipality_id, indicator.pk),
        unit_of=lambda cell: indicator.unit,
    )
    saved_totals = 0
    try:
        saved_totals = figures_save_grid(rights=rights, period=period, source=source, cells=totals,
                                         acting_user=acting_user) if totals else 0
    except GridInvalid as invalid:
        errors.update({(m, TOTAL_COLUMN): message for (m, _i), message in invalid.errors.items()})
    except GridConflict as conflict:
        conflicts.extend((m, TOTAL_COLUMN) for m, _i in conflict.cells)
    if errors:
        raise GridInvalid(errors)
    if conflicts:
        raise GridConflict(conflicts)
    history = []
    try:
        with transaction.atomic():
            for (municipality_id, form_id), part, parsed in planned:
                change = _apply(indicator=indicator, period=period, source=source, municipality_id=municipality_id,
                                form_id=form_id, part=part, parsed=parsed, acting_user=acting_user)
                if change is not None:
                    history.append(change)
    except (IntegrityError, _Conflict) as error:
        raise GridConflict([key for key, _part, _parsed in planned]) from error
    FigureChange.objects.bulk_create(history)
    if history:
        audit("figure_breakdowns_saved", user=acting_user, period_id=period.pk, indicator_id=indicator.pk,
              source=source, changed=len(history),
              cells=sorted({f"{c.organisation_id}-{c.violence_form_id}" for c in history}))
    return saved_totals + len(history)


def _apply(*, indicator, period, source, municipality_id, form_id, part, parsed, acting_user):
    base = {"indicator_id": indicator.pk, "organisation_id": municipality_id, "period_id": period.pk,
            "source": source, "violence_form_id": form_id, "user": acting_user}
    if part is None:
        if parsed is None:
            return None
        part = FigureBreakdown(indicator=indicator, organisation_id=municipality_id, period=period, source=source,
                               violence_form_id=form_id, status=parsed.status, value=parsed.value)
        part.full_clean(validate_unique=False, exclude=["indicator", "organisation", "period", "violence_form"])
        part.save()
        return FigureChange(action=FigureChangeAction.CREATE, new_status=part.status, new_value=part.value,
                            new_provisional=False, version=part.version, **base)
    old = {"old_status": part.status, "old_value": part.value, "old_provisional": part.is_provisional}
    try:
        claim_version(part, part.version)
    except ConcurrentEditError as error:
        raise _Conflict from error
    if parsed is None:
        part.delete()
        return FigureChange(action=FigureChangeAction.DELETE, version=part.version, **old, **base)
    part.status, part.value, part.is_provisional = parsed.status, parsed.value, False
    part.full_clean(validate_unique=False, exclude=["indicator", "organisation", "period", "violence_form"])
    part.save(update_fields=["status", "value", "is_provisional", "updated_at"])
    return FigureChange(action=FigureChangeAction.UPDATE, new_status=part.status, new_value=part.value,
                        new_provisional=False, version=part.version, **old, **base)
