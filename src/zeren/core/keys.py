"""One key set for every process: fingerprints in the database, a check at start-up.

The database keeps a fingerprint of the SM4 key, the blind-index key and the audit key
(:func:`zeren.core.crypto.key_fingerprints`, never the keys) from ``zeren init``. A process
whose keys differ would write values no other process can read and blind indexes no search
finds; :func:`check_keys` makes it refuse to start instead, and ``zeren doctor`` says why.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError, transaction

from zeren.core import crypto

KEY_NAMES = {
    "sm4": "个人信息加密密钥（ZEREN_SM4_KEY / keys/sm4.key）",
    "hash": "检索索引密钥（ZEREN_HASH_KEY / keys/sm3-hmac.key）",
    "audit": "审计日志校验密钥（ZEREN_AUDIT_KEY / keys/audit-hmac.key）",
}


def record_keys() -> list[str]:
    """Store the fingerprint of each key not recorded yet; returns the kinds recorded now."""
    from zeren.core.models import KeyFingerprint

    recorded = []
    with transaction.atomic():
        for kind, fingerprint in crypto.key_fingerprints().items():
            _, created = KeyFingerprint.objects.get_or_create(
                kind=kind, defaults={"fingerprint": fingerprint}
            )
            if created:
                recorded.append(kind)
    return recorded


def key_mismatches() -> list[str]:
    """Chinese sentences, one per key that differs from the database's; [] when all match.

    A database not yet initialised (no table, no rows) has nothing to compare: [].
    """
    from zeren.core.models import KeyFingerprint

    try:
        stored = dict(KeyFingerprint.objects.values_list("kind", "fingerprint"))
    except DatabaseError:
        return []
    mine = crypto.key_fingerprints()
    return [
        f"{KEY_NAMES[kind]}与数据库初始化时使用的不一致"
        f"（数据库记录指纹 {stored[kind][:8]}…，本进程 {mine[kind][:8]}…）"
        for kind in KEY_NAMES
        if kind in stored and stored[kind] != mine[kind]
    ]


class KeyCheckedApplication:
    """A WSGI application that checks the keys before its first request (and refuses all
    requests, with the reason in the server log, if they differ)."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.checked = False

    def __call__(self, environ: Any, start_response: Any) -> Any:
        if not self.checked:
            self.checked = check_at_start()
        return self.app(environ, start_response)


def check_at_start() -> bool:
    """Refuse (ImproperlyConfigured) when the database is readable and its fingerprints
    differ; returns whether the comparison could be made (an unreachable database is
    compared again at the next request)."""
    try:
        problems = key_mismatches()
    except Exception:  # e.g. no database yet: compared again later
        return False
    if problems:
        check_keys()
    return True


def check_keys() -> None:
    """Raise ImproperlyConfigured (Chinese, naming each key) when this process's keys differ."""
    problems = key_mismatches()
    if problems:
        raise ImproperlyConfigured(
            "密钥不一致，拒绝启动：" + "；".join(problems) + "。请从首台主机复制同一套密钥"
            "（见 docs/operations.md“多台主机的密钥”），或运行 zeren doctor 查看详情。"
        )


# --- rotation -------------------------------------------------------------------------------

NEW_SUFFIX = ".new"
KEY_FILES = {"sm4": ("sm4.key", 16), "hash": ("sm3-hmac.key", 32)}


def encrypted_models() -> list[tuple[type, list, list]]:
    """``[(model, encrypted fields, blind-index fields)]`` of every installed model."""
    from django.apps import apps

    from zeren.core.fields import BlindIndexField, EncryptedTextField

    found = []
    for model in apps.get_models():
        enc = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
        idx = [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]
        if enc:
            found.append((model, enc, idx))
    return found


def _read_key(path: Any, size: int) -> bytes:
    key = bytes.fromhex(path.read_text().strip())
    if len(key) != size:
        raise ImproperlyConfigured(f"{path.name} 应为 {size} 字节")
    return key


