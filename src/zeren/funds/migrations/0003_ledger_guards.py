"""The database itself refuses to change or delete a confirmed payment line, and refuses any
UPDATE or DELETE on the recovery ledger and the deduction records (append-only)."""

from django.db import migrations

from zeren.core.dbguards import append_only

LINES = "funds_paymentline"
APPEND_ONLY = ("funds_recoveryentry", "funds_deduction")


def create_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for op in ("UPDATE", "DELETE"):
            schema_editor.execute(
                f"CREATE TRIGGER {LINES}_confirmed_no_{op.lower()} BEFORE {op} ON {LINES} "
                f"WHEN OLD.confirmed_at IS NOT NULL "
                f"BEGIN SELECT RAISE(ABORT, 'confirmed payment line is immutable'); END;"
            )
    elif vendor == "postgresql":
        schema_editor.execute(
            "CREATE OR REPLACE FUNCTION zeren_confirmed_line_guard() RETURNS trigger AS $$ "
            "BEGIN IF OLD.confirmed_at IS NOT NULL THEN "
            "RAISE EXCEPTION 'confirmed payment line % is immutable', OLD.id; END IF; "
            "IF TG_OP = 'DELETE' THEN RETURN OLD; END IF; RETURN NEW; END; $$ LANGUAGE plpgsql;",
            None,  # no parameters: the % is PL/pgSQL's, not a placeholder
        )
        schema_editor.execute(
            f"CREATE TRIGGER {LINES}_confirmed_guard BEFORE UPDATE OR DELETE ON {LINES} "
            f"FOR EACH ROW EXECUTE FUNCTION zeren_confirmed_line_guard();"
        )


def drop_triggers(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for op in ("update", "delete"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {LINES}_confirmed_no_{op};")
    elif vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {LINES}_confirmed_guard ON {LINES};")


class Migration(migrations.Migration):
    dependencies = [("funds", "0002_reference_data")]
    operations = [
        migrations.RunPython(create_triggers, drop_triggers),
        append_only(*APPEND_ONLY),
    ]
