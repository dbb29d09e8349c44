"""Finding 3: the logs cannot be rewritten unnoticed (hash chain, retention, triggers kept)."""

from __future__ import annotations

import datetime as dt
import itertools
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from tests.conftest import login
from tests.factories import person
from zeren.cli import main
from zeren.core import crypto
from zeren.core.audit import verify_chain
from zeren.core.models import ChangeLog, LogChain, SecurityEvent
from zeren.core.security import log_event
from zeren.core.security_cli import missing_log_triggers
from zeren.core.services import audit_archive

pytestmark = pytest.mark.django_db

TABLES = {ChangeLog: "core_changelog", SecurityEvent: "core_securityevent"}


def _tamper(sql: str, table: str, params: list) -> None:
    """Run ``sql`` with the append-only triggers out of the way (as an owner could)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET session_replication_role = replica")  # triggers off
            cursor.execute(sql, params)
            cursor.execute("SET session_replication_role = DEFAULT")
        else:
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update")
            cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete")
            cursor.execute(sql, params)


@pytest.fixture
def activity(staff_a, village_a):
    someone = person(actor=staff_a, division=village_a, name="吴十")
    client = login(staff_a)
    client.get(f"/staff/persons/{someone.pk}/")
    client.post(f"/staff/persons/{someone.pk}/reveal/", {"reason": "核对"})
    return someone


def test_every_log_row_is_chained_and_the_chain_verifies(activity):
    for model in TABLES:
        report = verify_chain(model)
        assert report.ok, report
        assert report.checked == model.objects.count() >= 2
        rows = list(model.objects.order_by("seq"))
        assert [r.seq for r in rows] == list(range(1, len(rows) + 1))
        assert all(b.prev_hash == a.row_hash for a, b in itertools.pairwise(rows))
        assert LogChain.objects.get(name=model._meta.label).last_hash == rows[-1].row_hash


@pytest.mark.parametrize("model", list(TABLES))
def test_a_row_altered_by_raw_sql_is_named(activity, model):
    victim = model.objects.order_by("seq")[1]
    column = "actor_name" if model is ChangeLog else "username"
    _tamper(
        f"UPDATE {TABLES[model]} SET {column} = %s WHERE id = %s", TABLES[model], ["x", victim.pk]
    )
    report = verify_chain(model)
    assert not report.ok and report.broken_id == victim.pk and report.checked == 1


def test_a_deleted_row_and_a_deleted_last_row_are_noticed(activity):
    rows = list(SecurityEvent.objects.order_by("seq"))
    _tamper("DELETE FROM core_securityevent WHERE id = %s", "core_securityevent", [rows[0].pk])
    report = verify_chain(SecurityEvent)
    assert report.broken_id == rows[1].pk and "缺少第 1 条" in report.reason
    last = ChangeLog.objects.order_by("-seq").first()
    _tamper("DELETE FROM core_changelog WHERE id = %s", "core_changelog", [last.pk])
    assert "末尾" in verify_chain(ChangeLog).reason


def test_a_row_inserted_behind_the_application_is_noticed(activity):
    row = SecurityEvent.objects.order_by("seq").last()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO core_securityevent (time, kind, username, path, request_id, "
            "object_type, object_id, detail, prev_hash, row_hash) "
            "VALUES (%s, 'login', 'ghost', '', '', '', '', '{}', %s, '')",
            [timezone.now(), row.row_hash],
        )
    assert "没有链序号" in verify_chain(SecurityEvent).reason


def test_zeren_audit_verify_passes_then_names_the_altered_row(activity, capsys):
    assert main(["audit", "verify"]) == 0
    assert "校验通过" in capsys.readouterr().out
    victim = ChangeLog.objects.order_by("seq").first()
    _tamper(
        "UPDATE core_changelog SET object_repr = 'x' WHERE id = %s", "core_changelog", [victim.pk]
    )
    assert main(["audit", "verify"]) == 1
    assert f"id={victim.pk}" in capsys.readouterr().out


def test_an_insert_locks_the_chain_head_until_it_commits():
    """Concurrent writers queue on the head row (SELECT ... FOR UPDATE): while one
    transaction has written a log row, another cannot take the head. (A threaded test would
    need a flushed transactional database, which the append-only logs rightly refuse.)"""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time anyway")
    import psycopg
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        log_event("login", username="first")
    assert any(
        "FOR UPDATE" in q["sql"] and "core_logchain" in q["sql"] for q in ctx.captured_queries
    )
    s = connection.settings_dict
    other = psycopg.connect(
        dbname=s["NAME"], user=s["USER"], host=s["HOST"], port=s["PORT"] or 5432, autocommit=True
    )
    try:
        with pytest.raises(psycopg.errors.LockNotAvailable):
            other.execute(
                "SELECT seq FROM core_logchain WHERE name = 'core.SecurityEvent' FOR UPDATE NOWAIT"
            )
    finally:
        other.close()


def test_young_rows_cannot_be_deleted_even_by_sql(activity):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL zeren.archiving = 'on'")
        cursor.execute("DELETE FROM core_securityevent")
    assert SecurityEvent.objects.exists()


def test_archiving_refuses_a_recent_date_and_exports_signed_rows_before_removing(tmp_path):
    # Archiving removes the oldest part of the chain: the old rows are written first here (the
    # command line is the actor, as with `zeren audit archive`).
    staff_a = None
    old = timezone.now() - dt.timedelta(days=400)
    for i in range(3):
        SecurityEvent.objects.create(kind="login", username=f"old{i}", time=old)
    log_event("login", username="recent")
    too_recent = timezone.localdate() - dt.timedelta(days=100)
    rows = SecurityEvent.objects.count()
    with pytest.raises(ValidationError, match="184"):
        audit_archive(actor=staff_a, before=too_recent, directory=tmp_path)
    assert SecurityEvent.objects.count() == rows  # nothing removed

    before = timezone.localdate() - dt.timedelta(days=200)
    results = audit_archive(actor=staff_a, before=before, directory=tmp_path)
    security = next(r for r in results if r["log"] == "安全日志")
    assert security["rows"] == 3
    body = security["file"].read_bytes()
    signature = security["file"].with_name(security["file"].name + ".sig").read_text().strip()
    assert crypto.audit_mac(body) == signature
    assert [json.loads(line)["username"] for line in body.decode().splitlines()] == [
        "old0",
        "old1",
        "old2",
    ]
    assert (
        SecurityEvent.objects.filter(time__lt=timezone.now() - dt.timedelta(days=200)).count() == 0
    )
    assert SecurityEvent.objects.filter(kind="login").count() == 1  # the recent one
    assert verify_chain(SecurityEvent).ok and verify_chain(ChangeLog).ok


def test_doctor_notices_a_missing_log_trigger():
    assert missing_log_triggers(connection) == []
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE core_changelog DISABLE TRIGGER core_changelog_append_only")
        else:
            cursor.execute("DROP TRIGGER core_changelog_no_delete")
    assert missing_log_triggers(connection)[0][0] == "core_changelog"
    assert main(["doctor"]) == 1


def test_reversing_the_log_migration_is_refused():
    from importlib import import_module

    migration = import_module("zeren.core.migrations.0007_sec_data_log_chain")
    with pytest.raises(RuntimeError, match="不可回退"):
        migration.refuse(None, None)
    last = migration.Migration.operations[-1]
    assert last.reverse_code is migration.refuse


def test_the_application_role_cannot_remove_the_log_triggers():
    """The documented two-role setup (``zeren audit grants``): the application's role owns no
    table, so it can neither disable nor drop the triggers, nor delete or rewrite log rows."""
    if connection.vendor != "postgresql":
        pytest.skip("roles are a PostgreSQL matter")
    from zeren.core.security_cli import app_role_grants

    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE zeren_app_test NOLOGIN")  # rolled back with the test
        for statement in app_role_grants("zeren_app_test"):
            cursor.execute(statement)
        cursor.execute("SET ROLE zeren_app_test")
        log_event("login", username="as-app-role")  # appending works
        for attempt in (
            "ALTER TABLE core_changelog DISABLE TRIGGER ALL",
            "DROP TRIGGER core_securityevent_append_only ON core_securityevent",
            "DELETE FROM core_securityevent",
            "UPDATE core_changelog SET object_repr = 'x'",
            "TRUNCATE core_changelog",
        ):
            with pytest.raises(DatabaseError), transaction.atomic():
                cursor.execute(attempt)
        cursor.execute("RESET ROLE")
    assert verify_chain(SecurityEvent).ok


@pytest.mark.slow
def test_audit_verify_passes_on_the_demo_data(capsys):
    """The acceptance check: the whole demo (every app's loader) leaves both chains intact."""
    from zeren.demo import load_demo

    load_demo(progress=lambda message: None)
    assert SecurityEvent.objects.exists() or ChangeLog.objects.count() > 100
    assert main(["audit", "verify"]) == 0
    assert capsys.readouterr().out.count("校验通过") == 2
