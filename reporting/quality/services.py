"""Writes of data quality: the rules applied at entry (grid) and at import (staging table), and the flags kept on
stored figures with their explanations."""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from programme.models import Indicator, ReportingPeriod
from reporting.models import FigureFlag, FigureImport, ImportRow, ImportRowAction, ImportRowFlag
from reporting.quality import rules
from reporting.quality.selectors import ceiling_names

EXPLANATION_MAX = 500


@dataclass
class GridCheck:
    """What the rules say about the grid's changed cells, keyed by (municipality id, indicator id)."""

    errors: dict = field(default_factory=dict)  # refused cells and outliers without explanation -> message
    explain: set = field(default_factory=set)  # cells that need an explanation to be saved
    flags: dict = field(default_factory=dict)  # cell -> [(kind, message)] kept with the figure

    def keep(self, *, figures: dict, explanations: dict, acting_user) -> None:
        """After the save: the changed figures' old flags go, the new ones are kept with their explanation."""
        changed = [f.pk for f in figures.values() if f is not None]
        FigureFlag.objects.filter(figure_id__in=changed).delete()
        FigureFlag.objects.bulk_create([
            FigureFlag(figure=figures[key], kind=kind, message=text[:300],
                       explanation=(explanations.get(key) or "")[:EXPLANATION_MAX],
                       explained_by=acting_user if explanations.get(key) else None)
            for key, found in self.flags.items() if figures.get(key) is not None for kind, text in found
        ])


def grid_check(*, region_id: int, period: ReportingPeriod, source: str, cells: list, explanations: dict) -> GridCheck:
    """Check the grid's changed cells `[(key, parsed or None)]`: refusals and outliers without an explanation become
    errors (nothing is saved); flags to keep are returned with the check."""
    values = [(key[0], key[1], parsed.status if parsed else "", parsed.value if parsed else None)
              for key, parsed in cells]
    found = rules.check_values(region_id=region_id, period=period, source=source, values=values)
    check = GridCheck()
    if not found:
        return check
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in={key[1] for key in found})}
    names = ceiling_names()
    for key, findings in found.items():
        for finding in findings:
            indicator = indicators[finding.indicator_id]
            text = rules.message(finding, indicator, names.get(indicator.pk))
            if finding.refuses:
                check.errors[key] = text
            elif finding.kind == rules.OUTLIER and not (explanations.get(key) or "").strip():
                check.errors.setdefault(key, text)
                check.explain.add(key)
                check.flags.setdefault(key, []).append((finding.kind, text))
            else:
                check.flags.setdefault(key, []).append((finding.kind, text))
    return check


def _execute(sql: str, params: list) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


ROW = ImportRow._meta.db_table
ROW_FLAG = ImportRowFlag._meta.db_table
JUDGED = (ImportRowAction.CREATE, ImportRowAction.UPDATE)


def _messages_sql(indicators: list[Indicator]) -> tuple[str, list]:
    """A relation (kind, indicator_id, message) of the import's reasons: per indicator, not per row (an outlier's
    median is shown at entry; the preview lists the value beside its row)."""
    names = ceiling_names()
    selects, params = [], []
    for indicator in indicators:
        for kind, detail in ((rules.MINIMUM, indicator.minimum), (rules.MAXIMUM, indicator.maximum),
                             (rules.WHOLE, None), (rules.RELATION, None), (rules.OUTLIER, None)):
            text = rules.message(rules.Finding(key=0, kind=kind, indicator_id=indicator.pk, detail=detail), indicator,
                                 names.get(indicator.pk))
            if kind == rules.OUTLIER:
                text = _("Far from this municipality's own previous periods.")
            selects.append("SELECT CAST(%s AS VARCHAR(20)) AS kind, CAST(%s AS INTEGER) AS indicator_id, "
                           "CAST(%s AS VARCHAR(300)) AS message")
            params += [kind, indicator.pk, text[:300]]
    return " UNION ALL ".join(selects), params


