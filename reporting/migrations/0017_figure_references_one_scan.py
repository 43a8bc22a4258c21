"""The per-statement reference check reads the statement's new rows once instead of twice per reference.

Migration 0015 checks each reference of an inserted figure or part with two queries over the new rows (lock the
referenced rows, then look for a missing one): eight scans of the 82,080 parts of a CBS file, with no statistics on
the transition table, took 0.36 s of the confirmation. Now one query collects the distinct keys of every reference
column, and the lock and the check run over those few keys (a region has some hundreds of municipalities and
periods, a file a handful of indicators and forms). Same guarantees and the same error (SQLSTATE 23503) as before;
tests/reporting/figures/test_integrity.py holds them. PostgreSQL only: SQLite's row triggers are unchanged.
"""

import importlib

from django.db import migrations

ONE_SCAN = """
CREATE OR REPLACE FUNCTION reporting_references_exist() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    aggregates text[] := '{}';
    keys jsonb;
    column_keys bigint[];
    missing bigint;
BEGIN
    -- TG_ARGV: column, referenced table, column, referenced table, ...; new_rows: the statement's new rows.
    FOR i IN 0 .. TG_NARGS / 2 - 1 LOOP
        aggregates := aggregates || format('to_jsonb(array_agg(DISTINCT n.%1$I) FILTER (WHERE n.%1$I IS NOT NULL))',
                                           TG_ARGV[2 * i]);
    END LOOP;
    -- One pass over the new rows: [[keys of the first column], [keys of the second], ...], null where none.
    EXECUTE format('SELECT jsonb_build_array(%s) FROM new_rows n', array_to_string(aggregates, ', ')) INTO keys;
    FOR i IN 0 .. TG_NARGS / 2 - 1 LOOP
        CONTINUE WHEN jsonb_typeof(keys -> i) IS DISTINCT FROM 'array';
        column_keys := ARRAY(SELECT jsonb_array_elements_text(keys -> i)::bigint);
        -- As a foreign key does: the referenced rows stay until this transaction ends.
        EXECUTE format('SELECT 1 FROM %I r WHERE r.id = ANY($1) FOR KEY SHARE OF r', TG_ARGV[2 * i + 1])
            USING column_keys;
        EXECUTE format('SELECT k FROM unnest($1) k WHERE NOT EXISTS (SELECT 1 FROM %I r WHERE r.id = k) LIMIT 1',
                       TG_ARGV[2 * i + 1]) INTO missing USING column_keys;
        IF missing IS NOT NULL THEN
            RAISE foreign_key_violation USING MESSAGE = format(
                'insert or update on table "%s" violates its reference: key (%s)=(%s) is not present in table "%s"',
                TG_TABLE_NAME, TG_ARGV[2 * i], missing, TG_ARGV[2 * i + 1]);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;
"""


def _two_scans_per_reference() -> str:
    """0015's function, for going back: the first of the functions that migration creates."""
    functions = importlib.import_module("reporting.migrations.0015_figure_references_per_statement")
    first = functions.POSTGRESQL_FUNCTIONS.split("CREATE FUNCTION reporting_references_exist_row")[0]
    return first.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)


def _replace(function: str):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(function() if callable(function) else function, params=None)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0016_import_file_lz4'),
    ]

    operations = [
        migrations.RunPython(_replace(ONE_SCAN), _replace(_two_scans_per_reference)),
    ]
