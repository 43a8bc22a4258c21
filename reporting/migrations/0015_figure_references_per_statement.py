"""Figures and their parts check their references once per statement instead of once per row.

A foreign key constraint checks every inserted row on its own (PostgreSQL: a trigger and a locking look-up per row
and per key). An import of 102,600 figures and parts made about 390,000 of those look-ups at commit, 1.9 s of a 4 s
confirmation. The constraints are replaced by checks that keep the same guarantees set-based:

- Inserting figures or parts: one statement trigger per table (PostgreSQL: over the statement's new rows, a
  transition table) locks the referenced rows as a foreign key does (FOR KEY SHARE, so no one removes them before
  the commit) and refuses the statement if any reference is missing.
- Updating one: as a foreign key, checked row by row, and only when a reference column is set to another value
  (the import's and the grid's updates keep their references and cost nothing).
- Removing an indicator, municipality, period or form of violence that a figure or part still refers to is refused
  (PostgreSQL), as the PROTECT of the models already does in Django.

Both refuse with a foreign-key violation (SQLSTATE 23503), which Django raises as IntegrityError, as before.

SQLite (the embedded database for trying the portal) has no transition tables: its triggers check inserts and
updates row by row, which costs it little. It gets no trigger on removal: SQLite checks its foreign keys at commit,
and Django's flush of a test database relies on that when it empties the tables one by one, referenced ones first;
a trigger fires at once. There Django's PROTECT alone guards the removal, as it does every removal through the ORM.
tests/reporting/figures/test_integrity.py holds the guarantees (those of removal on PostgreSQL, as CI runs it).
"""

import django.db.models.deletion
from django.db import migrations, models

# (table, ((column, referenced table), ...)) of every table whose references are checked per statement.
CHECKED = (
    ("reporting_figure", (("indicator_id", "programme_indicator"), ("organisation_id", "programme_organisation"),
                          ("period_id", "programme_reportingperiod"))),
    ("reporting_figurebreakdown", (("indicator_id", "programme_indicator"),
                                   ("organisation_id", "programme_organisation"),
                                   ("period_id", "programme_reportingperiod"),
                                   ("violence_form_id", "programme_violenceform"))),
)

POSTGRESQL_FUNCTIONS = """
CREATE FUNCTION reporting_references_exist() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    missing bigint;
BEGIN
    -- TG_ARGV: column, referenced table, column, referenced table, ...; new_rows: the statement's new rows.
    FOR i IN 0 .. TG_NARGS / 2 - 1 LOOP
        -- As a foreign key does: the referenced rows stay until this transaction ends.
        EXECUTE format('SELECT 1 FROM %2$I r WHERE r.id IN (SELECT n.%1$I FROM new_rows n) FOR KEY SHARE OF r',
                       TG_ARGV[2 * i], TG_ARGV[2 * i + 1]);
        EXECUTE format('SELECT n.%1$I FROM new_rows n WHERE n.%1$I IS NOT NULL '
                       'AND NOT EXISTS (SELECT 1 FROM %2$I r WHERE r.id = n.%1$I) LIMIT 1',
                       TG_ARGV[2 * i], TG_ARGV[2 * i + 1]) INTO missing;
        IF missing IS NOT NULL THEN
            RAISE foreign_key_violation USING MESSAGE = format(
                'insert or update on table "%s" violates its reference: key (%s)=(%s) is not present in table "%s"',
                TG_TABLE_NAME, TG_ARGV[2 * i], missing, TG_ARGV[2 * i + 1]);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE FUNCTION reporting_references_exist_row() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    key bigint;
    present bigint;
BEGIN
    -- Row by row, for the rare update that moves a figure to another indicator, municipality, period or form.
    FOR i IN 0 .. TG_NARGS / 2 - 1 LOOP
        key := (to_jsonb(NEW) ->> TG_ARGV[2 * i])::bigint;
        CONTINUE WHEN key IS NULL;
        EXECUTE format('SELECT r.id FROM %I r WHERE r.id = $1 FOR KEY SHARE OF r', TG_ARGV[2 * i + 1])
            INTO present USING key;
        IF present IS NULL THEN
            RAISE foreign_key_violation USING MESSAGE = format(
                'update on table "%s" violates its reference: key (%s)=(%s) is not present in table "%s"',
                TG_TABLE_NAME, TG_ARGV[2 * i], key, TG_ARGV[2 * i + 1]);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;

CREATE FUNCTION reporting_references_unused() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    used boolean;
BEGIN
    -- TG_ARGV: referring table, column, referring table, column, ...; old_rows: the rows the statement removes.
    FOR i IN 0 .. TG_NARGS / 2 - 1 LOOP
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %1$I c WHERE c.%2$I IN (SELECT o.id FROM old_rows o))',
                       TG_ARGV[2 * i], TG_ARGV[2 * i + 1]) INTO used;
        IF used THEN
            RAISE foreign_key_violation USING MESSAGE = format(
                'delete on table "%s" violates the reference from table "%s" (%s)',
                TG_TABLE_NAME, TG_ARGV[2 * i], TG_ARGV[2 * i + 1]);
        END IF;
    END LOOP;
    RETURN NULL;
END
$$;
"""


