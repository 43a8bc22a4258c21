"""Figures and their parts refer only to what exists, checked by the database once per statement.

The references carry no foreign key constraint (one look-up per row made an import's confirmation twice as slow);
the checks of migration reporting 0015 take their place. These tests hold the same guarantees a foreign key gives,
with raw SQL as well as through the ORM, on whichever database the suite runs (SQLite by default, PostgreSQL in CI);
removal is checked by the database on PostgreSQL only.
"""

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from programme.models import Indicator, Organisation, ReportingPeriod, ViolenceForm
from programme.services.periods import standard_period_ensure
from reporting.models import Figure, FigureBreakdown, FigureSource

pytestmark = pytest.mark.django_db

MISSING = 987654


@pytest.fixture
def keys(reference_data):
    quarters = [standard_period_ensure(kind="quarter", year=2025, number=number, acting_user=None)
                for number in (1, 2, 3, 4)]
    return {
        "indicator": Indicator.objects.order_by("pk").first(),
        "organisation": Organisation.objects.get(name="Helmond"),
        "period": quarters[0],
        "violence_form": ViolenceForm.objects.order_by("pk").first(),
    }


def _figure(keys, **overrides) -> dict:
    fields = {"indicator_id": keys["indicator"].pk, "organisation_id": keys["organisation"].pk,
              "period_id": keys["period"].pk, "source": FigureSource.MUNICIPALITY, "value": 12}
    return {**fields, **overrides}


def _part(keys, **overrides) -> dict:
    return _figure(keys, **{"violence_form_id": keys["violence_form"].pk, **overrides})


@pytest.fixture
def removal_checked_by_the_database(keys):
    """PostgreSQL only: SQLite's flush of a test database empties referenced tables first (see migration 0015)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: set DATABASE_URL=postgres://... (CI does)")
    return keys


def _refused(action) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        action()


@pytest.mark.parametrize("column", ["indicator_id", "organisation_id", "period_id"])
def test_a_figure_that_refers_to_nothing_is_refused_and_not_saved(keys, column):
    _refused(lambda: Figure.objects.create(**_figure(keys, **{column: MISSING})))
    assert not Figure.objects.exists()


@pytest.mark.parametrize("column", ["indicator_id", "organisation_id", "period_id", "violence_form_id"])
def test_a_part_that_refers_to_nothing_is_refused_and_not_saved(keys, column):
    _refused(lambda: FigureBreakdown.objects.create(**_part(keys, **{column: MISSING})))
    assert not FigureBreakdown.objects.exists()


def test_one_bad_row_refuses_the_whole_statement(keys):
    periods = list(ReportingPeriod.objects.order_by("pk")[:3])
    rows = [Figure(**_figure(keys, period_id=period.pk)) for period in periods]
    rows.append(Figure(**_figure(keys, indicator_id=MISSING)))
    _refused(lambda: Figure.objects.bulk_create(rows))
    assert not Figure.objects.exists()


def test_set_based_sql_as_the_import_writes_is_checked_too(keys):
    now = timezone.now()

    def insert(indicator_id):
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {Figure._meta.db_table} (indicator_id, organisation_id, period_id, source, status, "
                "value, is_provisional, version, created_at, updated_at) "
                "SELECT %s, %s, id, %s, 'value', 5, %s, 1, %s, %s FROM " + ReportingPeriod._meta.db_table,
                [indicator_id, keys["organisation"].pk, FigureSource.VEILIG_THUIS, False, now, now])

    _refused(lambda: insert(MISSING))
    assert not Figure.objects.exists()
    insert(keys["indicator"].pk)
    assert Figure.objects.count() == ReportingPeriod.objects.count()


def test_moving_a_figure_to_a_missing_period_is_refused(keys):
    figure = Figure.objects.create(**_figure(keys))
    _refused(lambda: Figure.objects.filter(pk=figure.pk).update(period_id=MISSING))
    part = FigureBreakdown.objects.create(**_part(keys))
    _refused(lambda: FigureBreakdown.objects.filter(pk=part.pk).update(violence_form_id=MISSING))
    figure.refresh_from_db()
    part.refresh_from_db()
    assert (figure.period_id, part.violence_form_id) == (keys["period"].pk, keys["violence_form"].pk)


@pytest.mark.parametrize("name", ["indicator", "organisation", "period", "violence_form"])
def test_what_a_part_refers_to_cannot_be_removed_even_with_raw_sql(removal_checked_by_the_database, name):
    keys = removal_checked_by_the_database
    FigureBreakdown.objects.create(**_part(keys))
    referenced = keys[name]
    table = referenced._meta.db_table

    def remove():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [referenced.pk])

    _refused(remove)
    assert type(referenced).objects.filter(pk=referenced.pk).exists()


@pytest.mark.parametrize("name", ["indicator", "organisation", "period"])
def test_what_a_figure_refers_to_cannot_be_removed_even_with_raw_sql(removal_checked_by_the_database, name):
    keys = removal_checked_by_the_database
    Figure.objects.create(**_figure(keys))
    referenced = keys[name]

    def remove():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {referenced._meta.db_table} WHERE id = %s", [referenced.pk])

    _refused(remove)
    assert type(referenced).objects.filter(pk=referenced.pk).exists()


def test_what_nothing_refers_to_can_be_removed(removal_checked_by_the_database):
    keys = removal_checked_by_the_database
    Figure.objects.create(**_figure(keys))
    unused = ReportingPeriod.objects.exclude(pk=keys["period"].pk).order_by("pk").first()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {ReportingPeriod._meta.db_table} WHERE id = %s", [unused.pk])
    assert not ReportingPeriod.objects.filter(pk=unused.pk).exists()
    # And once its figures are gone, a period can go as well.
    Figure.objects.all().delete()
    keys["period"].delete()
    assert not ReportingPeriod.objects.filter(pk=keys["period"].pk).exists()
