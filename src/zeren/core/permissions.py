"""Checks every service makes about its actor: the role's permission, the object's scope,
the division's place in the actor's jurisdiction.

Services take ``actor``: a user, or ``None``/a label for the system itself (the CLI, jobs,
migrations), which acts without these checks and is recorded as such in the change log.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from zeren.core.audit import acting_as
from zeren.core.scope import can_access


def is_user(actor: Any) -> bool:
    return actor is not None and hasattr(actor, "has_perm")


def actor_name(actor: Any) -> str:
    """The name an event records for ``actor``: a user's username, else the label the
    system acts under (「定时任务」, 「演示数据」…), else 「系统」."""
    return actor.get_username() if is_user(actor) else str(actor or "系统")


def require(
    actor: Any,
    perm: str,
    message: str = "",
    *,
    obj: models.Model | None = None,
    action: str = "view",
    out_of_scope: str = "该数据不在您的管辖范围内",
    division: Any = None,
) -> None:
    """Refuse a user who may not do this; the system (``None`` or a label) acts freely.

    A user needs the role permission ``perm`` (``"app.codename"``); when ``obj`` is given and
    saved, ``obj`` must be inside what the user may ``action`` (``core.scope``); when
    ``division`` is given, it must lie inside the user's jurisdiction (``check_division``).

    Raises ``PermissionDenied`` with ``message`` (default 「无权执行此操作」), with
    ``out_of_scope`` for an object outside the scope, or naming the division outside the
    jurisdiction. This is the one permission check of every service: no app keeps a private
    copy (``tests/architecture/test_one_kernel.py``).
    """
    if not is_user(actor):
        return
    if not actor.has_perm(perm):
        raise PermissionDenied(message or "无权执行此操作")
    if obj is not None and obj.pk and not can_access(actor, obj, action):
        raise PermissionDenied(out_of_scope)
    if division is not None:
        check_division(actor, division)


def check_division(actor: Any, division: Any) -> None:
    """A user may act only inside its jurisdiction (a superuser anywhere)."""
    if not is_user(actor) or actor.is_superuser:
        return
    jurisdiction = actor.jurisdiction
    if jurisdiction is None or not division.is_within(jurisdiction):
        raise PermissionDenied(f"{division.name}不在您的管辖范围内")


def acting(actor: Any) -> contextlib.AbstractContextManager:
    """Attribute the block's changes to ``actor`` (the surrounding context when None)."""
    return acting_as(actor) if actor is not None else contextlib.nullcontext()
