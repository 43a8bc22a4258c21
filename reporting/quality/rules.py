"""The rules a figure must fit, in one place: checked by one function, `findings_sql`, for the entry grid and for
an import's staging table.

Per indicator (maintained by the project leader on the indicator page, fields on `programme.Indicator`):

- minimum and maximum, and whole numbers only: a value that breaks them is **refused** (the grid saves nothing, the
  import rejects the row with the reason). They describe what a number can be, so no explanation makes it right.
- not above the sum of other indicators (a part above its total, meldingen above the contacts they are part of):
  **flagged**, the value is kept. The other side of the relation may be the one that is wrong or not yet updated
  (the total comes in a later file), so refusing would block a correct value.
- outliers (see `outliers.py`): **flagged**; at entry it is saved only with an explanation, in an import the rows are
  listed and written flagged, with the explanation given at confirmation or "open" for the quality overview.

The check is set-based SQL over a relation of candidate values, so 100,000 staged rows cost a few statements, not a
query per row. The candidates are `k, organisation_id, indicator_id, period_id, status, value, judged`: the grid's
changed cells as a small SELECT of parameters, the import's staged rows as a SELECT on the staging table; only those
with `judged` = 1 are judged, the others (rows that leave a figure as it is) count as values beside them. Values the
candidates do not replace come from the stored figures of the same source and region.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection
from django.utils.translation import gettext as _

from programme.models import Indicator, Organisation, ReportingPeriod
from reporting.figures.selectors import format_number
from reporting.models import Figure, FigureStatus
from reporting.quality import outliers

MINIMUM, MAXIMUM, WHOLE, RELATION, OUTLIER = "minimum", "maximum", "whole", "relation", "outlier"
REFUSING = (MINIMUM, MAXIMUM, WHOLE)
FLAGGING = (RELATION, OUTLIER)


@dataclass(frozen=True)
class Finding:
    key: int  # the candidate's k
    kind: str
    indicator_id: int
    detail: Decimal | None  # the bound (minimum, maximum), the sum (relation), the median of the history (outlier)

    @property
    def refuses(self) -> bool:
        return self.kind in REFUSING


CANDIDATES, VALUES, HISTORY = "quality_candidate", "quality_value", "quality_history"


@contextmanager
def findings_sql(*, candidates: str, params: list, region_id: int, source: str, period_ids) -> Iterator[str]:
    """The statement that selects `k, kind, indicator_id, detail` for every rule a candidate value breaks.

    Inside the block three temporary tables hold the candidates, the values as they will stand (candidates over
    the stored figures of the same source and region) and each period's history periods, indexed and analysed, so
    the database joins them by index rather than guessing at common table expressions (which at 100,000 rows
    turned a second into minutes); they are dropped when the block ends.
    """
    history = outliers.history_periods(period_ids)
    periods = ", ".join(str(int(p)) for p in set(period_ids) | {h for _p, h in history}) or "NULL"
    value = FigureStatus.VALUE
    with connection.cursor() as cursor:
        _drop(cursor)
        cursor.execute(f"CREATE TEMPORARY TABLE {CANDIDATES} AS {candidates}", params)
        cursor.execute(f"CREATE INDEX {CANDIDATES}_key ON {CANDIDATES} (organisation_id, indicator_id, period_id)")
        cursor.execute(f"CREATE INDEX {CANDIDATES}_k ON {CANDIDATES} (k)")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {VALUES} AS "
            f"SELECT organisation_id, indicator_id, period_id, value FROM {CANDIDATES} WHERE status = '{value}' "
            f"UNION ALL "
            f"SELECT f.organisation_id, f.indicator_id, f.period_id, f.value FROM {Figure._meta.db_table} f "
            f"WHERE f.source = %s AND f.status = '{value}' AND f.period_id IN ({periods}) "
            f"AND f.organisation_id IN (SELECT id FROM {Organisation._meta.db_table} WHERE region_id = %s) "
            f"AND NOT EXISTS (SELECT 1 FROM {CANDIDATES} c WHERE c.organisation_id = f.organisation_id "
            f"AND c.indicator_id = f.indicator_id AND c.period_id = f.period_id)",
            [source, region_id])
        cursor.execute(f"CREATE INDEX {VALUES}_key ON {VALUES} (organisation_id, indicator_id, period_id)")
        cursor.execute(f"CREATE TEMPORARY TABLE {HISTORY} (period_id INTEGER, history_id INTEGER)")
        if history:
            cursor.execute(f"INSERT INTO {HISTORY} (period_id, history_id) VALUES "
                           + ", ".join(f"({int(p)}, {int(h)})" for p, h in history))
        for table in (CANDIDATES, VALUES, HISTORY):
            cursor.execute(f"ANALYZE {table}")
    try:
        yield _FINDINGS
    finally:
        with connection.cursor() as cursor:
            _drop(cursor)


def _drop(cursor) -> None:
    for table in (CANDIDATES, VALUES, HISTORY):
        cursor.execute(f"DROP TABLE IF EXISTS {table}")


def _findings() -> str:
    indicator = Indicator._meta.db_table
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    value = FigureStatus.VALUE
    # One branch per indicator with a ceiling (a handful): each joins its candidates to exactly the values of its
    # ceiling indicators by index; a correlated subquery per candidate took seconds at 100,000 rows.
    ceilings: dict[int, list[int]] = {}
    for from_id, to_id in Indicator.not_above_sum_of.through.objects.order_by("pk").values_list(
            "from_indicator_id", "to_indicator_id"):
        ceilings.setdefault(from_id, []).append(to_id)
    relations = "".join(f"""UNION ALL
