"""Writes of figure imports: upload, preview (staged rows), confirm, undo and discard.

Figures can arrive by the hundred thousand, so imports stage their rows in the database and write with
bulk operations in batches; every change to a figure also gets a FigureChange row (the figure history)."""

import io
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from programme.changelog import ChangeAction, record_change
from programme.models import Indicator, Region, ReportingPeriod
from programme.portal.audit import audit
from reporting.figures.access import EntryRights
from reporting.figures.services import same_figure
from reporting.imports import parsing as importing
from reporting.models import (
    Figure,
    FigureChange,
    FigureChangeAction,
    FigureImport,
    FigureImportStatus,
    ImportFormat,
    ImportRow,
    ImportRowAction,
)

BATCH = 5000


@transaction.atomic
def figure_import_upload(
    *, acting_user, region: Region, file_name: str, content: bytes, source: str, all_provisional: bool = False
) -> FigureImport:
    """Keep an uploaded file and read its column names; the rows are read when the columns are mapped."""
    try:
        headers, _rows = importing.read_rows(content, file_name)
    except importing.FileError as error:
        raise ValidationError({"file": str(error)}) from error
    figure_import = FigureImport(
        region=region, uploaded_by=acting_user, file_name=file_name[:255], content=content, source=source,
        all_provisional=all_provisional, headers=headers,
    )
    figure_import.full_clean()
    figure_import.save()
    audit("import_upload", user=acting_user, import_id=figure_import.pk, region_id=region.pk,
          file_name=figure_import.file_name, size=len(content))
    return figure_import


@dataclass
class _Lookups:
    by_code: dict
    by_name: dict
    indicators: dict
    periods: dict


def _lookups(region: Region) -> _Lookups:
    from programme.models import Organisation, OrganisationKind

    by_code, by_name = {}, {}
    for pk, code, name, region_id in Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).values_list(
        "pk", "cbs_code", "name", "region_id"
    ):
        entry = (pk, name, region_id)
        by_code[code] = entry
        key = " ".join(name.lower().split())
        # A name shared by municipalities of two regions resolves to the one in this region.
        if key not in by_name or region_id == region.pk:
            by_name[key] = entry
    indicators = {}
    for indicator in Indicator.objects.all():
        indicators[indicator.code.lower()] = indicator
        indicators.setdefault(indicator.name.lower(), indicator)
    periods = {(kind, year, number): pk for pk, kind, year, number in
               ReportingPeriod.objects.values_list("pk", "kind", "year", "number")}
    return _Lookups(by_code=by_code, by_name=by_name, indicators=indicators, periods=periods)


def _validate_mapping(headers: list[str], mapping: dict) -> None:
    errors = {}
    for key in ("municipality", "period"):
        if mapping.get(key) not in headers:
            errors[key] = _("Choose the column that holds this.")
    long_format = mapping.get("indicator") or mapping.get("value")
    if long_format:
        if mapping.get("value") not in headers:
            errors["value"] = _("Choose the column that holds the values.")
        if mapping.get("indicator") not in headers and not mapping.get("fixed_indicator"):
            errors["indicator"] = _("Choose the column that holds the indicator, or one indicator for the file.")
    elif not any(column in headers for column in (mapping.get("columns") or {}).values()):
        errors["value"] = _("Choose a value column, or a column for at least one indicator.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def figure_import_preview(
    *, figure_import: FigureImport, rights: EntryRights, mapping: dict, acting_user, save_format_as: str = ""
) -> FigureImport:
    """Read the whole file against the mapping and stage every row with what confirming would do to it."""
    if figure_import.status not in (FigureImportStatus.UPLOADED, FigureImportStatus.PREVIEW):
        raise ValidationError(_("This import has already been confirmed or discarded."))
    headers, rows = importing.read_rows(bytes(figure_import.content), figure_import.file_name)
    _validate_mapping(headers, mapping)
    if save_format_as:
        ImportFormat.objects.update_or_create(
            region=figure_import.region, name=save_format_as[:100],
            defaults={"mapping": mapping, "created_by": acting_user},
        )
    ImportRow.objects.filter(figure_import=figure_import).delete()
    counts = _stage_rows(figure_import=figure_import, rights=rights, mapping=mapping, headers=headers, rows=rows)
    figure_import.mapping = mapping
    figure_import.status = FigureImportStatus.PREVIEW
    figure_import.rows_total = sum(counts.values())
    figure_import.created_count = counts[ImportRowAction.CREATE]
    figure_import.updated_count = counts[ImportRowAction.UPDATE]
    figure_import.unchanged_count = counts[ImportRowAction.UNCHANGED]
    figure_import.skipped_count = counts[ImportRowAction.SKIPPED]
    figure_import.rejected_count = counts[ImportRowAction.REJECTED]
    figure_import.save()
    return figure_import


