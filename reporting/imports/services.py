"""Writes of figure imports: upload, preview (staged rows, see staging.py), confirm, undo and discard.

Figures can arrive by the hundred thousand, so imports stage their rows in the database and write with
bulk operations in batches; every change to a figure also gets a FigureChange row (the figure history)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from programme.changelog import ChangeAction, record_change
from programme.models import Region
from programme.portal.audit import audit
from reporting.figures.access import EntryRights
from reporting.imports import breakdowns, staging
from reporting.imports import parsing as importing
from reporting.locks import rules as locks
from reporting.models import (
    Figure,
    FigureChange,
    FigureChangeAction,
    FigureImport,
    FigureImportStatus,
    FigureSource,
    ImportFormat,
    ImportRow,
    ImportRowAction,
)
from reporting.quality import services as quality


@transaction.atomic
def figure_import_upload(
    *, acting_user, region: Region, file_name: str, content: bytes, source: str, all_provisional: bool = False,
    allowed_sources: list[str] | None = None,
) -> FigureImport:
    """Keep an uploaded file and read its column names; the rows are read when the columns are mapped.

    The source follows the file and the role: a CBS StatLine file is stored as CBS whoever brings it in, and
    nothing else can claim to be CBS; otherwise the source must be one the user's organisation delivers."""
    try:
        headers, _sample = importing.read_sample(content, file_name)
    except importing.FileError as error:
        raise ValidationError({"file": str(error)}) from error
    if importing.is_cbs_file(headers):
        source = FigureSource.CBS_STATLINE
    elif source == FigureSource.CBS_STATLINE:
        raise ValidationError({"source": _("CBS figures come only from a CBS StatLine file or the StatLine fetch; "
                                           "this file is not one.")})
    elif allowed_sources is not None and source not in allowed_sources:
        raise ValidationError({"source": _("Your organisation does not deliver figures of this source.")})
    figure_import = FigureImport(
        region=region, uploaded_by=acting_user, file_name=file_name[:255], content=content, source=source,
        all_provisional=all_provisional, headers=headers,
    )
    figure_import.full_clean()
    figure_import.save()
    audit("import_upload", user=acting_user, import_id=figure_import.pk, region_id=region.pk,
          file_name=figure_import.file_name, size=len(content))
    return figure_import


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
    if figure_import.source != FigureSource.CBS_STATLINE and figure_import.source not in rights.sources:
        raise ValidationError(_("Your organisation does not deliver figures of this source."))
    try:
        headers, rows = importing.read_rows(bytes(figure_import.content), figure_import.file_name)
    except importing.FileError as error:
        raise ValidationError(str(error)) from error
    _validate_mapping(headers, mapping)
    if save_format_as:
        ImportFormat.objects.update_or_create(
            region=figure_import.region, name=save_format_as[:100],
            defaults={"mapping": mapping, "created_by": acting_user},
        )
    ImportRow.objects.filter(figure_import=figure_import).delete()
    try:
        staged = staging.stage_rows(figure_import=figure_import, rights=rights, mapping=mapping, headers=headers,
                                    rows=rows, acting_user=acting_user)
    except importing.FileError as error:
        # Found halfway through the file (damaged, too many rows): the transaction takes back what was staged.
        raise ValidationError(str(error)) from error
    if connection.vendor == "postgresql":
        # Fresh statistics of the staging table: with those of an empty or smaller table, the quality check and the
        # import page sorted every staged row instead of reading a page of them in index order (a second each).
        _sql(f"ANALYZE {ImportRow._meta.db_table} (figure_import_id, action)", [])
    counts = staged.counts
    figure_import.notices = staged.notices
    figure_import.mapping = mapping
    figure_import.status = FigureImportStatus.PREVIEW
    figure_import.rows_total = sum(counts.values())
    figure_import.created_count = counts[ImportRowAction.CREATE]
    figure_import.updated_count = counts[ImportRowAction.UPDATE]
    figure_import.unchanged_count = counts[ImportRowAction.UNCHANGED]
    figure_import.skipped_count = counts[ImportRowAction.SKIPPED]
    figure_import.outside_count = counts[ImportRowAction.OUTSIDE]
    figure_import.not_municipality_count = counts[ImportRowAction.NOT_MUNICIPALITY]
    figure_import.rejected_count = counts[ImportRowAction.REJECTED]
    refused = quality.import_check(figure_import=figure_import, period_ids=staged.judged_period_ids)
    if staged.total_check is not None:
        staged.total_check.keep(figure_import, refused=refused)
    else:
        figure_import.total_checks = {}
    # Every field but the file itself: rewriting its megabytes would cost more than all the counts.
    figure_import.save(update_fields=[field.name for field in FigureImport._meta.concrete_fields
                                      if not field.primary_key and field.name != "content"])
    return figure_import


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
def figure_import_confirm(*, figure_import: FigureImport, acting_user, leave_rejected: bool = False,
                          explanation: str = "") -> FigureImport:
    """Write every staged new and changed figure in one transaction, or nothing at all.

    Rejected rows stop the import unless the user chose to import the valid rows and leave those
    (`leave_rejected`); a file that changes nothing cannot be confirmed, so no empty import is kept.

    Set-based SQL straight from the staging table: an UPDATE that only touches figures still at the version
    the preview saw (so a figure changed meanwhile makes the whole import fail), INSERTs for new figures and
    for the history. Nothing of the file passes through Python objects again.
    """
    figure_import = FigureImport.objects.select_for_update().get(pk=figure_import.pk)
    if figure_import.status != FigureImportStatus.PREVIEW:
        raise ValidationError(_("Only an import that is shown as a preview can be confirmed."))
    if figure_import.rejected_count and not leave_rejected:
        raise ValidationError(_("The file has rejected rows: choose to import the valid rows and leave those, "
                                "or correct the file and upload it again."))
    if not figure_import.changes_anything:
        raise ValidationError(_("This file changes no figure: there is nothing to import."))
    # A period locked since the preview (its report approved meanwhile) refuses the whole confirmation.
    locks.refuse_if_any_locked(region_id=figure_import.region_id, rows=ImportRow.objects.filter(
        figure_import=figure_import, action__in=[ImportRowAction.CREATE, ImportRowAction.UPDATE]))
    now = timezone.now()
    source, pk, user_id = figure_import.source, figure_import.pk, getattr(acting_user, "pk", None)
    try:
        parts_updated, _parts_created = breakdowns.confirm_parts(figure_import=figure_import, now=now,
                                                                 user_id=user_id)
    except breakdowns.PartsConflict as error:
        raise ImportConflict(str(error)) from error
    totals = "r.violence_form_id IS NULL"  # parts of a breakdown are written by breakdowns.confirm_parts
    if figure_import.updated_count > parts_updated:
        _sql(
            f"INSERT INTO {CHANGE} ({CHANGE_COLUMNS}) "
            f"SELECT r.figure_id, r.indicator_id, r.organisation_id, r.period_id, %s, %s, r.old_status, r.old_value, "
            f"r.old_provisional, r.status, r.value, r.is_provisional, r.old_version + 1, %s, %s, %s, %s "
            f"FROM {ROW} r WHERE r.figure_import_id = %s AND r.action = %s AND {totals}",
            [source, FigureChangeAction.UPDATE, user_id, now, pk, False, pk, ImportRowAction.UPDATE],
        )
        updated = _sql(
            f"UPDATE {FIGURE} SET status = r.status, value = r.value, is_provisional = r.is_provisional, "
            f"version = r.old_version + 1, updated_at = %s "
            f"FROM {ROW} r WHERE r.figure_import_id = %s AND r.action = %s AND r.figure_id = {FIGURE}.id "
            f"AND {FIGURE}.version = r.old_version AND {totals}",
            [now, pk, ImportRowAction.UPDATE],
        )
        if updated + parts_updated != figure_import.updated_count:
            raise ImportConflict(_("Someone else changed some of these figures after the preview."))
    if figure_import.created_count:
        _insert_created(source=source, pk=pk, user_id=user_id, now=now, rows=totals)
    quality.import_keep_flags(figure_import=figure_import, explanation=explanation, acting_user=acting_user)
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