SELECT c.k, '{RELATION}', c.indicator_id, SUM(m.value) FROM {CANDIDATES} c
  JOIN {VALUES} m ON m.organisation_id = c.organisation_id AND m.period_id = c.period_id
    AND m.indicator_id IN ({", ".join(str(int(t)) for t in to_ids)})
  WHERE c.judged = 1 AND c.status = '{value}' AND c.indicator_id = {int(from_id)}
  GROUP BY c.k, c.indicator_id, c.value
  HAVING COUNT(*) = {len(to_ids)} AND c.value > SUM(m.value)
""" for from_id, to_ids in ceilings.items())
    # No joins between derived tables: the database cannot estimate their sizes and joined them row by row. With
    # three or four history values the median is the sum without the smallest and the largest, divided by the
    # n - 2 values left (one or two), and the same for the MAD over the deviations: one window, one aggregate.
    return f"""
SELECT c.k, '{MINIMUM}' AS kind, c.indicator_id, i.minimum AS detail FROM {CANDIDATES} c
  JOIN {indicator} i ON i.id = c.indicator_id
  WHERE c.judged = 1 AND c.status = '{value}' AND i.minimum IS NOT NULL AND c.value < i.minimum
UNION ALL
SELECT c.k, '{MAXIMUM}', c.indicator_id, i.maximum FROM {CANDIDATES} c
  JOIN {indicator} i ON i.id = c.indicator_id
  WHERE c.judged = 1 AND c.status = '{value}' AND i.maximum IS NOT NULL AND c.value > i.maximum
