"""Staging of an import's rows: each row of the file judged (new, changed, unchanged, skipped or rejected, and
why) and inserted in the staging table, so the preview can show it and the confirmation can write it with SQL.

Plain objects and multi-row INSERTs (COPY on PostgreSQL) rather than model instances: a file can hold 100,000 rows.
"""

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from itertools import chain
from operator import attrgetter

from django.db import connection
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from programme.models import (
    Indicator,
    Organisation,
    OrganisationKind,
    Periodicity,
    PeriodKind,
    Region,
    ReportingPeriod,
)
from programme.municipalities import dutch_municipalities
from programme.services.periods import standard_period_ensure, standard_period_may_be_added
from reporting.figures.services import same_figure
from reporting.imports import breakdowns
from reporting.imports import parsing as importing
from reporting.locks import rules as locks
from reporting.models import Figure, ImportRow, ImportRowAction


@dataclass
class _Lookups:
    by_code: dict
    by_name: dict
    indicators: dict
    periods: dict
    region_codes: frozenset = frozenset()  # the CBS codes of the portal's municipalities in this region


def _lookups(region: Region) -> _Lookups:
    """Municipalities by CBS code and name, indicators by code and name, periods by key: read once per file."""
    by_code, by_name, region_codes = {}, {}, set()
    for pk, code, name, region_id in Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY).values_list(
        "pk", "cbs_code", "name", "region_id"
    ):
        entry = (pk, name, region_id)
        by_code[code] = entry
        if region_id == region.pk:
            region_codes.add(code)
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
    return _Lookups(by_code=by_code, by_name=by_name, indicators=indicators, periods=periods,
                    region_codes=frozenset(region_codes))


@cache
def _dutch_municipalities_by_name() -> dict:
    """Every Dutch municipality (of today, or merged since 2019) by its names as the file's cells normalise:
    (CBS name, the codes that stand for it: its own and its successors')."""
    by_name = {}
    for municipality in dutch_municipalities():
        codes = frozenset((municipality.cbs_code, *municipality.merged_into))
        for name in municipality.names:
            kind, key = importing.normalise_municipality(name)
            if kind == "name":
                by_name[key] = (municipality.name, codes)
    return by_name


@dataclass
class StagingResult:
    counts: dict
    notices: list[str]
    total_check: "breakdowns.TotalCheck | None" = None  # with a breakdown column only
    judged_period_ids: frozenset = frozenset()  # the periods of the rows to be created or updated


def stage_rows(*, figure_import, rights, mapping, headers, rows, acting_user=None) -> StagingResult:
    """Judge every row of the file against the mapping and insert it in the staging table; counts per action and
    notices (periods added to the calendar, values whose period kind does not fit their indicator)."""
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
    breakdown = breakdowns.column_for(mapping, index)
    if breakdown is not None:
        breakdowns.add_existing(existing, region=region, source=figure_import.source)
    check = breakdowns.TotalCheck() if breakdown is not None else None
    counts = dict.fromkeys(ImportRowAction.values, 0)
    seen: dict[tuple, int] = {}
    periods = _Periods(lookups, acting_user)
    misfits: dict[tuple, int] = {}  # (indicator, period kind) -> rows whose period kind is not the indicator's
    municipality_cache: dict[str, tuple] = {}
    values = _Values()
    all_provisional = figure_import.all_provisional
    locked = locks.locked_periods(region.pk)  # period id -> why its figures cannot change
    judged_periods: set[int] = set()  # the periods of the rows to be created or updated

    used = [municipality_col, period_col, indicator_col, *(col for _indicator, col in value_columns)]
    width = max(col for col in [*used, breakdown.index if breakdown is not None else None] if col is not None) + 1

    def staged_rows():
        """Each row of the file judged, as a row of the staging table; _PAUSE before a row whose period must be
        added to the calendar, which needs the database (and so cannot happen while COPY streams)."""
        for line, row in enumerate(rows, start=2):
            # Short rows (and Excel's empty cells) once into full rows of text, so the cells below are plain indexing.
            if len(row) < width or None in row:
                row = ["" if c is None else c for c in row] + [""] * (width - len(row))
            first = row[0]
            if not (type(first) is str and first.strip()) and not any(str(c).strip() for c in row):
                continue
            municipality_text = str(row[municipality_col]).strip()
            period_text = str(row[period_col]).strip()
            municipality = municipality_cache.get(municipality_text)
            if municipality is None:
                municipality = _resolve_municipality(municipality_text, lookups, region, rights)
                municipality_cache[municipality_text] = municipality
            if not periods.known(period_text):
                yield _PAUSE
            period = periods.resolve(period_text)
            form = breakdown.resolve(row[breakdown.index]) if breakdown is not None else breakdowns.TOTAL
            for column_indicator, value_col in value_columns:
                indicator = column_indicator
                indicator_text = indicator.code if indicator else ""
                if indicator is None:
                    indicator_text = str(row[indicator_col]).strip() if indicator_col is not None else ""
                    indicator = lookups.indicators.get(indicator_text.lower()) if indicator_text else fixed
                    if indicator is not None and not indicator_text:
                        indicator_text = indicator.code
                raw_value = row[value_col]
                staged = _Staged(line, municipality_text[:100], period_text[:100], indicator_text[:200],
                                 str(raw_value)[:100])
                _judge(staged, municipality, period, indicator, raw_value, rights, existing, seen, all_provisional,
                       form, values)
                if staged.period_id in locked and staged.action in _WRITTEN:
                    staged.action, staged.reason = ImportRowAction.REJECTED, locked[staged.period_id][:300]
                counts[staged.action] += 1
                if staged.action in _WRITTEN:
                    judged_periods.add(staged.period_id)
                if check is not None:
                    check.add(staged)
                if indicator is not None and period[3] and period[3] != indicator.periodicity and staged.action in (
                        ImportRowAction.CREATE, ImportRowAction.UPDATE, ImportRowAction.UNCHANGED):
                    misfits[(indicator, period[3])] = misfits.get((indicator, period[3]), 0) + 1
                yield staged.as_row(figure_import.pk)

    _insert_staged(staged_rows())
    return StagingResult(counts=counts, notices=_notices(periods.added, misfits), total_check=check,
                         judged_period_ids=frozenset(judged_periods))