def import_check(*, figure_import: FigureImport, period_ids) -> set[tuple[int, int, int]]:
    """Apply the rules to an import's staged rows, set-based: rows breaking a minimum, maximum or whole-number rule
    become rejected with the reason; outliers and relations are kept as flags of their rows, listed in the preview
    and written with the figures. Updates the import's counts (the caller saves it); returns the keys
    (organisation, indicator, period) of the rows refused.

    `period_ids`: the periods of the rows to be created or updated, as staging saw them."""
    pk = figure_import.pk
    ImportRowFlag.objects.filter(figure_import=figure_import).delete()
    period_ids = sorted(period_ids)
    if not period_ids:
        return set()
    indicators = list(Indicator.objects.all())
    # Totals only: a part of a breakdown by form of violence is no figure of the indicator, so neither its rules nor
    # its history (its total's earlier periods) apply to it, and it must not count as the total's history either.
    candidates = (f"SELECT r.id AS k, r.organisation_id, r.indicator_id, r.period_id, r.status, r.value, "
                  f"CASE WHEN r.action IN (%s, %s) THEN 1 ELSE 0 END AS judged FROM {ROW} r "
                  f"WHERE r.figure_import_id = %s AND r.action IN (%s, %s, %s) AND r.violence_form_id IS NULL")
    texts, text_params = _messages_sql(indicators)
    with rules.findings_sql(candidates=candidates, params=[*JUDGED, pk, *JUDGED, ImportRowAction.UNCHANGED],
                            region_id=figure_import.region_id, source=figure_import.source,
                            period_ids=period_ids) as findings:
        _execute(
            f"INSERT INTO {ROW_FLAG} (figure_import_id, row_id, organisation_id, indicator_id, period_id, kind, "
            f"message) SELECT %s, f.k, c.organisation_id, c.indicator_id, c.period_id, f.kind, t.message "
            f"FROM ({findings}) f JOIN {rules.CANDIDATES} c ON c.k = f.k "
            f"JOIN ({texts}) t ON t.kind = f.kind AND t.indicator_id = f.indicator_id",
            [pk, *text_params])
    if connection.vendor == "postgresql":
        # Fresh statistics of the flags (none before the check), so the reads below look rows up by index.
        _execute(f"ANALYZE {ROW_FLAG}", [])
    refusing = ", ".join(f"'{kind}'" for kind in rules.REFUSING)
    refused_rows = 0
    for action, counter in ((ImportRowAction.CREATE, "created_count"), (ImportRowAction.UPDATE, "updated_count")):
        # From the refusals (few) to their rows by primary key: not every staged row probing the flags.
        moved = _execute(
            f"UPDATE {ROW} SET action = %s, reason = fl.message FROM (SELECT row_id, MIN(message) AS message "
            f"FROM {ROW_FLAG} WHERE figure_import_id = %s AND kind IN ({refusing}) GROUP BY row_id) fl "
            f"WHERE {ROW}.id = fl.row_id AND {ROW}.figure_import_id = %s AND {ROW}.action = %s",
            [ImportRowAction.REJECTED, pk, pk, action])
        setattr(figure_import, counter, getattr(figure_import, counter) - moved)
        figure_import.rejected_count += moved
        refused_rows += moved
    if not refused_rows:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT DISTINCT organisation_id, indicator_id, period_id FROM {ROW_FLAG} "
                       f"WHERE figure_import_id = %s AND kind IN ({refusing})", [pk])
        refused = set(cursor.fetchall())
    # A refused row is not written: its warnings go with it, and the refusals are on the row itself now.
    _execute(f"DELETE FROM {ROW_FLAG} WHERE figure_import_id = %s AND row_id IN (SELECT row_id FROM {ROW_FLAG} "
             f"WHERE figure_import_id = %s AND kind IN ({refusing}))", [pk, pk])
    return refused


FLAG = FigureFlag._meta.db_table


def import_keep_flags(*, figure_import: FigureImport, explanation: str, acting_user) -> int:
    """At confirmation, after the figures are written: the changed figures' old flags go, the rows' flags are kept on
    their figures with the explanation given, or open. Set-based; returns the number of flags kept."""
    from reporting.models import Figure

    figure = Figure._meta.db_table
    pk = figure_import.pk
    explanation = explanation.strip()[:EXPLANATION_MAX]
    if figure_import.updated_count:
        _execute(f"DELETE FROM {FLAG} WHERE figure_id IN (SELECT figure_id FROM {ROW} "
                 f"WHERE figure_import_id = %s AND action = %s)", [pk, ImportRowAction.UPDATE])
    if connection.vendor == "postgresql" and ImportRowFlag.objects.filter(figure_import_id=pk).exists():
        # The figures were just written in bulk: without fresh statistics the database reads them by period
        # instead of by their unique key, and a flag costs a scan of the period's figures.
        _execute(f"ANALYZE {figure}", [])
    # Only rows that are written carry flags, and only totals (see import_check): a part of a breakdown shares its
    # total's key but is no Figure, so no join with the staged rows is needed to keep parts out.
    return _execute(
        f"INSERT INTO {FLAG} (figure_id, kind, message, explanation, explained_by_id, created_at) "
        f"SELECT f.id, fl.kind, fl.message, %s, %s, %s FROM {ROW_FLAG} fl "
        f"JOIN {figure} f ON f.indicator_id = fl.indicator_id AND f.organisation_id = fl.organisation_id "
        f"AND f.period_id = fl.period_id AND f.source = %s "
        f"WHERE fl.figure_import_id = %s",
        [explanation, acting_user.pk if explanation else None, timezone.now(), figure_import.source, pk])


@transaction.atomic
def flag_explain(*, flag: FigureFlag, explanation: str, acting_user) -> FigureFlag:
    """Give (or change) the explanation of a kept flag; an empty explanation leaves it open."""
    explanation = explanation.strip()
    if not explanation:
        raise ValidationError({"explanation": _("Write a short explanation.")})
    flag.explanation = explanation[:EXPLANATION_MAX]
    flag.explained_by = acting_user
    flag.full_clean()
    flag.save(update_fields=["explanation", "explained_by"])
    return flag
