"""A cache of dashboard aggregates that can never show a stale number: keyed on a fingerprint of the data."""

import hashlib

from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.db import connection

from measures.models import Measure, MeasureUpdate, Participation
from programme.models import (
    ActionLine,
    ChangeRecord,
    Goal,
    Indicator,
    Organisation,
    Population,
    Programme,
    Region,
    ReportingPeriod,
)
from reporting.models import (
    Bottleneck,
    Figure,
    FigureChange,
    ProgressReport,
)

CACHE_SECONDS = 15 * 60  # a safety net only: the fingerprint in the key already retires stale entries


def data_fingerprint() -> str:
    """One query over the tables the dashboards read; it changes with every write, so cached data is never stale.

    Append-only logs (the change log, the figure history, the admin log) give the newest id; tables with a
    timestamp their newest change and their count (deletes lower it); populations, which have neither, their
    count and sum. Every maximum uses an index or a small table, so this costs a few milliseconds nationally.
    """
    parts = [
        (ChangeRecord, "MAX(id)"), (FigureChange, "MAX(id)"), (LogEntry, "MAX(id)"),
        (Figure, "MAX(updated_at)"), (Measure, "MAX(updated_at)"), (Measure, "COUNT(*)"),
        (MeasureUpdate, "MAX(updated_at)"), (MeasureUpdate, "COUNT(*)"), (Participation, "COUNT(*)"),
        (Participation, "MAX(id)"), (ProgressReport, "MAX(updated_at)"), (ProgressReport, "COUNT(*)"),
        (Bottleneck, "MAX(updated_at)"), (Bottleneck, "COUNT(*)"), (Population, "COUNT(*)"),
        (Population, "SUM(inhabitants)"), (Organisation, "MAX(updated_at)"), (Organisation, "COUNT(*)"),
        (Goal, "MAX(updated_at)"), (Goal, "COUNT(*)"), (ActionLine, "MAX(updated_at)"), (Programme, "MAX(updated_at)"),
        (ReportingPeriod, "MAX(updated_at)"), (ReportingPeriod, "COUNT(*)"), (Indicator, "MAX(updated_at)"),
        (Region, "MAX(updated_at)"),
    ]
    sql = "SELECT " + ", ".join(f"(SELECT {expr} FROM {model._meta.db_table})" for model, expr in parts)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return hashlib.sha256(repr(row).encode()).hexdigest()[:24]


def cached(name: str, parts: tuple, fingerprint: str, build):
    """The cached result of `build()` for these parameters and this state of the data."""
    key = "ghnt:dashboard:" + hashlib.sha256(repr((name, parts, fingerprint)).encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, CACHE_SECONDS)
    return value