def _referring() -> dict:
    """{referenced table: [(referring table, column), ...]}"""
    referring = {}
    for table, references in CHECKED:
        for column, referenced in references:
            referring.setdefault(referenced, []).append((table, column))
    return referring


def _postgresql() -> list[str]:
    statements = [POSTGRESQL_FUNCTIONS]
    for table, references in CHECKED:
        arguments = ", ".join(f"'{name}'" for pair in references for name in pair)
        columns = ", ".join(column for column, _referenced in references)
        moved = " OR ".join(f"OLD.{column} IS DISTINCT FROM NEW.{column}" for column, _referenced in references)
        statements += [
            f"CREATE TRIGGER {table}_references_insert AFTER INSERT ON {table} "
            f"REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION reporting_references_exist({arguments})",
            # As a foreign key: an update that leaves the references as they were (the import's, the grid's) is
            # not checked at all; only one that sets a reference column (UPDATE OF) to another value (WHEN) is.
            f"CREATE TRIGGER {table}_references_update AFTER UPDATE OF {columns} ON {table} FOR EACH ROW "
            f"WHEN ({moved}) EXECUTE FUNCTION reporting_references_exist_row({arguments})",
        ]
    for referenced, referring in _referring().items():
        arguments = ", ".join(f"'{name}'" for pair in referring for name in pair)
        statements.append(
            f"CREATE TRIGGER {referenced}_referenced_by_figures AFTER DELETE ON {referenced} "
            f"REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT "
            f"EXECUTE FUNCTION reporting_references_unused({arguments})")
    return statements


def _sqlite() -> list[str]:
    # RAISE(ABORT, ...) is a constraint error, which Django raises as IntegrityError.
    statements = []
    for table, references in CHECKED:
        missing = " OR ".join(f"NOT EXISTS (SELECT 1 FROM {referenced} WHERE id = NEW.{column})"
                              for column, referenced in references)
        columns = ", ".join(column for column, _referenced in references)
        for event in ("INSERT", f"UPDATE OF {columns}"):
            statements.append(
                f"CREATE TRIGGER {table}_references_{event.split()[0].lower()} BEFORE {event} ON {table} "
                f"WHEN {missing} BEGIN SELECT RAISE(ABORT, 'FOREIGN KEY constraint failed'); END")
    return statements


def _drop(vendor: str) -> list[str]:
    statements = []
    for table, _references in CHECKED:
        statements += [f"DROP TRIGGER IF EXISTS {table}_references_{event} " + (f"ON {table}" if vendor ==
                       "postgresql" else "") for event in ("insert", "update")]
    if vendor == "postgresql":
        statements += [f"DROP TRIGGER IF EXISTS {referenced}_referenced_by_figures ON {referenced}"
                       for referenced in _referring()]
        statements += [f"DROP FUNCTION IF EXISTS {function}()" for function in (
            "reporting_references_exist", "reporting_references_exist_row", "reporting_references_unused")]
    return statements


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement, params=None)  # no parameters: the % of format() stays as it is


def create_checks(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor not in ("postgresql", "sqlite"):
        raise RuntimeError(f"No per-statement reference checks written for {vendor}.")
    _run(schema_editor, _postgresql() if vendor == "postgresql" else _sqlite())


def drop_checks(apps, schema_editor):
    _run(schema_editor, _drop(schema_editor.connection.vendor))


class Migration(migrations.Migration):

    dependencies = [
        ('programme', '0008_indicator_rules'),
        ('reporting', '0014_import_fewer_index_entries'),
    ]

    operations = [
        migrations.AlterField(
            model_name='figure',
            name='indicator',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='figures', to='programme.indicator', verbose_name='indicator'),
        ),
        migrations.AlterField(
            model_name='figure',
            name='organisation',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.PROTECT, related_name='figures', to='programme.organisation', verbose_name='municipality'),
        ),
        migrations.AlterField(
            model_name='figure',
            name='period',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='figures', to='programme.reportingperiod', verbose_name='period'),
        ),
        migrations.AlterField(
            model_name='figurebreakdown',
            name='indicator',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='breakdowns', to='programme.indicator', verbose_name='indicator'),
        ),
        migrations.AlterField(
            model_name='figurebreakdown',
            name='organisation',
            field=models.ForeignKey(db_constraint=False, on_delete=django.db.models.deletion.PROTECT, related_name='figure_breakdowns', to='programme.organisation', verbose_name='municipality'),
        ),
        migrations.AlterField(
            model_name='figurebreakdown',
            name='period',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='figure_breakdowns', to='programme.reportingperiod', verbose_name='period'),
        ),
        migrations.AlterField(
            model_name='figurebreakdown',
            name='violence_form',
            field=models.ForeignKey(db_constraint=False, db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='figure_breakdowns', to='programme.violenceform', verbose_name='form of violence'),
        ),
        migrations.RunPython(create_checks, drop_checks),
    ]
