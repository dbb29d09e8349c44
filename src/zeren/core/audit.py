"""The change log: who did what to which object, before and after.

The actor comes from a context variable that the request middleware, the CLI and services set
with :func:`acting_as`; rows are written by model signals inside the same transaction as the
change, so a rolled-back change leaves no log row and a logged change cannot go unrecorded.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import datetime as dt
import decimal
import uuid
from collections.abc import Iterator
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from zeren.core import crypto
from zeren.core.fields import BlindIndexField, EncryptedTextField
from zeren.core.models import AuditedModel, ChangeLog

_actor: contextvars.ContextVar[Any] = contextvars.ContextVar("zeren_actor", default=None)
_request_id: contextvars.ContextVar[str] = contextvars.ContextVar("zeren_request_id", default="")
_client_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "zeren_client_ip", default=None
)


@contextlib.contextmanager
def acting_as(
    actor: Any, request_id: str | None = None, client_ip: str | None = None
) -> Iterator[None]:
    """Attribute every change made inside the block to ``actor`` (from ``client_ip``)."""
    token_actor = _actor.set(actor)
    token_request = _request_id.set(request_id or _request_id.get() or uuid.uuid4().hex)
    token_ip = _client_ip.set(client_ip or _client_ip.get())
    try:
        yield
    finally:
        _actor.reset(token_actor)
        _request_id.reset(token_request)
        _client_ip.reset(token_ip)


def current_client_ip() -> str | None:
    """The client address of the request being served (None on the command line)."""
    return _client_ip.get()


def current_actor() -> Any:
    return _actor.get()


def current_request_id() -> str:
    return _request_id.get()


def _jsonable(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    return value


def snapshot(instance: models.Model) -> dict[str, Any]:
    """A JSON-safe picture of a row; encrypted values appear only as a keyed fingerprint."""
    exclude = set(getattr(instance, "audit_exclude", ()))
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or isinstance(field, BlindIndexField):
            continue
        value = getattr(instance, field.attname)
        if isinstance(field, EncryptedTextField):
            value = f"●{crypto.blind_index(field.to_plaintext(value))[:8]}" if value else ""
        data[field.attname] = _jsonable(value)
    return data


def _actor_fields() -> dict[str, Any]:
    actor = current_actor()
    if actor is not None and getattr(actor, "is_authenticated", False):
        return {"actor_id": actor.pk, "actor_name": actor.get_username()}
    return {"actor_id": None, "actor_name": str(actor) if actor else "系统"}


def audit_repr(instance: models.Model) -> str:
    """How a row is named in the change log: ``str(row)``, except for rows holding encrypted
    personal data, whose ``str`` would carry a name into the log (``"相对人#12"``)."""
    if getattr(instance, "audit_str_is_safe", False):
        return str(instance)[:200]
    if any(isinstance(f, EncryptedTextField) for f in instance._meta.concrete_fields):
        return f"{instance._meta.verbose_name}#{instance.pk}"
    return str(instance)[:200]


def _write(action: str, instance: models.Model, before: Any, after: Any) -> None:
    ChangeLog.objects.create(
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=audit_repr(instance),
        before=before,
        after=after,
        request_id=current_request_id(),
        ip=current_client_ip(),
        **_actor_fields(),
    )


def log_bulk(model: type[models.Model], summary: str, detail: dict[str, Any]) -> None:
    """Record one change-log row for a set-based write that bypassed the per-row signals."""
    ChangeLog.objects.create(
        action=ChangeLog.Action.BULK,
        content_type=ContentType.objects.get_for_model(model),
        object_id="*",
        object_repr=summary[:200],
        before=None,
        after=detail,
        request_id=current_request_id(),
        ip=current_client_ip(),
        **_actor_fields(),
    )


@receiver(pre_save)
def _remember_before(
    sender: type, instance: models.Model, raw: bool = False, **kwargs: Any
) -> None:
    if raw or not isinstance(instance, AuditedModel):
        return
    if instance.pk is None or instance._state.adding:
        instance._audit_before = None
        return
    old = sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_before = snapshot(old) if old is not None else None


@receiver(post_save)
def _log_save(
    sender: type, instance: models.Model, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if raw or not isinstance(instance, AuditedModel):
        return
    before = getattr(instance, "_audit_before", None)
    after = snapshot(instance)
    if not created and before == after:
        return
    _write(ChangeLog.Action.CREATE if created else ChangeLog.Action.UPDATE, instance, before, after)


@receiver(post_delete)
def _log_delete(sender: type, instance: models.Model, **kwargs: Any) -> None:
    if isinstance(instance, AuditedModel):
        _write(ChangeLog.Action.DELETE, instance, snapshot(instance), None)


def set_actor(actor: Any) -> None:
    """Attribute the rest of the current request to ``actor`` (API views authenticate late)."""
    _actor.set(actor)


# --- the hash chain over both logs ----------------------------------------------------------

RETENTION_DAYS = 184  # GB/T 22239-2019 8.1.4.3 d) with 网络安全法 art. 21 (3): ≥ 6 months


@dataclasses.dataclass(frozen=True)
class ChainReport:
    """Outcome of :func:`verify_chain` for one log: rows checked, first broken row or None."""

    log: str
    checked: int
    broken_id: int | None = None
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_id is None and not self.reason


def verify_chain(model: type[models.Model], *, batch: int = 2000) -> ChainReport:
    """Recompute the HMAC-SM3 chain of ``model`` (ChangeLog or SecurityEvent) in ``seq`` order.

    Stops at the first row whose position, link to the previous row or own HMAC is wrong,
    and names it (``broken_id`` = its primary key). A row removed, altered or inserted by
    raw SQL therefore shows; so does a chain whose head does not match its last row
    (rows removed at the end).
    """
    from zeren.core.models import LogChain

    label = model._meta.label
    head = LogChain.objects.filter(name=label).first()
    expected_seq = (head.base_seq if head else 0) + 1
    prev = head.base_hash if head else ""
    checked = 0
    unchained = model._base_manager.filter(seq__isnull=True).order_by("id").first()
    if unchained is not None:
        return ChainReport(label, 0, unchained.pk, None, "该行没有链序号（绕过程序写入）")
    rows = model._base_manager.order_by("seq")
    last_id = None
    while True:
        chunk = list(rows.filter(seq__gte=expected_seq)[:batch])
        if not chunk:
            break
        for row in chunk:
            if row.seq != expected_seq:
                return ChainReport(
                    label, checked, row.pk, row.seq, f"链序号不连续：缺少第 {expected_seq} 条"
                )
            if row.prev_hash != prev:
                return ChainReport(label, checked, row.pk, row.seq, "与前一条的校验值不衔接")
            if crypto.audit_mac(row.chain_payload()) != row.row_hash:
                return ChainReport(label, checked, row.pk, row.seq, "内容与校验值不符（已被改动）")
            prev, expected_seq, last_id = row.row_hash, expected_seq + 1, row.pk
            checked += 1
    if head is not None and (head.seq != expected_seq - 1 or head.last_hash != prev):
        return ChainReport(
            label, checked, last_id, expected_seq - 1, "链尾与记录不符（末尾的行被删除）"
        )
    return ChainReport(label, checked)