_INSERT_CREATED = (
    f"INSERT INTO {FIGURE} (indicator_id, organisation_id, period_id, source, status, value, "
    f"is_provisional, version, created_at, updated_at) "
    f"SELECT r.indicator_id, r.organisation_id, r.period_id, %s, r.status, r.value, r.is_provisional, "
    f"1, %s, %s FROM {ROW} r WHERE r.figure_import_id = %s AND r.action = %s AND "
)


def _insert_created(*, source: str, pk: int, user_id, now, rows: str) -> None:
    """The new figures of the staged `rows` (a condition on the staging table r) and their history. On PostgreSQL
    one statement: the history is written from the rows the INSERT returns; elsewhere the history finds the new
    figures again by their key."""
    created_params = [source, now, now, pk, ImportRowAction.CREATE]
    try:
        with transaction.atomic():
            if connection.vendor == "postgresql":
                _sql(
                    f"WITH new AS ({_INSERT_CREATED}{rows} RETURNING id, indicator_id, organisation_id, period_id, "
                    f"status, value, is_provisional) "
                    f"INSERT INTO {CHANGE} ({CHANGE_COLUMNS}) "
                    f"SELECT new.id, new.indicator_id, new.organisation_id, new.period_id, %s, %s, '', NULL, NULL, "
                    f"new.status, new.value, new.is_provisional, 1, %s, %s, %s, %s FROM new",
                    [*created_params, source, FigureChangeAction.CREATE, user_id, now, pk, False],
                )
                return
            _sql(_INSERT_CREATED + rows, created_params)
    except IntegrityError as error:
        raise ImportConflict(_("Someone else added some of these figures after the preview.")) from error
    _sql(
        f"INSERT INTO {CHANGE} ({CHANGE_COLUMNS}) "
        f"SELECT f.id, r.indicator_id, r.organisation_id, r.period_id, %s, %s, '', NULL, NULL, "
        f"r.status, r.value, r.is_provisional, 1, %s, %s, %s, %s "
        f"FROM {ROW} r JOIN {FIGURE} f ON f.indicator_id = r.indicator_id "
        f"AND f.organisation_id = r.organisation_id AND f.period_id = r.period_id AND f.source = %s "
        f"WHERE r.figure_import_id = %s AND r.action = %s AND {rows}",
        [source, FigureChangeAction.CREATE, user_id, now, pk, False, source, pk, ImportRowAction.CREATE],
    )


