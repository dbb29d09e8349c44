"""Writes of the shared kernel: sharing objects with partner departments."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from zeren.core.audit import acting_as
from zeren.core.models import Share
from zeren.core.permissions import require

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
    require(actor, "core.add_share", "无权共享该数据", obj=obj, out_of_scope="无权共享该数据")
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
    require(actor, "core.delete_share", "无权撤销共享")
    with transaction.atomic(), acting_as(actor):
        share.delete()


def shares_of(obj: models.Model) -> list[Share]:
    return list(
        Share.objects.filter(content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk)
        .select_related("department", "granted_by")
        .order_by("department__code")
    )


def audit_archive(*, actor: Any, before: dt.date, directory: Any) -> list[dict[str, Any]]:
    """Export the log rows older than ``before`` (signed), then remove them from the database.

    For each log (change log, security log) writes ``<label>-<before>.jsonl`` (one JSON
    object per row, in chain order) and ``….jsonl.sig`` (HMAC-SM3 of the file under the
    audit key) into ``directory`` (a ``pathlib.Path``), then deletes exactly those rows and
    moves the chain's start to the last archived row, so ``zeren audit verify`` still passes.
    Returns ``[{"log", "rows", "file"}]``.

    Raises ValidationError (nothing written or removed) when ``before`` is less than
    184 days ago (retention: GB/T 22239-2019 8.1.4.3 d) with 网络安全法 art. 21 (3),
    at least six months) or a chain is broken (archiving must not hide tampering).
    """
    import json

    from django.db import connection

    from zeren.core import crypto
    from zeren.core.audit import RETENTION_DAYS, verify_chain
    from zeren.core.models import ChangeLog, LogChain, SecurityEvent

    limit = timezone.localdate() - dt.timedelta(days=RETENTION_DAYS)
    if before > limit:
        raise ValidationError(
            f"只能归档 {RETENTION_DAYS} 天以前的日志：截止日期不能晚于 {limit:%Y-%m-%d}"
        )
    for model in (ChangeLog, SecurityEvent):
        report = verify_chain(model)
        if not report.ok:
            raise ValidationError(
                f"{model._meta.verbose_name}校验链在第 {report.broken_id} 行断开（{report.reason}），"
                "请先调查，不能归档"
            )
    cutoff = dt.datetime.combine(before, dt.time.min, tzinfo=timezone.get_current_timezone())
    directory.mkdir(parents=True, exist_ok=True)
    results = []
    with transaction.atomic(), acting_as(actor):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL zeren.archiving = 'on'")
        for model in (ChangeLog, SecurityEvent):
            head = LogChain.objects.select_for_update().get(name=model._meta.label)
            # a prefix of the chain: up to the first row that is not old enough
            first_young = (
                model._base_manager.filter(time__gte=cutoff).order_by("seq").values("seq").first()
            )
            rows = model._base_manager.filter(seq__gt=head.base_seq)
            if first_young is not None:
                rows = rows.filter(seq__lt=first_young["seq"])
            rows = list(rows.order_by("seq"))
            path = directory / f"{model._meta.label_lower}-{before:%Y%m%d}.jsonl"
            lines = [
                json.dumps(
                    {f: str(getattr(r, f)) if f == "time" else getattr(r, f) for f in fields},
                    ensure_ascii=False,
                    default=str,
                )
                for r in rows
                for fields in [("id", *r.chain_fields, "row_hash")]
            ]
            body = ("\n".join(lines) + "\n").encode() if lines else b""
            path.write_bytes(body)
            path.with_name(path.name + ".sig").write_text(crypto.audit_mac(body) + "\n")
            if rows:
                model._base_manager.filter(
                    seq__gt=head.base_seq, seq__lte=rows[-1].seq
                )._raw_delete(model._base_manager.db)
                LogChain.objects.filter(pk=head.pk).update(
                    base_seq=rows[-1].seq, base_hash=rows[-1].row_hash
                )
            results.append({"log": str(model._meta.verbose_name), "rows": len(rows), "file": path})
        from zeren.core.security import log_event

        log_event(
            "export",
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            username="" if getattr(actor, "is_authenticated", False) else str(actor),
            detail={
                "what": "日志归档",
                "before": before.isoformat(),
                "rows": sum(r["rows"] for r in results),
            },
        )
    return results