def _stage_rows(*, figure_import, rights, mapping, headers, rows) -> dict:
    region = figure_import.region
    lookups = _lookups(region)
    index = {h: i for i, h in enumerate(headers)}
    municipality_col = index[mapping["municipality"]]
    period_col = index[mapping["period"]]
    if mapping.get("indicator") or mapping.get("value"):
        value_columns = [(None, index[mapping["value"]])]
        indicator_col = index.get(mapping.get("indicator") or "")
        fixed = lookups.indicators.get((mapping.get("fixed_indicator") or "").lower())
    else:
        value_columns = [
            (lookups.indicators.get(code.lower()), index[column])
            for code, column in mapping["columns"].items() if column in index and lookups.indicators.get(code.lower())
        ]
        indicator_col, fixed = None, None
    existing = {}
    figures = Figure.objects.filter(organisation__region=region, source=figure_import.source)
    for pk, org, ind, per, status, value, provisional, version in figures.values_list(
        "pk", "organisation_id", "indicator_id", "period_id", "status", "value", "is_provisional", "version"
    ):
        existing[(org, ind, per)] = (pk, status, value, provisional, version)
    counts = dict.fromkeys(ImportRowAction.values, 0)
    seen: dict[tuple, int] = {}
    period_cache: dict[str, object] = {}
    municipality_cache: dict[str, tuple] = {}
    batch: list[ImportRow] = []
    all_provisional = figure_import.all_provisional

    def cell(row, col):
        value = row[col] if col is not None and col < len(row) else ""
        return "" if value is None else value

    for line, row in enumerate(rows, start=2):
        if not any(str(c).strip() for c in row if c is not None):
            continue
        municipality_text = str(cell(row, municipality_col)).strip()
        period_text = str(cell(row, period_col)).strip()
        municipality = municipality_cache.get(municipality_text)
        if municipality is None:
            municipality = _resolve_municipality(municipality_text, lookups, region, rights)
            municipality_cache[municipality_text] = municipality
        period = period_cache.get(period_text)
        if period is None:
            period = _resolve_period(period_text, lookups)
            period_cache[period_text] = period
        for column_indicator, value_col in value_columns:
            indicator = column_indicator
            indicator_text = indicator.code if indicator else ""
            if indicator is None:
                indicator_text = str(cell(row, indicator_col)).strip() if indicator_col is not None else ""
                indicator = lookups.indicators.get(indicator_text.lower()) if indicator_text else fixed
                if indicator is not None and not indicator_text:
                    indicator_text = indicator.code
            raw_value = cell(row, value_col)
            staged = _Staged(line, municipality_text[:100], period_text[:100], indicator_text[:200],
                             str(raw_value)[:100])
            _judge(staged, municipality, period, indicator, raw_value, rights, existing, seen, all_provisional)
            counts[staged.action] += 1
            batch.append(staged.as_row(figure_import.pk))
        if len(batch) >= STAGE_BATCH:
            _insert_staged(batch)
            batch = []
    if batch:
        _insert_staged(batch)
    return counts


