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
query per row. The candidates are `k, organisation_id, indicator_id, period_id, status, value`: the grid's changed
cells as a small SELECT of parameters, the import's staged rows as a SELECT on the staging table. Values the
candidates do not replace come from the stored figures of the same source and region.
"""

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


def _ints(values) -> str:
    """A literal list of ids for IN (...): ids come from the database, never from the user."""
    return ", ".join(str(int(v)) for v in values) or "NULL"


def findings_sql(*, candidates: str, params: list, region_id: int, source: str, period_ids) -> tuple[str, list]:
    """One statement: `k, kind, indicator_id, detail` for every rule a candidate value breaks."""
    history = outliers.history_periods(period_ids)
    pairs = " UNION ALL ".join(f"SELECT {int(p)} AS period_id, {int(h)} AS history_id" for p, h in history) or (
        "SELECT 0 AS period_id, 0 AS history_id WHERE 1 = 0")
    period_set = _ints(set(period_ids) | {h for _p, h in history})
    indicator = Indicator._meta.db_table
    relation = Indicator.not_above_sum_of.through._meta.db_table
    figure = Figure._meta.db_table
    organisation = Organisation._meta.db_table
    value = FigureStatus.VALUE
    greatest = "GREATEST" if connection.vendor == "postgresql" else "MAX"
    sql = f"""
WITH c AS ({candidates}),
cv AS (SELECT k, organisation_id, indicator_id, period_id, value FROM c WHERE status = '{value}'),
h AS ({pairs}),
m AS (
  SELECT organisation_id, indicator_id, period_id, value FROM cv
  UNION ALL
  SELECT f.organisation_id, f.indicator_id, f.period_id, f.value FROM {figure} f
  WHERE f.source = %s AND f.status = '{value}' AND f.period_id IN ({period_set})
    AND f.organisation_id IN (SELECT id FROM {organisation} WHERE region_id = %s)
    AND NOT EXISTS (SELECT 1 FROM c WHERE c.organisation_id = f.organisation_id
                    AND c.indicator_id = f.indicator_id AND c.period_id = f.period_id)
),
hv AS (
  SELECT cv.k, cv.indicator_id, cv.value AS x, m.value AS v FROM cv
  JOIN {indicator} i ON i.id = cv.indicator_id
  JOIN h ON h.period_id = cv.period_id
  JOIN m ON m.organisation_id = cv.organisation_id AND m.indicator_id = cv.indicator_id AND m.period_id = h.history_id
  WHERE i.check_outliers
),
hr AS (SELECT k, indicator_id, x, v, ROW_NUMBER() OVER (PARTITION BY k ORDER BY v) AS rn,
       COUNT(*) OVER (PARTITION BY k) AS n FROM hv),
med AS (SELECT k, indicator_id, x, AVG(v) AS med FROM hr
        WHERE n >= {outliers.MIN_HISTORY} AND rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY k, indicator_id, x),
dr AS (SELECT hv.k, ABS(hv.v - med.med) AS d,
       ROW_NUMBER() OVER (PARTITION BY hv.k ORDER BY ABS(hv.v - med.med)) AS rn,
       COUNT(*) OVER (PARTITION BY hv.k) AS n FROM hv JOIN med ON med.k = hv.k),
mad AS (SELECT k, AVG(d) AS mad FROM dr WHERE rn IN ((n + 1) / 2, (n + 2) / 2) GROUP BY k)
SELECT cv.k, '{MINIMUM}' AS kind, cv.indicator_id, i.minimum AS detail FROM cv
  JOIN {indicator} i ON i.id = cv.indicator_id WHERE i.minimum IS NOT NULL AND cv.value < i.minimum
UNION ALL
SELECT cv.k, '{MAXIMUM}', cv.indicator_id, i.maximum FROM cv
  JOIN {indicator} i ON i.id = cv.indicator_id WHERE i.maximum IS NOT NULL AND cv.value > i.maximum
UNION ALL
SELECT cv.k, '{WHOLE}', cv.indicator_id, NULL FROM cv
  JOIN {indicator} i ON i.id = cv.indicator_id WHERE i.whole_numbers AND cv.value <> ROUND(cv.value)
UNION ALL
SELECT cv.k, '{RELATION}', cv.indicator_id, SUM(m.value) FROM cv
  JOIN {relation} r ON r.from_indicator_id = cv.indicator_id
  JOIN m ON m.organisation_id = cv.organisation_id AND m.period_id = cv.period_id
    AND m.indicator_id = r.to_indicator_id
  GROUP BY cv.k, cv.indicator_id, cv.value
  HAVING cv.value > SUM(m.value)
    AND COUNT(*) = (SELECT COUNT(*) FROM {relation} r2 WHERE r2.from_indicator_id = cv.indicator_id)
UNION ALL
SELECT med.k, '{OUTLIER}', med.indicator_id, med.med FROM med JOIN mad ON mad.k = med.k
  WHERE ABS(med.x - med.med) > {outliers.K} * {greatest}({outliers.MAD_SCALE} * mad.mad,
        {outliers.RELATIVE_FLOOR} * ABS(med.med), {outliers.ABSOLUTE_FLOOR})
"""
    return sql, [*params, source, region_id]


def check_values(*, region_id: int, period: ReportingPeriod, source: str,
                 values: list[tuple[int, int, str, Decimal | None]]) -> dict[tuple[int, int], list[Finding]]:
    """The findings of the grid's changed cells `(municipality id, indicator id, status, value)`, by cell; a cell
    emptied (status "") is a candidate too: it takes the stored figure's place."""
    if not values:
        return {}
    select = ("SELECT CAST(%s AS INTEGER) AS k, CAST(%s AS INTEGER) AS organisation_id, "
              "CAST(%s AS INTEGER) AS indicator_id, CAST(%s AS INTEGER) AS period_id, "
              "CAST(%s AS VARCHAR(20)) AS status, CAST(%s AS NUMERIC) AS value")
    candidates = " UNION ALL ".join([select] * len(values))
    params = []
    for index, (municipality_id, indicator_id, status, value) in enumerate(values):
        params += [index, municipality_id, indicator_id, period.pk, status, None if value is None else str(value)]
    sql, params = findings_sql(candidates=candidates, params=params, region_id=region_id, source=source,
                               period_ids=[period.pk])
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
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
