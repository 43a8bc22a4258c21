"""Fetching a CBS StatLine table from its open data feed (OData v3) into the same preview and confirm as a file.

The feed's shape: `{base}/{table}/TableInfos` (one row with the table's `Modified` date), `DataProperties` (the
dimensions and measures, each with a `Key`, `Title` and `Type`), one code list per dimension
(`{base}/{table}/Perioden`, `{base}/{table}/Geweldsvormen`: `Key`, `Title`, `Status`), and `TypedDataSet`, paged
with `odata.nextLink`. Region keys are padded with spaces to ten characters, as in `"GM0794    "`.
"""

import csv
import io
import json
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from programme.models import Organisation, OrganisationKind, Region, ViolenceForm
from reporting.figures.access import entry_rights
from reporting.imports import parsing, services
from reporting.locks import rules as locks
from reporting.models import CbsTableSync, FigureImport, FigureSource, ImportRow, ImportRowAction

MAX_PAGES = 1000


class StatLineError(Exception):
    """The feed could not be read; the message is meant for the user."""


def _get(url: str) -> dict:
    try:
        with urllib.request.urlopen(url, timeout=settings.CBS_ODATA_TIMEOUT) as response:  # noqa: S310 (a setting)
            return json.loads(response.read(parsing.MAX_UPLOAD_BYTES + 1))
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as error:
        raise StatLineError(_("CBS StatLine could not be reached or answered unexpectedly (%(url)s).") % {
            "url": url.split("?")[0]}) from error


def _table_url(table: str, part: str, query: dict | None = None) -> str:
    base = settings.CBS_ODATA_BASE_URL.rstrip("/")
    url = f"{base}/{urllib.parse.quote(table)}/{part}"
    return url + ("?" + urllib.parse.urlencode(query, quote_via=urllib.parse.quote) if query else "")


def _values(url: str) -> list[dict]:
    """Every row of a feed, following odata.nextLink until it ends."""
    rows, pages = [], 0
    while url:
        page = _get(url)
        rows.extend(page.get("value") or [])
        url = page.get("odata.nextLink")
        pages += 1
        if pages > MAX_PAGES or len(rows) > parsing.MAX_ROWS:
            raise StatLineError(_("The CBS table is larger than the portal reads at once."))
    return rows


def table_modified(table: str) -> str:
    infos = _values(_table_url(table, "TableInfos"))
    return str(infos[0].get("Modified", "")) if infos else ""


def _as_file(table: str, region: Region) -> bytes:
    """The region's municipalities of the table as a CBS-shaped CSV, so it takes the same way as an upload."""
    properties = _values(_table_url(table, "DataProperties"))
    geo = next((p["Key"] for p in properties if p.get("Type") == "GeoDimension"), None)
    if geo not in parsing.CBS_REGION_COLUMNS:
        raise StatLineError(_("This CBS table has no figures per municipality."))
    measures = [p["Key"] for p in properties if p.get("Type") == "Topic"]
    # A table split by form of violence carries that dimension: passed on as the file's breakdown column.
    dimension = next((p for p in properties if parsing.is_cbs_breakdown(str(p.get("Key", "")))
                      or parsing.is_cbs_breakdown(str(p.get("Title", "")))), None)
    breakdown = dimension["Key"] if dimension else None
    forms = _form_cells(table, breakdown) if breakdown else {}
    # The column under the name the import recognises: the dimension's key ("Geweldsvormen") or title ("Aard geweld").
    column = breakdown if breakdown and parsing.is_cbs_breakdown(breakdown) else (dimension or {}).get("Title")
    # Provisional periods are marked in their code list, not in the data: carry the '*' as CBS labels do.
    periods = {p["Key"]: p for p in _values(_table_url(table, "Perioden"))}
    codes = Organisation.objects.filter(region=region, kind=OrganisationKind.MUNICIPALITY).exclude(
        cbs_code="").values_list("cbs_code", flat=True)
    condition = " or ".join(f"{geo} eq '{code:<10}'" for code in sorted(codes))
    rows = _values(_table_url(table, "TypedDataSet", {"$filter": condition} if condition else None))
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(["ID", *([column] if breakdown else []), geo, "Perioden", *measures])
    for row in rows:
        period = periods.get(row.get("Perioden"), {})
        provisional = "*" in str(period.get("Title", "")) or "voorlopig" in str(period.get("Status", "")).lower()
        code = str(row.get("Perioden", "")).strip() + ("*" if provisional else "")
        parts = [forms.get(str(row.get(breakdown, "")).strip(), row.get(breakdown, ""))] if breakdown else []
        writer.writerow([row.get("ID", ""), *parts, row.get(geo, ""), code,
                         *("." if row.get(key) is None else row.get(key) for key in measures)])
    return buffer.getvalue().encode()


def _form_cells(table: str, dimension: str) -> dict[str, str]:
    """What to write for each key of the forms-of-violence dimension: the key where a form of violence holds it (and
    for the totals, "T00..."), otherwise the code list's title ("Kindermishandeling"), which the import matches by
    name or lists by name as unknown: the portal's stored keys may not be the table's."""
    known = {key.strip().upper() for key in ViolenceForm.objects.exclude(cbs_key="").values_list("cbs_key", flat=True)}
    cells = {}
    for entry in _values(_table_url(table, dimension)):
        key = str(entry.get("Key", "")).strip()
        title = str(entry.get("Title") or "").strip()
        cells[key] = key if key.upper() in known or key.upper().startswith("T00") or not title else title
    return cells


def cbs_sync(*, table: str, region: Region, acting_user, confirm: bool = False, force: bool = False):
    """Fetch `table` for `region` as an import (a preview, or confirmed when `confirm`); None when the table has
    not been modified since the last fetch. Raises StatLineError or ValidationError with a message."""
    modified = table_modified(table)
    state = CbsTableSync.objects.filter(table=table, region=region).first()
    if state is not None and state.modified == modified and modified and not force:
        return None
    content = _as_file(table, region)
    rights = entry_rights(acting_user, region)
    with transaction.atomic():
        figure_import = services.figure_import_upload(
            acting_user=acting_user, region=region, file_name=f"{table}-statline.csv", content=content,
            source=FigureSource.CBS_STATLINE)
        indicators = rights.indicator_columns
        mapping = parsing.guess_mapping(figure_import.headers, {i.code: i.name for i in indicators},
                                        {i.code: i.cbs_key for i in indicators if i.cbs_key})
        if not mapping["columns"]:
            raise ValidationError(_("No column of this CBS table belongs to an indicator: give the indicators "
                                    "their CBS key."))
        figure_import = services.figure_import_preview(figure_import=figure_import, rights=rights, mapping=mapping,
                                                       acting_user=acting_user)
        CbsTableSync.objects.update_or_create(table=table, region=region,
                                              defaults={"modified": modified, "figure_import": figure_import})
    # CBS revises earlier periods in every release: rows of a locked period are refused (listed with the reason)
    # and the rest still comes in; any other rejected row stops a scheduled confirmation.
    locked_rows = locks.count_locked(region_id=region.pk, rows=ImportRow.objects.filter(
        figure_import=figure_import, action=ImportRowAction.REJECTED))
    if confirm and figure_import.changes_anything and figure_import.rejected_count == locked_rows:
        figure_import = services.figure_import_confirm(figure_import=figure_import, acting_user=acting_user,
                                                       leave_rejected=True)
    figure_import = FigureImport.objects.get(pk=figure_import.pk)
    figure_import.locked_count = locked_rows
    return figure_import