def _notices(added, misfits) -> list[str]:
    notices = [_("The period %(label)s (%(code)s) did not exist yet and has been added to the calendar.") % {
        "label": period.label, "code": period.code} for period in added]
    for (indicator, kind), count in misfits.items():
        notices.append(ngettext(
            "%(count)s value of '%(indicator)s' is for a %(kind)s, while this indicator is counted per "
            "%(periodicity)s.",
            "%(count)s values of '%(indicator)s' are for a %(kind)s, while this indicator is counted per "
            "%(periodicity)s.", count) % {
            "count": count, "indicator": indicator.name, "kind": PeriodKind(kind).label,
            "periodicity": Periodicity(indicator.periodicity).label})
    return notices


class _Staged:
    """One row on its way to the staging table (a plain object: model instances cost too much at 100,000 rows)."""

    __slots__ = ("line", "municipality_text", "period_text", "indicator_text", "value_text", "action", "reason",
                 "organisation_id", "indicator_id", "period_id", "status", "value", "is_provisional", "figure_id",
                 "old_status", "old_value", "old_provisional", "old_version", "violence_form_id")

    def __init__(self, line, municipality_text, period_text, indicator_text, value_text):
        self.line, self.municipality_text, self.period_text = line, municipality_text, period_text
        self.indicator_text, self.value_text = indicator_text, value_text
        self.action, self.reason, self.status, self.old_status = "", "", "", ""
        self.organisation_id = self.indicator_id = self.period_id = self.value = self.figure_id = None
        self.old_value = self.old_provisional = self.old_version = self.violence_form_id = None
        self.is_provisional = False

    def as_row(self, import_id) -> tuple:
        return (import_id, *_STAGED_VALUES(self))


_STAGED_VALUES = attrgetter(*_Staged.__slots__)  # one C call for the whole row instead of a getattr per field


STAGE_COLUMNS = ("figure_import_id", *_Staged.__slots__)
# The staging table's text columns: never NULL, so COPY reads an empty field there as an empty string.
_TEXT_COLUMNS = tuple(field.column for field in ImportRow._meta.concrete_fields
                      if field.column in STAGE_COLUMNS and field.get_internal_type() == "CharField")
_COPY = (f"COPY {ImportRow._meta.db_table} ({', '.join(STAGE_COLUMNS)}) "
         f"FROM STDIN WITH (FORMAT csv, FORCE_NOT_NULL ({', '.join(_TEXT_COLUMNS)}))")


_WRITTEN = (ImportRowAction.CREATE, ImportRowAction.UPDATE)

STAGE_BATCH = 1000  # rows per INSERT: 20 parameters each stays far below every database's limit
COPY_CHUNK = 1000  # rows per piece of COPY's stream (PostgreSQL): about 100 KB of text

# From the staged rows: the next row needs the database (a period to add), so the running COPY must end first.
_PAUSE = object()


