"""The change log: who did what to which object, before and after.

The actor comes from a context variable that the request middleware, the CLI and services set
with :func:`acting_as`; rows are written by model signals inside the same transaction as the
change, so a rolled-back change leaves no log row and a logged change cannot go unrecorded.
"""

from __future__ import annotations

import contextlib
import contextvars
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


@contextlib.contextmanager
def acting_as(actor: Any, request_id: str | None = None) -> Iterator[None]:
    """Attribute every change made inside the block to ``actor``."""
    token_actor = _actor.set(actor)
    token_request = _request_id.set(request_id or _request_id.get() or uuid.uuid4().hex)
    try:
        yield
    finally:
        _actor.reset(token_actor)
        _request_id.reset(token_request)


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
            value = f"●{crypto.blind_index(value)[:8]}" if value else value
        data[field.attname] = _jsonable(value)
    return data


def _actor_fields() -> dict[str, Any]:
    actor = current_actor()
    if actor is not None and getattr(actor, "is_authenticated", False):
        return {"actor_id": actor.pk, "actor_name": actor.get_username()}
    return {"actor_id": None, "actor_name": str(actor) if actor else "系统"}


def _write(action: str, instance: models.Model, before: Any, after: Any) -> None:
    ChangeLog.objects.create(
        action=action,
        content_type=ContentType.objects.get_for_model(instance, for_concrete_model=False),
        object_id=str(instance.pk),
        object_repr=str(instance)[:200],
        before=before,
        after=after,
        request_id=current_request_id(),
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
