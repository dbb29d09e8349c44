"""`zeren backup` / `zeren restore`: database plus keys in one passphrase-encrypted archive,
round-tripped on SQLite in a throw-away data directory."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from zeren.core.backup import BackupError, seal, unseal

PASSPHRASE = "county-backup-2026-口令"


def zeren(
    data: Path, *args: str, passphrase: str = PASSPHRASE, database_url: str = ""
) -> subprocess.CompletedProcess:
    """Run the CLI in a throw-away data directory (SQLite there, or ``database_url``)."""
    env = {**os.environ, "ZEREN_DATA_DIR": str(data), "ZEREN_BACKUP_PASSPHRASE": passphrase}
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "SECRET_KEY", "ZEREN_SM4_KEY"):
        env.pop(name, None)
    env.pop("ZEREN_HASH_KEY", None)
    env.pop("ZEREN_AUDIT_KEY", None)
    if database_url:
        env["DATABASE_URL"] = database_url
    env["ZEREN_ADMIN_PASSWORD"] = "Kx7-mountain-admin"
    return subprocess.run(
        [sys.executable, "-m", "zeren.cli", *args],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )


def usernames(data: Path) -> set[str]:
    with sqlite3.connect(data / "zeren.sqlite3") as db:
        return {row[0] for row in db.execute("select username from org_user")}


def test_the_archive_opens_only_with_its_passphrase_and_unaltered():
    blob = seal(b"database and keys", PASSPHRASE)
    assert b"database" not in blob
    assert unseal(blob, PASSPHRASE) == b"database and keys"
    with pytest.raises(BackupError, match="口令错误"):
        unseal(blob, PASSPHRASE + "x")
    altered = blob[:-20] + bytes([blob[-20] ^ 1]) + blob[-19:]
    with pytest.raises(BackupError, match="口令错误，或备份文件已损坏"):
        unseal(altered, PASSPHRASE)
    with pytest.raises(BackupError, match="至少12个字符"):
        seal(b"x", "short")


@pytest.mark.slow
def test_backup_and_restore_round_trip_on_sqlite(tmp_path):
    data = tmp_path / "data"
    assert zeren(data, "init").returncode == 0
    archive = tmp_path / "zeren.zbak"
    done = zeren(data, "backup", "--output", str(archive))
    assert done.returncode == 0, done.stderr
    assert (archive.stat().st_mode & 0o777) == 0o600
    assert b"sqlite" not in archive.read_bytes()  # encrypted, not a tar of the file
    keys = {p.name: p.read_bytes() for p in (data / "keys").iterdir()}
    before = usernames(data)

    assert zeren(data, "createadmin", "--username", "later").returncode == 0
    assert "later" in usernames(data)

    # Refused without confirmation, or with a wrong passphrase: nothing changes.
    assert zeren(data, "restore", str(archive)).returncode == 2
    wrong = zeren(data, "restore", str(archive), "--yes", passphrase="another-passphrase")
    assert wrong.returncode == 2 and "口令错误" in wrong.stderr
    assert "later" in usernames(data)

    done = zeren(data, "restore", str(archive), "--yes")
    assert done.returncode == 0, done.stderr
    assert usernames(data) == before

    # On a fresh machine: the database and the same keys come back.
    fresh = tmp_path / "fresh"
    assert zeren(fresh, "restore", str(archive), "--yes").returncode == 0
    assert usernames(fresh) == before
    assert {p.name: p.read_bytes() for p in (fresh / "keys").iterdir()} == keys
    assert all((p.stat().st_mode & 0o777) == 0o600 for p in (fresh / "keys").iterdir())