def _insert_staged(rows: Iterator) -> None:
    """Insert the staged `rows` (tuples in STAGE_COLUMNS order, and _PAUSE marks): COPY on PostgreSQL, multi-row
    INSERTs elsewhere (bulk_create spends most of its time preparing values)."""
    if connection.vendor == "postgresql":
        source = _CopySource(rows)
        with connection.cursor() as cursor:
            while not source.done:
                cursor.copy_expert(_COPY, source)
                if source.error is not None:
                    raise source.error  # the transaction takes back what was staged
                source.resume()  # outside COPY: the generator may add a period before its next row
        return
    placeholders = "(" + ", ".join(["%s"] * len(STAGE_COLUMNS)) + ")"
    batch = []
    for row in rows:
        if row is not _PAUSE:
            batch.append(row)
        if len(batch) == STAGE_BATCH:
            _insert_batch(batch, placeholders)
            batch = []
    if batch:
        _insert_batch(batch, placeholders)


def _insert_batch(batch: list[tuple], placeholders: str) -> None:
    statement = (f"INSERT INTO {ImportRow._meta.db_table} ({', '.join(STAGE_COLUMNS)}) VALUES "
                 + ", ".join([placeholders] * len(batch)))
    with connection.cursor() as cursor:
        cursor.execute(statement, [value for row in batch for value in row])


class _CopySource:
    """The staged rows as CSV text for COPY FROM STDIN, written while PostgreSQL reads them.

    One COPY streams the whole file in pieces, so the database stores one piece while Python judges the next (two
    processes on two cores); before, each batch of 10,000 rows waited for the database to store the one before.
    The csv module writes the rows (in C): None as an empty field, which COPY reads as NULL except in the text
    columns (FORCE_NOT_NULL), where it is the empty string; True and False as PostgreSQL reads them. A _PAUSE ends
    the stream (an empty read is the end of COPY's data); `resume` then lets the rows go on outside COPY.
    """

    def __init__(self, rows: Iterator):
        self.rows = rows
        self.pending = None  # the row that followed a pause
        self.paused = self.done = False
        self.error: Exception | None = None

    def read(self, _size=-1) -> str:
        if self.paused or self.done:
            return ""
        rows = self.rows if self.pending is None else chain([self.pending], self.rows)
        self.pending, chunk = None, []
        try:
            for row in rows:
                if row is _PAUSE:
                    self.paused = True
                    break
                chunk.append(row)
                if len(chunk) == COPY_CHUNK:
                    break
            else:
                self.done = True
        except Exception as error:  # noqa: BLE001 - raised again once COPY has ended (see _insert_staged)
            # Raised inside read(), it would reach the caller as psycopg2's QueryCanceled: a damaged file found
            # halfway must stay the FileError the preview turns into a message.
            self.error, self.done = error, True
            return ""
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(chunk)
        return buffer.getvalue()

    def resume(self) -> None:
        """After a pause: advance the rows to the next one (which may add a period: no COPY is running now)."""
        if self.paused:
            self.paused = False
            self.pending = next(self.rows, None)
            self.done = self.pending is None


def _resolve_municipality(text, lookups, region, rights):
    """(action or None, reason, municipality id) for the municipality cell of a row.

    CBS files always hold the whole country: other municipalities (by code, or by a name in the national list of
    municipalities), provinces, Veilig Thuis regions and the national total are counted apart and never block the
    file; only a name that matches nothing is an error.
    """
    if not text:
        return (ImportRowAction.REJECTED, _("The municipality is missing."), None)
    kind, key = importing.normalise_municipality(text)
    if kind == "other_key":
        return (ImportRowAction.NOT_MUNICIPALITY, _("%(key)s is a province, region or country, not a municipality.")
                % {"key": key}, None)
    entry = (lookups.by_code if kind == "code" else lookups.by_name).get(key)
    if entry is None:
        if kind == "code":
            # A CBS municipality code the portal does not hold: a municipality of another part of the country.
            return (ImportRowAction.OUTSIDE, _("Municipality %(code)s lies outside region %(region)s.") % {
                "code": key, "region": region.name}, None)
        # A name the portal does not hold: a municipality of another part of the country when CBS's list knows it.
        # The list only classifies: a name it gives one of this region's codes (an old or other spelling of a region
        # municipality, or one merged into it) is not guessed onto that municipality, and stays unknown.
        known = _dutch_municipalities_by_name().get(key)
        if known is not None and not known[1] & lookups.region_codes:
            return (ImportRowAction.OUTSIDE, _("%(name)s lies outside region %(region)s.") % {
                "name": known[0], "region": region.name}, None)
        return (ImportRowAction.REJECTED, _("Unknown municipality: %(text)s.") % {"text": text}, None)
    pk, name, region_id = entry
    if region_id != region.pk:
        return (ImportRowAction.OUTSIDE, _("%(name)s lies outside region %(region)s.") % {
            "name": name, "region": region.name}, None)
    if not rights.cells.get(pk):
        return (ImportRowAction.SKIPPED, _("You do not enter figures for %(name)s.") % {"name": name}, pk)
    return (None, "", pk)


