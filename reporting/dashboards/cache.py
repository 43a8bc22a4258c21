"""A cache of dashboard aggregates that can never show a stale number: keyed on a fingerprint of the data."""

import hashlib
from functools import cache as once

from django.apps import apps
from django.contrib.admin.models import LogEntry
from django.core.cache import cache
from django.db import connection, models
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from programme import calendar

# The apps whose data the dashboards show: every model of theirs is covered unless it is named below.
COVERED_APPS = ("programme", "measures", "reporting")
# Models no dashboard (and no API resource, which shares the fingerprint) reads: API tokens, whose last use changes
# with every API call, import staging, the reminder log and the local teams' self-scans (shown on their own pages
# only; their answers are the largest table the fingerprint would otherwise sum). A write to them must not retire
# the cache.
NOT_SHOWN = {"reporting.ApiToken", "reporting.FigureImport", "reporting.ImportFormat", "reporting.ImportRow",
             "reporting.ReminderSent", "reporting.ScanFramework", "reporting.ScanTheme", "reporting.ScanCriterion",
             "reporting.SelfScan", "reporting.ScanAnswer", "reporting.ScanImprovement", "reporting.ScanTransition"}
# Rows that are written once and never changed: the newest id shows every write.
APPEND_ONLY = {"programme.ChangeRecord", "reporting.FigureChange", "reporting.ReportTransition", "admin.LogEntry"}
# Large tables whose deletes always leave a row in an append-only log (an undone import writes a FigureChange, as
# does a removed part of a breakdown; the admin writes a LogEntry), so counting their rows (25 ms for 270,000
# figures) is not needed.
DELETES_LOGGED = {"reporting.Figure", "reporting.FigureBreakdown"}


def covered_models() -> list[type[models.Model]]:
    """Every concrete model of the covered apps but those no dashboard reads, plus the admin's log."""
    found = [LogEntry]
    for label in COVERED_APPS:
        found += [m for m in apps.get_app_config(label).get_models() if m._meta.label not in NOT_SHOWN]
    return found


def change_expressions(model: type[models.Model]) -> list[str]:
    """SQL aggregates over the model's table that change with every insert, update and delete.

    Timestamped rows give their newest change (inserts and updates) and their count (deletes); rows without
    a timestamp their count, newest id and the sum of every number column (an edited population changes it).
    """
    label = model._meta.label
    pk = connection.ops.quote_name(model._meta.pk.column)
    if label in APPEND_ONLY:
        return [f"MAX({pk})"]
    fields = {f.name: f for f in model._meta.concrete_fields}
    if "updated_at" in fields:
        found = [f"MAX({connection.ops.quote_name(fields['updated_at'].column)})"]
        return found if label in DELETES_LOGGED else [*found, "COUNT(*)"]
    numbers = [
        f"SUM({connection.ops.quote_name(f.column)})" for f in fields.values()
        if isinstance(f, models.IntegerField | models.DecimalField | models.ForeignKey) and not f.primary_key
    ]
    return ["COUNT(*)", f"MAX({pk})", *numbers]


@once
def _fingerprint_sql() -> str:
    parts = [
        f"(SELECT {expression} FROM {connection.ops.quote_name(model._meta.db_table)})"
        for model in covered_models() for expression in change_expressions(model)
    ]
    return "SELECT " + ", ".join(parts)


CACHE_SECONDS = 15 * 60  # a safety net only: the fingerprint in the key already retires stale entries


def data_fingerprint() -> str:
    """One query over the tables the dashboards read; it changes with every write, so cached data is never stale.

    The tables and what is read from each follow from the models (`covered_models`, `change_expressions`), so a
    new model or column is covered without anyone remembering to add it. Every maximum uses an index or a small
    table, so this costs a few milliseconds nationally.
    """
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql())
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


def cached_html(name: str, parts: tuple, fingerprint: str, render) -> SafeString:
    """A rendered part of a page, cached like the aggregates it shows.

    `parts` must hold everything that decides what the part shows to whom: the page's object and filters, and
    what the viewer may see (the disclosure rule that applies, the regions they may open). The language and the
    date are added here: labels are translated when rendered, and "today" moves the default period and the
    timeline's today line.
    """
    return mark_safe(cached(name, (*parts, get_language(), calendar.today()), fingerprint, lambda: str(render())))