class _Staged:
    """One row on its way to the staging table (a plain object: model instances cost too much at 100,000 rows)."""

    __slots__ = ("line", "municipality_text", "period_text", "indicator_text", "value_text", "action", "reason",
                 "organisation_id", "indicator_id", "period_id", "status", "value", "is_provisional", "figure_id",
                 "old_status", "old_value", "old_provisional", "old_version")

    def __init__(self, line, municipality_text, period_text, indicator_text, value_text):
        self.line, self.municipality_text, self.period_text = line, municipality_text, period_text
        self.indicator_text, self.value_text = indicator_text, value_text
        self.action, self.reason, self.status, self.old_status = "", "", "", ""
        self.organisation_id = self.indicator_id = self.period_id = self.value = self.figure_id = None
        self.old_value = self.old_provisional = self.old_version = None
        self.is_provisional = False

    def as_row(self, import_id) -> tuple:
        return (import_id, *(getattr(self, name) for name in self.__slots__))


def _copy_value(value) -> str:
    """A value for COPY ... (FORMAT csv, NULL '\\N'): strings quoted, so an empty string is not a NULL."""
    if value is None:
        return "\\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, str):
        return '"' + value.replace('"', '""') + '"'
    return str(value)


STAGE_COLUMNS = ("figure_import_id", *_Staged.__slots__)


STAGE_BATCH = 1000  # rows per INSERT or COPY: 19 parameters each stays far below every database's limit


def _insert_staged(rows: list[tuple]) -> None:
    """One multi-row INSERT per batch (COPY on PostgreSQL); bulk_create spends most of its time preparing values."""
    if connection.vendor == "postgresql":
        buffer = io.StringIO("\n".join(",".join(map(_copy_value, row)) for row in rows) + "\n")
        with connection.cursor() as cursor:
            cursor.copy_expert(
                f"COPY {ImportRow._meta.db_table} ({', '.join(STAGE_COLUMNS)}) "
                "FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                buffer,
            )
        return
    placeholders = "(" + ", ".join(["%s"] * len(STAGE_COLUMNS)) + ")"
    statement = (f"INSERT INTO {ImportRow._meta.db_table} ({', '.join(STAGE_COLUMNS)}) VALUES "
                 + ", ".join([placeholders] * len(rows)))
    with connection.cursor() as cursor:
        cursor.execute(statement, [value for row in rows for value in row])


def _resolve_municipality(text, lookups, region, rights):
    """(action or None, reason, municipality id) for the municipality cell of a row."""
    if not text:
        return (ImportRowAction.REJECTED, _("The municipality is missing."), None)
    kind, key = importing.normalise_municipality(text)
    if kind == "other_key":
        return (ImportRowAction.SKIPPED, _("%(key)s is not a municipality.") % {"key": key}, None)
    entry = (lookups.by_code if kind == "code" else lookups.by_name).get(key)
    if entry is None:
        return (ImportRowAction.REJECTED, _("Unknown municipality: %(text)s.") % {"text": text}, None)
    pk, name, region_id = entry
    if region_id != region.pk:
        return (ImportRowAction.SKIPPED, _("%(name)s lies outside region %(region)s.") % {
            "name": name, "region": region.name}, None)
    if not rights.cells.get(pk):
        return (ImportRowAction.SKIPPED, _("You do not enter figures for %(name)s.") % {"name": name}, None)
    return (None, "", pk)


def _resolve_period(text, lookups):
    parsed = importing.parse_period(text)
    if parsed is None:
        return (_("Unknown period '%(text)s': write it like 2023KW01, 2023HJ01 or 2023JJ00.") % {"text": text},
                None, False)
    pk = lookups.periods.get(parsed.key)
    if pk is None:
        return (_("The period %(text)s does not exist in the portal yet; a project leader can add it.") % {
            "text": text}, None, False)
    return ("", pk, parsed.is_provisional)


