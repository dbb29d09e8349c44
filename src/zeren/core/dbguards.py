"""Database-level guards for append-only tables, for use in migrations.

    from zeren.core.dbguards import append_only
    operations = [append_only("cases_caseevent", "cases_payment")]

The database then rejects UPDATE and DELETE (and TRUNCATE on PostgreSQL) of those tables'
rows, whatever code or tool tries; the models refuse too (``core.models.AppendOnlyModel``).
"""

from __future__ import annotations

from django.db import migrations

_PG_FUNCTION = (
    "CREATE OR REPLACE FUNCTION zeren_append_only() RETURNS trigger AS $$ "
    "BEGIN RAISE EXCEPTION '% is append-only', TG_TABLE_NAME; END; $$ LANGUAGE plpgsql;"
)


def _create(tables: tuple[str, ...]):
    def run(apps, schema_editor) -> None:
        vendor = schema_editor.connection.vendor
        if vendor == "postgresql":
            schema_editor.execute(_PG_FUNCTION, None)  # None: the % is PL/pgSQL's
        for table in tables:
            if vendor == "sqlite":
                for op in ("UPDATE", "DELETE"):
                    schema_editor.execute(
                        f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
                        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END;"
                    )
            elif vendor == "postgresql":
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION zeren_append_only();"
                )
                schema_editor.execute(
                    f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                    "FOR EACH STATEMENT EXECUTE FUNCTION zeren_append_only();"
                )

    return run


def _drop(tables: tuple[str, ...]):
    def run(apps, schema_editor) -> None:
        vendor = schema_editor.connection.vendor
        for table in tables:
            if vendor == "sqlite":
                for op in ("update", "delete"):
                    schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_{op};")
            elif vendor == "postgresql":
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
                schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table};")

    return run


def append_only(*tables: str) -> migrations.RunPython:
    """A migration operation making ``tables`` append-only in the database."""
    return migrations.RunPython(_create(tables), _drop(tables))


def drop_guards(schema_editor, *tables: str) -> None:
    """Remove the append-only triggers of ``tables`` (inside a migration that restores them)."""
    _drop(tables)(None, schema_editor)


def create_guards(schema_editor, *tables: str) -> None:
    """(Re)create the append-only triggers of ``tables``."""
    _create(tables)(None, schema_editor)
