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