def _judge(staged, municipality, period, indicator, raw_value, rights, existing, seen, all_provisional):
    """Decide what confirming would do with one staged row: create, update, leave, skip or reject (and why)."""
    m_action, m_reason, municipality_id = municipality
    if m_action is not None:
        staged.action, staged.reason = m_action, m_reason[:300]
        return
    p_reason, period_id, provisional = period
    if period_id is None:
        staged.action, staged.reason = ImportRowAction.REJECTED, p_reason[:300]
        return
    if indicator is None:
        staged.action = ImportRowAction.REJECTED
        staged.reason = (_("Unknown indicator: %(text)s.") % {"text": staged.indicator_text} if staged.indicator_text
                         else _("The indicator is missing."))[:300]
        return
    if not rights.allows(municipality_id, indicator.pk):
        staged.action = ImportRowAction.REJECTED
        staged.reason = _("You may not enter figures of this indicator for this municipality.")
        return
    staged.organisation_id, staged.period_id, staged.indicator_id = municipality_id, period_id, indicator.pk
    try:
        parsed = importing.parse_value(raw_value, indicator.unit)
    except importing.ValueError_ as error:
        staged.action, staged.reason = ImportRowAction.REJECTED, str(error)[:300]
        return
    if parsed is None:
        staged.action, staged.reason = ImportRowAction.SKIPPED, _("Empty cell: no figure.")
        return
    key = (municipality_id, indicator.pk, period_id)
    if key in seen:
        staged.action = ImportRowAction.REJECTED
        staged.reason = _("This figure is also on line %(line)s of the file.") % {"line": seen[key]}
        return
    seen[key] = staged.line
    staged.status, staged.value, staged.is_provisional = parsed.status, parsed.value, provisional or all_provisional
    current = existing.get(key)
    if current is None:
        staged.action = ImportRowAction.CREATE
        return
    pk, status, value, old_provisional, version = current
    staged.figure_id, staged.old_status, staged.old_value = pk, status, value
    staged.old_provisional, staged.old_version = old_provisional, version
    if staged.is_provisional and not old_provisional:
        staged.action = ImportRowAction.UNCHANGED
        staged.reason = _("A definitive figure is kept; a provisional one does not replace it.")
    elif same_figure(status, value, parsed.status, parsed.value) and old_provisional == staged.is_provisional:
        staged.action = ImportRowAction.UNCHANGED
    else:
        staged.action = ImportRowAction.UPDATE


class ImportConflict(Exception):
    """Figures changed between the preview and the confirmation; nothing was written."""


def _sql(statement: str, params: list) -> int:
    """Run one set-based statement; the import writes with these so 100,000 rows take seconds, not minutes."""
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


FIGURE = Figure._meta.db_table


CHANGE = FigureChange._meta.db_table


ROW = ImportRow._meta.db_table


CHANGE_COLUMNS = (
    "figure_id, indicator_id, organisation_id, period_id, source, action, old_status, old_value, old_provisional, "
    "new_status, new_value, new_provisional, version, user_id, timestamp, figure_import_id, is_undo"
)


