"""Encrypted backups of the database plus the keys, and restoring them.

Archive layout (all inside one encrypted blob): a tar with ``manifest.json``, ``keys/`` (the
secret key, the SM4 key and the SM3-HMAC key, as in ``$ZEREN_DATA_DIR/keys``) and the database:

- SQLite: ``database.sqlite3``, a consistent copy made with SQLite's online backup API;
- PostgreSQL with ``pg_dump`` on the PATH: ``database.pgdump`` (custom format, restored with
  ``pg_restore --clean --if-exists --no-owner``);
- otherwise: ``database.json`` from Django's ``dumpdata`` (restored into an empty, migrated
  database with ``loaddata``).

Encryption: ``ZERENBAK1`` + 16-byte salt + 12-byte nonce + SM4-GCM ciphertext and tag, under a
key derived from the passphrase with scrypt (n=2**15, r=8, p=1); the header is authenticated
data, so a changed byte anywhere makes the archive refuse to open. GB/T 22239-2019
8.1.4.9 (数据备份恢复) and 8.1.4.8 (数据保密性: backups of personal data are encrypted).
The archive is built in memory: fine for a county's database (tens of MB), documented limit.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings

MAGIC = b"ZERENBAK1"
MIN_PASSPHRASE = 12
KEY_FILES = {
    "secret_key": "SECRET_KEY",
    "sm4.key": "ZEREN_SM4_KEY",
    "sm3-hmac.key": "ZEREN_HASH_KEY",
    # The audit logs' hash-chain key: without it a restored database cannot be verified.
    "audit-hmac.key": "ZEREN_AUDIT_KEY",
}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is Chinese and says why."""


def _key(passphrase: str, salt: bytes) -> bytes:
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(f"备份口令至少{MIN_PASSPHRASE}个字符")
    return Scrypt(salt=salt, length=16, n=2**15, r=8, p=1).derive(passphrase.encode())


def seal(data: bytes, passphrase: str) -> bytes:
    """Encrypt ``data`` under ``passphrase`` (format in the module docstring)."""
    salt, nonce = os.urandom(16), os.urandom(12)
    encryptor = Cipher(algorithms.SM4(_key(passphrase, salt)), modes.GCM(nonce)).encryptor()
    header = MAGIC + salt + nonce
    encryptor.authenticate_additional_data(header)
    body = encryptor.update(data) + encryptor.finalize()
    return header + body + encryptor.tag


