"""The outlier rule: a value far from the municipality's own history of the same indicator and source.

History: the values of the four periods of the same kind just before the value's period (for a quarter the last four
quarters, which include the same quarter last year; for a half year the last two years; for a year the last four
years), as they will stand: values of the same file or grid save take the place of stored ones.

With at least MIN_HISTORY values in the history, m its median and MAD the median of |h - m|, a value x is an outlier
when

    |x - m| > K * max(MAD_SCALE * MAD, RELATIVE_FLOOR * |m|, ABSOLUTE_FLOOR)

MAD_SCALE * MAD estimates the standard deviation of normally distributed values (so K = 3.5 is the usual cut-off of
the modified z-score, Iglewicz and Hoaglin); the floors keep a steady history (40, 40, 40, 40: MAD 0) from flagging
every small change: there a value is an outlier beyond 3.5 x 10% of the median, or 3.5 when the median is tiny.

The rule runs as SQL inside `rules.findings_sql`; `is_outlier` states it in Python for tests and the README.
"""

from decimal import Decimal
from statistics import median

from programme.models import ReportingPeriod

HISTORY_PERIODS = 4
MIN_HISTORY = 3  # with at most four values, the SQL takes the median as the mean of what is left without min and max
K = Decimal("3.5")
MAD_SCALE = Decimal("1.4826")
RELATIVE_FLOOR = Decimal("0.1")
ABSOLUTE_FLOOR = Decimal("1")


def is_outlier(value: Decimal, history: list[Decimal]) -> bool:
    if len(history) < MIN_HISTORY:
        return False
    m = median(history)
    mad = median(abs(h - m) for h in history)
    return abs(value - m) > K * max(MAD_SCALE * mad, RELATIVE_FLOOR * abs(m), ABSOLUTE_FLOOR)


def history_periods(period_ids) -> list[tuple[int, int]]:
    """(period id, history period id) for each given period: the HISTORY_PERIODS periods of its kind before it.
    One query: the calendar is small (a few hundred periods)."""
    wanted = set(period_ids)
    if not wanted:
        return []
    by_kind: dict[str, list[tuple]] = {}
    for pk, kind, start in ReportingPeriod.objects.order_by("start_date").values_list("pk", "kind", "start_date"):
        by_kind.setdefault(kind, []).append((pk, start))
    pairs = []
    for periods in by_kind.values():
        for index, (pk, _start) in enumerate(periods):
            if pk in wanted:
                pairs += [(pk, earlier) for earlier, _s in periods[max(0, index - HISTORY_PERIODS):index]]
    return pairs