@transaction.atomic
def figure_import_confirm(*, figure_import: FigureImport, acting_user) -> FigureImport:
    """Write every staged new and changed figure in one transaction, or nothing at all.

    Set-based SQL straight from the staging table: an UPDATE that only touches figures still at the version
    the preview saw (so a figure changed meanwhile makes the whole import fail), INSERTs for new figures and
    for the history. Nothing of the file passes through Python objects again.
    """
    figure_import = FigureImport.objects.select_for_update().get(pk=figure_import.pk)
    if figure_import.status != FigureImportStatus.PREVIEW:
        raise ValidationError(_("Only an import that is shown as a preview can be confirmed."))
    if figure_import.rejected_count:
        raise ValidationError(_("The file has rejected rows: correct the file and upload it again."))
    now = timezone.now()
    source, pk, user_id = figure_import.source, figure_import.pk, getattr(acting_user, "pk", None)
    if figure_import.updated_count:
        _sql(
            f"INSERT INTO {CHANGE} ({CHANGE_COLUMNS}) "
            f"SELECT r.figure_id, r.indicator_id, r.organisation_id, r.period_id, %s, %s, r.old_status, r.old_value, "
            f"r.old_provisional, r.status, r.value, r.is_provisional, r.old_version + 1, %s, %s, %s, %s "
            f"FROM {ROW} r WHERE r.figure_import_id = %s AND r.action = %s",
            [source, FigureChangeAction.UPDATE, user_id, now, pk, False, pk, ImportRowAction.UPDATE],
        )
        updated = _sql(
            f"UPDATE {FIGURE} SET status = r.status, value = r.value, is_provisional = r.is_provisional, "
            f"version = r.old_version + 1, updated_at = %s "
            f"FROM {ROW} r WHERE r.figure_import_id = %s AND r.action = %s AND r.figure_id = {FIGURE}.id "
            f"AND {FIGURE}.version = r.old_version",
            [now, pk, ImportRowAction.UPDATE],
        )
        if updated != figure_import.updated_count:
            raise ImportConflict(_("Someone else changed some of these figures after the preview."))
    if figure_import.created_count:
        try:
            with transaction.atomic():
                _sql(
                    f"INSERT INTO {FIGURE} (indicator_id, organisation_id, period_id, source, status, value, "
                    f"is_provisional, version, created_at, updated_at) "
                    f"SELECT r.indicator_id, r.organisation_id, r.period_id, %s, r.status, r.value, r.is_provisional, "
                    f"1, %s, %s FROM {ROW} r WHERE r.figure_import_id = %s AND r.action = %s",
                    [source, now, now, pk, ImportRowAction.CREATE],
                )
        except IntegrityError as error:
            raise ImportConflict(_("Someone else added some of these figures after the preview.")) from error
        _sql(
            f"INSERT INTO {CHANGE} ({CHANGE_COLUMNS}) "
            f"SELECT f.id, r.indicator_id, r.organisation_id, r.period_id, %s, %s, '', NULL, NULL, "
            f"r.status, r.value, r.is_provisional, 1, %s, %s, %s, %s "
            f"FROM {ROW} r JOIN {FIGURE} f ON f.indicator_id = r.indicator_id "
            f"AND f.organisation_id = r.organisation_id AND f.period_id = r.period_id AND f.source = %s "
            f"WHERE r.figure_import_id = %s AND r.action = %s",
            [source, FigureChangeAction.CREATE, user_id, now, pk, False, source, pk, ImportRowAction.CREATE],
        )
    figure_import.status = FigureImportStatus.CONFIRMED
    figure_import.confirmed_at = now
    figure_import.save(update_fields=["status", "confirmed_at", "updated_at"])
    record_change(
        instance=figure_import, action=ChangeAction.TRANSITION, acting_user=acting_user, region=figure_import.region_id,
        changes={"status": [FigureImportStatus.PREVIEW, FigureImportStatus.CONFIRMED]},
        comment=_("Import of %(file)s: %(new)s new, %(changed)s changed figures.") % {
            "file": figure_import.file_name, "new": figure_import.created_count,
            "changed": figure_import.updated_count},
    )
    audit("import_confirm", user=acting_user, import_id=pk, region_id=figure_import.region_id,
          created=figure_import.created_count, updated=figure_import.updated_count)
    return figure_import