def unseal(blob: bytes, passphrase: str) -> bytes:
    """Decrypt an archive; ``BackupError`` if it is not one, or the passphrase is wrong, or it
    was altered."""
    if not blob.startswith(MAGIC) or len(blob) < len(MAGIC) + 28 + 16:
        raise BackupError("这不是 Zeren 备份文件")
    header, body, tag = blob[: len(MAGIC) + 28], blob[len(MAGIC) + 28 : -16], blob[-16:]
    salt, nonce = header[len(MAGIC) : len(MAGIC) + 16], header[len(MAGIC) + 16 :]
    decryptor = Cipher(algorithms.SM4(_key(passphrase, salt)), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(header)
    try:
        return decryptor.update(body) + decryptor.finalize()
    except InvalidTag:
        raise BackupError("口令错误，或备份文件已损坏或被改动") from None


def _db() -> dict[str, Any]:
    return settings.DATABASES["default"]


def _add(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def _pg_env(db: dict[str, Any]) -> tuple[list[str], dict[str, str]]:
    args = ["-h", db.get("HOST") or "127.0.0.1", "-p", str(db.get("PORT") or 5432)]
    args += ["-U", db.get("USER") or "postgres", "-d", db["NAME"]]
    env = {**os.environ}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return args, env


def _dump_database() -> tuple[str, bytes]:
    db = _db()
    if db["ENGINE"] == "django.db.backends.sqlite3":
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / "copy.sqlite3"
            source = sqlite3.connect(db["NAME"])
            target = sqlite3.connect(copy)
            with target:
                source.backup(target)
            source.close()
            target.close()
            return "database.sqlite3", copy.read_bytes()
    pg_dump = shutil.which("pg_dump")
    if db["ENGINE"].endswith("postgresql") and pg_dump:
        args, env = _pg_env(db)
        done = subprocess.run([pg_dump, "-Fc", *args], capture_output=True, env=env, check=False)
        if done.returncode:
            raise BackupError(f"pg_dump 失败：{done.stderr.decode(errors='replace')[:300]}")
        return "database.pgdump", done.stdout
    from django.core.management import call_command

    out = io.StringIO()
    call_command("dumpdata", "--natural-foreign", "--exclude=contenttypes", stdout=out)
    return "database.json", out.getvalue().encode()


def backup_create(*, passphrase: str) -> tuple[bytes, dict[str, Any]]:
    """Return the encrypted archive of the database and the keys, and its manifest."""
    _key(passphrase, b"0" * 16)  # refuse a short passphrase before any work
    name, data = _dump_database()
    manifest = {
        "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "engine": _db()["ENGINE"].rsplit(".", 1)[-1],
        "database": name,
        "bytes": len(data),
        "keys": sorted(KEY_FILES),
    }
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        _add(tar, "manifest.json", json.dumps(manifest, ensure_ascii=False).encode())
        for filename, setting in KEY_FILES.items():
            _add(tar, f"keys/{filename}", getattr(settings, setting).encode())
        _add(tar, name, data)
    return seal(buffer.getvalue(), passphrase), manifest


def backup_read(blob: bytes, passphrase: str) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Open an archive: its manifest and its members by name."""
    members: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(unseal(blob, passphrase)), mode="r") as tar:
        for info in tar.getmembers():
            if info.isfile():
                members[info.name] = tar.extractfile(info).read()
    if "manifest.json" not in members:
        raise BackupError("备份文件缺少清单（manifest.json）")
    return json.loads(members["manifest.json"]), members


def backup_restore(*, blob: bytes, passphrase: str, data_dir: Path) -> dict[str, Any]:
    """Restore the database and write the keys into ``data_dir/keys`` (mode 0600).

    SQLite: the database file is replaced (stop the server first). PostgreSQL: ``pg_restore
    --clean`` into the configured database. JSON: ``loaddata`` into the configured database,
    which must be migrated and hold no accounts yet. Raises ``BackupError``.
    """
    manifest, members = backup_read(blob, passphrase)
    name = manifest["database"]
    if name not in members:
        raise BackupError(f"备份文件缺少数据库（{name}）")
    db = _db()
    if name == "database.sqlite3":
        if db["ENGINE"] != "django.db.backends.sqlite3":
            raise BackupError("这是 SQLite 数据库的备份，当前配置的不是 SQLite")
        from django.db import connections

        connections.close_all()
        target = Path(db["NAME"])
        tmp = target.with_suffix(".restoring")
        tmp.write_bytes(members[name])
        for suffix in ("-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)
        tmp.replace(target)
    elif name == "database.pgdump":
        pg_restore = shutil.which("pg_restore")
        if not pg_restore or not db["ENGINE"].endswith("postgresql"):
            raise BackupError("这是 PostgreSQL 的备份，需要 pg_restore 和 PostgreSQL 数据库")
        args, env = _pg_env(db)
        done = subprocess.run(
            [pg_restore, "--clean", "--if-exists", "--no-owner", *args],
            input=members[name],
            capture_output=True,
            env=env,
            check=False,
        )
        if done.returncode:
            raise BackupError(f"pg_restore 失败：{done.stderr.decode(errors='replace')[:300]}")
    else:
        from django.core.management import call_command

        from zeren.org.models import User

        if User.objects.exists():
            raise BackupError("从 JSON 备份恢复需要一个已建表、尚无账号的空数据库")
        with tempfile.NamedTemporaryFile(suffix=".json") as fh:
            fh.write(members[name])
            fh.flush()
            call_command("loaddata", fh.name, verbosity=0)
    keys = data_dir / "keys"
    keys.mkdir(mode=0o700, parents=True, exist_ok=True)
    for filename in KEY_FILES:
        path = keys / filename
        path.unlink(missing_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(members[f"keys/{filename}"])
    return manifest
