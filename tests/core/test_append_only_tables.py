"""Every append-only table is guarded in the database, on SQLite and PostgreSQL alike.

The list of tables is not written here: it is every concrete model that inherits
``core.models.AppendOnlyModel``, so a new event or log table without its trigger fails.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import connection

from zeren.core.models import AppendOnlyModel

pytestmark = pytest.mark.django_db

APPEND_ONLY_TABLES = sorted(
    model._meta.db_table
    for model in apps.get_models()
    if issubclass(model, AppendOnlyModel) and not model._meta.proxy
)


def _triggers(table: str) -> dict[str, str]:
    """``{trigger name: its definition}`` of ``table`` in the test database."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [table],
            )
        else:
            cursor.execute(
                "SELECT tgname, pg_get_triggerdef(oid) FROM pg_trigger "
                "WHERE tgrelid = %s::regclass AND NOT tgisinternal AND tgenabled <> 'D'",
                [table],
            )
        return dict(cursor.fetchall())


def test_the_enumeration_finds_the_known_tables():
    # A guard against an enumeration that silently finds nothing.
    for table in ("core_changelog", "core_securityevent", "cases_caseevent", "permits_permitevent"):
        assert table in APPEND_ONLY_TABLES


@pytest.mark.parametrize("table", APPEND_ONLY_TABLES)
def test_update_and_delete_are_refused_by_a_trigger(table):
    definitions = " ".join(_triggers(table).values()).upper()
    if connection.vendor == "sqlite":
        for op in ("UPDATE", "DELETE"):
            assert f"BEFORE {op} ON {table.upper()}" in definitions, f"{table}: no {op} guard"
    else:
        rows = [d for d in _triggers(table).values() if "FOR EACH ROW" in d.upper()]
        assert any("UPDATE" in d.upper() and "DELETE" in d.upper() for d in rows), table
        assert "BEFORE TRUNCATE" in definitions, f"{table}: no truncate guard"
