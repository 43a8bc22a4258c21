"""Breakdowns by form of violence in an import: the breakdown column read, its parts staged, confirmed and undone.

Kept apart from the totals' path (staging.py, services.py), which calls in here at a few named points: a file
without a breakdown column costs nothing extra. A row whose breakdown cell is a total key ("T001...", "Totaal")
or empty is the figure itself; a row with a form of violence is a part, written to FigureBreakdown. Parts are
staged in the same staging table with their `violence_form`, and written with the same set-based SQL.
"""

import re
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from programme.models import Indicator, Organisation, ReportingPeriod, ViolenceForm
from reporting.models import (
    FigureBreakdown,
    FigureChange,
    FigureChangeAction,
    FigureImport,
    FigureStatus,
    ImportRow,
    ImportRowAction,
)

TOTAL = (None, "")  # the breakdown of a row that holds the total: no form, no reason


def _simple(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


class BreakdownColumn:
    """The breakdown cells of a file resolved to (violence form id or None, reason): by CBS key or by name."""

    def __init__(self, index: int):
        self.index = index
        self.forms: dict[str, int] = {}
        for pk, name, slug, cbs_key in ViolenceForm.objects.values_list("pk", "name", "slug", "cbs_key"):
            self.forms[_simple(name)] = self.forms[_simple(slug)] = pk
            if cbs_key:
                self.forms[_simple(cbs_key)] = pk
        self.cache: dict[str, tuple] = {}

    def resolve(self, text) -> tuple:
        text = "" if text is None else str(text).strip()
        found = self.cache.get(text)
        if found is None:
            found = self.cache[text] = self._resolve(text)
        return found

    def _resolve(self, text: str) -> tuple:
        key = _simple(text)
        if not key or key.startswith("t00") or key.startswith("totaal") or key == "total":
            return TOTAL
        pk = self.forms.get(key)
        if pk is None:
            return (None, _("Unknown form of violence: %(text)s.") % {"text": text[:100]})
        return (pk, "")


def column_for(mapping: dict, index: dict) -> BreakdownColumn | None:
    column = mapping.get("breakdown")
    return BreakdownColumn(index[column]) if column and column in index else None


def add_existing(existing: dict, *, region, source) -> None:
    """The region's parts of this source, keyed (organisation, indicator, period, form) beside the totals' keys."""
    for pk, org, ind, per, form, status, value, provisional, version in FigureBreakdown.objects.filter(
            organisation__region=region, source=source).values_list(
            "pk", "organisation_id", "indicator_id", "period_id", "violence_form_id", "status", "value",
            "is_provisional", "version"):
        existing[(org, ind, per, form)] = (pk, status, value, provisional, version)


COUNTED = (ImportRowAction.CREATE, ImportRowAction.UPDATE, ImportRowAction.UNCHANGED)  # rows the check compares
TOTAL_CHECK_LIMIT = 100  # differing totals kept and listed; the count is of all of them


class TotalCheck:
    """Totals in the file beside the sums of their parts in the file, gathered while the rows are staged (the
    preview has every row in hand then: no grouped query over 100,000 staged rows, on the preview page or after)."""

    def __init__(self):
        self.totals: dict[tuple, object] = {}
        self.parts: dict[tuple, object] = {}

    def add(self, staged) -> None:
        """A staged row (see staging._Staged), once its action is final."""
        if staged.status != FigureStatus.VALUE or staged.action not in COUNTED:
            return
        key = (staged.organisation_id, staged.indicator_id, staged.period_id)
        sums = self.totals if staged.violence_form_id is None else self.parts
        sums[key] = sums.get(key, 0) + staged.value

    def keep(self, figure_import: FigureImport, *, refused: set) -> None:
        """Store the first differing totals (by name) and their number on the import (the caller saves it); totals
        the quality rules `refused` after staging, keyed (organisation, indicator, period), are no longer compared."""
        differing = [(*key, total, self.parts[key]) for key, total in self.totals.items()
                     if key in self.parts and key not in refused and total != self.parts[key]]
        first = []
        if differing:
            organisations, indicators, periods = _names(differing)
            differing.sort(key=lambda g: (organisations[g[0]], indicators[g[1]], periods[g[2]].start_date, g[2]))
            first = [[org, ind, per, str(total), str(parts)]
                     for org, ind, per, total, parts in differing[:TOTAL_CHECK_LIMIT]]
        figure_import.total_checks = {"count": len(differing), "first": first}


def _names(groups) -> tuple[dict, dict, dict]:
    """Names of every municipality, indicator and period involved: a region's few hundred at most."""
    organisations = dict(Organisation.objects.filter(pk__in={g[0] for g in groups}).values_list("pk", "name"))
    indicators = dict(Indicator.objects.filter(pk__in={g[1] for g in groups}).values_list("pk", "name"))
    periods = ReportingPeriod.objects.in_bulk({g[2] for g in groups})
    return organisations, indicators, periods


def total_check(figure_import: FigureImport) -> tuple[list[dict], int]:
    """Totals in the file that differ from the sum of their parts in the file: (the first ones, how many), as the
    preview stored them (see TotalCheck); names read now, three small queries when any total differs."""
    stored = figure_import.total_checks or {}
    first = stored.get("first") or []
    if not first:
        return [], stored.get("count", 0)
    organisations, indicators, periods = _names(first)
    checks = []
    for org, ind, per, total, parts in first:
        total, parts = Decimal(total), Decimal(parts)
        checks.append({"organisation__name": organisations.get(org, ""), "indicator__name": indicators.get(ind, ""),
                       "period_label": periods[per].label if per in periods else "", "total": total, "parts": parts,
                       "difference": total - parts})
    return checks, stored["count"]


# Set-based writes, as for totals (see services.figure_import_confirm): straight from the staging table.

PART = FigureBreakdown._meta.db_table
CHANGE = FigureChange._meta.db_table
ROW = ImportRow._meta.db_table
CHANGE_COLUMNS = (
    "figure_id, indicator_id, organisation_id, period_id, source, violence_form_id, action, old_status, old_value, "
    "old_provisional, new_status, new_value, new_provisional, version, user_id, timestamp, figure_import_id, is_undo"
)
PART_KEY = ("b.indicator_id = {o}.indicator_id AND b.organisation_id = {o}.organisation_id "
            "AND b.period_id = {o}.period_id AND b.violence_form_id = {o}.violence_form_id")


def _sql(statement: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


class PartsConflict(Exception):
    """Parts changed or were added between the preview and the confirmation."""


def confirm_parts(*, figure_import: FigureImport, now, user_id) -> tuple[int, int]:
    """Write the staged parts: updates guarded by their version, then inserts, each with its history.

    Returns (updated, created); raises PartsConflict when a part changed since the preview."""
    source, pk = figure_import.source, figure_import.pk
    parts = "r.figure_import_id = %s AND r.action = %s AND r.violence_form_id IS NOT NULL"
    staged_updates = _sql(
        f"INSERT INTO {CHANGE} ({CHANGE_COLUMNS}) "
        f"SELECT NULL, r.indicator_id, r.organisation_id, r.period_id, %s, r.violence_form_id, %s, r.old_status, "
        f"r.old_value, r.old_provisional, r.status, r.value, r.is_provisional, r.old_version + 1, %s, %s, %s, %s "
        f"FROM {ROW} r WHERE {parts}",
        [source, FigureChangeAction.UPDATE, user_id, now, pk, False, pk, ImportRowAction.UPDATE],
    )
    if staged_updates:
        updated = _sql(
            f"UPDATE {PART} SET status = r.status, value = r.value, is_provisional = r.is_provisional, "
            f"version = r.old_version + 1, updated_at = %s "
            f"FROM {ROW} r WHERE {parts} AND r.figure_id = {PART}.id AND {PART}.version = r.old_version",
            [now, pk, ImportRowAction.UPDATE],
        )
        if updated != staged_updates:
            raise PartsConflict(_("Someone else changed some of these figures after the preview."))
    insert = (f"INSERT INTO {PART} (indicator_id, organisation_id, period_id, source, violence_form_id, status, "
              f"value, is_provisional, version, created_at, updated_at) "
              f"SELECT r.indicator_id, r.organisation_id, r.period_id, %s, r.violence_form_id, r.status, r.value, "
              f"r.is_provisional, 1, %s, %s FROM {ROW} r WHERE {parts}")
    insert_params = [source, now, now, pk, ImportRowAction.CREATE]
    history = (f"INSERT INTO {CHANGE} ({CHANGE_COLUMNS}) "
               f"SELECT NULL, n.indicator_id, n.organisation_id, n.period_id, %s, n.violence_form_id, %s, '', NULL, "
               f"NULL, n.status, n.value, n.is_provisional, 1, %s, %s, %s, %s FROM {{new}} n")
    history_params = [source, FigureChangeAction.CREATE, user_id, now, pk, False]
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # One statement: the history is written from the rows the INSERT returns, the staging table read once.
                created = _sql(f"WITH new AS ({insert} RETURNING indicator_id, organisation_id, period_id, "
                               f"violence_form_id, status, value, is_provisional) {history.format(new='new')}",
                               [*insert_params, *history_params])
                return staged_updates, created
            created = _sql(insert, insert_params)
    except IntegrityError as error:
        raise PartsConflict(_("Someone else added some of these figures after the preview.")) from error
    if created:
        _sql(history.format(new=f"(SELECT * FROM {ROW} r WHERE {parts})"), [*history_params, pk,
                                                                             ImportRowAction.CREATE])
    return staged_updates, created


OWN_PARTS = "c.figure_import_id = %s AND c.is_undo = %s AND c.violence_form_id IS NOT NULL"


def parts_changed_since(figure_import: FigureImport) -> int:
    """Parts this import wrote that have changed (or gone) since: undo must not overwrite them."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM {CHANGE} c LEFT JOIN {PART} b ON {PART_KEY.format(o='c')} AND b.source = c.source "
            f"WHERE {OWN_PARTS} AND (b.id IS NULL OR b.version <> c.version)",
            [figure_import.pk, False],
        )
        return cursor.fetchone()[0]


def undo_parts(*, figure_import: FigureImport, now, user_id) -> None:
    """Restore the parts this import changed and remove those it added, each with its history."""
    pk = figure_import.pk
    own = OWN_PARTS + " AND c.action = %s"
    _sql(
        f"INSERT INTO {CHANGE} ({CHANGE_COLUMNS}) "
        f"SELECT NULL, c.indicator_id, c.organisation_id, c.period_id, c.source, c.violence_form_id, %s, "
        f"c.new_status, c.new_value, c.new_provisional, c.old_status, c.old_value, c.old_provisional, c.version + 1, "
        f"%s, %s, %s, %s FROM {CHANGE} c WHERE {own}",
        [FigureChangeAction.UPDATE, user_id, now, pk, True, pk, False, FigureChangeAction.UPDATE],
    )
    _sql(
        f"INSERT INTO {CHANGE} ({CHANGE_COLUMNS}) "
        f"SELECT NULL, c.indicator_id, c.organisation_id, c.period_id, c.source, c.violence_form_id, %s, "
        f"c.new_status, c.new_value, c.new_provisional, '', NULL, NULL, 0, %s, %s, %s, %s FROM {CHANGE} c "
        f"WHERE {own}",
        [FigureChangeAction.DELETE, user_id, now, pk, True, pk, False, FigureChangeAction.CREATE],
    )
    _sql(
        f"UPDATE {PART} SET status = c.old_status, value = c.old_value, is_provisional = c.old_provisional, "
        f"version = c.version + 1, updated_at = %s FROM {CHANGE} c "
        f"WHERE {own} AND {PART_KEY.format(o='c').replace('b.', PART + '.')} AND {PART}.source = c.source",
        [now, pk, False, FigureChangeAction.UPDATE],
    )
    created = (f"SELECT b.id FROM {PART} b JOIN {CHANGE} c ON {PART_KEY.format(o='c')} AND b.source = c.source "
               f"WHERE {own}")
    params = [pk, False, FigureChangeAction.CREATE]
    _sql(f"UPDATE {ROW} SET figure_id = NULL WHERE violence_form_id IS NOT NULL AND figure_id IN ({created})",
         params)
    _sql(f"DELETE FROM {PART} WHERE id IN (SELECT * FROM ({created}) AS gone)", params)
