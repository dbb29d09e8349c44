"""Writes of the shared kernel: sharing objects with partner departments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone

from zeren.core.audit import acting_as
from zeren.core.models import Share
from zeren.core.scope import can_access

# What may be shared with partner departments (joint investigations, referrals).
SHAREABLE = {"people.person", "cases.case", "permits.permit", "supervision.inspectiontask"}


def share_grant(
    *,
    actor: Any,
    obj: models.Model,
    department: Any,
    reason: str,
    expires_on: dt.date | None = None,
) -> Share:
    """Make ``obj`` visible to a partner department (e.g. for a joint investigation)."""
    from zeren.org.models import Department

    if obj._meta.label_lower not in SHAREABLE:
        raise ValidationError("该类数据不能共享给协作部门")
    if not actor.has_perm("core.add_share") or not can_access(actor, obj, "view"):
        raise PermissionDenied("无权共享该数据")
    if department.kind != Department.Kind.PARTNER:
        raise ValidationError({"department": "只能共享给协作部门"})
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "请填写共享事由"})
    if expires_on is not None and expires_on < timezone.localdate():
        raise ValidationError({"expires_on": "截止日期不能早于今天"})
    content_type = ContentType.objects.get_for_model(obj)
    with transaction.atomic(), acting_as(actor):
        share, _ = Share.objects.update_or_create(
            department=department,
            content_type=content_type,
            object_id=obj.pk,
            defaults={
                "reason": reason,
                "granted_by": actor,
                "expires_on": expires_on,
                "granted_at": timezone.now(),
            },
        )
    return share


def share_revoke(*, actor: Any, share: Share) -> None:
    if not actor.has_perm("core.delete_share"):
        raise PermissionDenied("无权撤销共享")
    with transaction.atomic(), acting_as(actor):
        share.delete()


def shares_of(obj: models.Model) -> list[Share]:
    return list(
        Share.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
        .select_related("department", "granted_by")
        .order_by("department__code")
    )