class _Periods:
    """Periods by their text in the file; standard periods missing from the calendar are added on first sight."""

    def __init__(self, lookups, acting_user):
        self.lookups, self.acting_user = lookups, acting_user
        self.cache: dict[str, tuple] = {}
        self.added: list[ReportingPeriod] = []

    def known(self, text) -> bool:
        """Whether `text` resolves without writing: not a standard period that is missing from the calendar."""
        if text in self.cache:
            return True
        parsed = importing.parse_period(text)
        return (parsed is None or parsed.key in self.lookups.periods
                or not standard_period_may_be_added(parsed.year))

    def resolve(self, text):
        """(reason, period id, provisional, kind)."""
        found = self.cache.get(text)
        if found is None:
            found = self.cache[text] = self._resolve(text)
        return found

    def _resolve(self, text):
        parsed = importing.parse_period(text)
        if parsed is None:
            return (_("Unknown period '%(text)s': write it like 2023KW01, 2023HJ01 or 2023JJ00.") % {"text": text},
                    None, False, "")
        pk = self.lookups.periods.get(parsed.key)
        if pk is None:
            if not standard_period_may_be_added(parsed.year):
                return (_("The period %(text)s lies outside the calendar (2000 up to next year).") % {"text": text},
                        None, False, "")
            period = standard_period_ensure(kind=parsed.kind, year=parsed.year, number=parsed.number,
                                            acting_user=self.acting_user)
            self.added.append(period)
            pk = self.lookups.periods[parsed.key] = period.pk
        return ("", pk, parsed.is_provisional, parsed.kind)


class _Values:
    """Cells parsed once per text and unit: a file repeats the same few hundred numbers across 100,000 rows."""

    def __init__(self):
        self.cache: dict[tuple, tuple] = {}

    def parse(self, raw_value, unit):
        """As importing.parse_value (the same result, or the same ValueError_), from the cache when seen before."""
        key = (type(raw_value), raw_value, unit)  # with the type: True == 1 == 1.0, but they do not parse alike
        found = self.cache.get(key)
        if found is None:
            try:
                found = (importing.parse_value(raw_value, unit), None)
            except importing.ValueError_ as error:
                found = (None, str(error))
            if len(self.cache) < VALUE_CACHE_SIZE:
                self.cache[key] = found
        if found[1] is not None:
            raise importing.ValueError_(found[1])
        return found[0]


VALUE_CACHE_SIZE = 100_000


def _judge(staged, municipality, period, indicator, raw_value, rights, existing, seen, all_provisional,
           form=breakdowns.TOTAL, values=None):
    """Decide what confirming would do with one staged row: create, update, leave, skip or reject (and why).

    `form` is (violence form id, reason) of a part of a breakdown; (None, "") for the figure itself; `values` the
    file's cache of parsed cells."""
    values = values or _Values()
    m_action, m_reason, municipality_id = municipality
    p_reason, period_id, provisional, _kind = period
    form_id, form_reason = form
    staged.violence_form_id = form_id
    # Every list shows names: whatever was recognised is kept on the row, also on a row that is refused.
    staged.organisation_id, staged.period_id = municipality_id, period_id
    staged.indicator_id = indicator_id = indicator.pk if indicator is not None else None
    if m_action is not None:
        staged.action, staged.reason = m_action, m_reason[:300]
        return
    if period_id is None:
        staged.action, staged.reason = ImportRowAction.REJECTED, p_reason[:300]
        return
    if indicator is None:
        staged.action = ImportRowAction.REJECTED
        staged.reason = (_("Unknown indicator: %(text)s.") % {"text": staged.indicator_text} if staged.indicator_text
                         else _("The indicator is missing."))[:300]
        return
    if not rights.allows(municipality_id, indicator_id):
        staged.action = ImportRowAction.REJECTED
        staged.reason = _("You may not enter figures of this indicator for this municipality.")
        return
    if form_reason:
        staged.action, staged.reason = ImportRowAction.REJECTED, form_reason[:300]
        return
    try:
        parsed = values.parse(raw_value, indicator.unit)
    except importing.ValueError_ as error:
        staged.action, staged.reason = ImportRowAction.REJECTED, str(error)[:300]
        return
    if parsed is None:
        staged.action, staged.reason = ImportRowAction.SKIPPED, _("Empty cell: no figure.")
        return
    key = (municipality_id, indicator_id, period_id) if form_id is None else (
        municipality_id, indicator_id, period_id, form_id)
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