UNION ALL
SELECT c.k, '{WHOLE}', c.indicator_id, NULL FROM {CANDIDATES} c
  JOIN {indicator} i ON i.id = c.indicator_id
  WHERE c.judged = 1 AND c.status = '{value}' AND i.whole_numbers AND c.value <> ROUND(c.value)
{relations}UNION ALL
SELECT k, '{OUTLIER}', indicator_id, med FROM (
  SELECT k, indicator_id, x, v, COUNT(*) OVER w AS n,
         (SUM(v) OVER w - MIN(v) OVER w - MAX(v) OVER w) / NULLIF(COUNT(*) OVER w - 2.0, 0) AS med
  FROM (
    SELECT c.k, c.indicator_id, c.value AS x, m.value AS v
    FROM {CANDIDATES} c
    JOIN {indicator} i ON i.id = c.indicator_id
    JOIN {HISTORY} h ON h.period_id = c.period_id
    JOIN {VALUES} m ON m.organisation_id = c.organisation_id AND m.indicator_id = c.indicator_id
      AND m.period_id = h.history_id
    WHERE c.judged = 1 AND c.status = '{value}' AND i.check_outliers
  ) history
  WINDOW w AS (PARTITION BY k)
) centred
WHERE n >= {outliers.MIN_HISTORY}
GROUP BY k, indicator_id, x, n, med
HAVING ABS(x - med) > {outliers.K} * {greatest}(
  {outliers.MAD_SCALE} * (SUM(ABS(v - med)) - MIN(ABS(v - med)) - MAX(ABS(v - med))) / (n - 2.0),
  {outliers.RELATIVE_FLOOR} * ABS(med), {outliers.ABSOLUTE_FLOOR})
"""


class _Findings:
    """The statement, built when first used (the database vendor is known only then)."""

    def __str__(self):
        return _findings()


_FINDINGS = _Findings()


def check_values(*, region_id: int, period: ReportingPeriod, source: str,
                 values: list[tuple[int, int, str, Decimal | None]]) -> dict[tuple[int, int], list[Finding]]:
    """The findings of the grid's changed cells `(municipality id, indicator id, status, value)`, by cell; a cell
    emptied (status "") is a candidate too: it takes the stored figure's place."""
    if not values:
        return {}
    select = ("SELECT CAST(%s AS INTEGER) AS k, CAST(%s AS INTEGER) AS organisation_id, "
              "CAST(%s AS INTEGER) AS indicator_id, CAST(%s AS INTEGER) AS period_id, "
              "CAST(%s AS VARCHAR(20)) AS status, CAST(%s AS NUMERIC) AS value, 1 AS judged")
    candidates = " UNION ALL ".join([select] * len(values))
    params = []
    for index, (municipality_id, indicator_id, status, value) in enumerate(values):
        params += [index, municipality_id, indicator_id, period.pk, status, None if value is None else str(value)]
    with findings_sql(candidates=candidates, params=params, region_id=region_id, source=source,
                      period_ids=[period.pk]) as sql, connection.cursor() as cursor:
        cursor.execute(str(sql))
        found = cursor.fetchall()
    by_cell: dict[tuple[int, int], list[Finding]] = {}
    for k, kind, indicator_id, detail in found:
        municipality_id, indicator_id_, _status, _value = values[k]
        by_cell.setdefault((municipality_id, indicator_id_), []).append(
            Finding(key=k, kind=kind, indicator_id=indicator_id, detail=None if detail is None else Decimal(
                str(detail))))
    return by_cell


def message(finding: Finding, indicator: Indicator, ceiling_names: list[str] | None = None) -> str:
    """The Dutch sentence for a finding, as the grid shows it beside the cell and the import beside the row."""
    detail = "" if finding.detail is None else format_number(finding.detail, indicator.unit)
    if finding.kind == MINIMUM:
        return _("Below the minimum of %(bound)s for this indicator.") % {"bound": detail}
    if finding.kind == MAXIMUM:
        return _("Above the maximum of %(bound)s for this indicator.") % {"bound": detail}
    if finding.kind == WHOLE:
        return _("Only whole numbers are allowed for this indicator.")
    if finding.kind == RELATION:
        names = " + ".join(ceiling_names or [])
        if detail:
            return _("Above the sum of %(names)s (%(sum)s).") % {"names": names, "sum": detail}
        return _("Above the sum of %(names)s.") % {"names": names}
    if detail:
        return _("Far from this municipality's own previous periods (median %(median)s); explain it to keep it.") % {
            "median": detail}
    return _("Far from this municipality's own previous periods; explain it to keep it.")