def rotate_keys(
    *, actor: Any, key_dir: Any, batch: int = 500, progress: Any = print
) -> dict[str, int]:
    """Re-encrypt every encrypted value and re-compute every blind index under new keys.

    ``key_dir`` (a ``pathlib.Path``, the data directory's ``keys/``) holds the current
    ``sm4.key`` and ``sm3-hmac.key``; new keys are written beside them as ``*.new`` on the
    first run. Rows are processed in primary-key order, ``batch`` rows per transaction; the
    last finished row of each model is kept in ``rotation.json``, so an interrupted run
    resumes where it stopped (a row already under the new key is recognised and skipped).
    At the end the new keys replace the old ones (kept as ``*.old``), the fingerprints in the
    database are updated and ``rotation.json`` is removed. Returns rows re-encrypted per model.

    All application processes must be stopped during a rotation (they hold the old keys).
    The audit key is not rotated: the log chain is verified with the key that made it.
    Raises ImproperlyConfigured when the keys come from environment variables.
    """
    import json
    import os
    import secrets

    from django.conf import settings

    from zeren.core.audit import acting_as
    from zeren.core.fields import Sealed, row_bound
    from zeren.core.models import KeyFingerprint

    if os.environ.get("ZEREN_SM4_KEY") or os.environ.get("ZEREN_HASH_KEY"):
        raise ImproperlyConfigured(
            "密钥来自环境变量（ZEREN_SM4_KEY / ZEREN_HASH_KEY），无法自动轮换："
            "请改用数据目录 keys/ 下的密钥文件后再运行"
        )
    old = {k: bytes.fromhex(getattr(settings, n)) for k, n in
           (("sm4", "ZEREN_SM4_KEY"), ("hash", "ZEREN_HASH_KEY"))}  # fmt: skip
    new = {}
    for kind, (name, size) in KEY_FILES.items():
        path = key_dir / (name + NEW_SUFFIX)
        if not path.exists():
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as fh:
                fh.write(secrets.token_hex(size))
        new[kind] = _read_key(path, size)
    state_path = key_dir / "rotation.json"
    state = json.loads(state_path.read_text()) if state_path.exists() else {}
    done: dict[str, int] = {}
    for model, enc, idx in encrypted_models():
        label = model._meta.label
        bound = row_bound(model)
        columns = ["pk", *(["row_key"] if bound else []), *(f.attname for f in enc)]
        count = 0
        while True:
            rows = list(
                model._base_manager.filter(pk__gt=state.get(label, 0))
                .order_by("pk")
                .values_list(*columns)[:batch]
            )
            if not rows:
                break
            with transaction.atomic(), acting_as(actor):
                for values in rows:
                    pk, row_key = values[0], (values[1] if bound else "")
                    tokens = values[2 if bound else 1 :]
                    changes, plains = {}, {}
                    for field, token in zip(enc, tokens, strict=True):
                        if not token:
                            plains[field.name] = ""
                            continue
                        aad = (
                            f"{label}.{field.column}:{row_key or ''}"
                            if bound
                            else (f"{label}.{field.column}:")
                        )
                        try:
                            plain = crypto.decrypt_with(
                                old["sm4"], str(token), aad, legacy=not bound
                            )
                        except crypto.DecryptionError:
                            try:  # already under the new key (a resumed batch)
                                plains[field.name] = crypto.decrypt_with(
                                    new["sm4"], str(token), aad
                                )
                            except crypto.DecryptionError:
                                progress(f"{label} #{pk} {field.name}：无法解密，原样保留")
                            continue
                        plains[field.name] = plain
                        changes[field.attname] = Sealed(crypto.encrypt_with(new["sm4"], plain, aad))
                    for field in idx:
                        if field.source in plains:
                            plain = plains[field.source]
                            changes[field.attname] = (
                                crypto.blind_index_with(new["hash"], plain)
                                if plain
                                else (None if field.null else "")
                            )
                    if changes:
                        model._base_manager.filter(pk=pk).update(**changes)
                        count += 1
            state[label] = rows[-1][0]
            state_path.write_text(json.dumps(state))
            progress(f"{model._meta.verbose_name}：已处理至 #{rows[-1][0]}")
        done[label] = count
    for kind, (name, _size) in KEY_FILES.items():
        current = key_dir / name
        current.replace(key_dir / (name + ".old"))
        (key_dir / (name + NEW_SUFFIX)).replace(current)
        KeyFingerprint.objects.update_or_create(
            kind=kind, defaults={"fingerprint": crypto.fingerprint(new[kind])}
        )
    state_path.unlink(missing_ok=True)
    return done