@transaction.atomic
def figure_import_undo(*, figure_import: FigureImport, acting_user) -> FigureImport:
    """Restore what an import changed and remove what it added, unless those figures changed since."""
    figure_import = FigureImport.objects.select_for_update().get(pk=figure_import.pk)
    if figure_import.status != FigureImportStatus.CONFIRMED:
        raise ValidationError(_("Only a confirmed import can be undone."))
    # Figures and their breakdowns alike: nothing of a locked period is taken back.
    locks.refuse_if_any_locked(region_id=figure_import.region_id,
                               rows=FigureChange.objects.filter(figure_import=figure_import, is_undo=False))
    own = FigureChange.objects.filter(figure_import=figure_import, is_undo=False, violence_form__isnull=True)
    changed_since = own.exclude(figure__version=F("version")).count() + breakdowns.parts_changed_since(figure_import)
    if changed_since:
        raise ValidationError(
            _("%(count)s figures of this import have been changed since; undo those changes first.") % {
                "count": changed_since}
        )
    now = timezone.now()
    pk, user_id = figure_import.pk, getattr(acting_user, "pk", None)
    # Totals here; the parts of a breakdown (history rows with a violence form) in breakdowns.undo_parts.
    own_rows = "c.figure_import_id = %s AND c.is_undo = %s AND c.action = %s AND c.violence_form_id IS NULL"
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
    _sql(f"UPDATE {ROW} SET figure_id = NULL WHERE violence_form_id IS NULL AND figure_id IN ({created})",
         created_params)
    _sql(f"DELETE FROM {FIGURE} WHERE id IN ({created})", created_params)
    _sql(f"UPDATE {CHANGE} SET figure_id = NULL WHERE figure_id IN (SELECT * FROM ({created}) AS gone)",
         created_params)
    breakdowns.undo_parts(figure_import=figure_import, now=now, user_id=user_id)
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
    figure_import.total_checks = {}  # compared the rows, which are gone now
    figure_import.save(update_fields=["status", "total_checks", "updated_at"])
    audit("import_discard", user=acting_user, import_id=figure_import.pk, region_id=figure_import.region_id)
    return figure_import
