"""Writes of figures by hand: the entry grid, each save in one transaction with the figure history."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from programme.changelog import claim_version
from programme.models import ReportingPeriod
from programme.portal.audit import audit
from reporting.figures.access import EntryRights
from reporting.imports import parsing as importing
from reporting.locks import rules as locks
from reporting.models import (
    Figure,
    FigureChange,
    FigureChangeAction,
    FigureStatus,
)
from reporting.quality import services as quality


@dataclass(frozen=True)
class GridCell:
    municipality_id: int
    indicator_id: int
    text: str  # what the user submitted
    original: str  # what the grid showed when it was opened
    version: int  # the figure's version when the grid was opened; 0 for no figure
    explanation: str = ""  # why a flagged value (an outlier) is right; required to save an outlier


class GridInvalid(Exception):
    """One or more cells do not fit their indicator or its rules; nothing was saved. `explain`: the cells saved only
    with an explanation (outliers)."""

    def __init__(self, errors: dict[tuple[int, int], str], explain: frozenset = frozenset()):
        super().__init__(_("Some cells are not valid; nothing has been saved."))
        self.errors = errors
        self.explain = explain


class GridConflict(Exception):
    """Someone else changed cells after the grid was opened that this user changed too; nothing was saved."""

    def __init__(self, cells: list[tuple[int, int]]):
        super().__init__(_("Someone else changed some of these figures after you opened the grid."))
        self.cells = cells


def same_figure(status_a, value_a, status_b, value_b) -> bool:
    if status_a != status_b:
        return False
    if status_a == FigureStatus.VALUE:
        return Decimal(value_a) == Decimal(value_b)
    return True


def plan_cell_writes(cells, *, existing, allowed, unit_of):
    """The grid cells a save would write, each rule checked once for the figure grid and the breakdown grid.

    `existing` maps (municipality, column) to the stored row; `allowed(cell)` says whether the user may enter it,
    `unit_of(cell)` its unit. Returns the planned writes (key, stored row or None, parsed value), the errors per
    key and the keys changed by someone else since the page was read. Unchanged cells are left out.
    """
    planned, errors, conflicts = [], {}, []
    for cell in cells:
        key = (cell.municipality_id, cell.indicator_id)
        if not allowed(cell):
            errors[key] = _("You may not enter this figure.")
            continue
        if cell.text.strip() == cell.original.strip():
            continue
        try:
            parsed = importing.parse_value(cell.text, unit_of(cell))
        except importing.ValueError_ as error:
            errors[key] = str(error)
            continue
        stored = existing.get(key)
        if (stored.version if stored else 0) != cell.version:
            conflicts.append(key)
            continue
        planned.append((key, stored, parsed))
    return planned, errors, conflicts


@transaction.atomic
def figures_save_grid(
    *, rights: EntryRights, period: ReportingPeriod, source: str, cells: Iterable[GridCell], acting_user
) -> int:
    """Save the cells the user changed. All or nothing: a bad cell or a conflicting cell saves none.

    Returns the number of figures changed.
    """
    cells = list(cells)
    if source not in rights.sources:
        # Sources are tied to roles (Veilig Thuis could store figures as CBS or municipal).
        raise PermissionDenied
    locks.refuse_if_locked(region_id=rights.region.pk, period=period)
    indicators = {i.pk: i for i in rights.indicators}
    existing = {
        (f.organisation_id, f.indicator_id): f
        for f in Figure.objects.filter(
            period=period, source=source, organisation__in=[m.pk for m in rights.municipalities]
        )
    }
    planned, errors, conflicts = plan_cell_writes(
        cells, existing=existing, allowed=lambda cell: rights.allows(cell.municipality_id, cell.indicator_id),
        unit_of=lambda cell: indicators[cell.indicator_id].unit,
    )
    explanations = {(c.municipality_id, c.indicator_id): c.explanation for c in cells if c.explanation}
    check = quality.grid_check(region_id=rights.region.pk, period=period, source=source,
                               cells=[(key, parsed) for key, _figure, parsed in planned], explanations=explanations)
    errors = {**check.errors, **errors}
    if errors:
        raise GridInvalid(errors, explain=frozenset(check.explain))
    if conflicts:
        raise GridConflict(conflicts)
    history = []
    try:
        with transaction.atomic():
            for (municipality_id, indicator_id), figure, parsed in planned:
                history.extend(
                    _apply_hand_change(
                        municipality_id=municipality_id, indicator_id=indicator_id, figure=figure, parsed=parsed,
                        period=period, source=source, acting_user=acting_user,
                    )
                )
    except (IntegrityError, _Conflict) as error:
        raise GridConflict([key for key, _figure, _parsed in planned]) from error
    FigureChange.objects.bulk_create(history)
    check.keep(figures={(c.organisation_id, c.indicator_id): c.figure for c in history}, explanations=explanations,
               acting_user=acting_user)
    if history:
        # Which cells changed, never their values: the audit trail holds no figures.
        audit("figures_grid_saved", user=acting_user, period_id=period.pk, source=source, changed=len(history),
              cells=sorted({f"{c.organisation_id}-{c.indicator_id}" for c in history}))
    return len(history)


class _Conflict(Exception):
    pass


def _apply_hand_change(*, municipality_id, indicator_id, figure, parsed, period, source, acting_user):
    base = {
        "indicator_id": indicator_id, "organisation_id": municipality_id, "period_id": period.pk, "source": source,
        "user": acting_user,
    }
    if figure is None:
        if parsed is None:
            return []
        figure = Figure(
            indicator_id=indicator_id, organisation_id=municipality_id, period=period, source=source,
            status=parsed.status, value=parsed.value,
        )
        figure.full_clean(validate_unique=False)
        figure.save()
        return [FigureChange(figure=figure, action=FigureChangeAction.CREATE, new_status=figure.status,
                             new_value=figure.value, new_provisional=False, version=figure.version, **base)]
    old = {"old_status": figure.status, "old_value": figure.value, "old_provisional": figure.is_provisional}
    try:
        claim_version(figure, figure.version)
    except Exception as error:  # ConcurrentEditError: someone saved between our read and this write
        raise _Conflict from error
    if parsed is None:
        change = FigureChange(figure=None, action=FigureChangeAction.DELETE, version=figure.version, **old, **base)
        figure.delete()
        return [change]
    figure.status, figure.value, figure.is_provisional = parsed.status, parsed.value, False
    figure.full_clean(validate_unique=False)
    figure.save(update_fields=["status", "value", "is_provisional", "updated_at"])
    return [FigureChange(figure=figure, action=FigureChangeAction.UPDATE, new_status=figure.status,
                         new_value=figure.value, new_provisional=False, version=figure.version, **old, **base)]