@transaction.atomic
def figure_import_undo(*, figure_import: FigureImport, acting_user) -> FigureImport:
    """Restore what an import changed and remove what it added, unless those figures changed since."""
    figure_import = FigureImport.objects.select_for_update().get(pk=figure_import.pk)
    if figure_import.status != FigureImportStatus.CONFIRMED:
        raise ValidationError(_("Only a confirmed import can be undone."))
    own = FigureChange.objects.filter(figure_import=figure_import, is_undo=False)
    changed_since = own.exclude(figure__version=F("version")).count()
    if changed_since:
        raise ValidationError(
            _("%(count)s figures of this import have been changed since; undo those changes first.") % {
                "count": changed_since}
        )
    now = timezone.now()
    pk, user_id = figure_import.pk, getattr(acting_user, "pk", None)
    own_rows = "c.figure_import_id = %s AND c.is_undo = %s AND c.action = %s"
    # History first: the undo of a change records the way back, the undo of an addition a removal.
    _sql(
        f"INSERT INTO {CHANGE} ({CHANGE_COLUMNS}) "
        f"SELECT c.figure_id, c.indicator_id, c.organisation_id, c.period_id, c.source, %s, c.new_status, "
        f"c.new_value, c.new_provisional, c.old_status, c.old_value, c.old_provisional, c.version + 1, %s, %s, %s, %s "
        f"FROM {CHANGE} c WHERE {own_rows}",
        [FigureChangeAction.UPDATE, user_id, now, pk, True, pk, False, FigureChangeAction.UPDATE],
    )
    _sql(
        f"INSERT INTO {CHANGE} ({CHANGE_COLUMNS}) "
        f"SELECT NULL, c.indicator_id, c.organisation_id, c.period_id, c.source, %s, c.new_status, "
        f"c.new_value, c.new_provisional, '', NULL, NULL, 0, %s, %s, %s, %s "
        f"FROM {CHANGE} c WHERE {own_rows}",
        [FigureChangeAction.DELETE, user_id, now, pk, True, pk, False, FigureChangeAction.CREATE],
    )
    _sql(
        f"UPDATE {FIGURE} SET status = c.old_status, value = c.old_value, is_provisional = c.old_provisional, "
        f"version = c.version + 1, updated_at = %s FROM {CHANGE} c WHERE {own_rows} AND c.figure_id = {FIGURE}.id",
        [now, pk, False, FigureChangeAction.UPDATE],
    )
    created = f"SELECT c.figure_id FROM {CHANGE} c WHERE {own_rows}"
    created_params = [pk, False, FigureChangeAction.CREATE]
    # The history keeps the figure's key, so it stays readable once the figure is gone.
    _sql(f"UPDATE {ROW} SET figure_id = NULL WHERE figure_id IN ({created})", created_params)
    _sql(f"DELETE FROM {FIGURE} WHERE id IN ({created})", created_params)
    _sql(f"UPDATE {CHANGE} SET figure_id = NULL WHERE figure_id IN (SELECT * FROM ({created}) AS gone)",
         created_params)
    figure_import.status = FigureImportStatus.UNDONE
    figure_import.undone_at = now
    figure_import.undone_by = acting_user
    figure_import.save(update_fields=["status", "undone_at", "undone_by", "updated_at"])
    record_change(
        instance=figure_import, action=ChangeAction.TRANSITION, acting_user=acting_user, region=figure_import.region_id,
        changes={"status": [FigureImportStatus.CONFIRMED, FigureImportStatus.UNDONE]},
        comment=_("Import of %(file)s undone.") % {"file": figure_import.file_name},
    )
    audit("import_undo", user=acting_user, import_id=pk, region_id=figure_import.region_id)
    return figure_import


@transaction.atomic
def figure_import_discard(*, figure_import: FigureImport, acting_user) -> FigureImport:
    if figure_import.status not in (FigureImportStatus.UPLOADED, FigureImportStatus.PREVIEW):
        raise ValidationError(_("Only an import that has not been confirmed can be discarded."))
    ImportRow.objects.filter(figure_import=figure_import).delete()
    figure_import.status = FigureImportStatus.DISCARDED
    figure_import.save(update_fields=["status", "updated_at"])
    audit("import_discard", user=acting_user, import_id=figure_import.pk, region_id=figure_import.region_id)
    return figure_import
