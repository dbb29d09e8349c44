"""`zeren backup` / `zeren restore` on PostgreSQL (pg_dump custom format, pg_restore --clean):
a round trip in a scratch database beside the test database. Runs only on PostgreSQL."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.db import connection

from tests.cli.test_backup_restore import PASSPHRASE, zeren

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


def _postgres() -> bool:
    return connection.vendor == "postgresql" and bool(shutil.which("pg_dump"))


@pytest.fixture
def scratch_url():
    """A fresh database named after the test database (``test_<db>_rt``), dropped afterwards."""
    if not _postgres():
        pytest.skip("PostgreSQL only (pg_dump / pg_restore)")
    import psycopg

    params = connection.settings_dict
    name = f"{params['NAME']}_rt"
    dsn = {
        "host": params.get("HOST") or "127.0.0.1",
        "port": params.get("PORT") or 5432,
        "user": params.get("USER") or "postgres",
        "password": params.get("PASSWORD") or None,
    }
    with psycopg.connect(dbname="postgres", autocommit=True, **dsn) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = dsn["user"] + (f":{dsn['password']}" if dsn["password"] else "")
    yield f"postgres://{auth}@{dsn['host']}:{dsn['port']}/{name}", dict(dsn, dbname=name)
    with psycopg.connect(dbname="postgres", autocommit=True, **dsn) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _rows(dsn: dict, sql: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(**dsn) as db:
        return db.execute(sql).fetchall()


def test_backup_and_restore_round_trip_on_postgresql(tmp_path: Path, scratch_url):
    url, dsn = scratch_url
    data = tmp_path / "data"

    def run(*args: str, passphrase: str = PASSPHRASE):
        return zeren(data, *args, passphrase=passphrase, database_url=url)

    done = run("init")
    assert done.returncode == 0, done.stderr
    done = run("createadmin", "--username", "before")
    assert done.returncode == 0, done.stderr
    archive = tmp_path / "zeren.zbak"
    done = run("backup", "--output", str(archive))
    assert done.returncode == 0, done.stderr
    assert b"PGDMP" not in archive.read_bytes()  # the custom-format dump travels encrypted
    users = _rows(dsn, "select username from org_user order by username")
    log_rows = _rows(dsn, "select count(*) from core_securityevent")[0][0]

    assert run("createadmin", "--username", "later").returncode == 0
    assert ("later",) in _rows(dsn, "select username from org_user")

    wrong = run("restore", str(archive), "--yes", passphrase="another-passphrase")
    assert wrong.returncode == 2 and "口令错误" in wrong.stderr
    assert ("later",) in _rows(dsn, "select username from org_user")

    done = run("restore", str(archive), "--yes")
    assert done.returncode == 0, done.stderr
    assert _rows(dsn, "select username from org_user order by username") == users
    assert _rows(dsn, "select count(*) from core_securityevent")[0][0] == log_rows
    # the restored logs still verify (triggers, chain and audit key came back together)
    verified = run("audit", "verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    triggers = _rows(
        dsn,
        "select count(*) from pg_trigger where not tgisinternal "
        "and tgrelid = 'core_securityevent'::regclass",
    )[0][0]
    assert triggers >= 1
