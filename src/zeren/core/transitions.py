"""State transitions that hold under concurrency: check and change under one row lock.

Every service that moves a workflow object from one state to another (a task's result, a
verification's outcome, a case's step, a permit's or certificate's status, a batch, a
campaign, a report) re-reads the row with ``SELECT … FOR UPDATE`` inside its transaction and
checks the state there, not on the copy the page loaded::

    with transaction.atomic(), acting(actor):
        transitions.lock(task, field="result", expected=[Result.PENDING], doing="登记结果")
        task.result = result
        task.save()

Two requests for the same object then queue on the lock: the first commits, the second
re-reads the new state and gets :class:`TransitionConflict`, a ``ValidationError`` whose
message names who changed the object and when (from the change log), for example
“该检查任务已由张三于2026-03-01 10:20改为“发现问题”，不能登记结果”. Pages and the API show it as
any other refusal (the API answers 409); nothing is overwritten and nothing is half-written.
SQLite has no row locks but serialises writers, which gives the same outcome.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from zeren.core.models import ChangeLog, Counter

M = TypeVar("M", bound=models.Model)


class TransitionConflict(ValidationError):
    """The object is no longer in the state the transition starts from (someone was first)."""


def last_change(instance: models.Model) -> ChangeLog | None:
    """The latest change-log row of ``instance`` (who changed it last, and when)."""
    content_type = ContentType.objects.get_for_model(instance, for_concrete_model=False)
    return (
        ChangeLog.objects.filter(content_type=content_type, object_id=str(instance.pk))
        .order_by("-time", "-id")
        .first()
    )


def who_and_when(instance: models.Model) -> str:
    """“张三于2026-03-01 10:20”: the author and local time of the last change, from the log."""
    row = last_change(instance)
    if row is None:
        return "他人"
    return f"{row.actor_name or '系统'}于{timezone.localtime(row.time):%Y-%m-%d %H:%M}"


def _display(instance: models.Model, field: str) -> str:
    getter = getattr(instance, f"get_{field}_display", None)
    value = getter() if getter else getattr(instance, field)
    return str(value) if value not in (None, "") else "空"


def _labels(instance: models.Model, attnames: list[str]) -> list[str]:
    by_attname = {f.attname: str(f.verbose_name) for f in instance._meta.concrete_fields}
    skip = set(getattr(instance, "audit_exclude", ()))
    return [by_attname.get(a, a) for a in attnames if a not in skip and a in by_attname]


def conflict(
    instance: models.Model, *, doing: str, field: str | None = None, who: str | None = None
) -> TransitionConflict:
    """The refusal for the loser of a race, naming the winner from the change log.

    With ``field``: “该检查任务已由张三于2026-03-01 10:20改为“发现问题”，不能登记结果”;
    without (an edit): “该相对人已由张三于2026-03-01 10:20修改（改动了：住址），您的修改未保存，请核对后重新修改”.
    ``who`` (“张三于…”) replaces the change-log lookup for rows written set-based.
    """
    noun = instance._meta.verbose_name
    who = who or who_and_when(instance)
    if field:
        message = f"该{noun}已由{who}改为“{_display(instance, field)}”，不能{doing}"
    else:
        row = last_change(instance)
        labels = _labels(instance, row.changed_fields if row else [])
        what = f"（改动了：{'、'.join(labels)}）" if labels else ""
        message = f"该{noun}已由{who}修改{what}，您的修改未保存，请核对后重新{doing}"
    return TransitionConflict(message, code="conflict")


def lock(
    instance: M,
    *,
    field: str,
    expected: Iterable[Any],
    doing: str,
) -> M:
    """Lock ``instance``'s row, refresh it, and check ``field`` is still one of ``expected``.

    Call inside ``transaction.atomic()`` (it raises ``TransactionManagementError`` otherwise).
    Returns the same instance, refreshed from the locked row, so later writes start from the
    committed state. Raises :class:`TransitionConflict` naming who changed it last and when.
    """
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("transitions.lock 须在事务内调用")
    manager = type(instance)._base_manager
    instance.refresh_from_db(from_queryset=manager.select_for_update())
    if getattr(instance, field) not in set(expected):
        raise conflict(instance, doing=doing, field=field)
    return instance


def version_of(instance: models.Model) -> str:
    """The edit version of an audited row: its ``updated_at`` in microseconds, as text.

    Edit forms carry it in a hidden field, the API as the ``ETag`` (``"v<version>"``).
    """
    stamp = getattr(instance, "updated_at", None)
    return str(int(stamp.timestamp() * 1_000_000)) if stamp else ""


def check_unchanged(instance: M, *, seen: str | None, doing: str = "修改") -> M:
    """Lock ``instance``'s row and refuse if its committed version differs from ``seen``.

    The optimistic check behind edit forms and API updates: ``seen`` is the
    :func:`version_of` the editor loaded (``None`` skips the check, for callers that hold no
    version, e.g. the CLI). Call inside ``transaction.atomic()``; returns the locked row as
    a new instance (``instance``, which may hold the editor's unsaved values, is untouched).
    Raises :class:`TransitionConflict` naming who saved in between, when, and which fields,
    so the stale form never overwrites their change.
    """
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("transitions.check_unchanged 须在事务内调用")
    fresh = type(instance)._base_manager.select_for_update().get(pk=instance.pk)
    if seen is not None and version_of(fresh) != str(seen):
        raise conflict(fresh, doing=doing)
    return fresh


def exclusive(job: str) -> None:
    """Hold the lock of periodic job ``job`` until the caller's transaction ends.

    A second worker running the same job at the same moment waits here, then sees the first
    one's committed rows and finds nothing left to do, so each job logs (once) only what it
    actually changed. The lock is a core counter row (authority “job”), created race-free.
    Call inside ``transaction.atomic()``.
    """
    if not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("transitions.exclusive 须在事务内调用")
    key = {"authority": "job", "kind": job, "year": 0}
    Counter.objects.bulk_create([Counter(**key)], ignore_conflicts=True)
    Counter.objects.select_for_update().get(**key)
